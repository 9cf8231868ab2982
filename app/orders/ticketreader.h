#pragma once

#include "order.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace tf {

// A ticket read into an order, or why it cannot be one.
struct TicketRead {
    std::optional<Order> order;
    QString field; // the ticket key at fault ("qty", "limit_price"…), when one is
    QString error; // ready to show; empty when `order` is set
};

// Reads an order ticket: {symbol, side: "buy"|"sell", qty, type: "market"|"limit" (default
// market), limit_price (limit orders only; "limitPrice" is accepted too), client_order_id
// (optional: a UUID the caller made, e.g. tradefloor-cli --client-order-id; otherwise a new one)}.
// Numbers may be JSON numbers or numeric strings. The desk is the last check before the queue, so
// everything is validated again here, whatever the ticket in the UI checked already.
TicketRead readTicket(const QJsonObject &ticket, const QString &userId);

} // namespace tf
