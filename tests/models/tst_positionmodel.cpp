// PositionModel: P&L math, prices from a QuoteModel applied once per flush, totals and their
// signals, flash directions and serials, ordering, deletes by primary key and bad input.

#include "modeltest.h"
#include "positionmodel.h"
#include "quotemodel.h"

#include <QSignalSpy>
#include <QTest>

using tf::PositionModel;
using tf::QuoteModel;
using tf::test::at;
using tf::test::ModelLog;

namespace {
QJsonObject position(int id, const QString &symbol, double qty, double avg, double realized = 0, int version = 1)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("user_id"), QStringLiteral("1b0c1f3e-0000-4000-8000-000000000001")},
                       {QStringLiteral("symbol"), symbol},
                       {QStringLiteral("qty"), qty},
                       {QStringLiteral("avg_price"), avg},
                       {QStringLiteral("realized_pnl"), realized},
                       {QStringLiteral("updated_at"), tf::test::stamp(version)}};
}

double number(const PositionModel &model, int id, int role)
{
    return model.valueForKey(QString::number(id), role).toDouble();
}

QList<int> sorted(QList<int> roles)
{
    std::sort(roles.begin(), roles.end());
    return roles;
}

// Both models under the tester, wired like the app will wire them.
struct Desk
{
    Desk()
    {
        tf::test::watch(&quotes);
        tf::test::watch(&positions);
        positions.setQuoteSource(&quotes);
    }
    void tick(const QString &symbol, double price)
    {
        quotes.applyTick(symbol, price, qQNaN(), qQNaN(), at(++clock));
    }
    void flush()
    {
        quotes.flush();
        positions.flush();
    }
    QuoteModel quotes;
    PositionModel positions;
    int clock = 0;
};
} // namespace

class TestPositionModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roleNames();
    void pnlMath();
    void totalsAndTheirSignals();
    void totalsMoveOncePerFlushNotPerTick();
    void quoteTouchesOnlyItsPositions();
    void quoteRolesAreExactlyTheDerivedOnes();
    void flashDirectionsAndSerials();
    void serverUpdateKeepsTheQuotePrice();
    void lastPriceFromTheRowWithoutQuotes();
    void noPriceAtAll();
    void sourceSetLaterAndDestroyed();
    void orderedBySymbolAndDeletedById();
    void manyUpdatesOneDataChanged();
    void badInputLeavesModelIntact();
};

void TestPositionModel::roleNames()
{
    PositionModel model;
    tf::test::watch(&model);
    const QHash<int, QByteArray> names = model.roleNames();
    QCOMPARE(names.value(PositionModel::SymbolRole), QByteArray("symbol"));
    QCOMPARE(names.value(PositionModel::QtyRole), QByteArray("qty"));
    QCOMPARE(names.value(PositionModel::AvgPriceRole), QByteArray("avgPrice"));
    QCOMPARE(names.value(PositionModel::LastPriceRole), QByteArray("lastPrice"));
    QCOMPARE(names.value(PositionModel::ChangeRole), QByteArray("change"));
    QCOMPARE(names.value(PositionModel::UnrealizedPnlRole), QByteArray("unrealizedPnl"));
    QCOMPARE(names.value(PositionModel::RealizedPnlRole), QByteArray("realizedPnl"));
    QCOMPARE(names.value(PositionModel::UpdatedAtRole), QByteArray("updatedAt"));
    QCOMPARE(names.value(PositionModel::DirectionsRole), QByteArray("directions"));
    QCOMPARE(names.value(PositionModel::ChangeSerialsRole), QByteArray("changeSerials"));
    QCOMPARE(names.size(), 10);
}

void TestPositionModel::pnlMath()
{
    Desk desk;
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100, 5));
    desk.positions.upsert(position(2, QStringLiteral("TSLA"), -5, 50, -2));
    desk.tick(QStringLiteral("AAPL"), 108);
    desk.tick(QStringLiteral("AAPL"), 112);
    desk.tick(QStringLiteral("TSLA"), 40);
    desk.flush();

    QCOMPARE(number(desk.positions, 1, PositionModel::LastPriceRole), 112.0);
    QCOMPARE(number(desk.positions, 1, PositionModel::ChangeRole), 4.0); // vs first price seen, 108
    QCOMPARE(number(desk.positions, 1, PositionModel::UnrealizedPnlRole), 120.0); // 10 × (112 − 100)
    QCOMPARE(number(desk.positions, 1, PositionModel::RealizedPnlRole), 5.0);
    QCOMPARE(number(desk.positions, 2, PositionModel::UnrealizedPnlRole), 50.0); // short: −5 × (40 − 50)
    QCOMPARE(desk.positions.valueForKey(QStringLiteral("1"), PositionModel::UpdatedAtRole).toDateTime(), at(1));
}

void TestPositionModel::totalsAndTheirSignals()
{
    Desk desk;
    QSignalSpy exposure(&desk.positions, &PositionModel::totalExposureChanged);
    QSignalSpy realized(&desk.positions, &PositionModel::totalRealizedPnlChanged);
    QSignalSpy unrealized(&desk.positions, &PositionModel::totalUnrealizedPnlChanged);
    QSignalSpy total(&desk.positions, &PositionModel::totalPnlChanged);

    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100, 5));
    desk.positions.upsert(position(2, QStringLiteral("TSLA"), -5, 50, -2));
    desk.tick(QStringLiteral("AAPL"), 110);
    desk.tick(QStringLiteral("TSLA"), 40);
    desk.flush();
    QCOMPARE(desk.positions.totalExposure(), 1100.0 + 200.0);
    QCOMPARE(desk.positions.totalRealizedPnl(), 3.0);
    QCOMPARE(desk.positions.totalUnrealizedPnl(), 100.0 + 50.0);
    QCOMPARE(desk.positions.totalPnl(), 153.0);
    QCOMPARE(desk.positions.property("totalPnl").toDouble(), 153.0);
    QCOMPARE(exposure.count(), 1);
    QCOMPARE(realized.count(), 1);
    QCOMPARE(unrealized.count(), 1);
    QCOMPARE(total.count(), 1);

    // A price move changes exposure and unrealized, not realized.
    desk.tick(QStringLiteral("AAPL"), 111);
    desk.flush();
    QCOMPARE(desk.positions.totalUnrealizedPnl(), 160.0);
    QCOMPARE(exposure.count(), 2);
    QCOMPARE(realized.count(), 1);
    QCOMPARE(unrealized.count(), 2);
    QCOMPARE(total.count(), 2);

    // Nothing moved: no signal.
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100, 5));
    desk.flush();
    QCOMPARE(exposure.count() + realized.count() + unrealized.count() + total.count(), 7);

    // A closing trade: realized changes, totals follow; removing a row is counted too.
    desk.positions.upsert(position(2, QStringLiteral("TSLA"), 0, 0, 48, 2));
    desk.flush();
    QCOMPARE(desk.positions.totalRealizedPnl(), 53.0);
    QCOMPARE(desk.positions.totalExposure(), 1110.0);
    desk.positions.remove(QStringLiteral("1"), at(5));
    desk.flush();
    QCOMPARE(desk.positions.totalExposure(), 0.0);
    QCOMPARE(desk.positions.totalPnl(), 48.0);

    desk.positions.clear();
    QCOMPARE(desk.positions.totalPnl(), 0.0);
}

void TestPositionModel::totalsMoveOncePerFlushNotPerTick()
{
    Desk desk;
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100));
    desk.flush();
    QSignalSpy unrealized(&desk.positions, &PositionModel::totalUnrealizedPnlChanged);
    ModelLog log(&desk.positions);
    for (int i = 0; i < 1000; ++i)
        desk.tick(QStringLiteral("AAPL"), 100 + i % 13);
    QCOMPARE(unrealized.count(), 0);
    desk.flush();
    QCOMPARE(unrealized.count(), 1);
    QCOMPARE(log.changes.size(), 1);
    QCOMPARE(desk.positions.totalUnrealizedPnl(), 10.0 * (999 % 13));
}

void TestPositionModel::quoteTouchesOnlyItsPositions()
{
    Desk desk;
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 1, 100));
    desk.positions.upsert(position(2, QStringLiteral("MSFT"), 1, 100));
    desk.positions.upsert(position(3, QStringLiteral("TSLA"), 1, 100));
    desk.tick(QStringLiteral("AAPL"), 100);
    desk.tick(QStringLiteral("MSFT"), 100);
    desk.flush();
    ModelLog log(&desk.positions);
    desk.tick(QStringLiteral("MSFT"), 101);
    desk.tick(QStringLiteral("NVDA"), 500); // a quote nobody holds
    desk.flush();
    QCOMPARE(log.changedKeys(), QStringList{QStringLiteral("MSFT")});
}

void TestPositionModel::quoteRolesAreExactlyTheDerivedOnes()
{
    Desk desk;
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100));
    desk.tick(QStringLiteral("AAPL"), 100);
    desk.flush();
    ModelLog log(&desk.positions);
    desk.tick(QStringLiteral("AAPL"), 101);
    desk.flush();
    QCOMPARE(log.changes.size(), 1);
    QCOMPARE(sorted(log.changes.first().roles),
             QList<int>({PositionModel::LastPriceRole, PositionModel::ChangeRole, PositionModel::UnrealizedPnlRole,
                         PositionModel::DirectionsRole, PositionModel::ChangeSerialsRole}));
}

void TestPositionModel::flashDirectionsAndSerials()
{
    Desk desk;
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100));
    desk.tick(QStringLiteral("AAPL"), 100);
    desk.flush();
    QVariantMap directions = desk.positions.get(0).value(QStringLiteral("directions")).toMap();
    QVariantMap serials = desk.positions.get(0).value(QStringLiteral("changeSerials")).toMap();
    // Every numeric cell is present from the start, so QML never reads undefined.
    for (const char *cell : {"qty", "avgPrice", "lastPrice", "change", "unrealizedPnl", "realizedPnl"}) {
        QVERIFY2(directions.contains(QLatin1String(cell)), cell);
        QCOMPARE(directions.value(QLatin1String(cell)).toInt(), int(PositionModel::Unchanged));
        QCOMPARE(serials.value(QLatin1String(cell)).toLongLong(), 0);
    }
    // Names match roleNames(), so `model.directions[column.role]` works.
    const QHash<int, QByteArray> names = desk.positions.roleNames();
    for (auto it = directions.cbegin(); it != directions.cend(); ++it)
        QVERIFY(names.values().contains(it.key().toUtf8()));

    desk.tick(QStringLiteral("AAPL"), 103);
    desk.flush();
    directions = desk.positions.get(0).value(QStringLiteral("directions")).toMap();
    serials = desk.positions.get(0).value(QStringLiteral("changeSerials")).toMap();
    QCOMPARE(directions.value(QStringLiteral("lastPrice")).toInt(), int(PositionModel::Up));
    QCOMPARE(directions.value(QStringLiteral("unrealizedPnl")).toInt(), int(PositionModel::Up));
    QCOMPARE(directions.value(QStringLiteral("qty")).toInt(), int(PositionModel::Unchanged));
    const qint64 priceSerial = serials.value(QStringLiteral("lastPrice")).toLongLong();
    QVERIFY(priceSerial > 0);

    // The quantity moves, the price does not: only qty (and P&L) flash; the price keeps its serial.
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 5, 100, 0, 2));
    desk.flush();
    directions = desk.positions.get(0).value(QStringLiteral("directions")).toMap();
    serials = desk.positions.get(0).value(QStringLiteral("changeSerials")).toMap();
    QCOMPARE(directions.value(QStringLiteral("qty")).toInt(), int(PositionModel::Down));
    QCOMPARE(directions.value(QStringLiteral("unrealizedPnl")).toInt(), int(PositionModel::Down));
    QCOMPARE(directions.value(QStringLiteral("lastPrice")).toInt(), int(PositionModel::Up)); // sticky
    QCOMPARE(serials.value(QStringLiteral("lastPrice")).toLongLong(), priceSerial);
    QVERIFY(serials.value(QStringLiteral("qty")).toLongLong() > priceSerial);

    desk.tick(QStringLiteral("AAPL"), 90);
    desk.flush();
    directions = desk.positions.get(0).value(QStringLiteral("directions")).toMap();
    QCOMPARE(directions.value(QStringLiteral("lastPrice")).toInt(), int(PositionModel::Down));
}

void TestPositionModel::serverUpdateKeepsTheQuotePrice()
{
    Desk desk;
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100));
    desk.tick(QStringLiteral("AAPL"), 120);
    desk.flush();
    ModelLog log(&desk.positions);
    desk.positions.upsert(position(1, QStringLiteral("AAPL"), 20, 110, 0, 2)); // a fill: no last_price in the row
    desk.flush();
    QCOMPARE(number(desk.positions, 1, PositionModel::LastPriceRole), 120.0);
    QCOMPARE(number(desk.positions, 1, PositionModel::UnrealizedPnlRole), 200.0);
    QCOMPARE(log.changes.size(), 1);
    QVERIFY(!log.changes.first().roles.contains(PositionModel::LastPriceRole));
}

void TestPositionModel::lastPriceFromTheRowWithoutQuotes()
{
    PositionModel model;
    tf::test::watch(&model);
    QJsonObject row = position(1, QStringLiteral("AAPL"), 10, 100);
    row.insert(QStringLiteral("last_price"), 105);
    model.upsert(row);
    model.flush();
    QCOMPARE(number(model, 1, PositionModel::LastPriceRole), 105.0);
    QCOMPARE(number(model, 1, PositionModel::UnrealizedPnlRole), 50.0);
    QCOMPARE(model.totalExposure(), 1050.0);
}

void TestPositionModel::noPriceAtAll()
{
    PositionModel model;
    tf::test::watch(&model);
    model.upsert(position(1, QStringLiteral("AAPL"), -10, 100, 7));
    model.flush();
    QVERIFY(!model.valueForKey(QStringLiteral("1"), PositionModel::LastPriceRole).isValid());
    QVERIFY(!model.valueForKey(QStringLiteral("1"), PositionModel::UnrealizedPnlRole).isValid());
    QCOMPARE(model.totalExposure(), 1000.0); // at cost until a price arrives
    QCOMPARE(model.totalPnl(), 7.0);
}

void TestPositionModel::sourceSetLaterAndDestroyed()
{
    PositionModel positions;
    tf::test::watch(&positions);
    positions.upsert(position(1, QStringLiteral("AAPL"), 10, 100));
    positions.flush();
    {
        QuoteModel quotes;
        tf::test::watch(&quotes);
        quotes.applyTick(QStringLiteral("AAPL"), 110, qQNaN(), qQNaN(), at(1));
        quotes.flush();
        QSignalSpy sourceChanged(&positions, &PositionModel::quoteSourceChanged);
        positions.setQuoteSource(&quotes); // quotes that exist already are taken at once
        QCOMPARE(sourceChanged.count(), 1);
        QCOMPARE(positions.property("quoteSource").value<QuoteModel *>(), &quotes);
        positions.flush();
        QCOMPARE(number(positions, 1, PositionModel::LastPriceRole), 110.0);
    }
    QCOMPARE(positions.quoteSource(), nullptr);
    positions.upsert(position(1, QStringLiteral("AAPL"), 11, 100, 0, 2));
    positions.flush();
    QCOMPARE(number(positions, 1, PositionModel::LastPriceRole), 110.0); // last known price stays
    QCOMPARE(number(positions, 1, PositionModel::UnrealizedPnlRole), 110.0);
}

void TestPositionModel::orderedBySymbolAndDeletedById()
{
    Desk desk;
    desk.positions.upsert(position(3, QStringLiteral("TSLA"), 1, 1));
    desk.positions.upsert(position(1, QStringLiteral("MSFT"), 1, 1));
    desk.positions.upsert(position(2, QStringLiteral("AAPL"), 1, 1));
    desk.flush();
    QCOMPARE(tf::test::column(desk.positions, PositionModel::SymbolRole),
             QStringList({QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("TSLA")}));
    for (int i = 0; i < 20; ++i)
        desk.tick(QStringLiteral("MSFT"), 10 + i);
    desk.flush();
    QCOMPARE(tf::test::column(desk.positions, PositionModel::SymbolRole),
             QStringList({QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("TSLA")}));

    // A postgres_changes DELETE under RLS carries only the primary key.
    QVERIFY(desk.positions.removeRecord(QJsonObject{{QStringLiteral("id"), 1}}, at(10)));
    desk.flush();
    QCOMPARE(tf::test::column(desk.positions, PositionModel::SymbolRole),
             QStringList({QStringLiteral("AAPL"), QStringLiteral("TSLA")}));
}

void TestPositionModel::manyUpdatesOneDataChanged()
{
    PositionModel model;
    tf::test::watch(&model);
    model.upsert(position(1, QStringLiteral("AAPL"), 1, 100, 0, 1));
    model.flush();
    ModelLog log(&model);
    for (int v = 2; v < 200; ++v)
        model.upsert(position(1, QStringLiteral("AAPL"), v, 100, 0, v));
    model.flush();
    QCOMPARE(log.changes.size(), 1);
    QCOMPARE(sorted(log.changes.first().roles),
             QList<int>({PositionModel::QtyRole, PositionModel::UpdatedAtRole, PositionModel::DirectionsRole,
                         PositionModel::ChangeSerialsRole}));
}

void TestPositionModel::badInputLeavesModelIntact()
{
    PositionModel model;
    tf::test::watch(&model);
    model.upsert(position(1, QStringLiteral("AAPL"), 10, 100));
    model.flush();
    ModelLog log(&model);
    QJsonObject noQty = position(1, QStringLiteral("AAPL"), 10, 100, 0, 2);
    noQty.remove(QStringLiteral("qty"));
    QJsonObject textAvg = position(1, QStringLiteral("AAPL"), 10, 100, 0, 2);
    textAvg.insert(QStringLiteral("avg_price"), QStringLiteral("abc"));
    QJsonObject noId = position(1, QStringLiteral("AAPL"), 10, 100, 0, 2);
    noId.remove(QStringLiteral("id"));
    QJsonObject objectSymbol = position(1, QStringLiteral("AAPL"), 10, 100, 0, 2);
    objectSymbol.insert(QStringLiteral("symbol"), QJsonObject());
    for (const QJsonObject &bad : {noQty, textAvg, noId, objectSymbol}) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PositionModel skipped")));
        QVERIFY(!model.upsert(bad));
    }
    model.flush();
    QVERIFY(log.changes.isEmpty());
    QCOMPARE(number(model, 1, PositionModel::QtyRole), 10.0);
    QCOMPARE(model.rejectedCount(), 4);
}

QTEST_GUILESS_MAIN(TestPositionModel)
#include "tst_positionmodel.moc"
