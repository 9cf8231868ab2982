// The matching engine over a real store and market: market and limit fills, crossing,
// rejections, cancels, partial fills and position arithmetic.
#include "marketsimulator.h"
#include "matchingengine.h"
#include "rowstore.h"
#include "tradingschema.h"

#include <QSignalSpy>
#include <QTest>

using namespace tf::sim;
using namespace Qt::StringLiterals;

namespace {
const QString Me = u"11111111-1111-4111-8111-111111111111"_s;
}

class TestSimMatching : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RowStore> m_store;
    std::unique_ptr<MarketSimulator> m_market;
    std::unique_ptr<MatchingEngine> m_engine;

    qint64 place(const QJsonObject &fields)
    {
        QJsonObject row{{u"user_id"_s, Me}, {u"symbol"_s, u"AAPL"_s}, {u"side"_s, u"buy"_s}, {u"qty"_s, 10}};
        for (auto it = fields.begin(); it != fields.end(); ++it)
            row.insert(it.key(), it.value());
        const WriteResult result = m_store->insertRow(TradingSchema::Orders, row);
        if (!result.ok())
            qFatal("insert failed");
        m_engine->processPending();
        return result.rows.first().value(u"id"_s).toInteger();
    }
    QJsonObject orderRow(qint64 id) { return *m_store->rowByKey(TradingSchema::Orders, id); }
    QJsonObject position(const QString &symbol = u"AAPL"_s)
    {
        const auto rows = m_store->rows(TradingSchema::Positions, [&](const QJsonObject &r) {
            return r.value(u"symbol"_s).toString() == symbol;
        });
        return rows.isEmpty() ? QJsonObject() : rows.first();
    }

private Q_SLOTS:
    void init()
    {
        m_store = std::make_unique<RowStore>();
        TradingSchema::install(*m_store);
        m_market = std::make_unique<MarketSimulator>(MarketSettings{1, 5, 0, 0.002});
        m_engine = std::make_unique<MatchingEngine>(*m_store, *m_market);
        m_market->setPrice(u"AAPL"_s, 100);
    }
    void cleanup()
    {
        m_engine.reset();
        m_market.reset();
        m_store.reset();
    }

    void marketOrderFillsAtOnce()
    {
        QSignalSpy changes(m_store.get(), &RowStore::rowChanged);
        const qint64 id = place({});
        const QJsonObject order = orderRow(id);
        QCOMPARE(order.value(u"status"_s).toString(), u"filled"_s);
        QCOMPARE(order.value(u"filled_qty"_s).toDouble(), 10.0);
        QCOMPARE(order.value(u"avg_fill_price"_s).toDouble(), 100.0);
        const auto trades = m_store->rows(TradingSchema::Trades);
        QCOMPARE(trades.size(), 1);
        QCOMPARE(trades.first().value(u"order_id"_s).toInteger(), id);
        QCOMPARE(trades.first().value(u"price"_s).toDouble(), 100.0);
        QCOMPARE(trades.first().value(u"user_id"_s).toString(), Me);
        QCOMPARE(position().value(u"qty"_s).toDouble(), 10.0);
        QCOMPARE(position().value(u"avg_price"_s).toDouble(), 100.0);

        // Each step is its own change: order INSERT, UPDATE accepted, trade, position, UPDATE filled.
        QStringList steps;
        for (const auto &args : changes) {
            const RowChange c = args.first().value<RowChange>();
            steps.append(c.table + QLatin1Char(':') + changeTypeName(c.type)
                         + (c.table == u"orders" ? QLatin1Char(':') + c.record.value(u"status"_s).toString() : QString()));
        }
        QCOMPARE(steps, (QStringList{u"orders:INSERT:new"_s, u"orders:UPDATE:accepted"_s, u"trades:INSERT"_s,
                                     u"positions:INSERT"_s, u"orders:UPDATE:filled"_s}));
    }

    void limitOrderWaitsForTheCross()
    {
        const qint64 buy = place({{u"type"_s, u"limit"_s}, {u"limit_price"_s, 95}});
        const qint64 sell = place({{u"type"_s, u"limit"_s}, {u"limit_price"_s, 104}, {u"side"_s, u"sell"_s}, {u"qty"_s, 4}});
        QCOMPARE(orderRow(buy).value(u"status"_s).toString(), u"accepted"_s);
        QCOMPARE(orderRow(sell).value(u"status"_s).toString(), u"accepted"_s);

        m_market->setPrice(u"AAPL"_s, 96);
        m_engine->matchWorkingOrders();
        QCOMPARE(orderRow(buy).value(u"status"_s).toString(), u"accepted"_s);

        m_market->setPrice(u"AAPL"_s, 94.5);
        m_engine->matchWorkingOrders();
        QCOMPARE(orderRow(buy).value(u"status"_s).toString(), u"filled"_s);
        QCOMPARE(orderRow(buy).value(u"avg_fill_price"_s).toDouble(), 94.5);
        QCOMPARE(orderRow(sell).value(u"status"_s).toString(), u"accepted"_s);

        // The market's tick runs the same check.
        m_market->setPrice(u"AAPL"_s, 104.5);
        Q_EMIT m_market->ticked(1);
        QCOMPARE(orderRow(sell).value(u"status"_s).toString(), u"filled"_s);
        // Long 10 @ 94.5, sold 4 @ 104.5: realized (104.5 - 94.5) * 4 = 40.
        QCOMPARE(position().value(u"qty"_s).toDouble(), 6.0);
        QCOMPARE(position().value(u"avg_price"_s).toDouble(), 94.5);
        QCOMPARE(position().value(u"realized_pnl"_s).toDouble(), 40.0);
    }

    void marketableLimitFillsImmediately()
    {
        const qint64 id = place({{u"type"_s, u"limit"_s}, {u"limit_price"_s, 101}});
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"filled"_s);
        QCOMPARE(orderRow(id).value(u"avg_fill_price"_s).toDouble(), 100.0);
    }

    void rejections_data()
    {
        QTest::addColumn<QJsonObject>("fields");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unknown symbol") << QJsonObject{{u"symbol"_s, u"NOPE"_s}} << u"unknown symbol: NOPE"_s;
        QTest::newRow("zero qty") << QJsonObject{{u"qty"_s, 0}} << u"quantity must be positive"_s;
        QTest::newRow("negative qty") << QJsonObject{{u"qty"_s, -3}} << u"quantity must be positive"_s;
        QTest::newRow("limit without price") << QJsonObject{{u"type"_s, u"limit"_s}}
                                             << u"limit order needs a positive limit_price"_s;
        QTest::newRow("limit with zero price") << QJsonObject{{u"type"_s, u"limit"_s}, {u"limit_price"_s, 0}}
                                               << u"limit order needs a positive limit_price"_s;
    }

    void rejections()
    {
        QFETCH(QJsonObject, fields);
        QFETCH(QString, reason);
        QSignalSpy updated(m_engine.get(), &MatchingEngine::orderUpdated);
        const qint64 id = place(fields);
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"rejected"_s);
        QCOMPARE(orderRow(id).value(u"reject_reason"_s).toString(), reason);
        QCOMPARE(updated.size(), 1);
        QCOMPARE(updated.first().at(1).toString(), u"rejected"_s);
        QCOMPARE(m_store->rowCount(TradingSchema::Trades), 0);
    }

    void cancelWorkingOrder()
    {
        const qint64 id = place({{u"type"_s, u"limit"_s}, {u"limit_price"_s, 50}});
        m_store->updateByKey(TradingSchema::Orders, id, QJsonObject{{u"status"_s, u"cancel_requested"_s}});
        m_engine->processPending();
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"canceled"_s);
        // A canceled order never fills.
        m_market->setPrice(u"AAPL"_s, 10);
        m_engine->matchWorkingOrders();
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"canceled"_s);
        QCOMPARE(m_store->rowCount(TradingSchema::Trades), 0);
    }

    void cancelOfFilledOrderIsUndone()
    {
        const qint64 id = place({});
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"filled"_s);
        m_store->updateByKey(TradingSchema::Orders, id, QJsonObject{{u"status"_s, u"cancel_requested"_s}});
        m_engine->processPending();
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"filled"_s);
    }

    void cancelBeforeAcceptance()
    {
        QJsonObject row{{u"user_id"_s, Me}, {u"symbol"_s, u"AAPL"_s}, {u"side"_s, u"buy"_s}, {u"qty"_s, 1}};
        const qint64 id = m_store->insertRow(TradingSchema::Orders, row).rows.first().value(u"id"_s).toInteger();
        m_store->updateByKey(TradingSchema::Orders, id, QJsonObject{{u"status"_s, u"cancel_requested"_s}});
        m_engine->processPending();
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"canceled"_s);
        QCOMPARE(m_store->rowCount(TradingSchema::Trades), 0);
    }

    void partialFills()
    {
        m_engine->setSettings(MatchingSettings{4});
        const qint64 id = place({});
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"partially_filled"_s);
        QCOMPARE(orderRow(id).value(u"filled_qty"_s).toDouble(), 4.0);
        m_market->setPrice(u"AAPL"_s, 102);
        m_engine->matchWorkingOrders();
        QCOMPARE(orderRow(id).value(u"filled_qty"_s).toDouble(), 8.0);
        // Volume-weighted average of the fills: (4 * 100 + 4 * 102) / 8.
        QCOMPARE(orderRow(id).value(u"avg_fill_price"_s).toDouble(), 101.0);
        m_engine->matchWorkingOrders();
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"filled"_s);
        QCOMPARE(m_store->rowCount(TradingSchema::Trades), 3);
        QCOMPARE(position().value(u"qty"_s).toDouble(), 10.0);
    }

    void positionFlipsAndCloses()
    {
        place({{u"qty"_s, 10}});                       // long 10 @ 100
        m_market->setPrice(u"AAPL"_s, 110);
        place({{u"qty"_s, 15}, {u"side"_s, u"sell"_s}}); // close 10 (+100), short 5 @ 110
        QCOMPARE(position().value(u"qty"_s).toDouble(), -5.0);
        QCOMPARE(position().value(u"avg_price"_s).toDouble(), 110.0);
        QCOMPARE(position().value(u"realized_pnl"_s).toDouble(), 100.0);
        m_market->setPrice(u"AAPL"_s, 100);
        place({{u"qty"_s, 5}});                        // cover 5 short @ 100: +50
        QCOMPARE(position().value(u"qty"_s).toDouble(), 0.0);
        QCOMPARE(position().value(u"realized_pnl"_s).toDouble(), 150.0);
        QCOMPARE(m_store->rowCount(TradingSchema::Positions), 1);
    }

    void worksFromTheEventLoop()
    {
        QJsonObject row{{u"user_id"_s, Me}, {u"symbol"_s, u"MSFT"_s}, {u"side"_s, u"buy"_s}, {u"qty"_s, 2}};
        const qint64 id = m_store->insertRow(TradingSchema::Orders, row).rows.first().value(u"id"_s).toInteger();
        QCOMPARE(orderRow(id).value(u"status"_s).toString(), u"new"_s); // nothing happens inside the signal
        QTRY_COMPARE_WITH_TIMEOUT(orderRow(id).value(u"status"_s).toString(), u"filled"_s, 5000);
    }
};

QTEST_GUILESS_MAIN(TestSimMatching)
#include "tst_simmatching.moc"
