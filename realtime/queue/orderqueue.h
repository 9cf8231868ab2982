#pragma once

#include "order.h"
#include "ordertransport.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QSqlDatabase>
#include <QString>
#include <QUuid>
#include <QVariant>

#include <chrono>
#include <functional>
#include <optional>

namespace tf {

struct OrderQueueOptions {
    // The queue file. Empty: OrderQueue::defaultFilePath().
    QString filePath;
    // Terminal orders older than this are pruned when the queue opens.
    std::chrono::hours historyRetention{24 * 7};
    // How long a write waits for another connection holding the file's write lock.
    std::chrono::milliseconds busyTimeout{5000};
    // The clock for timestamps and pruning (UTC). Empty: the system clock. For tests.
    std::function<QDateTime()> clock;
    // Open to look only (`tradefloor-cli queue list` next to a running app): an existing file is
    // read as it is — no crash recovery, pruning or quarantine, nothing written but a pending
    // schema upgrade — and every change is refused.
    bool inspectOnly = false;
};

// What open() did.
struct OpenResult {
    bool ok = false;
    QString error;            // why the queue could not be opened (also notWritableReason())
    QString quarantinedPath;  // where an unreadable file was moved, when that happened
    QString quarantineReason; // why it was moved
    int recoveredOrders = 0;  // orders found in `sending` and put back to be sent
};

// The answer to enqueue(). Only Queued means the order is saved: say "queued" only then.
struct EnqueueResult {
    enum class Status {
        Queued,      // committed to disk
        Invalid,     // refused: see `validation` for the fields
        Duplicate,   // refused: an order with this client order id is already in the queue
        NotWritable, // refused: the queue cannot be written; `reason` says why
    };
    Status status = Status::NotWritable;
    QString reason;            // empty when queued
    OrderValidation validation; // for Invalid
    Order order;               // the order as stored (Queued), or the existing one (Duplicate)

    bool ok() const { return status == Status::Queued; }
};

// The answer to the state-changing calls. `error` says why nothing changed.
struct QueueResult {
    bool ok = false;
    QString error;

    explicit operator bool() const { return ok; }
    static QueueResult success() { return {true, {}}; }
    static QueueResult failure(const QString &error) { return {false, error}; }
};

// The durable offline order queue: one SQLite file (WAL, synchronous=FULL, owner-only) holding
// every order this machine placed, with its delivery state. An order is committed to disk before
// enqueue() reports it queued, so a crash or power loss after "queued" cannot lose it; orders a
// crash caught in `sending` are sent again (the client order id makes that harmless). A file that
// cannot be read is moved aside and reported, never silently replaced; a file that cannot be
// written makes the queue refuse new orders with the reason.
//
// Lives in one thread (SQLite connections are per thread). Each instance has its own connection.
class OrderQueue : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool writable READ isWritable NOTIFY writableChanged)
    Q_PROPERTY(QString notWritableReason READ notWritableReason NOTIFY writableChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    Q_PROPERTY(QString quarantinedPath READ quarantinedPath NOTIFY fileQuarantined)
    Q_PROPERTY(QString quarantineReason READ quarantineReason NOTIFY fileQuarantined)

public:
    // AppDataLocation/orders.sqlite, unless the setting "orders/queueFile" names another file.
    static QString defaultFilePath();

    explicit OrderQueue(OrderQueueOptions options = {}, QObject *parent = nullptr);
    explicit OrderQueue(const QString &filePath, QObject *parent = nullptr);
    ~OrderQueue() override;

    // Opens (creating, migrating, checking and recovering) the queue file. On a file that is not a
    // readable queue (not SQLite, failing integrity_check, newer schema) it moves the file aside,
    // reports it through fileQuarantined() and starts an empty queue.
    OpenResult open();
    void close();
    bool isOpen() const;
    QString filePath() const { return m_filePath; }

    // Saves a new order as Queued. Validates it, refuses a client order id already present, and
    // returns only after the transaction is on disk.
    EnqueueResult enqueue(const Order &order);

    // Queued orders, oldest first, for sending; an empty `userId` means every user's.
    QList<Order> nextBatch(const QString &userId, int maxCount) const;

    // Delivery, driven by OrderSender. Each call is one transaction; illegal moves are refused and
    // logged (see ordertransitions.h).
    // Queued → Sending; counts an attempt and marks the orders as possibly at the exchange.
    QueueResult markSending(const QList<QUuid> &clientOrderIds);
    // The exchange has the order: takes its id and status (usually Accepted; Filled etc. when the
    // exchange already moved on). An order with a cancel pending keeps CancelRequested.
    QueueResult markAccepted(const QUuid &clientOrderId, const ServerOrder &row);
    QueueResult markRejected(const QUuid &clientOrderId, const QString &reason);
    // Sending → Failed: retries exhausted. `reason` is shown to the trader.
    QueueResult markFailed(const QUuid &clientOrderId, const QString &reason);
    // A send failed with `error` and may be repeated: Sending → Queued. (A pending cancel stays.)
    QueueResult recordAttempt(const QUuid &clientOrderId, const QString &error);
    // CancelRequested → Canceled after the exchange proved not to have the order.
    QueueResult markCanceled(const QUuid &clientOrderId, const QString &reason);
    // CancelRequested → Accepted: the exchange refused the cancel.
    QueueResult markCancelRefused(const QUuid &clientOrderId, const QString &reason);

    // Trader actions.
    // Failed → Queued with a fresh attempt budget.
    QueueResult retry(const QUuid &clientOrderId);
    // Never sent (queued or failed) → Canceled here. Possibly or surely at the exchange (sending,
    // sent before, accepted) → CancelRequested, which OrderSender turns into a real cancel.
    QueueResult cancel(const QUuid &clientOrderId);

    // A change the server reported later (realtime or a REST catch-up): fills, cancels, rejects.
    // Fails for orders this queue does not hold and for statuses this build does not know.
    QueueResult applyServerUpdate(const QUuid &clientOrderId, const QString &status, const QString &reason = {},
                                  const QString &serverId = {});

    // Puts orders left in Sending back to Queued; returns how many. open() calls it: a send that
    // was in flight when the app died may or may not have arrived, and the resend decides.
    int recoverAfterCrash();

    std::optional<Order> order(const QUuid &clientOrderId) const;
    // Every order, oldest first; with `userId`, only that user's.
    QList<Order> orders(const QString &userId = {}) const;
    QList<Order> ordersInState(Order::State state, const QString &userId = {}) const;
    // Orders not in a terminal state (queued, sending, failed, accepted, cancel requested).
    int pendingCount() const;
    // Orders in any of `states`; with `userId`, only that user's. 0 when closed or unreadable.
    int countInStates(const QList<Order::State> &states, const QString &userId = {}) const;

    // Tries one small write (a timestamp in the file's meta table) and updates `writable` with
    // the outcome: how a refusing queue notices that the disk has room again.
    QueueResult checkWritable();

    // Deletes terminal orders last changed longer ago than `olderThan`; returns how many.
    int prune(std::chrono::milliseconds olderThan);

    bool isWritable() const { return m_writable; }
    QString notWritableReason() const { return m_notWritableReason; }
    QString quarantinedPath() const { return m_quarantinedPath; }
    QString quarantineReason() const { return m_quarantineReason; }

Q_SIGNALS:
    // After any committed change to an order (enqueue included), with the order as stored. A
    // call that changes nothing (the same server status again) writes and announces nothing.
    void orderChanged(const tf::Order &order);
    void ordersPruned(int count);
    void pendingCountChanged(int count);
    void writableChanged(bool writable, const QString &reason);
    // The queue file was unreadable and moved to `path`; a new empty queue took its place.
    void fileQuarantined(const QString &path, const QString &reason);

private:
    using Mutation = std::function<QueueResult(Order &)>;

    bool tryOpenOnce(OpenResult *result, bool *corrupt);
    bool writeMeta(const QString &key, const QString &value, QString *error);
    QSqlDatabase database() const;
    QDateTime now() const;

    // Loads one order, lets `mutate` change it (or refuse), checks the state move against the
    // transition table, writes it back in one transaction and announces it.
    QueueResult update(const QUuid &clientOrderId, const char *action, const Mutation &mutate);
    // The same for several orders in one transaction: all change or none does.
    QueueResult updateMany(const QList<QUuid> &clientOrderIds, const char *action, const Mutation &mutate);
    bool writeOrder(const Order &order, QString *error);
    std::optional<Order> loadOrder(const QUuid &clientOrderId, QString *error) const;
    QList<Order> query(const QString &sql, const QList<QPair<QString, QVariant>> &bindings) const;

    bool begin(QString *error);
    bool commit(QString *error);
    void rollback();

    // `isProblem` false for an orderly close: not worth a warning.
    void setWritable(bool writable, const QString &reason, bool isProblem = true);
    void refreshPendingCount();

    OrderQueueOptions m_options;
    QString m_filePath;
    QString m_connectionName;
    bool m_open = false;
    bool m_writable = false;
    QString m_notWritableReason;
    QString m_quarantinedPath;
    QString m_quarantineReason;
    int m_pendingCount = -1;
};

} // namespace tf
