#pragma once

#include "order.h"
#include "ordersender.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <memory>

namespace tf {

class OpenOrderRefresh;
class OrderEventNotifier;
class OrderModel;
class OrderModelMirror;
class OrderQueue;
class PostgrestClient;
class PostgrestOrderTransport;
class QueueAvailability;
struct ServerOrder;

struct OrderDeskOptions {
    // The queue file. Empty: OrderQueue::defaultFilePath() (the setting "orders/queueFile", else
    // AppDataLocation/orders.sqlite).
    QString queueFile;
    // Finished orders are kept this long, then pruned when the queue opens.
    std::chrono::hours historyRetention{24 * 7};
    // Batch size, attempts per order, backoff (docs/orders.md, "Sending policy").
    OrderSenderOptions sender;
    // While the queue refuses orders (cannot be opened or written), how often it is tried again.
    std::chrono::milliseconds recheckInterval{10000};
};

// The trader's order desk: takes an order from the ticket, saves it durably in the offline queue
// (OrderQueue) and has it sent exactly once over PostgREST (OrderSender, PostgrestOrderTransport),
// shows every order in the blotter (OrderModel) from the moment it is saved, and turns what
// happens to it into toasts. A thin coordinator; the work is done by the parts it owns:
//   QueueAvailability   can the queue take orders, and why not (canSubmit, refusalReason)
//   OrderModelMirror    queue -> blotter rows
//   OrderEventNotifier  queue -> toasts (orderEvent)
//   OpenOrderRefresh    catch-up of working orders after a reconnect
// The app wires setOnline() to the realtime link, applyServerOrder() to the sync service's
// orderRecordReceived(), and setUserId() to the signed-in user. docs/orders.md tells the story.
class OrderDesk : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    Q_PROPERTY(bool canSubmit READ canSubmit NOTIFY canSubmitChanged)
    Q_PROPERTY(QString refusalReason READ refusalReason NOTIFY canSubmitChanged)
    Q_PROPERTY(QString lastQueueProblem READ lastQueueProblem NOTIFY queueProblem)
    Q_PROPERTY(bool online READ isOnline NOTIFY onlineChanged)

public:
    enum class Outcome {
        Sent,    // saved, and going out now
        Queued,  // saved; goes out when the link is back (or at the next retry)
        Refused, // not saved: the ticket was invalid or the queue cannot be written; `message` says why
    };
    Q_ENUM(Outcome)

    struct SubmitResult {
        Outcome outcome = Outcome::Refused;
        QString clientOrderId; // set when saved (and for a duplicate client_order_id)
        QString message;       // for the trader: "sending…", "queued — will send when online", the refusal
        QString field;         // the ticket field at fault, for refusals of one field
    };

    // Opens the queue at once (a problem is reported through queueProblem() right after
    // construction, and kept in lastQueueProblem()). `rest` and `model` are not owned; `model` may
    // be null (tradefloor-cli). With a token provider on `rest`, an auth refusal that survived
    // PostgrestClient's own refresh-and-replay gets one more refresh before sending pauses.
    OrderDesk(const OrderDeskOptions &options, PostgrestClient *rest, OrderModel *model, QObject *parent = nullptr);
    OrderDesk(const QString &queueFile, PostgrestClient *rest, OrderModel *model, QObject *parent = nullptr);
    ~OrderDesk() override;

    // symbol, side, qty, type, limit_price (and optionally client_order_id): validated, then
    // committed to disk before this returns Sent or Queued.
    SubmitResult submit(const QJsonObject &ticket);
    // Failed → queued again with a fresh budget of attempts.
    Q_INVOKABLE bool retry(const QString &clientOrderId);
    // Never sent: canceled here. Possibly or surely at the exchange: a cancel request, shown as
    // "cancel pending" until the exchange confirms.
    Q_INVOKABLE bool cancel(const QString &clientOrderId);
    // Sends now, skipping a backoff wait ("Retry now"); also looks up working orders.
    Q_INVOKABLE void flush();

    // The signed-in user (the JWT's sub); empty when signed out. Only this user's orders are sent,
    // shown and counted.
    void setUserId(const QString &sub);
    QString userId() const { return m_userId; }
    // The link state: going online sends the backlog at once and catches up on working orders.
    void setOnline(bool online);
    bool isOnline() const;

    // This trader's orders not yet at the exchange: queued, sending, failed.
    int pendingCount() const { return m_pendingCount; }
    bool canSubmit() const;
    QString refusalReason() const;
    QString lastQueueProblem() const;

    // The parts, for diagnostics, tradefloor-cli and tests.
    OrderQueue *queue() const { return m_queue.get(); }
    OrderSender *sender() const { return m_sender.get(); }
    std::optional<Order> order(const QString &clientOrderId) const;
    // Looks up this trader's working orders at the exchange (what setOnline(true) does).
    void refreshOpenOrders();

public Q_SLOTS:
    // A row of the server's `orders` table (sync service, realtime): status, reject_reason, fills.
    // Orders this queue does not hold (placed elsewhere) are ignored.
    void applyServerOrder(const QJsonObject &record);
    // A new access token is in place (e.g. after signing in again): paused sending resumes.
    void tokenRefreshed();

Q_SIGNALS:
    void pendingCountChanged(int count);
    void canSubmitChanged();
    void onlineChanged(bool online);
    // Toasts: kind "queued", "sent", "filled", "canceled", "rejected", "failed", "cancel_refused".
    void orderEvent(const QString &clientOrderId, const QString &kind, const QString &text);
    // Something about the queue file the trader must know (moved aside, cannot be opened).
    void queueProblem(const QString &message);
    // The server keeps refusing our token: orders wait until the trader signs in again.
    void sendingPaused(const QString &reason);
    // After every committed change of one of this trader's orders.
    void orderChanged(const tf::Order &order);
    // A refreshOpenOrders() round ended; `error` is empty when every look-up succeeded.
    void openOrdersRefreshed(const QString &error);

private:
    void onOrderChanged(const Order &order);
    void onTokenRefreshNeeded(const QString &reason);
    void applyServerRow(const ServerOrder &row);
    void updateCanSubmit();
    void updatePendingCount();
    void reloadViews();
    QString waitingMessage() const;

    QPointer<PostgrestClient> m_rest;
    std::unique_ptr<OrderQueue> m_queue;
    std::unique_ptr<PostgrestOrderTransport> m_transport;
    std::unique_ptr<PostgrestOrderTransport> m_lookupTransport; // the refresh's own: one request per kind in flight
    std::unique_ptr<OrderSender> m_sender;
    QueueAvailability *m_availability;
    OrderModelMirror *m_mirror;
    OrderEventNotifier *m_notifier;
    OpenOrderRefresh *m_refresh;
    QString m_userId;
    int m_pendingCount = 0;
    bool m_canSubmit = false;
    QString m_refusalShown = QStringLiteral("?"); // so the first update always announces
    bool m_refreshedSinceSuccess = false; // one automatic token refresh per stretch of refusals
};

} // namespace tf
