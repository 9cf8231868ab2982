// The queue's row loader with rows a damaged or hand-edited queue file can hold (SQLite keeps any
// value in any column). Nothing may crash or disappear: odd values read as the field's default,
// and an order with a state this build does not know stays visible as Failed, where the trader
// can see and cancel it. The fuzz target tests/fuzz/fuzz_queue_row.cpp tries many more rows.
#include "orderqueue.h"
#include "queuerow.h"
#include "queuetestutil.h"

#include <QSqlField>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace tf;
using namespace tf::testing;

namespace {

QSqlRecord record(const QVariantList &values)
{
    const QStringList names = queuerow::columns().split(u',');
    QSqlRecord row;
    for (qsizetype i = 0; i < values.size(); ++i) {
        QSqlField field(names.at(i).trimmed(), values.at(i).metaType());
        field.setValue(values.at(i));
        row.append(field);
    }
    return row;
}

} // namespace

class TestQueueRow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valuesOfTheWrongTypeReadAsDefaults()
    {
        const QVariant null(QMetaType::fromType<QString>());
        const Order order = queuerow::orderFromRow(record({
            QStringLiteral("seven"),           // seq
            QByteArray("\x00\x01\x02", 3),     // client_order_id as a blob
            null,                              // user_id
            42,                                // symbol as a number
            QStringLiteral("sideways"),        // side
            QStringLiteral("abc"),             // quantity as text
            QStringLiteral("iceberg"),         // order_type
            QStringLiteral("cheap"),           // limit_price as text
            QStringLiteral("yesterday"),       // created_at as text
            null,                              // state
        }));
        QCOMPARE(order.sequence, qint64(0));
        QVERIFY(order.clientOrderId.isNull());
        QCOMPARE(order.symbol, QStringLiteral("42"));
        QCOMPARE(order.side, Order::Side::Buy);
        QCOMPARE(order.quantity, 0.0);
        QCOMPARE(order.type, Order::Type::Market);
        QCOMPARE(order.limitPrice, std::optional<double>(0.0));
        QCOMPARE(order.state, Order::State::Failed);
        // The loaded order says what is wrong with it instead of passing as a valid one.
        const OrderValidation validation = order.validate();
        QVERIFY(!validation.messageFor(OrderField::ClientOrderId).isEmpty());
        QVERIFY(!validation.messageFor(OrderField::Quantity).isEmpty());
        QVERIFY(!validation.messageFor(OrderField::UserId).isEmpty());
    }

    void aShortRowReadsAsDefaults()
    {
        const Order order = queuerow::orderFromRow(record({1, QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10")}));
        QCOMPARE(order.sequence, qint64(1));
        QCOMPARE(order.clientOrderId, QUuid(QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10")));
        QCOMPARE(order.state, Order::State::Failed);
        QVERIFY(!order.createdAt.isValid());
        QCOMPARE(queuerow::orderFromRow(QSqlRecord()).state, Order::State::Failed);
    }

    void anUnknownStateInTheFileIsShownAsFailedAndCanBeCanceled()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("orders.sqlite"));
        const Order placed = makeOrder(QStringLiteral("u1"));
        {
            OrderQueue queue(path);
            QVERIFY(queue.open().ok);
            QVERIFY(queue.enqueue(placed).ok());
        }
        {
            RawDb raw(path);
            QVERIFY(raw.isOpen());
            QCOMPARE(raw.exec(QStringLiteral("UPDATE orders SET state = 'exploded', created_at = 'soon'")), QString());
        }
        OrderQueue queue(path);
        QVERIFY(queue.open().ok);
        const QList<Order> orders = queue.orders();
        QCOMPARE(orders.size(), 1);
        QCOMPARE(orders.first().clientOrderId, placed.clientOrderId);
        QCOMPARE(orders.first().state, Order::State::Failed);
        QCOMPARE(queue.pendingCount(), 1); // not terminal: still counted, still the trader's to decide
        QVERIFY(queue.cancel(placed.clientOrderId));
        QCOMPARE(queue.order(placed.clientOrderId)->state, Order::State::Canceled);
        QCOMPARE(queue.pendingCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestQueueRow)
#include "tst_queuerow.moc"
