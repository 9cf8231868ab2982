// QuoteModel: ticks batched one dataChanged per symbol per flush, change against the reference
// price, bounded sparkline history, stale ticks, broadcast payloads and bad input.

#include "modeltest.h"
#include "quotemodel.h"

#include <QSignalSpy>
#include <QTest>

using tf::QuoteModel;
using tf::test::at;
using tf::test::ModelLog;
using Range = tf::test::ModelLog::Range;

namespace {
QList<qreal> history(const QuoteModel &model, const QString &symbol)
{
    return model.valueForKey(symbol, QuoteModel::HistoryRole).value<QList<qreal>>();
}
} // namespace

class TestQuoteModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roleNames();
    void ticksAreOneChangePerSymbolPerFlush();
    void changeAgainstFirstPriceSeen();
    void previousCloseIsTheReference();
    void zeroReferenceHasNoPercent();
    void bidAndAskSurviveTicksWithoutThem();
    void historyIsBoundedAndKeepsEveryTick();
    void olderTicksAreIgnored();
    void stagedTicksDoNotLeakIntoTheView();
    void sameTickPriceNamesOnlyWhatMoved();
    void broadcastPayload();
    void badTicksLeaveModelIntact();
    void tableRowsAndReconcile();
};

void TestQuoteModel::roleNames()
{
    QuoteModel model;
    tf::test::watch(&model);
    const QHash<int, QByteArray> names = model.roleNames();
    QCOMPARE(names.value(QuoteModel::SymbolRole), QByteArray("symbol"));
    QCOMPARE(names.value(QuoteModel::LastPriceRole), QByteArray("lastPrice"));
    QCOMPARE(names.value(QuoteModel::BidRole), QByteArray("bid"));
    QCOMPARE(names.value(QuoteModel::AskRole), QByteArray("ask"));
    QCOMPARE(names.value(QuoteModel::ReferencePriceRole), QByteArray("referencePrice"));
    QCOMPARE(names.value(QuoteModel::ChangeRole), QByteArray("change"));
    QCOMPARE(names.value(QuoteModel::ChangePercentRole), QByteArray("changePercent"));
    QCOMPARE(names.value(QuoteModel::UpdatedAtRole), QByteArray("updatedAt"));
    QCOMPARE(names.value(QuoteModel::HistoryRole), QByteArray("history"));
    QCOMPARE(names.size(), 9);
}

void TestQuoteModel::ticksAreOneChangePerSymbolPerFlush()
{
    QuoteModel model;
    tf::test::watch(&model);
    ModelLog log(&model);
    QSignalSpy quotes(&model, &QuoteModel::quotesChanged);
    const QStringList symbols{QStringLiteral("MSFT"), QStringLiteral("AAPL"), QStringLiteral("TSLA")};
    int t = 0;
    for (int i = 0; i < 100; ++i) {
        for (const QString &s : symbols)
            QVERIFY(model.applyTick(s, 100 + i, 99 + i, 101 + i, at(++t)));
    }
    model.flush();
    QCOMPARE(log.inserted, QList<Range>({{0, 2}})); // three new symbols, one insert
    QCOMPARE(tf::test::column(model, QuoteModel::SymbolRole),
             QStringList({QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("TSLA")}));
    QCOMPARE(quotes.count(), 1);
    QStringList changed = quotes.first().first().toStringList();
    changed.sort();
    QCOMPARE(changed, QStringList({QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("TSLA")}));

    log.clear();
    quotes.clear();
    for (int i = 0; i < 500; ++i) {
        for (const QString &s : symbols)
            model.applyTick(s, 200 + i % 7, qQNaN(), qQNaN(), at(++t));
    }
    model.flush();
    QCOMPARE(log.changes.size(), 3);
    QCOMPARE(quotes.count(), 1);
    QVERIFY(log.inserted.isEmpty() && log.removed.isEmpty() && log.resets == 0);
    QCOMPARE(model.lastPrice(QStringLiteral("TSLA")).toDouble(), 200.0 + 499 % 7);
}

void TestQuoteModel::changeAgainstFirstPriceSeen()
{
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, qQNaN(), qQNaN(), at(1));
    model.applyTick(QStringLiteral("AAPL"), 104, qQNaN(), qQNaN(), at(2));
    model.flush();
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::ReferencePriceRole).toDouble(), 100.0);
    QCOMPARE(model.change(QStringLiteral("AAPL")).toDouble(), 4.0);
    model.applyTick(QStringLiteral("AAPL"), 90, qQNaN(), qQNaN(), at(3));
    model.flush();
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::ReferencePriceRole).toDouble(), 100.0);
    QCOMPARE(model.change(QStringLiteral("AAPL")).toDouble(), -10.0);
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::ChangePercentRole).toDouble(), -10.0);
}

void TestQuoteModel::previousCloseIsTheReference()
{
    QuoteModel model;
    tf::test::watch(&model);
    QVERIFY(model.upsert(QJsonObject{{QStringLiteral("symbol"), QStringLiteral("AAPL")},
                                     {QStringLiteral("price"), 52},
                                     {QStringLiteral("prev_close"), 50},
                                     {QStringLiteral("updated_at"), tf::test::stamp(1)}}));
    model.flush();
    QCOMPARE(model.change(QStringLiteral("AAPL")).toDouble(), 2.0);
    model.applyTick(QStringLiteral("AAPL"), 55, qQNaN(), qQNaN(), at(2));
    model.flush();
    QCOMPARE(model.change(QStringLiteral("AAPL")).toDouble(), 5.0);
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::ChangePercentRole).toDouble(), 10.0);
}

void TestQuoteModel::zeroReferenceHasNoPercent()
{
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("SPREAD"), 0, qQNaN(), qQNaN(), at(1));
    model.applyTick(QStringLiteral("SPREAD"), 1.5, qQNaN(), qQNaN(), at(2));
    model.flush();
    QCOMPARE(model.change(QStringLiteral("SPREAD")).toDouble(), 1.5);
    QVERIFY(!model.valueForKey(QStringLiteral("SPREAD"), QuoteModel::ChangePercentRole).isValid());
}

void TestQuoteModel::bidAndAskSurviveTicksWithoutThem()
{
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, 99.5, 100.5, at(1));
    model.flush();
    model.applyTick(QStringLiteral("AAPL"), 101, qQNaN(), qQNaN(), at(2));
    model.flush();
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::BidRole).toDouble(), 99.5);
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::AskRole).toDouble(), 100.5);
    QVERIFY(!model.valueForKey(QStringLiteral("NONE"), QuoteModel::BidRole).isValid());
}

void TestQuoteModel::historyIsBoundedAndKeepsEveryTick()
{
    QuoteModel model;
    tf::test::watch(&model);
    QCOMPARE(model.historyLength(), 120);
    model.setHistoryLength(5);
    for (int i = 1; i <= 3; ++i)
        model.applyTick(QStringLiteral("AAPL"), i, qQNaN(), qQNaN(), at(i));
    model.flush();
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>({1, 2, 3})); // three ticks, one flush, three points
    for (int i = 4; i <= 12; ++i) {
        model.applyTick(QStringLiteral("AAPL"), i, qQNaN(), qQNaN(), at(i));
        if (i % 4 == 0)
            model.flush();
    }
    model.flush();
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>({8, 9, 10, 11, 12}));
    // Many more ticks than points in one batch: still bounded.
    for (int i = 13; i <= 1000; ++i)
        model.applyTick(QStringLiteral("AAPL"), i, qQNaN(), qQNaN(), at(i));
    model.flush();
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>({996, 997, 998, 999, 1000}));
    // QML gets a sequence it can index.
    QCOMPARE(model.get(0).value(QStringLiteral("history")).value<QList<qreal>>().size(), 5);
}

void TestQuoteModel::olderTicksAreIgnored()
{
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, qQNaN(), qQNaN(), at(10));
    model.flush();
    ModelLog log(&model);
    QVERIFY(!model.applyTick(QStringLiteral("AAPL"), 50, qQNaN(), qQNaN(), at(9)));
    model.flush();
    QVERIFY(log.changes.isEmpty());
    QCOMPARE(model.lastPrice(QStringLiteral("AAPL")).toDouble(), 100.0);
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>{100}); // no point for a stale tick
    QCOMPARE(model.staleCount(), 1);
}

void TestQuoteModel::stagedTicksDoNotLeakIntoTheView()
{
    // Ticks edit the staged row in place; the row the view shows must stay as it was until the
    // flush announces the change.
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, 99, 101, at(1));
    model.flush();
    model.applyTick(QStringLiteral("AAPL"), 105, 104, 106, at(2));
    model.applyTick(QStringLiteral("AAPL"), 106, qQNaN(), qQNaN(), at(3));
    QCOMPARE(model.lastPrice(QStringLiteral("AAPL")).toDouble(), 100.0);
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::BidRole).toDouble(), 99.0);
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>{100});
    model.flush();
    QCOMPARE(model.lastPrice(QStringLiteral("AAPL")).toDouble(), 106.0);
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::BidRole).toDouble(), 104.0);
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>({100, 105, 106}));
    // A removal staged after ticks wins; the ticks leave nothing behind.
    model.applyTick(QStringLiteral("AAPL"), 107, qQNaN(), qQNaN(), at(4));
    model.remove(QStringLiteral("AAPL"), at(5));
    model.flush();
    QCOMPARE(model.count(), 0);
    model.applyTick(QStringLiteral("AAPL"), 1, qQNaN(), qQNaN(), at(6));
    model.flush();
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>{1});
    QCOMPARE(model.change(QStringLiteral("AAPL")).toDouble(), 0.0); // a fresh reference
}

void TestQuoteModel::sameTickPriceNamesOnlyWhatMoved()
{
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, 99, 101, at(1));
    model.flush();
    ModelLog log(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, 99.5, qQNaN(), at(2));
    model.flush();
    QCOMPARE(log.changes.size(), 1);
    QList<int> roles = log.changes.first().roles;
    std::sort(roles.begin(), roles.end());
    QCOMPARE(roles, QList<int>({QuoteModel::BidRole, QuoteModel::UpdatedAtRole, QuoteModel::HistoryRole}));
}

void TestQuoteModel::broadcastPayload()
{
    QuoteModel model;
    tf::test::watch(&model);
    // The simulator's price-update payload.
    QVERIFY(model.applyTick(QJsonObject{{QStringLiteral("symbol"), QStringLiteral("AAPL")},
                                        {QStringLiteral("price"), 101.23},
                                        {QStringLiteral("bid"), 101.22},
                                        {QStringLiteral("ask"), 101.24},
                                        {QStringLiteral("ts"), QStringLiteral("2026-08-21T10:15:30.123Z")}}));
    model.flush();
    QCOMPARE(model.lastPrice(QStringLiteral("AAPL")).toDouble(), 101.23);
    QCOMPARE(model.valueForKey(QStringLiteral("AAPL"), QuoteModel::UpdatedAtRole).toDateTime(),
             QDateTime(QDate(2026, 8, 21), QTime(10, 15, 30, 123), QTimeZone::utc()));
    QVERIFY(!model.applyTick(QJsonObject{{QStringLiteral("symbol"), QStringLiteral("AAPL")},
                                         {QStringLiteral("price"), 99},
                                         {QStringLiteral("ts"), QStringLiteral("2026-08-21T10:15:30.122Z")}}));
}

void TestQuoteModel::badTicksLeaveModelIntact()
{
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, qQNaN(), qQNaN(), at(1));
    model.flush();
    ModelLog log(&model);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QuoteModel skipped")));
    QVERIFY(!model.applyTick(QString(), 10));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QuoteModel skipped")));
    QVERIFY(!model.applyTick(QStringLiteral("AAPL"), qInf()));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QuoteModel skipped")));
    QVERIFY(!model.applyTick(QJsonObject{{QStringLiteral("price"), 5}}));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QuoteModel skipped")));
    QVERIFY(!model.applyTick(QJsonObject{{QStringLiteral("symbol"), QStringLiteral("AAPL")},
                                         {QStringLiteral("price"), QStringLiteral("cheap")}}));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QuoteModel skipped")));
    QVERIFY(!model.applyTick(QJsonObject{{QStringLiteral("symbol"), QStringLiteral("AAPL")},
                                         {QStringLiteral("price"), 5},
                                         {QStringLiteral("ts"), 17}}));
    model.flush();
    QVERIFY(log.changes.isEmpty() && log.inserted.isEmpty());
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.rejectedCount(), 5);
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>{100});
}

void TestQuoteModel::tableRowsAndReconcile()
{
    QuoteModel model;
    tf::test::watch(&model);
    model.applyTick(QStringLiteral("AAPL"), 100, qQNaN(), qQNaN(), at(1));
    model.applyTick(QStringLiteral("MSFT"), 200, qQNaN(), qQNaN(), at(1));
    model.flush();
    ModelLog log(&model);
    model.reconcile(QList<QJsonObject>{
        QJsonObject{{QStringLiteral("symbol"), QStringLiteral("AAPL")}, {QStringLiteral("last"), 100},
                    {QStringLiteral("updated_at"), tf::test::stamp(1)}}});
    QCOMPARE(model.count(), 1);
    QCOMPARE(log.removed, QList<Range>({{1, 1}}));
    QVERIFY(log.changes.isEmpty()); // same price, same time: AAPL untouched
    QCOMPARE(history(model, QStringLiteral("AAPL")), QList<qreal>{100});
}

QTEST_GUILESS_MAIN(TestQuoteModel)
#include "tst_quotemodel.moc"
