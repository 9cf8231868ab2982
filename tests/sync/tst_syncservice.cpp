// SyncService end to end against the simulator, for both feed modes: the first snapshot, live
// changes (and other users' changes staying out), the snapshot waiting for "Subscribed to
// PostgreSQL", the reconcile after a reconnect (deletes made while offline, minimal row
// operations, no reset), the catch-up after a token-driven resubscribe, polling when the feed
// cannot join or the socket gave up and the return to live, optimistic orders, quotes and
// presence, switching feeds and accounts.
#include "changefeed.h"
#include "connectionstatus.h"
#include "faultinjector.h"
#include "floorroom.h"
#include "recordreader.h"
#include "rowstore.h"
#include "storemutator.h"
#include "synctestsupport.h"
#include "traderorders.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using tf::ConnectionStatus;
using FeedState = tf::ConnectionStatus::FeedState;

namespace {

int rowsIn(const QSignalSpy &spy)
{
    int rows = 0;
    for (const QList<QVariant> &args : spy)
        rows += args.at(2).toInt() - args.at(1).toInt() + 1;
    return rows;
}

QList<FeedState> statesOf(const QSignalSpy &spy)
{
    QList<FeedState> states;
    for (const QList<QVariant> &args : spy)
        states.append(args.first().value<FeedState>());
    return states;
}

QList<tf::TableSync::Kind> kindsOf(const QSignalSpy &spy)
{
    QList<tf::TableSync::Kind> kinds;
    for (const QList<QVariant> &args : spy)
        kinds.append(args.first().value<tf::TableSync::Kind>());
    return kinds;
}

QString idOf(const QJsonObject &row)
{
    return tf::RecordReader::idText(row.value(QStringLiteral("id")));
}

// Refreshes the session until the access token really changes (tokens are stamped to the second,
// so two refreshes within one second give the same token, which is rightly not pushed again).
bool refreshToANewToken(tf::AuthSession &session)
{
    const QString old = session.accessToken();
    QSignalSpy changed(&session, &tf::AuthSession::accessTokenChanged);
    QElapsedTimer clock;
    clock.start();
    while (session.accessToken() == old && clock.elapsed() < 10000) {
        session.refreshNow(QStringLiteral("test"));
        if (!changed.wait(10000))
            return false;
    }
    return session.accessToken() != old;
}

void addFeedModes()
{
    QTest::addColumn<tf::FeedMode>("mode");
    QTest::newRow("postgres_changes") << tf::FeedMode::PostgresChanges;
    QTest::newRow("broadcast") << tf::FeedMode::DatabaseBroadcast;
}

// A market that stands still and no simulated traders: every model signal comes from the sync.
tf::sim::SimConfig quietSimConfig()
{
    tf::sim::SimConfig config = synctest::fastSimConfig();
    config.tickHz = 0;
    config.simulatedTraders = 0;
    return config;
}

} // namespace

class TestSyncService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<tf::TableSync::Kind>();
        qRegisterMetaType<tf::PostgresChange>();
        QLoggingCategory::setFilterRules(QStringLiteral("tradingfloor.*.info=false\n"
                                                        "tradingfloor.realtime.*.warning=false\n"
                                                        "tradingfloor.rest.warning=false\n"
                                                        "qt.httpserver.warning=false"));
    }

    void snapshotThenLiveChanges_data() { addFeedModes(); }
    void snapshotThenLiveChanges()
    {
        QFETCH(tf::FeedMode, mode);
        synctest::Harness h(quietSimConfig());
        QVERIFY(h.setUp(mode));
        QSignalSpy applied(&h.service(), &tf::SyncService::snapshotApplied);
        QSignalSpy states(&h.service(), &tf::SyncService::feedStateChanged);
        QVERIFY(h.startAndWaitLive());
        QVERIFY(applied.count() >= 1);
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
        QVERIFY(h.positions().count() >= 3); // the demo trader's seeded book
        QCOMPARE(h.service().changeFeed()->channelName(),
                 (mode == tf::FeedMode::PostgresChanges ? QStringLiteral("desk:") : QStringLiteral("user:")) + h.userId());
        QCOMPARE(statesOf(states), (QList<FeedState>{FeedState::CatchingUp, FeedState::Live}));

        // The server's rows change: the models follow, live, without another snapshot.
        applied.clear();
        synctest::StoreMutator writes(h.sim(), {h.userId()}, 1);
        QVERIFY(writes.insertPosition(h.userId()));
        QVERIFY(writes.touchPosition(h.userId()));
        QVERIFY(writes.deletePosition(h.userId()));
        QVERIFY(writes.insertOrder(h.userId(), true)); // accepted, filled: order, trade, position
        QVERIFY(writes.insertOrder(h.userId(), false));
        QVERIFY(writes.requestCancel(h.userId()));
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
        QVERIFY(writes.deleteTrade(h.userId()));
        QVERIFY(writes.deleteOrder(h.userId()));
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);

        // Another trader's rows never show up.
        synctest::StoreMutator theirs(h.sim(), {h.rivalId()}, 2);
        const int positions = h.positions().count();
        const int orders = h.orders().count();
        QVERIFY(theirs.insertPosition(h.rivalId()));
        QVERIFY(theirs.insertOrder(h.rivalId(), true));
        QVERIFY(theirs.deleteTrade(h.rivalId()));
        QVERIFY(writes.touchPosition(h.userId())); // ours, after theirs: once it shows, theirs had their chance
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
        QCOMPARE(h.positions().count(), positions);
        QCOMPARE(h.orders().count(), orders);

        QCOMPARE(applied.count(), 0); // all of it live
        QCOMPARE(h.service().feedState(), FeedState::Live);
    }

    void snapshotWaitsForSubscribedToPostgreSQL()
    {
        tf::sim::SimConfig config = quietSimConfig();
        config.realtime.postgresSubscribeDelay = 700ms;
        synctest::Harness h(config);
        QVERIFY(h.setUp(tf::FeedMode::PostgresChanges));
        QList<bool> liveAtRead;
        for (tf::TableSync *table : h.service().tableSyncs()) {
            connect(table, &tf::TableSync::syncStarted, this, [&h, &liveAtRead] {
                liveAtRead.append(h.service().changeFeed()->channel()->isPostgresChangesLive());
            });
        }
        h.service().start(h.userId());
        h.realtime().connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(h.service().changeFeed()->channel()
                                     && h.service().changeFeed()->channel()->state() == tf::RealtimeChannel::State::Joined,
                                 10000);
        // Joined, but the database subscription does not exist yet: no change flows, no read starts.
        QVERIFY(!h.service().changeFeed()->channel()->isPostgresChangesLive());
        QCOMPARE(h.service().feedState(), FeedState::CatchingUp);
        QVERIFY(liveAtRead.isEmpty());
        // Committed now, it is never sent as a change; only a read after "Subscribed" sees it.
        synctest::StoreMutator writes(h.sim(), {h.userId()}, 3);
        QVERIFY(writes.insertPosition(h.userId()));

        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::Live, 10000);
        QCOMPARE(liveAtRead, QList<bool>(3, true));
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
    }

    void reconnectReconcilesOfflineChangesWithMinimalOperations_data() { addFeedModes(); }
    void reconnectReconcilesOfflineChangesWithMinimalOperations()
    {
        QFETCH(tf::FeedMode, mode);
        synctest::Harness h(quietSimConfig());
        QVERIFY(h.setUp(mode));
        h.service().setFallbackDelay(60000ms); // this test is about the reconcile, not polling
        QVERIFY(h.startAndWaitLive());
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
        h.positions().flush();

        QSignalSpy inserted(&h.positions(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&h.positions(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&h.positions(), &QAbstractItemModel::modelReset);
        QStringList changedSymbols; // read when the signal comes: later inserts move the rows
        connect(&h.positions(), &QAbstractItemModel::dataChanged, this,
                [&](const QModelIndex &first, const QModelIndex &last) {
                    for (int row = first.row(); row <= last.row(); ++row)
                        changedSymbols.append(h.positions().index(row).data(tf::PositionModel::SymbolRole).toString());
                });
        QSignalSpy orderResets(&h.orders(), &QAbstractItemModel::modelReset);
        QSignalSpy tradeResets(&h.trades(), &QAbstractItemModel::modelReset);
        QSignalSpy reads(h.service().tableSync(QStringLiteral("positions")), &tf::TableSync::syncStarted);

        // Offline: the server refuses us; meanwhile a position is deleted, one opened, one changed,
        // a trade busted.
        h.sim().faults().refuseConnections(0ms);
        h.sim().faults().dropAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::CatchingUp, 10000);
        const QList<QJsonObject> before = h.storeRows(QStringLiteral("positions"));
        QVERIFY(before.size() >= 3);
        QVERIFY(h.sim().store().removeByKey(QStringLiteral("positions"), before.at(0).value(QStringLiteral("id"))).ok());
        QVERIFY(h.sim().store()
                    .updateByKey(QStringLiteral("positions"), before.at(1).value(QStringLiteral("id")),
                                 QJsonObject{{QStringLiteral("qty"), 1234.0}})
                    .ok());
        synctest::StoreMutator writes(h.sim(), {h.userId()}, 4);
        QVERIFY(writes.insertPosition(h.userId()));
        QVERIFY(writes.deleteTrade(h.userId()));
        QVERIFY(!h.allDiff().isEmpty()); // the models cannot know yet

        h.sim().faults().stopRefusing();
        QTRY_VERIFY2_WITH_TIMEOUT(h.service().feedState() == FeedState::Live && (why = h.allDiff()).isEmpty(),
                                  qPrintable(why), 15000);
        h.positions().flush();
        QCOMPARE(kindsOf(reads).value(0), tf::TableSync::Kind::Full);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(orderResets.count(), 0);
        QCOMPARE(tradeResets.count(), 0);
        QCOMPARE(rowsIn(removed), 1);
        QCOMPARE(rowsIn(inserted), 1);
        // The changed position, nothing else.
        QCOMPARE(changedSymbols, QStringList{before.at(1).value(QStringLiteral("symbol")).toString()});
        QCOMPARE(h.positions().valueForKey(idOf(before.at(1)), tf::PositionModel::QtyRole).toDouble(), 1234.0);
    }

    void resubscribeAfterTokenRefreshCatchesUp()
    {
        tf::sim::SimConfig config = quietSimConfig();
        config.realtime.postgresSubscribeDelay = 400ms;
        config.tokenLifetime = std::chrono::seconds(3600); // no refresh but the ones this test makes
        synctest::Harness h(config);
        QVERIFY(h.setUp(tf::FeedMode::PostgresChanges));
        QVERIFY(h.startAndWaitLive());
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
        tf::TableSync *positions = h.service().tableSync(QStringLiteral("positions"));
        QSignalSpy reads(positions, &tf::TableSync::syncStarted);
        QSignalSpy synced(positions, &tf::TableSync::synced);
        QSignalSpy live(h.service().changeFeed(), &tf::ChangeFeed::changeReceived);
        synctest::StoreMutator writes(h.sim(), {h.userId()}, 5);

        // A new token: the server re-creates the database subscription and, until it says
        // "Subscribed" again, delivers nothing. A change in that gap comes from the catch-up.
        QVERIFY(refreshToANewToken(h.session()));
        QTest::qWait(150); // the access_token push has reached the server; "Subscribed" is 400 ms away
        QVERIFY(writes.insertPosition(h.userId()));
        QVERIFY(writes.touchPosition(h.userId()));
        QTRY_VERIFY_WITH_TIMEOUT(!synced.isEmpty(), 10000);
        QCOMPARE(kindsOf(reads), QList<tf::TableSync::Kind>{tf::TableSync::Kind::CatchUp});
        QCOMPARE(kindsOf(synced), QList<tf::TableSync::Kind>{tf::TableSync::Kind::CatchUp});
        QTRY_VERIFY2_WITH_TIMEOUT(h.service().feedState() == FeedState::Live && (why = h.allDiff()).isEmpty(),
                                  qPrintable(why), 10000);
        for (const QList<QVariant> &args : std::as_const(live))
            QVERIFY(args.first().value<tf::PostgresChange>().table != u"positions"); // none came live

        // A delete in such a gap is found by the key list: the catch-up becomes a full read.
        reads.clear();
        synced.clear();
        QVERIFY(refreshToANewToken(h.session()));
        QTest::qWait(150);
        QVERIFY(writes.deletePosition(h.userId()));
        QTRY_VERIFY_WITH_TIMEOUT(!synced.isEmpty(), 10000);
        QCOMPARE(kindsOf(reads), (QList<tf::TableSync::Kind>{tf::TableSync::Kind::CatchUp, tf::TableSync::Kind::Full}));
        QTRY_VERIFY2_WITH_TIMEOUT(h.service().feedState() == FeedState::Live && (why = h.allDiff()).isEmpty(),
                                  qPrintable(why), 10000);
    }

    void pollsWhileTheFeedCannotJoinAndReturnsToLive_data() { addFeedModes(); }
    void pollsWhileTheFeedCannotJoinAndReturnsToLive()
    {
        QFETCH(tf::FeedMode, mode);
        synctest::Harness h(quietSimConfig());
        QVERIFY(h.setUp(mode));
        h.service().setFallbackDelay(800ms);
        ConnectionStatus status;
        h.service().setConnectionStatus(&status);
        QSignalSpy states(&h.service(), &tf::SyncService::feedStateChanged);
        QSignalSpy errors(&h.service(), &tf::SyncService::syncError);
        QSignalSpy applied(&h.service(), &tf::SyncService::snapshotApplied);

        h.sim().faults().setJoinError(QStringLiteral("RealtimeRestarting: Realtime is restarting, please standby"));
        h.service().start(h.userId());
        h.realtime().connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::Polling, 10000);
        QCOMPARE(status.state(), QStringLiteral("polling"));
        QTRY_VERIFY_WITH_TIMEOUT(!applied.isEmpty(), 10000);
        QString why;
        QCOMPARE((why = h.allDiff()), QString());
        bool announced = false;
        for (const QList<QVariant> &args : std::as_const(errors))
            announced = announced || args.first().toString().contains(QStringLiteral("refreshing every 0.3 s"));
        QVERIFY(announced);

        // Polling keeps the models equal to the server, deletes included.
        synctest::StoreMutator writes(h.sim(), {h.userId()}, 6);
        QVERIFY(writes.insertPosition(h.userId()));
        QVERIFY(writes.deletePosition(h.userId()));
        QVERIFY(writes.insertOrder(h.userId(), true));
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
        QCOMPARE(h.service().feedState(), FeedState::Polling);

        // The joins work again: live at once, polling stops.
        h.sim().faults().clearJoinError();
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::Live, 10000);
        QCOMPARE(status.state(), QStringLiteral("live"));
        const QList<FeedState> seen = statesOf(states);
        QCOMPARE(seen.mid(seen.size() - 3), (QList<FeedState>{FeedState::Polling, FeedState::CatchingUp, FeedState::Live}));
        QVERIFY(writes.touchPosition(h.userId()));
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
    }

    void pollsAtOnceWhenTheSocketGivesUpAndRetriesItWhenRestWorks()
    {
        synctest::Harness h(quietSimConfig());
        QVERIFY(h.sim().start());
        tf::RealtimeOptions options = synctest::fastRealtimeOptions(h.sim().url(), h.sim().anonKey());
        options.reconnect.maxAttempts = 2;
        QVERIFY(h.setUp(tf::FeedMode::PostgresChanges, options));
        h.service().setFallbackDelay(600000ms); // only the socket giving up can start polling here
        h.service().setSocketRetryInterval(300ms);
        QVERIFY(h.startAndWaitLive());

        h.sim().faults().refuseConnections(0ms);
        h.sim().faults().dropAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(h.realtime().state(), tf::RealtimeSocket::State::GaveUp, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::Polling, 2000);
        synctest::StoreMutator writes(h.sim(), {h.userId()}, 7);
        QVERIFY(writes.insertPosition(h.userId()));
        QVERIFY(writes.deleteTrade(h.userId()));

        // The server is back: a poll gets through, the socket is tried again, live again.
        h.sim().faults().stopRefusing();
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT(h.service().feedState() == FeedState::Live && (why = h.allDiff()).isEmpty(),
                                  qPrintable(why), 15000);
        QCOMPARE(h.realtime().state(), tf::RealtimeSocket::State::Connected);
    }

    void optimisticOrderShowsOnceAndServerRowsAreReported()
    {
        synctest::Harness h;
        QVERIFY(h.setUp(tf::FeedMode::PostgresChanges));
        QSignalSpy records(&h.service(), &tf::SyncService::orderRecordReceived);
        QVERIFY(h.startAndWaitLive());
        // The snapshot reported every server order once.
        QTRY_VERIFY_WITH_TIMEOUT(records.count() >= h.storeRows(QStringLiteral("orders")).size(), 10000);
        const int before = h.orders().count();
        QCOMPARE(before, h.storeRows(QStringLiteral("orders")).size());

        QSignalSpy inserted(&h.orders(), &QAbstractItemModel::rowsInserted);
        records.clear();
        synctest::TraderOrders trader(h.rest(), h.orders(), h.userId(), h.sim().market().symbols(), 8);
        const QString id = trader.place();
        h.orders().flush();
        QCOMPARE(h.orders().count(), before + 1);
        QCOMPARE(h.orders().valueForKey(id, tf::OrderModel::PendingRole).toBool(), true);

        QTRY_COMPARE_WITH_TIMEOUT(h.orders().valueForKey(id, tf::OrderModel::StateRole).toInt(),
                                  int(tf::OrderModel::Filled), 10000);
        QCOMPARE(h.orders().valueForKey(id, tf::OrderModel::PendingRole).toBool(), false);
        QCOMPARE(h.orders().count(), before + 1); // merged, never twice
        QCOMPARE(rowsIn(inserted), 1);
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);

        // Each version of the order reported once, in order, ending with the fill.
        QStringList statuses;
        QString lastVersion;
        for (const QList<QVariant> &args : std::as_const(records)) {
            const QJsonObject record = args.first().toJsonObject();
            if (record.value(QStringLiteral("client_order_id")).toString() != id)
                continue;
            const QString version = record.value(QStringLiteral("updated_at")).toString();
            QVERIFY2(version > lastVersion, qPrintable(version));
            lastVersion = version;
            statuses.append(record.value(QStringLiteral("status")).toString());
        }
        QVERIFY(!statuses.isEmpty());
        QCOMPARE(statuses.last(), QStringLiteral("filled"));

        // A reconnect's full read reports nothing already reported.
        records.clear();
        h.sim().faults().dropAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::CatchingUp, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::Live, 10000);
        QCOMPARE(records.count(), 0);
    }

    void quotesAndPresenceFromTheFloor()
    {
        tf::sim::SimConfig config = synctest::fastSimConfig();
        config.tickHz = 10;
        synctest::Harness h(config);
        QVERIFY(h.setUp(tf::FeedMode::PostgresChanges));
        QVERIFY(h.startAndWaitLive());
        const QStringList symbols = h.sim().market().symbols();
        QTRY_COMPARE_WITH_TIMEOUT(h.quotes().count(), symbols.size(), 10000);
        const QString symbol = h.storeRows(QStringLiteral("positions")).first().value(QStringLiteral("symbol")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(h.quotes().lastPrice(symbol).toDouble(), h.sim().market().quote(symbol).price, 10000);
        const QString position = idOf(h.storeRows(QStringLiteral("positions")).first());
        QTRY_VERIFY_WITH_TIMEOUT(h.positions().valueForKey(position, tf::PositionModel::LastPriceRole).isValid(), 10000);

        // The simulated traders and ourselves, under the user's id with the tracked name.
        QTRY_COMPARE_WITH_TIMEOUT(h.presence().count(), config.simulatedTraders + 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(h.presence().valueForKey(h.userId(), tf::PresenceModel::DisplayNameRole).toString(),
                                  QStringLiteral("Demo Trader"), 10000);

        // Panel hidden: the room is left (no traffic), presence is unknown, the last prices stay.
        h.service().setQuotesWanted(false);
        QVERIFY(!h.service().floorRoom()->isJoined());
        QCOMPARE(h.realtime().channels()->channel(tf::FloorRoom::ChannelName), nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(h.presence().count(), 0, 10000);
        QCOMPARE(h.quotes().count(), symbols.size());

        h.service().setQuotesWanted(true);
        QTRY_COMPARE_WITH_TIMEOUT(h.presence().count(), config.simulatedTraders + 1, 10000);
        QCOMPARE(h.service().feedState(), FeedState::Live);
    }

    void switchingTheFeedKeepsTheModels()
    {
        synctest::Harness h(quietSimConfig());
        QVERIFY(h.setUp(tf::FeedMode::PostgresChanges));
        QVERIFY(h.startAndWaitLive());
        QSignalSpy reset(&h.positions(), &QAbstractItemModel::modelReset);
        h.service().setFeedMode(tf::FeedMode::DatabaseBroadcast);
        QCOMPARE(h.service().changeFeed()->kindName(), QStringLiteral("broadcast"));
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::Live, 10000);
        synctest::StoreMutator writes(h.sim(), {h.userId()}, 9);
        QVERIFY(writes.insertPosition(h.userId()));
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 10000);
        QCOMPARE(reset.count(), 0);
        // Only the new feed's channel (and the floor) remain.
        QCOMPARE(h.realtime().channels()->channel(QStringLiteral("desk:") + h.userId()), nullptr);
    }

    void stopReleasesEverythingAndAnotherAccountStartsEmpty()
    {
        synctest::Harness h(quietSimConfig());
        QVERIFY(h.setUp(tf::FeedMode::PostgresChanges));
        QVERIFY(h.startAndWaitLive());
        QTRY_VERIFY_WITH_TIMEOUT(h.positions().count() > 0, 10000);
        h.service().stop();
        QCOMPARE(h.service().feedState(), FeedState::Idle);
        QCOMPARE(h.realtime().channels()->count(), 0);
        QVERIFY(h.positions().count() > 0); // what was shown stays until someone else signs in

        // Another account (our token still says who we are: RLS shows nobody else's rows).
        QSignalSpy reset(&h.positions(), &QAbstractItemModel::modelReset);
        h.service().start(h.rivalId());
        QCOMPARE(reset.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(h.service().feedState(), FeedState::Live, 10000);
        QCOMPARE(h.positions().count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSyncService)
#include "tst_syncservice.moc"
