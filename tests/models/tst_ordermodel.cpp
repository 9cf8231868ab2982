// OrderModel: optimistic local rows merged with the server's row on client_order_id (never shown
// twice), delivery states only while local, server status changes by last-writer-wins, reconcile
// keeping unsent orders, deletes by primary key, ages, and bad input.

#include "modeltest.h"
#include "ordermodel.h"

#include <QSignalSpy>
#include <QTest>

using tf::OrderModel;
using tf::test::ModelLog;
using Range = tf::test::ModelLog::Range;

namespace {
const QString Coid1 = QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10");
const QString Coid2 = QStringLiteral("0b7e9d4c-1111-4c55-9a77-0d8a9a2f1b11");

QJsonObject local(const QString &coid, int createdSecond, const QString &type = QStringLiteral("market"))
{
    QJsonObject o{{QStringLiteral("client_order_id"), coid},
                  {QStringLiteral("symbol"), QStringLiteral("AAPL")},
                  {QStringLiteral("side"), QStringLiteral("buy")},
                  {QStringLiteral("qty"), 10},
                  {QStringLiteral("type"), type},
                  {QStringLiteral("created_at"), tf::test::stamp(createdSecond)}};
    if (type == u"limit")
        o.insert(QStringLiteral("limit_price"), 101.5);
    return o;
}

// The server's row, as PostgREST or Realtime delivers it.
QJsonObject server(const QString &coid, int id, const QString &status, int updatedSecond, int createdSecond = 1)
{
    QJsonObject o = local(coid, createdSecond);
    o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("user_id"), QStringLiteral("1b0c1f3e-0000-4000-8000-000000000001"));
    o.insert(QStringLiteral("status"), status);
    o.insert(QStringLiteral("filled_qty"), status == u"filled" ? 10 : 0);
    o.insert(QStringLiteral("avg_fill_price"), status == u"filled" ? QJsonValue(100.25) : QJsonValue());
    o.insert(QStringLiteral("reject_reason"), QJsonValue());
    o.insert(QStringLiteral("updated_at"), tf::test::stamp(updatedSecond));
    return o;
}

QVariant value(const OrderModel &model, const QString &coid, int role)
{
    return model.valueForKey(coid, role);
}

QList<int> sorted(QList<int> roles)
{
    std::sort(roles.begin(), roles.end());
    return roles;
}
} // namespace

class TestOrderModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void localOrderIsARowAtOnce();
    void deliveryStatesWhileLocal();
    void serverRowMergesIntoTheLocalOne();
    void serverRowInTheSameBatchIsOneInsert();
    void serverOwnsTheRowAfterwards();
    void statusChangesFollowLastWriterWins();
    void unknownStatusIsShownInTheServersWords();
    void reconcileKeepsUnsentOrders();
    void discardPending();
    void deleteByPrimaryKey();
    void ageIsComputedAndRefreshed();
    void newestFirst();
    void badInputLeavesModelIntact();

private:
    std::unique_ptr<OrderModel> m_model;
};

void TestOrderModel::init()
{
    m_model = std::make_unique<OrderModel>();
    m_model->setAgeRefreshInterval(0); // ages are refreshed by hand in the one test about them
    tf::test::watch(m_model.get());
}

void TestOrderModel::localOrderIsARowAtOnce()
{
    OrderModel &model = *m_model;
    QVERIFY(model.addPending(local(Coid1, 5, QStringLiteral("limit"))));
    QCOMPARE(model.stateOf(Coid1), OrderModel::Queued); // as of the next flush, before it
    model.flush();
    QCOMPARE(model.count(), 1);
    const QVariantMap row = model.get(0);
    QCOMPARE(row.value(QStringLiteral("clientOrderId")).toString(), Coid1);
    QCOMPARE(row.value(QStringLiteral("state")).toInt(), int(OrderModel::Queued));
    QCOMPARE(row.value(QStringLiteral("stateName")).toString(), QStringLiteral("queued"));
    QCOMPARE(row.value(QStringLiteral("pending")).toBool(), true);
    QCOMPARE(row.value(QStringLiteral("type")).toString(), QStringLiteral("limit"));
    QCOMPARE(row.value(QStringLiteral("limitPrice")).toDouble(), 101.5);
    QVERIFY(!row.value(QStringLiteral("orderId")).isValid());
    QCOMPARE(row.value(QStringLiteral("filledQty")).toDouble(), 0.0);
    QCOMPARE(row.value(QStringLiteral("createdAt")).toDateTime(), tf::test::at(5));

    // Without created_at the queue's order is stamped now.
    QJsonObject fresh = local(Coid2, 0);
    fresh.remove(QStringLiteral("created_at"));
    QVERIFY(model.addPending(fresh));
    model.flush();
    QVERIFY(value(model, Coid2, OrderModel::CreatedAtRole).toDateTime().isValid());
}

void TestOrderModel::deliveryStatesWhileLocal()
{
    OrderModel &model = *m_model;
    model.addPending(local(Coid1, 1));
    model.flush();
    ModelLog log(&model);
    QVERIFY(model.setDeliveryState(Coid1, OrderModel::Sending));
    model.flush();
    QCOMPARE(log.changes.size(), 1);
    QCOMPARE(sorted(log.changes.first().roles), QList<int>({OrderModel::StateRole, OrderModel::StateNameRole}));

    QVERIFY(model.setDeliveryState(Coid1, OrderModel::Failed, QStringLiteral("gave up after 8 attempts")));
    model.flush();
    QCOMPARE(model.stateOf(Coid1), OrderModel::Failed);
    QCOMPARE(value(model, Coid1, OrderModel::ReasonRole).toString(), QStringLiteral("gave up after 8 attempts"));
    QVERIFY(!model.setDeliveryState(Coid1, OrderModel::Filled)); // not a delivery state
    QVERIFY(!model.setDeliveryState(Coid2, OrderModel::Sending)); // unknown order
    QVERIFY(model.setDeliveryState(Coid1, OrderModel::Canceled)); // the trader gave up on it
    model.flush();
    QCOMPARE(model.stateOf(Coid1), OrderModel::Canceled);
}

void TestOrderModel::serverRowMergesIntoTheLocalOne()
{
    OrderModel &model = *m_model;
    model.addPending(local(Coid1, 1));
    model.setDeliveryState(Coid1, OrderModel::Sending);
    model.flush();
    ModelLog log(&model);
    QVERIFY(model.upsert(server(Coid1, 501, QStringLiteral("new"), 2)));
    model.flush();
    QCOMPARE(model.count(), 1); // never shown twice
    QVERIFY(log.inserted.isEmpty() && log.removed.isEmpty());
    QCOMPARE(log.changes.size(), 1);
    QCOMPARE(sorted(log.changes.first().roles),
             QList<int>({OrderModel::OrderIdRole, OrderModel::StateRole, OrderModel::StateNameRole,
                         OrderModel::UpdatedAtRole, OrderModel::PendingRole}));
    QCOMPARE(model.stateOf(Coid1), OrderModel::Accepted);
    QCOMPARE(value(model, Coid1, OrderModel::OrderIdRole).toString(), QStringLiteral("501"));
    QCOMPARE(value(model, Coid1, OrderModel::PendingRole).toBool(), false);
}

void TestOrderModel::serverRowInTheSameBatchIsOneInsert()
{
    OrderModel &model = *m_model;
    ModelLog log(&model);
    model.addPending(local(Coid1, 1));
    model.setDeliveryState(Coid1, OrderModel::Sending);
    model.upsert(server(Coid1, 501, QStringLiteral("accepted"), 2)); // a fast echo
    model.flush();
    QCOMPARE(log.inserted, QList<Range>({{0, 0}}));
    QVERIFY(log.changes.isEmpty());
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.stateOf(Coid1), OrderModel::Accepted);
}

void TestOrderModel::serverOwnsTheRowAfterwards()
{
    OrderModel &model = *m_model;
    model.addPending(local(Coid1, 1));
    model.upsert(server(Coid1, 501, QStringLiteral("accepted"), 2));
    // The queue's "sending" for a retry that raced the echo must not win.
    QVERIFY(!model.setDeliveryState(Coid1, OrderModel::Sending));
    model.flush();
    QVERIFY(!model.setDeliveryState(Coid1, OrderModel::Failed));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("duplicate client_order_id")));
    QVERIFY(!model.addPending(local(Coid1, 1))); // a duplicate local add is refused too
    model.flush();
    QCOMPARE(model.stateOf(Coid1), OrderModel::Accepted);
    QCOMPARE(model.count(), 1);
}

void TestOrderModel::statusChangesFollowLastWriterWins()
{
    OrderModel &model = *m_model;
    model.upsert(server(Coid1, 501, QStringLiteral("new"), 2));
    model.flush();
    QVERIFY(model.upsert(server(Coid1, 501, QStringLiteral("partially_filled"), 3)));
    QVERIFY(model.upsert(server(Coid1, 501, QStringLiteral("filled"), 4)));
    QVERIFY(!model.upsert(server(Coid1, 501, QStringLiteral("accepted"), 3))); // late, older
    model.flush();
    QCOMPARE(model.stateOf(Coid1), OrderModel::Filled);
    QCOMPARE(value(model, Coid1, OrderModel::FilledQtyRole).toDouble(), 10.0);
    QCOMPARE(value(model, Coid1, OrderModel::AvgFillPriceRole).toDouble(), 100.25);
    QVERIFY(model.upsert(server(Coid2, 502, QStringLiteral("cancel_requested"), 5)));
    model.flush();
    QCOMPARE(model.stateOf(Coid2), OrderModel::CancelRequested);

    QJsonObject rejected = server(Coid2, 502, QStringLiteral("rejected"), 6);
    rejected.insert(QStringLiteral("reject_reason"), QStringLiteral("insufficient buying power"));
    model.upsert(rejected);
    model.flush();
    QCOMPARE(model.stateOf(Coid2), OrderModel::Rejected);
    QCOMPARE(value(model, Coid2, OrderModel::ReasonRole).toString(), QStringLiteral("insufficient buying power"));
}

void TestOrderModel::unknownStatusIsShownInTheServersWords()
{
    OrderModel &model = *m_model;
    QVERIFY(model.upsert(server(Coid1, 501, QStringLiteral("held_for_review"), 2)));
    model.flush();
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.stateOf(Coid1), OrderModel::Unknown);
    QCOMPARE(value(model, Coid1, OrderModel::StateNameRole).toString(), QStringLiteral("held_for_review"));
}

void TestOrderModel::reconcileKeepsUnsentOrders()
{
    OrderModel &model = *m_model;
    model.addPending(local(Coid1, 1)); // still in the outbox
    model.upsert(server(Coid2, 502, QStringLiteral("accepted"), 2)); // deleted on the server meanwhile
    model.flush();
    const QString coid3 = QStringLiteral("3c3c3c3c-0000-4000-8000-000000000003");
    ModelLog log(&model);
    model.reconcile(QList<QJsonObject>{server(coid3, 503, QStringLiteral("filled"), 3, 3)});
    QCOMPARE(model.count(), 2);
    QVERIFY(model.indexOfKey(Coid1) >= 0);
    QCOMPARE(model.indexOfKey(Coid2), -1);
    QCOMPARE(log.resets, 0);
}

void TestOrderModel::discardPending()
{
    OrderModel &model = *m_model;
    model.addPending(local(Coid1, 1));
    model.upsert(server(Coid2, 502, QStringLiteral("accepted"), 2));
    model.flush();
    QVERIFY(model.discardPending(Coid1));
    QVERIFY(!model.discardPending(Coid2)); // the server's: only a cancel can end it
    model.flush();
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.indexOfKey(Coid1), -1);
}

void TestOrderModel::deleteByPrimaryKey()
{
    OrderModel &model = *m_model;
    model.upsert(server(Coid1, 501, QStringLiteral("accepted"), 2));
    model.upsert(server(Coid2, 502, QStringLiteral("accepted"), 2));
    model.flush();
    // postgres_changes under RLS: the DELETE's old_record is just {id}.
    QVERIFY(model.removeRecord(QJsonObject{{QStringLiteral("id"), 502}}, tf::test::at(9)));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("OrderModel skipped")));
    QVERIFY(!model.removeRecord(QJsonObject{{QStringLiteral("id"), 999}}));
    model.flush();
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.indexOfKey(Coid2), -1);
}

void TestOrderModel::ageIsComputedAndRefreshed()
{
    OrderModel &model = *m_model;
    QJsonObject old = local(Coid1, 0);
    old.insert(QStringLiteral("created_at"), QDateTime::currentDateTimeUtc().addSecs(-90).toString(Qt::ISODateWithMs));
    model.addPending(old);
    model.addPending(local(Coid2, 0));
    model.flush();
    const int age = value(model, Coid1, OrderModel::AgeRole).toInt();
    QVERIFY2(age >= 90 && age < 3600, qPrintable(QString::number(age)));

    ModelLog log(&model);
    model.refreshAges();
    QCOMPARE(log.changes.size(), 1); // one signal for all rows, naming only the age
    QCOMPARE(log.changes.first().first, 0);
    QCOMPARE(log.changes.first().last, 1);
    QCOMPARE(log.changes.first().roles, QList<int>{OrderModel::AgeRole});

    QSignalSpy interval(&model, &OrderModel::ageRefreshIntervalChanged);
    model.setAgeRefreshInterval(5);
    QCOMPARE(interval.count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(log.changes.size() >= 3, 5000); // the timer keeps ages moving
}

void TestOrderModel::newestFirst()
{
    OrderModel &model = *m_model;
    model.upsert(server(Coid1, 501, QStringLiteral("accepted"), 2, 10));
    model.addPending(local(Coid2, 20));
    model.upsert(server(QStringLiteral("0-old"), 500, QStringLiteral("filled"), 3, 5));
    model.flush();
    QCOMPARE(tf::test::column(model, OrderModel::ClientOrderIdRole),
             QStringList({Coid2, Coid1, QStringLiteral("0-old")}));
}

void TestOrderModel::badInputLeavesModelIntact()
{
    OrderModel &model = *m_model;
    model.addPending(local(Coid1, 1));
    model.flush();
    ModelLog log(&model);
    QJsonObject noCoid = local(Coid2, 1);
    noCoid.remove(QStringLiteral("client_order_id"));
    QJsonObject limitWithoutPrice = local(Coid2, 1, QStringLiteral("limit"));
    limitWithoutPrice.remove(QStringLiteral("limit_price"));
    QJsonObject zeroQty = local(Coid2, 1);
    zeroQty.insert(QStringLiteral("qty"), 0);
    QJsonObject stopType = local(Coid2, 1);
    stopType.insert(QStringLiteral("type"), QStringLiteral("stop"));
    for (const QJsonObject &bad : {noCoid, limitWithoutPrice, zeroQty, stopType}) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("OrderModel skipped")));
        QVERIFY(!model.addPending(bad));
    }
    QJsonObject noStatus = server(Coid2, 502, QStringLiteral("new"), 2);
    noStatus.remove(QStringLiteral("status"));
    QJsonObject numericStatus = server(Coid2, 502, QStringLiteral("new"), 2);
    numericStatus.insert(QStringLiteral("status"), 3);
    QJsonObject wrongSide = server(Coid1, 501, QStringLiteral("new"), 2);
    wrongSide.insert(QStringLiteral("side"), QStringLiteral("short"));
    for (const QJsonObject &bad : {noStatus, numericStatus, wrongSide}) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("OrderModel skipped")));
        QVERIFY(!model.upsert(bad));
    }
    model.flush();
    QVERIFY(log.inserted.isEmpty() && log.changes.isEmpty());
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.stateOf(Coid1), OrderModel::Queued);
    QCOMPARE(model.rejectedCount(), 7);
}

QTEST_GUILESS_MAIN(TestOrderModel)
#include "tst_ordermodel.moc"
