#pragma once

#include "errorclass.h"
#include "order.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

#include <functional>
#include <optional>

namespace tf {

// One row of the server's `orders` table, reduced to what the queue tracks.
struct ServerOrder {
    QUuid clientOrderId;
    QString serverId;     // the table's primary key, as text
    QString status;       // the server's status word (see stateFromServerStatus())
    QString rejectReason; // when status is "rejected"
    QDateTime updatedAt;
    // The whole row as the server returned it (symbol, qty, filled_qty…), for the blotter; empty
    // when a transport has no row to give.
    QJsonObject record;
};

// The answer to insertOrders(). Contract for implementations:
// - Success means every order sent is now on the server and is listed in `confirmed`, including
//   rows that already existed (an idempotent insert omits those from its reply: select them).
// - An error says nothing about whether the server applied the insert (the reply may be lost);
//   the sender resends, and the client order id makes the resend harmless.
// - A Validation error means the server refused the request and applied none of it.
struct InsertResult {
    std::optional<ClientError> error;
    QList<ServerOrder> confirmed;
};

// The answer to fetchOrders(): the rows that exist on the server, by client order id.
struct FetchResult {
    std::optional<ClientError> error;
    QList<ServerOrder> found;
};

// The answer to requestCancel(). `row` is the order after the request when the server returns it.
// A Validation error means the server refused the cancel (e.g. already filled); `row` then shows
// the order as it is, when known.
struct CancelResult {
    std::optional<ClientError> error;
    std::optional<ServerOrder> row;
};

// How OrderSender reaches the exchange. The PostgREST implementation inserts into `orders` with
// on_conflict=client_order_id and resolution=ignore-duplicates; tests use a scripted fake.
// Callbacks run exactly once each, on the thread that made the call, and may run before the call
// returns. Callers keep one request of each kind in flight at a time.
class OrderTransport {
public:
    virtual ~OrderTransport() = default;

    // Inserts the orders, oldest first, in one request.
    virtual void insertOrders(const QList<Order> &orders, std::function<void(InsertResult)> done) = 0;
    // Looks orders up by client order id (to learn whether an unconfirmed order arrived).
    virtual void fetchOrders(const QList<QUuid> &clientOrderIds, std::function<void(FetchResult)> done) = 0;
    // Asks the exchange to cancel a working order. Safe to repeat.
    virtual void requestCancel(const Order &order, std::function<void(CancelResult)> done) = 0;
};

} // namespace tf

Q_DECLARE_METATYPE(tf::ServerOrder)
