// The seeded market: same seed, same market; instruments; tick-size rounding.
#include "marketsimulator.h"
#include "rowstore.h"
#include "tradingschema.h"

#include <QSignalSpy>
#include <QTest>

using namespace tf::sim;
using namespace Qt::StringLiterals;

namespace {
QList<double> path(quint32 seed, int ticks, int symbols = 5)
{
    MarketSimulator market(MarketSettings{seed, symbols, 0, 0.002});
    QList<double> prices;
    for (const QString &symbol : market.symbols())
        prices.append(market.quote(symbol).price);
    for (int i = 0; i < ticks; ++i) {
        market.step();
        for (const QString &symbol : market.symbols())
            prices.append(market.quote(symbol).price);
    }
    return prices;
}
}

class TestSimMarket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameMarket()
    {
        const QList<double> a = path(7, 200);
        const QList<double> b = path(7, 200);
        QCOMPARE(a, b);
        QVERIFY(path(8, 200) != a);
        // The walk actually moves.
        QVERIFY(a.first() != a.at(a.size() - 5));
    }

    void instrumentsAndQuotes()
    {
        MarketSimulator market(MarketSettings{1, 25, 0, 0.002});
        QCOMPARE(market.symbols().size(), 25);
        QCOMPARE(market.symbols().first(), u"AAPL"_s);
        QVERIFY(market.hasSymbol(u"MSFT"_s));
        QVERIFY(!market.hasSymbol(u"NOPE"_s));
        MarketSimulator big(MarketSettings{1, 40, 0, 0.002});
        QCOMPARE(big.symbols().last(), u"SIM040"_s);

        QSignalSpy quotes(&market, &MarketSimulator::quoteChanged);
        QSignalSpy ticks(&market, &MarketSimulator::ticked);
        market.step();
        QCOMPARE(quotes.size(), 25);
        QCOMPARE(ticks.size(), 1);
        for (const QString &symbol : market.symbols()) {
            const Quote q = market.quote(symbol);
            QVERIFY(q.price > 0);
            QVERIFY(q.bid < q.price && q.price < q.ask);
            // Prices sit on the 0.01 tick grid.
            QCOMPARE(std::round(q.price * 100) / 100, q.price);
        }
        const QJsonObject payload = market.quote(u"AAPL"_s).toJson();
        for (const auto key : {u"symbol", u"price", u"bid", u"ask", u"ts"})
            QVERIFY(payload.contains(QStringView(key)));
        QVERIFY(payload.value(u"ts"_s).toString().endsWith(u'Z'));
    }

    void pinnedPrice()
    {
        MarketSimulator market(MarketSettings{1, 3, 0, 0.002});
        market.setPrice(u"AAPL"_s, 123.456);
        QCOMPARE(market.quote(u"AAPL"_s).price, 123.46);
        QCOMPARE(roundToTick(10.004, 0.01), 10.0);
        QCOMPARE(roundToTick(10.005001, 0.01), 10.01);
    }

    void fillsTheInstrumentsTable()
    {
        RowStore store;
        TradingSchema::install(store);
        MarketSimulator market(MarketSettings{3, 20, 0, 0.002});
        market.installInstruments(store);
        market.installInstruments(store); // idempotent
        QCOMPARE(store.rowCount(TradingSchema::Instruments), 20);
        const auto aapl = store.rowByKey(TradingSchema::Instruments, u"AAPL"_s);
        QVERIFY(aapl);
        QCOMPARE(aapl->value(u"name"_s).toString(), u"Apple Inc."_s);
        QCOMPARE(aapl->value(u"tick_size"_s).toDouble(), 0.01);
    }

    void tickTimerDrivesSteps()
    {
        MarketSimulator market(MarketSettings{1, 2, 50, 0.002});
        QSignalSpy ticks(&market, &MarketSimulator::ticked);
        market.start();
        QVERIFY(market.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= 3, 5000);
        market.stop();
        QVERIFY(!market.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestSimMarket)
#include "tst_simmarket.moc"
