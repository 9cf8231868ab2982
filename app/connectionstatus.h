#pragma once

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace tf {

class ConnectionMetrics;

// The one object the status bar, the banner and the diagnostics bind to: the socket's metrics,
// the sync service's feed state and the order queue's pending count, turned into what a trader
// reads ("live", "reconnecting in 4 s", healthy/slow/stale/offline). See qml/StatusBar.qml for
// the property contract.
class ConnectionStatus : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString state READ state NOTIFY changed)
    Q_PROPERTY(int reconnectInSeconds READ reconnectInSeconds NOTIFY changed)
    Q_PROPERTY(QString health READ health NOTIFY changed)
    Q_PROPERTY(double latencyMs READ latencyMs NOTIFY changed)
    Q_PROPERTY(double lastMessageAgeMs READ lastMessageAgeMs NOTIFY changed)
    Q_PROPERTY(double messagesPerSecond READ messagesPerSecond NOTIFY changed)
    Q_PROPERTY(int pendingOrders READ pendingOrders NOTIFY changed)
    Q_PROPERTY(QString signedInUser READ signedInUser NOTIFY changed)
    Q_PROPERTY(QString reason READ reason NOTIFY changed)

public:
    // What the sync service is doing with the data feed.
    enum class FeedState {
        Idle,       // nothing subscribed yet (signing in, or no connection wanted)
        CatchingUp, // joined; waiting for "Subscribed to PostgreSQL" or the REST snapshot
        Live,       // changes flow and the models have caught up
        Polling,    // the socket cannot be held: REST polling keeps the data fresh
    };
    Q_ENUM(FeedState)

    explicit ConnectionStatus(QObject *parent = nullptr);

    void setMetrics(ConnectionMetrics *metrics);
    void setFeedState(FeedState state);
    void setPendingOrders(int count);
    void setSignedInUser(const QString &user);
    // Latency above this is "slow"; no inbound frame (data or heartbeat reply) for this long is "stale".
    void setThresholds(int slowLatencyMs, int staleAfterMs);
    // For tests: the clock the ages and countdowns are computed against.
    void setClock(std::function<QDateTime()> clock);

    QString state() const;
    int reconnectInSeconds() const;
    QString health() const;
    double latencyMs() const;
    double lastMessageAgeMs() const;
    double messagesPerSecond() const;
    int pendingOrders() const { return m_pendingOrders; }
    QString signedInUser() const { return m_signedInUser; }
    QString reason() const; // the socket's last state reason, for tooltips and diagnostics

public Q_SLOTS:
    // Re-reads everything time-dependent (the ticker calls it once a second).
    void refresh();

Q_SIGNALS:
    void changed();

private:
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTimeUtc(); }

    QPointer<ConnectionMetrics> m_metrics;
    FeedState m_feed = FeedState::Idle;
    int m_pendingOrders = 0;
    QString m_signedInUser;
    int m_slowLatencyMs = 500;
    int m_staleAfterMs = 60000;
    std::function<QDateTime()> m_clock;
    QTimer m_ticker;
};

} // namespace tf
