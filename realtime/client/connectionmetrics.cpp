#include "connectionmetrics.h"

#include <algorithm>
#include <limits>

namespace tf {

ConnectionMetrics::ConnectionMetrics(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionMetrics::publish);
}

double ConnectionMetrics::averageLatencyMs() const
{
    if (m_latencyCount == 0)
        return -1;
    qint64 sum = 0;
    for (int i = 0; i < m_latencyCount; ++i)
        sum += m_latencies[size_t(i)];
    return double(sum) / m_latencyCount;
}

QDateTime ConnectionMetrics::lastMessageAt() const
{
    return m_lastMessageMs ? QDateTime::fromMSecsSinceEpoch(m_lastMessageMs) : QDateTime();
}

qint64 ConnectionMetrics::reconnectInMs() const
{
    if (!m_nextReconnectAt.isValid())
        return -1;
    return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(m_nextReconnectAt));
}

void ConnectionMetrics::setPublishInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(std::max<std::chrono::milliseconds>(interval, std::chrono::milliseconds(1)));
}

void ConnectionMetrics::recordLatency(qint64 ms)
{
    m_latencyMs = int(std::min<qint64>(ms, std::numeric_limits<int>::max()));
    m_latencies[size_t(m_latencyNext)] = ms;
    m_latencyNext = (m_latencyNext + 1) % LatencySamples;
    m_latencyCount = std::min(m_latencyCount + 1, LatencySamples);
    Q_EMIT latencyChanged();
}

void ConnectionMetrics::setState(RealtimeSocket::State state, const QString &reason)
{
    if (state == m_state && reason == m_stateReason)
        return;
    m_state = state;
    m_stateReason = reason;
    if (state == RealtimeSocket::State::Disconnected) {
        publish(); // the last figures of this session
        m_timer.stop();
    } else if (!m_timer.isActive()) {
        // A fresh rate window starting now: the idle time before must not dilute it.
        m_samples[0] = RateSample{m_messages, m_clock.elapsed()};
        m_sampleCount = 1;
        m_sampleNext = 1;
        m_timer.start();
    }
    Q_EMIT stateChanged();
}

void ConnectionMetrics::setNetworkOnline(bool online)
{
    if (online == m_networkOnline)
        return;
    m_networkOnline = online;
    Q_EMIT networkOnlineChanged();
}

void ConnectionMetrics::recordConnected()
{
    m_connectedSince = QDateTime::currentDateTimeUtc();
    Q_EMIT connectionChanged();
}

void ConnectionMetrics::recordConnectionClosed(bool unexpected)
{
    m_connectedSince = QDateTime();
    if (unexpected)
        ++m_disconnects;
    m_latencyMs = -1; // the next link's latency is unknown until its first heartbeat
    Q_EMIT connectionChanged();
    Q_EMIT latencyChanged();
}

void ConnectionMetrics::setReconnect(int attempt, const QDateTime &at)
{
    if (attempt == m_reconnectAttempt && at == m_nextReconnectAt)
        return;
    m_reconnectAttempt = attempt;
    m_nextReconnectAt = at;
    Q_EMIT reconnectChanged();
}

void ConnectionMetrics::publish()
{
    // Advance the sliding window: the rate is the message delta across the window's span.
    const qint64 now = m_clock.elapsed();
    m_samples[size_t(m_sampleNext)] = RateSample{m_messages, now};
    m_sampleNext = (m_sampleNext + 1) % int(m_samples.size());
    m_sampleCount = std::min(m_sampleCount + 1, int(m_samples.size()));
    if (m_sampleCount >= 2) {
        const int oldestIndex = (m_sampleNext - m_sampleCount + int(m_samples.size())) % int(m_samples.size());
        const RateSample &oldest = m_samples[size_t(oldestIndex)];
        const qint64 span = now - oldest.atMs;
        m_rate = span > 0 ? double(m_messages - oldest.messages) * 1000.0 / double(span) : 0.0;
    } else {
        m_rate = 0;
    }

    if (m_messages != m_publishedMessages || m_dropped != m_publishedDropped || m_rate != m_publishedRate) {
        m_publishedMessages = m_messages;
        m_publishedDropped = m_dropped;
        m_publishedRate = m_rate;
        Q_EMIT trafficChanged();
    }
    // The countdown moves on its own.
    if (m_nextReconnectAt.isValid())
        Q_EMIT reconnectChanged();
}

} // namespace tf
