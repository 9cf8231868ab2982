// TradeModel (the blotter): newest first, bounded rows with notShownCount, roles, deletes that a
// late insert echo cannot undo, and bad input.

#include "modeltest.h"
#include "trademodel.h"

#include <QSignalSpy>
#include <QTest>

using tf::TradeModel;
using tf::test::ModelLog;
using Range = tf::test::ModelLog::Range;

namespace {
QJsonObject trade(int id, int second, const QString &symbol = QStringLiteral("AAPL"),
                  const QString &side = QStringLiteral("buy"), double qty = 10, double price = 100)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("order_id"), 900 + id},
                       {QStringLiteral("symbol"), symbol},
                       {QStringLiteral("side"), side},
                       {QStringLiteral("qty"), qty},
                       {QStringLiteral("price"), price},
                       {QStringLiteral("executed_at"), tf::test::stamp(second)}};
}

QStringList ids(const TradeModel &model)
{
    return tf::test::column(model, TradeModel::TradeIdRole);
}
} // namespace

class TestTradeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roles();
    void newestFirst();
    void correctedTimeMovesTheRow();
    void boundedWithNotShownCount();
    void loweringMaxRowsTrimsAtOnce();
    void deletedTradeStaysDeleted();
    void reconcileWithTheLatestPage();
    void badInputLeavesModelIntact();
};

void TestTradeModel::roles()
{
    TradeModel model;
    tf::test::watch(&model);
    const QHash<int, QByteArray> names = model.roleNames();
    QCOMPARE(names.size(), 7);
    QCOMPARE(names.value(TradeModel::TimeRole), QByteArray("time"));
    QCOMPARE(names.value(TradeModel::OrderIdRole), QByteArray("orderId"));
    QCOMPARE(names.value(TradeModel::TradeIdRole), QByteArray("tradeId"));

    QVERIFY(model.upsert(trade(1, 5, QStringLiteral("MSFT"), QStringLiteral("SELL"), 3, 412.5)));
    model.flush();
    const QVariantMap row = model.get(0);
    QCOMPARE(row.value(QStringLiteral("tradeId")).toString(), QStringLiteral("1"));
    QCOMPARE(row.value(QStringLiteral("time")).toDateTime(), tf::test::at(5));
    QCOMPARE(row.value(QStringLiteral("symbol")).toString(), QStringLiteral("MSFT"));
    QCOMPARE(row.value(QStringLiteral("side")).toString(), QStringLiteral("sell")); // normalised
    QCOMPARE(row.value(QStringLiteral("qty")).toDouble(), 3.0);
    QCOMPARE(row.value(QStringLiteral("price")).toDouble(), 412.5);
    QCOMPARE(row.value(QStringLiteral("orderId")).toString(), QStringLiteral("901"));
}

void TestTradeModel::newestFirst()
{
    TradeModel model;
    tf::test::watch(&model);
    model.upsert(trade(1, 10));
    model.upsert(trade(2, 30));
    model.upsert(trade(3, 20));
    model.upsert(trade(10, 20)); // same millisecond as 3: the higher id is the later trade
    model.upsert(trade(9, 20));
    model.flush();
    QCOMPARE(ids(model), QStringList({QStringLiteral("2"), QStringLiteral("10"), QStringLiteral("9"),
                                      QStringLiteral("3"), QStringLiteral("1")}));

    ModelLog log(&model);
    model.upsert(trade(11, 40));
    model.flush();
    QCOMPARE(log.inserted, QList<Range>({{0, 0}})); // a new trade lands on top
}

void TestTradeModel::correctedTimeMovesTheRow()
{
    TradeModel model;
    tf::test::watch(&model);
    for (int i = 1; i <= 4; ++i)
        model.upsert(trade(i, 10 * i));
    model.flush();
    ModelLog log(&model);
    // The back office corrects trade 4's execution time to before all others (a newer version).
    QJsonObject corrected = trade(4, 5);
    QVERIFY(model.upsert(corrected, tf::test::at(100)));
    model.flush();
    QCOMPARE(ids(model), QStringList({QStringLiteral("3"), QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("4")}));
    QCOMPARE(log.moves, 1);
    QCOMPARE(log.changes.size(), 1);
    QCOMPARE(log.changes.first().first, 3);
    QCOMPARE(log.changes.first().roles, QList<int>{TradeModel::TimeRole});
    // Later inserts are still placed by the corrected time.
    model.upsert(trade(5, 7));
    model.flush();
    QCOMPARE(ids(model), QStringList({QStringLiteral("3"), QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("5"),
                                      QStringLiteral("4")}));
}

void TestTradeModel::boundedWithNotShownCount()
{
    TradeModel model;
    tf::test::watch(&model);
    QCOMPARE(model.maxRows(), 10000);
    model.setMaxRows(5);
    QSignalSpy notShown(&model, &TradeModel::notShownCountChanged);
    ModelLog log(&model);

    for (int i = 1; i <= 8; ++i)
        model.upsert(trade(i, i));
    model.flush();
    // The three oldest never reach the view: one insert, no removal.
    QCOMPARE(log.inserted, QList<Range>({{0, 4}}));
    QVERIFY(log.removed.isEmpty());
    QCOMPARE(ids(model), QStringList({QStringLiteral("8"), QStringLiteral("7"), QStringLiteral("6"),
                                      QStringLiteral("5"), QStringLiteral("4")}));
    QCOMPARE(model.notShownCount(), 3);
    QCOMPARE(model.property("notShownCount").toInt(), 3);
    QCOMPARE(notShown.count(), 1);

    // A newer trade pushes the oldest shown one out.
    log.clear();
    model.upsert(trade(9, 9));
    model.flush();
    QCOMPARE(log.inserted, QList<Range>({{0, 0}}));
    QCOMPARE(log.removed, QList<Range>({{5, 5}}));
    QCOMPARE(model.count(), 5);
    QCOMPARE(model.notShownCount(), 4);
    QCOMPARE(notShown.count(), 2);

    // A catch-up delivering a trade older than everything shown changes nothing on screen.
    log.clear();
    model.upsert(trade(100, 0));
    model.flush();
    QVERIFY(log.inserted.isEmpty() && log.removed.isEmpty());
    QCOMPARE(model.notShownCount(), 5);

    // A burst mixing new and old: the view gets one insert and one removal range.
    log.clear();
    for (int i = 0; i < 3; ++i) {
        model.upsert(trade(200 + i, 100 + i));
        model.upsert(trade(300 + i, -10 - i));
    }
    model.flush();
    QCOMPARE(log.inserted, QList<Range>({{0, 2}}));
    QCOMPARE(log.removed, QList<Range>({{5, 7}}));
    QCOMPARE(model.notShownCount(), 5 + 3 + 3);
    QCOMPARE(model.count(), 5);

    model.clear();
    QCOMPARE(model.notShownCount(), 0);
}

void TestTradeModel::loweringMaxRowsTrimsAtOnce()
{
    TradeModel model;
    tf::test::watch(&model);
    for (int i = 1; i <= 10; ++i)
        model.upsert(trade(i, i));
    model.flush();
    ModelLog log(&model);
    QSignalSpy maxRows(&model, &TradeModel::maxRowsChanged);
    QSignalSpy notShown(&model, &TradeModel::notShownCountChanged);
    model.setMaxRows(4);
    QCOMPARE(log.removed, QList<Range>({{4, 9}}));
    QCOMPARE(model.notShownCount(), 6);
    QCOMPARE(maxRows.count(), 1);
    QCOMPARE(notShown.count(), 1);
    QCOMPARE(ids(model).first(), QStringLiteral("10"));
}

void TestTradeModel::deletedTradeStaysDeleted()
{
    TradeModel model;
    tf::test::watch(&model);
    model.upsert(trade(1, 5));
    model.flush();
    QVERIFY(model.remove(QStringLiteral("1"))); // a busted trade; DELETE carries only the id
    model.flush();
    QCOMPARE(model.count(), 0);
    QVERIFY(!model.upsert(trade(1, 5))); // the INSERT echo arriving late
    model.flush();
    QCOMPARE(model.count(), 0);
}

void TestTradeModel::reconcileWithTheLatestPage()
{
    TradeModel model;
    tf::test::watch(&model);
    for (int i = 1; i <= 4; ++i)
        model.upsert(trade(i, i));
    model.flush();
    ModelLog log(&model);
    // The catch-up page: trade 2 was busted, 5 and 6 happened while offline.
    model.reconcile(QJsonArray{trade(6, 6), trade(5, 5), trade(4, 4), trade(3, 3), trade(1, 1)});
    QCOMPARE(ids(model), QStringList({QStringLiteral("6"), QStringLiteral("5"), QStringLiteral("4"),
                                      QStringLiteral("3"), QStringLiteral("1")}));
    QCOMPARE(log.inserted, QList<Range>({{0, 1}}));
    QCOMPARE(log.removed, QList<Range>({{2, 2}}));
    QVERIFY(log.changes.isEmpty());
    QCOMPARE(log.resets, 0);
}

void TestTradeModel::badInputLeavesModelIntact()
{
    TradeModel model;
    tf::test::watch(&model);
    model.upsert(trade(1, 1));
    model.flush();
    ModelLog log(&model);
    QJsonObject hold = trade(2, 2);
    hold.insert(QStringLiteral("side"), QStringLiteral("hold"));
    QJsonObject negative = trade(3, 3);
    negative.insert(QStringLiteral("qty"), -5);
    QJsonObject noTime = trade(4, 4);
    noTime.remove(QStringLiteral("executed_at"));
    QJsonObject badTime = trade(5, 5);
    badTime.insert(QStringLiteral("executed_at"), QStringLiteral("noon"));
    QJsonObject fractionalId = trade(6, 6);
    fractionalId.insert(QStringLiteral("id"), 6.5);
    for (const QJsonObject &bad : {hold, negative, noTime, badTime, fractionalId}) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("TradeModel skipped")));
        QVERIFY(!model.upsert(bad));
    }
    model.flush();
    QVERIFY(log.inserted.isEmpty() && log.changes.isEmpty());
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.rejectedCount(), 5);
}

QTEST_GUILESS_MAIN(TestTradeModel)
#include "tst_trademodel.moc"
