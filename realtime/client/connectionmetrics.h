#pragma once

#include "realtimesocket.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <array>

namespace tf {

// Live figures about one connection, for a status bar and a diagnostics panel.
//
// The socket feeds it. Per-message work is two additions and a clock read; the traffic figures
// are published by a timer (about once a second), never per message, so a flood of changes costs
// the UI nothing. Properties are grouped under a few change signals.
class ConnectionMetrics : public QObject
{
    Q_OBJECT
    Q_PROPERTY(tf::RealtimeSocket::State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateReason READ stateReason NOTIFY stateChanged)
    Q_PROPERTY(bool networkOnline READ isNetworkOnline NOTIFY networkOnlineChanged)
    Q_PROPERTY(int latencyMs READ latencyMs NOTIFY latencyChanged)
    Q_PROPERTY(double averageLatencyMs READ averageLatencyMs NOTIFY latencyChanged)
    Q_PROPERTY(QDateTime lastMessageAt READ lastMessageAt NOTIFY trafficChanged)
    Q_PROPERTY(qint64 messagesReceived READ messagesReceived NOTIFY trafficChanged)
    Q_PROPERTY(qint64 bytesReceived READ bytesReceived NOTIFY trafficChanged)
    Q_PROPERTY(double messagesPerSecond READ messagesPerSecond NOTIFY trafficChanged)
    Q_PROPERTY(qint64 framesDropped READ framesDropped NOTIFY trafficChanged)
    Q_PROPERTY(QDateTime connectedSince READ connectedSince NOTIFY connectionChanged)
    Q_PROPERTY(int disconnectCount READ disconnectCount NOTIFY connectionChanged)
    Q_PROPERTY(int reconnectAttempt READ reconnectAttempt NOTIFY reconnectChanged)
    Q_PROPERTY(QDateTime nextReconnectAt READ nextReconnectAt NOTIFY reconnectChanged)
    Q_PROPERTY(qint64 reconnectInMs READ reconnectInMs NOTIFY reconnectChanged)

public:
    // Latency samples in the moving average; rate samples (ticks) in the sliding window.
    static constexpr int LatencySamples = 10;
    static constexpr int RateWindowTicks = 5;

    explicit ConnectionMetrics(QObject *parent = nullptr);

    RealtimeSocket::State state() const { return m_state; }
    QString stateReason() const { return m_stateReason; }
    bool isNetworkOnline() const { return m_networkOnline; }
    int latencyMs() const { return m_latencyMs; } // -1 until the first heartbeat reply
    double averageLatencyMs() const;               // -1 until the first heartbeat reply
    QDateTime lastMessageAt() const;
    qint64 messagesReceived() const { return m_messages; }
    qint64 bytesReceived() const { return m_bytes; }
    double messagesPerSecond() const { return m_rate; }
    qint64 framesDropped() const { return m_dropped; }
    QDateTime connectedSince() const { return m_connectedSince; } // invalid while not connected
    int disconnectCount() const { return m_disconnects; }
    int reconnectAttempt() const { return m_reconnectAttempt; }
    QDateTime nextReconnectAt() const { return m_nextReconnectAt; } // invalid when none scheduled
    qint64 reconnectInMs() const; // -1 when none scheduled

    // How often traffic figures are published (and the rate window advances).
    void setPublishInterval(std::chrono::milliseconds interval);

    // --- fed by the socket ---
    // The hot path: one inbound frame that decoded (or not) fine. No signal, no allocation.
    void recordMessage(qsizetype bytes)
    {
        ++m_messages;
        m_bytes += bytes;
        m_lastMessageMs = QDateTime::currentMSecsSinceEpoch();
    }
    void recordDroppedFrame(qsizetype bytes)
    {
        ++m_dropped;
        m_bytes += bytes;
    }
    void recordLatency(qint64 ms);
    void setState(RealtimeSocket::State state, const QString &reason);
    void setNetworkOnline(bool online);
    void recordConnected();
    // An open connection ended; `unexpected` (not our own disconnect) counts as a disconnect.
    void recordConnectionClosed(bool unexpected);
    void setReconnect(int attempt, const QDateTime &at);

public Q_SLOTS:
    // Publishes the traffic figures and advances the rate window (the timer calls it).
    void publish();

Q_SIGNALS:
    void stateChanged();
    void networkOnlineChanged();
    void latencyChanged();
    void trafficChanged();
    void connectionChanged();
    void reconnectChanged();

private:
    struct RateSample {
        qint64 messages = 0;
        qint64 atMs = 0;
    };

    QTimer m_timer;
    QElapsedTimer m_clock;
    RealtimeSocket::State m_state = RealtimeSocket::State::Disconnected;
    QString m_stateReason;
    bool m_networkOnline = true;

    int m_latencyMs = -1;
    std::array<qint64, LatencySamples> m_latencies{};
    int m_latencyCount = 0;
    int m_latencyNext = 0;

    qint64 m_messages = 0;
    qint64 m_bytes = 0;
    qint64 m_dropped = 0;
    qint64 m_lastMessageMs = 0;
    double m_rate = 0;
    std::array<RateSample, RateWindowTicks + 1> m_samples{};
    int m_sampleCount = 0;
    int m_sampleNext = 0;
    // What was last published, so an idle tick emits nothing.
    qint64 m_publishedMessages = -1;
    qint64 m_publishedDropped = -1;
    double m_publishedRate = -1;

    QDateTime m_connectedSince;
    int m_disconnects = 0;
    int m_reconnectAttempt = 0;
    QDateTime m_nextReconnectAt;
};

} // namespace tf
