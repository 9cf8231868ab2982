// Convergence under faults: while the simulator's tables change (orders filled by the matching
// engine, positions adjusted, deleted and opened, busted trades, purged orders, the trader's own
// REST orders), every fault the simulator can inject is injected many times in an order drawn
// from a fixed seed. After each recovery the models must equal the simulator's rows of the user
// exactly, and no model may ever have been reset. Runs for both feed modes.
#include "faultinjector.h"
#include "storemutator.h"
#include "synctestsupport.h"
#include "traderorders.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using tf::ConnectionStatus;

namespace {

enum class Fault {
    Drop,            // every connection aborted, no close frame
    Silence,         // heartbeats unanswered: the half-open link must be detected
    Refuse,          // connections refused for a while (and the open ones dropped)
    JoinError,       // every join refused (transient reasons, then an expired-token reason)
    RateLimit,       // channels shut down, joins refused and the socket closed, until lifted
    TokenExpiry,     // every access token expires at once: channels closed, REST 401
    Restart,         // the server forgets all realtime state and comes back on the same port
    Slow,            // every REST reply and frame held back
    LoseInsertReply, // the trader's order is committed, its reply lost
    Count
};

const char *faultName(Fault fault)
{
    switch (fault) {
    case Fault::Drop: return "drop";
    case Fault::Silence: return "silence";
    case Fault::Refuse: return "refuse";
    case Fault::JoinError: return "join-error";
    case Fault::RateLimit: return "rate-limit";
    case Fault::TokenExpiry: return "expire-tokens";
    case Fault::Restart: return "restart";
    case Fault::Slow: return "slow";
    case Fault::LoseInsertReply: return "lose-insert-reply";
    case Fault::Count: break;
    }
    return "?";
}

const QStringList JoinErrors{
    QStringLiteral("RealtimeRestarting: Realtime is restarting, please standby"),
    QStringLiteral("InitializingProjectConnection: Connecting to the project database"),
    QStringLiteral("TimeoutOnRpcCall: Node request timeout"),
    QStringLiteral("InvalidJWTToken: Token has expired 3 seconds ago"),
};

int faultsPerMode()
{
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("TF_SYNC_FAULTS", &ok);
    return ok && fromEnv > 0 ? fromEnv : 100;
}

} // namespace

class TestSyncConvergence : public QObject
{
    Q_OBJECT

    // Runs one fault while the tables keep changing; returns with the fault undone.
    void inject(synctest::Harness &h, Fault fault, QRandomGenerator &random, synctest::TraderOrders &trader)
    {
        tf::sim::FaultInjector &faults = h.sim().faults();
        const auto between = [&random](int low, int high) { return low + int(random.bounded(quint32(high - low))); };
        switch (fault) {
        case Fault::Drop:
            faults.dropAllConnections();
            QTest::qWait(between(100, 300));
            return;
        case Fault::Silence:
            faults.setHeartbeatsSilenced(true);
            QTest::qWait(between(800, 1200)); // longer than interval + timeout: the link must be judged dead
            faults.setHeartbeatsSilenced(false);
            return;
        case Fault::Refuse: {
            const int ms = between(150, 1500); // sometimes past the fallback delay: polling takes over
            faults.refuseConnections(std::chrono::milliseconds(ms));
            faults.dropAllConnections();
            QTest::qWait(ms + 100);
            return;
        }
        case Fault::JoinError:
            faults.setJoinError(JoinErrors.at(int(random.bounded(quint32(JoinErrors.size())))));
            faults.dropAllConnections();
            QTest::qWait(between(150, 1500));
            faults.clearJoinError();
            return;
        case Fault::RateLimit:
            faults.setRateLimited(true);
            QTest::qWait(between(150, 1500));
            faults.setRateLimited(false);
            return;
        case Fault::TokenExpiry:
            faults.expireAllTokens();
            QTest::qWait(between(200, 500));
            return;
        case Fault::Restart:
            faults.restart();
            QTest::qWait(between(300, 600));
            return;
        case Fault::Slow:
            faults.setReplyDelay(std::chrono::milliseconds(between(40, 160)));
            QTest::qWait(between(400, 800));
            faults.setReplyDelay(0ms);
            return;
        case Fault::LoseInsertReply:
            faults.setLoseNextInsertReply(true);
            trader.place();
            QTest::qWait(between(200, 400));
            faults.setLoseNextInsertReply(false);
            return;
        case Fault::Count:
            return;
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Thousands of expected reconnects and refusals: keep the sync's own warnings, drop the rest.
        QLoggingCategory::setFilterRules(QStringLiteral("tradingfloor.*.info=false\n"
                                                        "tradingfloor.*.warning=false\n"
                                                        "tradingfloor.sync.warning=true\n"
                                                        "qt.httpserver.warning=false"));
    }

    void convergesThroughFaults_data()
    {
        QTest::addColumn<tf::FeedMode>("mode");
        QTest::addColumn<quint32>("seed");
        QTest::newRow("postgres_changes") << tf::FeedMode::PostgresChanges << 20260821u;
        QTest::newRow("broadcast") << tf::FeedMode::DatabaseBroadcast << 4242u;
    }

    void convergesThroughFaults()
    {
        QFETCH(tf::FeedMode, mode);
        QFETCH(quint32, seed);
        const int faultCount = faultsPerMode();

        synctest::Harness h;
        QVERIFY(h.setUp(mode));
        h.service().setFallbackDelay(1000ms); // the longer faults below end in polling
        QSignalSpy positionResets(&h.positions(), &QAbstractItemModel::modelReset);
        QSignalSpy tradeResets(&h.trades(), &QAbstractItemModel::modelReset);
        QSignalSpy orderResets(&h.orders(), &QAbstractItemModel::modelReset);
        QSignalSpy states(&h.service(), &tf::SyncService::feedStateChanged);
        QVERIFY(h.startAndWaitLive());
        QString why;
        QTRY_VERIFY2_WITH_TIMEOUT((why = h.allDiff()).isEmpty(), qPrintable(why), 20000);

        synctest::StoreMutator mutator(h.sim(), {h.userId(), h.rivalId()}, seed);
        synctest::TraderOrders trader(h.rest(), h.orders(), h.userId(), h.sim().market().symbols(), seed + 1);
        QRandomGenerator random(seed);
        QHash<int, int> injected;
        QElapsedTimer clock;
        clock.start();

        for (int i = 0; i < faultCount; ++i) {
            const Fault fault = Fault(random.bounded(quint32(Fault::Count)));
            ++injected[int(fault)];
            mutator.start(15ms);
            if (random.bounded(3) == 0)
                trader.place();
            inject(h, fault, random, trader);
            QTest::qWait(50); // a few more writes while recovery begins
            mutator.stop();

            // Recovered: the trader's orders are in, the feed is live, and every model shows exactly
            // the server's rows.
            QTRY_VERIFY2_WITH_TIMEOUT(trader.unconfirmed() == 0,
                                      qPrintable(QStringLiteral("fault %1 (%2): %3 orders unconfirmed")
                                                     .arg(i).arg(QLatin1String(faultName(fault))).arg(trader.unconfirmed())),
                                      30000);
            QTRY_VERIFY2_WITH_TIMEOUT(h.service().feedState() == ConnectionStatus::FeedState::Live
                                          && (why = h.allDiff()).isEmpty(),
                                      qPrintable(QStringLiteral("fault %1 (%2), feed %3: %4")
                                                     .arg(i)
                                                     .arg(QLatin1String(faultName(fault)))
                                                     .arg(int(h.service().feedState()))
                                                     .arg(why)),
                                      30000);
        }

        QCOMPARE(positionResets.count(), 0);
        QCOMPARE(tradeResets.count(), 0);
        QCOMPARE(orderResets.count(), 0);
        // Every kind of fault was exercised, and the run did change the tables and fall back.
        for (int f = 0; f < int(Fault::Count); ++f)
            QVERIFY2(injected.value(f) > 0, faultName(Fault(f)));
        QVERIFY(mutator.steps() > faultCount);
        QVERIFY(trader.placed() > 0);
        bool polled = false;
        for (const QList<QVariant> &args : std::as_const(states))
            polled = polled || args.first().value<ConnectionStatus::FeedState>() == ConnectionStatus::FeedState::Polling;
        QVERIFY2(polled, "no fault lasted long enough to fall back to polling");

        QStringList summary;
        for (int f = 0; f < int(Fault::Count); ++f)
            summary.append(QStringLiteral("%1 %2").arg(QLatin1String(faultName(Fault(f)))).arg(injected.value(f)));
        qInfo("%d faults in %.1f s, %d writes, %d trader orders: %s", faultCount, double(clock.elapsed()) / 1000.0,
              mutator.steps(), trader.placed(), qPrintable(summary.join(QStringLiteral(", "))));
    }
};

QTEST_GUILESS_MAIN(TestSyncConvergence)
#include "tst_syncconvergence.moc"
