#pragma once

#include <QLoggingCategory>

// The realtime library's logging categories; enable with QT_LOGGING_RULES="tradingfloor.*=true".
// Tokens are never written to any of them (see redactToken()).
Q_DECLARE_LOGGING_CATEGORY(lcProtocol) // tradingfloor.realtime.protocol: frames, decode errors
Q_DECLARE_LOGGING_CATEGORY(lcSocket)   // tradingfloor.realtime.socket: connection, heartbeat, backoff
Q_DECLARE_LOGGING_CATEGORY(lcChannel)  // tradingfloor.realtime.channel: joins, replies, bindings
Q_DECLARE_LOGGING_CATEGORY(lcPresence) // tradingfloor.realtime.presence
Q_DECLARE_LOGGING_CATEGORY(lcRest)     // tradingfloor.rest: PostgREST requests
Q_DECLARE_LOGGING_CATEGORY(lcAuth)     // tradingfloor.auth: sign-in, refresh, token storage
Q_DECLARE_LOGGING_CATEGORY(lcOrders)   // tradingfloor.orders: offline queue and sending

namespace tf {
// A token shortened to something safe for logs: its length and last 4 characters at most.
QString redactToken(const QString &token);
}
