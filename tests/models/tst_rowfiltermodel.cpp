// RowFilterModel: symbol text, side and P&L-sign filters, sorting by role name for header clicks,
// live re-filtering and re-sorting as the source updates; source and proxy both under the tester.

#include "modeltest.h"
#include "positionmodel.h"
#include "quotemodel.h"
#include "rowfiltermodel.h"
#include "trademodel.h"

#include <QSignalSpy>
#include <QTest>

using tf::PositionModel;
using tf::QuoteModel;
using tf::RowFilterModel;
using tf::TradeModel;

namespace {
QJsonObject trade(int id, const QString &symbol, const QString &side, double price)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("symbol"), symbol},
                       {QStringLiteral("side"), side},
                       {QStringLiteral("qty"), 1},
                       {QStringLiteral("price"), price},
                       {QStringLiteral("executed_at"), tf::test::stamp(id)}};
}

QJsonObject position(int id, const QString &symbol, double qty, double avg)
{
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("symbol"), symbol},
                       {QStringLiteral("qty"), qty}, {QStringLiteral("avg_price"), avg},
                       {QStringLiteral("updated_at"), tf::test::stamp(1)}};
}

QStringList proxyColumn(const RowFilterModel &proxy, const char *roleName)
{
    QStringList values;
    for (int r = 0; r < proxy.rowCount(); ++r)
        values.append(proxy.get(r).value(QLatin1String(roleName)).toString());
    return values;
}

// A blotter of five trades (newest first: 5..1) behind a watched proxy.
struct Blotter
{
    Blotter()
    {
        tf::test::watch(&trades);
        tf::test::watch(&proxy);
        trades.upsert(trade(1, QStringLiteral("AAPL"), QStringLiteral("buy"), 190));
        trades.upsert(trade(2, QStringLiteral("MSFT"), QStringLiteral("sell"), 410));
        trades.upsert(trade(3, QStringLiteral("TSLA"), QStringLiteral("buy"), 250));
        trades.upsert(trade(4, QStringLiteral("aapl.mx"), QStringLiteral("sell"), 3300));
        trades.upsert(trade(5, QStringLiteral("NVDA"), QStringLiteral("buy"), 120));
        trades.flush();
        proxy.setSourceModel(&trades);
    }
    TradeModel trades;
    RowFilterModel proxy;
};
} // namespace

class TestRowFilterModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filterTextIsCaseInsensitiveSubstring();
    void sideFilter();
    void filtersCombineAndFollowUpdates();
    void pnlSignFilterFollowsQuotes();
    void sortByRoleName();
    void toggleSortForHeaderClicks();
    void sortStaysLiveUnderUpdates();
    void sourceMovesPassThrough();
    void propertiesSetBeforeTheSource();
};

void TestRowFilterModel::filterTextIsCaseInsensitiveSubstring()
{
    Blotter b;
    QCOMPARE(b.proxy.count(), 5);
    QSignalSpy count(&b.proxy, &RowFilterModel::countChanged);
    QSignalSpy text(&b.proxy, &RowFilterModel::filterTextChanged);
    b.proxy.setFilterText(QStringLiteral("aaP"));
    QCOMPARE(proxyColumn(b.proxy, "symbol"), QStringList({QStringLiteral("aapl.mx"), QStringLiteral("AAPL")}));
    QCOMPARE(b.proxy.property("count").toInt(), 2);
    QCOMPARE(count.count(), 1);
    QCOMPARE(text.count(), 1);
    b.proxy.setFilterText(QStringLiteral("aaP"));
    QCOMPARE(text.count(), 1); // no change, no signal
    b.proxy.setFilterText(QStringLiteral("zzz"));
    QCOMPARE(b.proxy.count(), 0);
    b.proxy.setFilterText(QString());
    QCOMPARE(b.proxy.count(), 5);
}

void TestRowFilterModel::sideFilter()
{
    Blotter b;
    b.proxy.setSideFilter(RowFilterModel::BuysOnly);
    QCOMPARE(proxyColumn(b.proxy, "tradeId"), QStringList({QStringLiteral("5"), QStringLiteral("3"), QStringLiteral("1")}));
    b.proxy.setSideFilter(RowFilterModel::SellsOnly);
    QCOMPARE(proxyColumn(b.proxy, "tradeId"), QStringList({QStringLiteral("4"), QStringLiteral("2")}));
    b.proxy.setSideFilter(RowFilterModel::AllSides);
    QCOMPARE(b.proxy.count(), 5);
}

void TestRowFilterModel::filtersCombineAndFollowUpdates()
{
    Blotter b;
    b.proxy.setFilterText(QStringLiteral("aapl"));
    b.proxy.setSideFilter(RowFilterModel::BuysOnly);
    QCOMPARE(proxyColumn(b.proxy, "tradeId"), QStringList{QStringLiteral("1")});
    // New source rows pass through the same filters.
    b.trades.upsert(trade(6, QStringLiteral("AAPL"), QStringLiteral("buy"), 191));
    b.trades.upsert(trade(7, QStringLiteral("AAPL"), QStringLiteral("sell"), 192));
    b.trades.flush();
    QCOMPARE(proxyColumn(b.proxy, "tradeId"), QStringList({QStringLiteral("6"), QStringLiteral("1")}));
    QCOMPARE(b.proxy.sourceRow(0), b.trades.indexOfKey(QStringLiteral("6")));
    QCOMPARE(b.proxy.sourceRow(5), -1);
    QVERIFY(b.proxy.get(9).isEmpty());
}

void TestRowFilterModel::pnlSignFilterFollowsQuotes()
{
    QuoteModel quotes;
    PositionModel positions;
    RowFilterModel winners;
    RowFilterModel losers;
    tf::test::watch(&quotes);
    tf::test::watch(&positions);
    tf::test::watch(&winners);
    tf::test::watch(&losers);
    positions.setQuoteSource(&quotes);
    positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100));
    positions.upsert(position(2, QStringLiteral("MSFT"), -10, 100));
    positions.upsert(position(3, QStringLiteral("TSLA"), 10, 100)); // no price: neither
    quotes.applyTick(QStringLiteral("AAPL"), 110, qQNaN(), qQNaN(), tf::test::at(1));
    quotes.applyTick(QStringLiteral("MSFT"), 110, qQNaN(), qQNaN(), tf::test::at(1));
    quotes.flush();
    positions.flush();
    winners.setSourceModel(&positions);
    winners.setPnlFilter(RowFilterModel::Winners);
    losers.setSourceModel(&positions);
    losers.setPnlFilter(RowFilterModel::Losers);
    QCOMPARE(proxyColumn(winners, "symbol"), QStringList{QStringLiteral("AAPL")});
    QCOMPARE(proxyColumn(losers, "symbol"), QStringList{QStringLiteral("MSFT")});

    // MSFT falls below the short's entry: it becomes a winner, live.
    quotes.applyTick(QStringLiteral("MSFT"), 90, qQNaN(), qQNaN(), tf::test::at(2));
    quotes.flush();
    positions.flush();
    QCOMPARE(proxyColumn(winners, "symbol"), QStringList({QStringLiteral("AAPL"), QStringLiteral("MSFT")}));
    QCOMPARE(losers.count(), 0);

    // Positions have no side: the side filter does not hide them.
    winners.setSideFilter(RowFilterModel::SellsOnly);
    QCOMPARE(winners.count(), 2);
}

void TestRowFilterModel::sortByRoleName()
{
    Blotter b;
    QSignalSpy role(&b.proxy, &RowFilterModel::sortRoleNameChanged);
    b.proxy.setSortRoleName(QStringLiteral("price"));
    QCOMPARE(role.count(), 1);
    QCOMPARE(proxyColumn(b.proxy, "price"), QStringList({QStringLiteral("120"), QStringLiteral("190"), QStringLiteral("250"),
                                                         QStringLiteral("410"), QStringLiteral("3300")}));
    b.proxy.setSortOrder(Qt::DescendingOrder);
    QCOMPARE(proxyColumn(b.proxy, "price").first(), QStringLiteral("3300"));
    b.proxy.setSortRoleName(QStringLiteral("symbol")); // text, case-insensitive
    QCOMPARE(proxyColumn(b.proxy, "symbol"), QStringList({QStringLiteral("TSLA"), QStringLiteral("NVDA"), QStringLiteral("MSFT"),
                                                          QStringLiteral("aapl.mx"), QStringLiteral("AAPL")}));
    b.proxy.setSortRoleName(QString()); // the source's own order: newest first
    QCOMPARE(proxyColumn(b.proxy, "tradeId"), QStringList({QStringLiteral("5"), QStringLiteral("4"), QStringLiteral("3"),
                                                           QStringLiteral("2"), QStringLiteral("1")}));
    b.proxy.setSortRoleName(QStringLiteral("noSuchRole"));
    QCOMPARE(proxyColumn(b.proxy, "tradeId").first(), QStringLiteral("5"));
}

void TestRowFilterModel::toggleSortForHeaderClicks()
{
    Blotter b;
    b.proxy.toggleSort(QStringLiteral("price"));
    QCOMPARE(b.proxy.sortOrder(), Qt::AscendingOrder);
    QCOMPARE(proxyColumn(b.proxy, "price").first(), QStringLiteral("120"));
    b.proxy.toggleSort(QStringLiteral("price"));
    QCOMPARE(b.proxy.sortOrder(), Qt::DescendingOrder);
    QCOMPARE(proxyColumn(b.proxy, "price").first(), QStringLiteral("3300"));
    b.proxy.toggleSort(QStringLiteral("qty"));
    QCOMPARE(b.proxy.sortRoleName(), QStringLiteral("qty"));
    QCOMPARE(b.proxy.sortOrder(), Qt::AscendingOrder);
}

void TestRowFilterModel::sortStaysLiveUnderUpdates()
{
    QuoteModel quotes;
    RowFilterModel byChange;
    tf::test::watch(&quotes);
    tf::test::watch(&byChange);
    for (const char *symbol : {"AAPL", "MSFT", "TSLA"})
        quotes.applyTick(QLatin1String(symbol), 100, qQNaN(), qQNaN(), tf::test::at(1));
    quotes.flush();
    byChange.setSourceModel(&quotes);
    byChange.setSortRoleName(QStringLiteral("changePercent"));
    byChange.setSortOrder(Qt::DescendingOrder);
    quotes.applyTick(QStringLiteral("TSLA"), 105, qQNaN(), qQNaN(), tf::test::at(2));
    quotes.applyTick(QStringLiteral("AAPL"), 95, qQNaN(), qQNaN(), tf::test::at(2));
    quotes.flush();
    QCOMPARE(proxyColumn(byChange, "symbol"), QStringList({QStringLiteral("TSLA"), QStringLiteral("MSFT"), QStringLiteral("AAPL")}));
    quotes.applyTick(QStringLiteral("AAPL"), 120, qQNaN(), qQNaN(), tf::test::at(3));
    quotes.flush();
    QCOMPARE(proxyColumn(byChange, "symbol").first(), QStringLiteral("AAPL"));
}

void TestRowFilterModel::sourceMovesPassThrough()
{
    Blotter b; // newest first: 5 4 3 2 1
    RowFilterModel buys;
    tf::test::watch(&buys);
    buys.setSourceModel(&b.trades);
    buys.setSideFilter(RowFilterModel::BuysOnly);
    QSignalSpy moved(&b.trades, &QAbstractItemModel::rowsMoved);
    // A corrected execution time moves trade 1 to the top of the source.
    QJsonObject corrected = trade(1, QStringLiteral("AAPL"), QStringLiteral("buy"), 190);
    corrected.insert(QStringLiteral("executed_at"), tf::test::stamp(99));
    QVERIFY(b.trades.upsert(corrected, tf::test::at(99)));
    b.trades.flush();
    QCOMPARE(moved.count(), 1);
    QCOMPARE(proxyColumn(b.proxy, "tradeId"), QStringList({QStringLiteral("1"), QStringLiteral("5"), QStringLiteral("4"),
                                                           QStringLiteral("3"), QStringLiteral("2")}));
    QCOMPARE(proxyColumn(buys, "tradeId"), QStringList({QStringLiteral("1"), QStringLiteral("5"), QStringLiteral("3")}));
}

void TestRowFilterModel::propertiesSetBeforeTheSource()
{
    // QML sets properties in any order; the source may come last.
    TradeModel trades;
    RowFilterModel proxy;
    tf::test::watch(&trades);
    tf::test::watch(&proxy);
    proxy.setFilterText(QStringLiteral("a"));
    proxy.setSortRoleName(QStringLiteral("price"));
    trades.upsert(trade(1, QStringLiteral("TSLA"), QStringLiteral("buy"), 250));
    trades.upsert(trade(2, QStringLiteral("AAPL"), QStringLiteral("buy"), 190));
    trades.upsert(trade(3, QStringLiteral("MSFT"), QStringLiteral("buy"), 410));
    trades.flush();
    proxy.setSourceModel(&trades);
    QCOMPARE(proxyColumn(proxy, "symbol"), QStringList({QStringLiteral("AAPL"), QStringLiteral("TSLA")}));
    QCOMPARE(proxy.count(), 2);
}

QTEST_GUILESS_MAIN(TestRowFilterModel)
#include "tst_rowfiltermodel.moc"
