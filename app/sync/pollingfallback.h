#pragma once

#include "realtimesocket.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

namespace tf {

// Decides when the websocket cannot be held and REST polling has to keep the data fresh.
//
// Polling starts when the socket gave up (RealtimeSocket::GaveUp), or when the change feed has
// not been live for fallbackDelay (the socket keeps failing: refused, heartbeats unanswered, joins
// refused, rate limited…). While polling, pollDue() fires at once and then every pollInterval.
// It ends the moment the feed is live again (feedLive()). A socket that gave up retries only on a
// network/wake event; while REST answers (pollSucceeded()) it is asked to try again, at most once
// per socketRetryInterval.
class PollingFallback : public QObject
{
    Q_OBJECT

public:
    explicit PollingFallback(RealtimeSocket *socket, QObject *parent = nullptr);

    void setPollInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds pollInterval() const { return m_pollInterval; }
    void setFallbackDelay(std::chrono::milliseconds delay) { m_fallbackDelay = delay; }
    std::chrono::milliseconds fallbackDelay() const { return m_fallbackDelay; }
    void setSocketRetryInterval(std::chrono::milliseconds interval) { m_socketRetryInterval = interval; }

    // Watching starts with the feed not live yet.
    void start();
    void stop();
    void feedLive();
    void feedLost();
    // A poll read the server: REST works, so the websocket may well work again.
    void pollSucceeded();

    bool isPolling() const { return m_polling; }

Q_SIGNALS:
    void pollingChanged(bool polling);
    void pollDue();

private:
    void enterPolling(const QString &why);
    void leavePolling();
    void onSocketState(RealtimeSocket::State state);

    QPointer<RealtimeSocket> m_socket;
    std::chrono::milliseconds m_pollInterval{5000};
    std::chrono::milliseconds m_fallbackDelay{10000};
    std::chrono::milliseconds m_socketRetryInterval{30000};
    bool m_active = false;
    bool m_feedLive = false;
    bool m_polling = false;
    QTimer m_fallbackTimer;
    QTimer m_pollTimer;
    QElapsedTimer m_sinceSocketRetry;
};

} // namespace tf
