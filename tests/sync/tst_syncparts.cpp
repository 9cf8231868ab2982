// The small parts of the sync on their own: when polling starts and stops (PollingFallback), which
// order rows reach the order desk (NewestRecordGate), and the bindings each feed subscribes.
#include "newestrecordgate.h"
#include "pollingfallback.h"
#include "postgreschangesfeed.h"
#include "realtimesocket.h"
#include "tablespec.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace std::chrono_literals;

namespace {

QJsonObject order(int id, const char *updatedAt, const char *status)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("updated_at"), QLatin1String(updatedAt)},
            {QStringLiteral("status"), QLatin1String(status)}};
}

} // namespace

class TestSyncParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pollingStartsAfterTheFallbackDelayAndStopsWhenLive()
    {
        tf::PollingFallback fallback(nullptr);
        fallback.setFallbackDelay(100ms);
        fallback.setPollInterval(50ms);
        QSignalSpy polling(&fallback, &tf::PollingFallback::pollingChanged);
        QSignalSpy due(&fallback, &tf::PollingFallback::pollDue);
        fallback.start();
        QVERIFY(!fallback.isPolling());
        QVERIFY(polling.wait(5000));
        QCOMPARE(polling.first().first().toBool(), true);
        QVERIFY(fallback.isPolling());
        QCOMPARE(due.count(), 1); // the first poll at once
        QTRY_VERIFY_WITH_TIMEOUT(due.count() >= 3, 5000); // then every interval

        fallback.feedLive();
        QVERIFY(!fallback.isPolling());
        QCOMPARE(polling.count(), 2);
        QCOMPARE(polling.last().first().toBool(), false);

        // Lost again: the delay starts over.
        fallback.feedLost();
        QVERIFY(!fallback.isPolling());
        QVERIFY(polling.wait(5000));
        QVERIFY(fallback.isPolling());
        fallback.stop();
        QVERIFY(!fallback.isPolling());
    }

    void aFeedLiveInTimeNeverPolls()
    {
        tf::PollingFallback fallback(nullptr);
        fallback.setFallbackDelay(100ms);
        QSignalSpy polling(&fallback, &tf::PollingFallback::pollingChanged);
        fallback.start();
        fallback.feedLive();
        // Another watcher with the same delay, started later, polls: by then ours would have too.
        tf::PollingFallback witness(nullptr);
        witness.setFallbackDelay(100ms);
        QSignalSpy witnessPolling(&witness, &tf::PollingFallback::pollingChanged);
        witness.start();
        QVERIFY(witnessPolling.wait(5000));
        QCOMPARE(polling.count(), 0);
    }

    void aSocketThatGaveUpPollsAtOnceAndIsRetriedWhenRestWorks()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there: every attempt is refused
        tf::SocketOptions options;
        options.projectUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        options.apiKey = QStringLiteral("key");
        options.reconnect = tf::BackoffPolicy{10ms, 2.0, 20ms, true, 20ms, 1};
        options.network.useSystemReachability = false;
        options.network.followApplicationState = false;
        tf::RealtimeSocket socket(options);

        tf::PollingFallback fallback(&socket);
        fallback.setFallbackDelay(600000ms); // only the socket giving up can start polling
        fallback.setSocketRetryInterval(600000ms);
        fallback.start();
        socket.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), tf::RealtimeSocket::State::GaveUp, 10000);
        QVERIFY(fallback.isPolling());

        QSignalSpy states(&socket, &tf::RealtimeSocket::stateChanged);
        fallback.pollSucceeded(); // REST answers: try the websocket once more
        QVERIFY(!states.isEmpty());
        QCOMPARE(states.first().first().value<tf::RealtimeSocket::State>(), tf::RealtimeSocket::State::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), tf::RealtimeSocket::State::GaveUp, 10000);
        states.clear();
        fallback.pollSucceeded(); // but not again within the retry interval
        QVERIFY(states.isEmpty());
    }

    void orderRowsReachTheDeskInVersionOrderOnce()
    {
        tf::NewestRecordGate gate(QStringLiteral("id"), QStringLiteral("updated_at"));
        QVERIFY(gate.admit(order(1, "2026-08-21T10:00:00.000001+00:00", "accepted")));
        QVERIFY(!gate.admit(order(1, "2026-08-21T10:00:00.000001+00:00", "accepted"))); // again: already told
        QVERIFY(gate.admit(order(1, "2026-08-21T10:00:00.000002+00:00", "filled")));
        QVERIFY(!gate.admit(order(1, "2026-08-21T10:00:00.000001+00:00", "accepted"))); // older: never backwards
        QVERIFY(gate.admit(order(2, "2026-08-21T09:00:00+00:00", "new")));             // keys are separate
        QVERIFY(!gate.admit(QJsonObject{{QStringLiteral("status"), QStringLiteral("new")}})); // no key
        QVERIFY(gate.admit(QJsonObject{{QStringLiteral("id"), 3}}));                         // no version: news
        QCOMPARE(gate.size(), 2);
        gate.clear();
        QVERIFY(gate.admit(order(1, "2026-08-21T10:00:00.000001+00:00", "accepted")));
    }

    void postgresChangesBindingsAreTheUsersRowsPlusUnfilteredTradeDeletes()
    {
        QString error;
        const tf::ChannelConfig config = tf::PostgresChangesFeed::configFor(
            tf::ChannelConfig(), QStringLiteral("5f0c2a6e-8c1b-4a57-9d43-6a1f3b2c7e01"), tf::TableSpec::tradingTables(), &error);
        QCOMPARE(error, QString());
        const QString own = QStringLiteral("user_id=eq.5f0c2a6e-8c1b-4a57-9d43-6a1f3b2c7e01");
        QCOMPARE(config.postgresChanges(),
                 (QList<tf::PostgresChangesBinding>{
                     {QStringLiteral("*"), QStringLiteral("public"), QStringLiteral("positions"), own},
                     {QStringLiteral("*"), QStringLiteral("public"), QStringLiteral("trades"), own},
                     {QStringLiteral("DELETE"), QStringLiteral("public"), QStringLiteral("trades"), QString()},
                     {QStringLiteral("*"), QStringLiteral("public"), QStringLiteral("orders"), own}}));
        QCOMPARE(tf::PostgresChangesFeed::channelNameFor(QStringLiteral("u1")), QStringLiteral("desk:u1"));
    }
};

QTEST_GUILESS_MAIN(TestSyncParts)
#include "tst_syncparts.moc"
