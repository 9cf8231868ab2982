#include "connectionstatus.h"

#include "connectionmetrics.h"

#include <cmath>

namespace tf {

ConnectionStatus::ConnectionStatus(QObject *parent)
    : QObject(parent)
{
    // Ages and countdowns move with the clock even when nothing else happens.
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &ConnectionStatus::refresh);
    m_ticker.start();
}

void ConnectionStatus::setMetrics(ConnectionMetrics *metrics)
{
    if (m_metrics)
        disconnect(m_metrics, nullptr, this, nullptr);
    m_metrics = metrics;
    if (metrics) {
        for (auto signal : {&ConnectionMetrics::stateChanged, &ConnectionMetrics::networkOnlineChanged,
                            &ConnectionMetrics::latencyChanged, &ConnectionMetrics::trafficChanged,
                            &ConnectionMetrics::reconnectChanged, &ConnectionMetrics::connectionChanged})
            connect(metrics, signal, this, &ConnectionStatus::changed);
    }
    Q_EMIT changed();
}

void ConnectionStatus::setFeedState(FeedState state)
{
    if (m_feed == state)
        return;
    m_feed = state;
    Q_EMIT changed();
}

void ConnectionStatus::setPendingOrders(int count)
{
    if (m_pendingOrders == count)
        return;
    m_pendingOrders = count;
    Q_EMIT changed();
}

void ConnectionStatus::setSignedInUser(const QString &user)
{
    if (m_signedInUser == user)
        return;
    m_signedInUser = user;
    Q_EMIT changed();
}

void ConnectionStatus::setThresholds(int slowLatencyMs, int staleAfterMs)
{
    m_slowLatencyMs = slowLatencyMs;
    m_staleAfterMs = staleAfterMs;
    Q_EMIT changed();
}

void ConnectionStatus::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    Q_EMIT changed();
}

void ConnectionStatus::refresh()
{
    Q_EMIT changed();
}

QString ConnectionStatus::state() const
{
    // Polling wins over the socket's own state: the data is fresh, only not pushed.
    if (m_feed == FeedState::Polling)
        return QStringLiteral("polling");
    if (!m_metrics)
        return QStringLiteral("connecting");
    if (!m_metrics->isNetworkOnline())
        return QStringLiteral("offline");
    switch (m_metrics->state()) {
    case RealtimeSocket::State::Connected:
        return m_feed == FeedState::Live ? QStringLiteral("live") : QStringLiteral("connecting");
    case RealtimeSocket::State::Connecting:
        // A retry in progress still reads as reconnecting once we had been connected.
        return m_metrics->disconnectCount() > 0 ? QStringLiteral("reconnecting") : QStringLiteral("connecting");
    case RealtimeSocket::State::Reconnecting:
        return QStringLiteral("reconnecting");
    case RealtimeSocket::State::GaveUp:
        return QStringLiteral("gaveUp");
    case RealtimeSocket::State::Disconnected:
        return QStringLiteral("offline");
    }
    return QStringLiteral("connecting");
}

int ConnectionStatus::reconnectInSeconds() const
{
    if (!m_metrics || !m_metrics->nextReconnectAt().isValid())
        return 0;
    const qint64 ms = now().msecsTo(m_metrics->nextReconnectAt());
    return ms > 0 ? int(std::ceil(ms / 1000.0)) : 0;
}

QString ConnectionStatus::health() const
{
    const QString current = state();
    if (current == u"offline" || current == u"gaveUp" || !m_metrics
        || m_metrics->state() != RealtimeSocket::State::Connected) {
        return current == u"polling" ? QStringLiteral("stale") : QStringLiteral("offline");
    }
    const double age = lastMessageAgeMs();
    if (age < 0 || age > m_staleAfterMs)
        return QStringLiteral("stale");
    if (m_metrics->latencyMs() > m_slowLatencyMs)
        return QStringLiteral("slow");
    return QStringLiteral("healthy");
}

double ConnectionStatus::latencyMs() const
{
    return m_metrics ? m_metrics->latencyMs() : -1;
}

double ConnectionStatus::lastMessageAgeMs() const
{
    if (!m_metrics || !m_metrics->lastMessageAt().isValid())
        return -1;
    return double(qMax<qint64>(0, m_metrics->lastMessageAt().msecsTo(now())));
}

double ConnectionStatus::messagesPerSecond() const
{
    return m_metrics ? m_metrics->messagesPerSecond() : 0;
}

QString ConnectionStatus::reason() const
{
    return m_metrics ? m_metrics->stateReason() : QString();
}

} // namespace tf
