#pragma once

#include "backoff.h"
#include "errorclass.h"
#include "ordertransport.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUuid>

#include <chrono>
#include <functional>

namespace tf {

class OrderQueue;

struct OrderSenderOptions {
    // Orders per insert request; a reconnect with a backlog sends it in batches of this size.
    int batchSize = 50;
    // Sends per order (since it was queued or retried) before it is marked Failed.
    int maxAttempts = 8;
    // Spacing of retries after network and server errors; rate limits wait at least
    // backoff.rateLimitFloor. (backoff.maxAttempts is not used: maxAttempts counts per order.)
    BackoffPolicy backoff;
    // Before concluding that an unconfirmed order never reached the exchange (to cancel it
    // locally), wait this long after its last send: a request whose reply was lost may still be
    // running on the server. Longer than the server's statement timeout (Supabase: 8 s).
    std::chrono::milliseconds unconfirmedSettleTime{30000};
    // UTC now, for the settle time. Empty: the system clock. For tests.
    std::function<QDateTime()> clock;
};

// The one place that decides how queued orders reach the exchange:
// - oldest first, per user, one request in flight at a time (so a later order never overtakes
//   an earlier one), in batches of up to batchSize;
// - pending cancels go before new orders; an order sent but never confirmed is looked up on the
//   exchange first (after unconfirmedSettleTime) and canceled locally only if it is not there;
// - network, server, protocol errors: retry with backoff; rate limits: at least the floor;
// - auth errors: stop and ask for a token refresh (tokenRefreshNeeded), resume on tokenRefreshed();
// - validation errors: a batch is split into single orders to find the refused one, which is
//   marked Rejected with the server's reason; the others go through;
// - after maxAttempts sends an order is marked Failed (the trader may retry or cancel).
// Lost replies are safe: the order stays queued and is sent again with the same client order id,
// which the server's unique constraint turns into "already there".
class OrderSender : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)

public:
    enum class Status {
        Offline,         // told the link is down: nothing is sent
        Idle,            // nothing to send
        Sending,         // a request is in flight
        WaitingToRetry,  // a request failed; the next one is scheduled (retryScheduled)
        WaitingForToken, // the server refused our token; waiting for tokenRefreshed()
    };
    Q_ENUM(Status)

    // Runs `callback` after `delay`. The default uses a QTimer; tests substitute their own clock.
    using Scheduler = std::function<void(std::chrono::milliseconds delay, std::function<void()> callback)>;

    // Neither pointer is owned; both must outlive the sender.
    OrderSender(OrderQueue *queue, OrderTransport *transport, OrderSenderOptions options = {},
                QObject *parent = nullptr);

    void setScheduler(Scheduler scheduler);
    // Whose orders to send: the signed-in trader (other users' orders wait for them).
    void setUserId(const QString &userId);
    QString userId() const { return m_userId; }

    Status status() const { return m_status; }
    bool isOnline() const { return m_online; }

public Q_SLOTS:
    // From the connection status: going online sends the backlog at once, without backoff.
    void setOnline(bool online);
    // A new token is in place after tokenRefreshNeeded(): send again.
    void tokenRefreshed();
    // Sends now, skipping a pending backoff wait (a "Retry now" button).
    void flush();

Q_SIGNALS:
    void statusChanged(tf::OrderSender::Status status);
    // A request failed; the next attempt (1-based, counted since the last success) follows in `delayMs`.
    void retryScheduled(int attempt, qint64 delayMs, const QString &reason);
    // The server refused our token; sending resumes on tokenRefreshed().
    void tokenRefreshNeeded(const QString &reason);
    // Rows the exchange returned (insert confirmations, look-ups, cancel answers), emitted before
    // the queue records them: a view can show the server's row (fills included) straight away.
    void serverRowsReceived(const QList<tf::ServerOrder> &rows);

private:
    void pump();
    void step();
    void startInsert(const QList<Order> &batch);
    void startCancel(const Order &order);
    void onInserted(const QList<QUuid> &ids, const InsertResult &result);
    void onFetchedForCancel(const QUuid &id, const FetchResult &result);
    void onCancelAnswered(const QUuid &id, const CancelResult &result);
    // Puts a sent order back in the queue, or marks it Failed when its attempts are used up.
    void attemptFailed(const QUuid &id, const ClientError &error);
    // Network/server/protocol/rate-limit: schedule a retry; auth: wait for a token.
    void waitAfter(const ClientError &error);
    void setStatus(Status status);
    void wakeAfter(std::chrono::milliseconds delay);
    QDateTime now() const;

    OrderQueue *m_queue;
    OrderTransport *m_transport;
    OrderSenderOptions m_options;
    Backoff m_backoff;
    Scheduler m_scheduler;
    QString m_userId;
    Status m_status = Status::Offline;
    bool m_online = false;
    bool m_inFlight = false;
    bool m_retryPending = false;
    bool m_waitingForToken = false;
    bool m_pumping = false;
    bool m_pumpAgain = false;
    quint64 m_retryToken = 0;
    QDateTime m_wakeAt; // the earliest wake-up already scheduled for a settling cancel
    int m_sendSingly = 0;           // after a refused batch: this many next sends go one order at a time
    QSet<QUuid> m_cancelsDelivered; // cancel requests the exchange acknowledged in this session
};

} // namespace tf
