#pragma once

#include "tableschema.h"

namespace tf::sim {

class RowStore;

// The project's tables (what docs/deploy.md creates in a real project), in the store's terms.
//   instruments(symbol PK, name, tick_size, lot_size, currency)         readable by everyone
//   orders(id identity PK, client_order_id uuid UNIQUE, user_id, symbol, side, qty, type,
//          limit_price, status, reject_reason, filled_qty, avg_fill_price, created_at, updated_at)
//   trades(id identity PK, user_id, order_id, symbol, side, qty, price, executed_at)
//   positions(id identity PK, user_id, symbol, qty, avg_price, realized_pnl, updated_at),
//          UNIQUE (user_id, symbol)
// user_id defaults to auth.uid(). Access mirrors migration 0002 (packaging/supabase/migrations):
// a signed-in trader reads instruments and their own orders, trades and positions, inserts
// orders for themselves (order-entry columns only) and may set `status` of an open order of
// theirs to cancel_requested; nothing else. Unlike 0002, anon may read instruments.
namespace TradingSchema {

inline const QString Instruments = QStringLiteral("instruments");
inline const QString Orders = QStringLiteral("orders");
inline const QString Trades = QStringLiteral("trades");
inline const QString Positions = QStringLiteral("positions");

inline const QStringList OrderSides{QStringLiteral("buy"), QStringLiteral("sell")};
inline const QStringList OrderTypes{QStringLiteral("market"), QStringLiteral("limit")};
inline const QStringList OrderStatuses{QStringLiteral("new"), QStringLiteral("accepted"),
                                       QStringLiteral("partially_filled"), QStringLiteral("filled"),
                                       QStringLiteral("cancel_requested"), QStringLiteral("canceled"),
                                       QStringLiteral("rejected")};

TableDef instruments();
TableDef orders();
TableDef trades();
TableDef positions();

void install(RowStore &store);

} // namespace TradingSchema
} // namespace tf::sim
