#include "pollingfallback.h"

#include "synclogging.h"

namespace tf {

PollingFallback::PollingFallback(RealtimeSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_fallbackTimer.setSingleShot(true);
    connect(&m_fallbackTimer, &QTimer::timeout, this, [this] {
        enterPolling(QStringLiteral("no live updates for %1 ms").arg(m_fallbackDelay.count()));
    });
    m_pollTimer.setInterval(m_pollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &PollingFallback::pollDue);
    if (socket)
        connect(socket, &RealtimeSocket::stateChanged, this, &PollingFallback::onSocketState);
}

void PollingFallback::setPollInterval(std::chrono::milliseconds interval)
{
    m_pollInterval = std::max(interval, std::chrono::milliseconds(1));
    m_pollTimer.setInterval(m_pollInterval);
}

void PollingFallback::start()
{
    m_active = true;
    m_feedLive = false;
    feedLost();
}

void PollingFallback::stop()
{
    m_active = false;
    m_fallbackTimer.stop();
    if (m_polling)
        leavePolling();
}

void PollingFallback::feedLive()
{
    m_feedLive = true;
    m_fallbackTimer.stop();
    if (m_polling) {
        qCInfo(lcSync, "live updates are back: polling stops");
        leavePolling();
    }
}

void PollingFallback::feedLost()
{
    m_feedLive = false;
    if (!m_active || m_polling)
        return;
    if (m_socket && m_socket->state() == RealtimeSocket::State::GaveUp) {
        enterPolling(QStringLiteral("the connection gave up"));
        return;
    }
    if (!m_fallbackTimer.isActive())
        m_fallbackTimer.start(m_fallbackDelay);
}

void PollingFallback::pollSucceeded()
{
    if (!m_polling || !m_socket || m_socket->state() != RealtimeSocket::State::GaveUp)
        return;
    if (m_sinceSocketRetry.isValid() && m_sinceSocketRetry.elapsed() < m_socketRetryInterval.count())
        return;
    m_sinceSocketRetry.start();
    qCInfo(lcSync, "REST answers while the websocket has given up: trying the websocket again");
    m_socket->reconnectNow(QStringLiteral("the server answers REST requests again"));
}

void PollingFallback::enterPolling(const QString &why)
{
    if (!m_active || m_polling || m_feedLive)
        return;
    m_fallbackTimer.stop();
    m_polling = true;
    qCWarning(lcSync, "falling back to REST polling every %lld ms: %s", qlonglong(m_pollInterval.count()),
              qPrintable(why));
    Q_EMIT pollingChanged(true);
    if (!m_polling)
        return; // a handler stopped us
    m_pollTimer.start();
    Q_EMIT pollDue();
}

void PollingFallback::leavePolling()
{
    m_polling = false;
    m_pollTimer.stop();
    Q_EMIT pollingChanged(false);
}

void PollingFallback::onSocketState(RealtimeSocket::State state)
{
    if (state == RealtimeSocket::State::GaveUp && m_active && !m_feedLive)
        enterPolling(QStringLiteral("the connection gave up"));
}

} // namespace tf
