#pragma once

#include "order.h"

#include <QString>

namespace tf {

// What the trader reads about an order: the blotter's tooltip, the toasts, tradefloor-cli.
// One place, so the desk, the app and the CLI say the same thing (docs/orders.md, "What the
// trader sees").

// "Buy 10 ACME" or "Sell 5 ACME limit 101.5".
QString orderLabel(const Order &order);

// The state in words: "queued — will send when online", "queued — retrying (…)", "sending…",
// "working", "cancel pending", "filled", "canceled: …", "rejected: …", "failed: …".
QString orderStateText(const Order &order);

} // namespace tf
