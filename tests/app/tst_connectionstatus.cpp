// ConnectionStatus: each socket/feed/network combination reads as the right words and health,
// with ages and countdowns computed against an injected clock (no waiting in the test).
#include "connectionmetrics.h"
#include "connectionstatus.h"

#include <QSignalSpy>
#include <QTest>

using tf::ConnectionMetrics;
using tf::ConnectionStatus;
using State = tf::RealtimeSocket::State;

class TestConnectionStatus : public QObject
{
    Q_OBJECT

    QDateTime m_now;

    void useClock(ConnectionStatus &status) { status.setClock([this] { return m_now; }); }

private Q_SLOTS:
    void init() { m_now = QDateTime::currentDateTimeUtc(); }

    void withoutMetricsItIsConnecting()
    {
        ConnectionStatus status;
        QCOMPARE(status.state(), QStringLiteral("connecting"));
        QCOMPARE(status.health(), QStringLiteral("offline"));
        QCOMPARE(status.latencyMs(), -1.0);
        QCOMPARE(status.lastMessageAgeMs(), -1.0);
    }

    void liveHealthySlowStale()
    {
        ConnectionMetrics metrics;
        ConnectionStatus status;
        useClock(status);
        status.setMetrics(&metrics);
        metrics.setState(State::Connected, QStringLiteral("open"));
        metrics.recordConnected();
        metrics.recordLatency(20);
        metrics.recordMessage(100);
        QCOMPARE(status.state(), QStringLiteral("connecting")); // joined, not caught up yet
        status.setFeedState(ConnectionStatus::FeedState::Live);
        QCOMPARE(status.state(), QStringLiteral("live"));
        QCOMPARE(status.health(), QStringLiteral("healthy"));
        QCOMPARE(status.latencyMs(), 20.0);

        metrics.recordLatency(900);
        QCOMPARE(status.health(), QStringLiteral("slow"));

        metrics.recordLatency(10);
        m_now = m_now.addSecs(120);
        QCOMPARE(status.health(), QStringLiteral("stale"));
        QVERIFY(status.lastMessageAgeMs() >= 119000);
        status.setThresholds(500, 300000);
        QCOMPARE(status.health(), QStringLiteral("healthy"));
    }

    void reconnectCountdown()
    {
        ConnectionMetrics metrics;
        ConnectionStatus status;
        useClock(status);
        status.setMetrics(&metrics);
        metrics.setState(State::Reconnecting, QStringLiteral("heartbeat timeout"));
        metrics.setReconnect(2, m_now.addMSecs(3500));
        QCOMPARE(status.state(), QStringLiteral("reconnecting"));
        QCOMPARE(status.reconnectInSeconds(), 4);
        QCOMPARE(status.health(), QStringLiteral("offline"));
        QCOMPARE(status.reason(), QStringLiteral("heartbeat timeout"));
        m_now = m_now.addMSecs(3000);
        QCOMPARE(status.reconnectInSeconds(), 1);
        m_now = m_now.addMSecs(1000);
        QCOMPARE(status.reconnectInSeconds(), 0);
    }

    void retryInProgressAfterALossReadsReconnecting()
    {
        ConnectionMetrics metrics;
        ConnectionStatus status;
        status.setMetrics(&metrics);
        metrics.setState(State::Connecting, QString());
        QCOMPARE(status.state(), QStringLiteral("connecting"));
        metrics.recordConnected();
        metrics.recordConnectionClosed(true);
        QCOMPARE(status.state(), QStringLiteral("reconnecting"));
    }

    void offlineGaveUpPolling()
    {
        ConnectionMetrics metrics;
        ConnectionStatus status;
        status.setMetrics(&metrics);
        metrics.setState(State::Reconnecting, QString());
        metrics.setNetworkOnline(false);
        QCOMPARE(status.state(), QStringLiteral("offline"));
        QCOMPARE(status.health(), QStringLiteral("offline"));
        metrics.setNetworkOnline(true);
        metrics.setState(State::GaveUp, QStringLiteral("retry limit"));
        QCOMPARE(status.state(), QStringLiteral("gaveUp"));
        status.setFeedState(ConnectionStatus::FeedState::Polling);
        QCOMPARE(status.state(), QStringLiteral("polling"));
        QCOMPARE(status.health(), QStringLiteral("stale"));
    }

    void changeSignals()
    {
        ConnectionMetrics metrics;
        ConnectionStatus status;
        status.setMetrics(&metrics);
        QSignalSpy spy(&status, &ConnectionStatus::changed);
        status.setPendingOrders(3);
        status.setPendingOrders(3);
        status.setSignedInUser(QStringLiteral("trader@example.com"));
        metrics.setState(State::Connected, QString());
        QCOMPARE(spy.count(), 3);
        QCOMPARE(status.pendingOrders(), 3);
        QCOMPARE(status.signedInUser(), QStringLiteral("trader@example.com"));
    }
};

QTEST_GUILESS_MAIN(TestConnectionStatus)
#include "tst_connectionstatus.moc"
