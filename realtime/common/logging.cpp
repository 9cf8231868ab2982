#include "logging.h"

Q_LOGGING_CATEGORY(lcProtocol, "tradingfloor.realtime.protocol", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSocket, "tradingfloor.realtime.socket", QtInfoMsg)
Q_LOGGING_CATEGORY(lcChannel, "tradingfloor.realtime.channel", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPresence, "tradingfloor.realtime.presence", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRest, "tradingfloor.rest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "tradingfloor.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOrders, "tradingfloor.orders", QtInfoMsg)

namespace tf {

QString redactToken(const QString &token)
{
    if (token.isEmpty())
        return QStringLiteral("<none>");
    // Never more than the tail: enough to tell two tokens apart in a support log.
    const QString tail = token.size() > 16 ? token.right(4) : QString();
    return QStringLiteral("<redacted %1 chars%2>")
        .arg(token.size())
        .arg(tail.isEmpty() ? QString() : QStringLiteral(" …") + tail);
}

} // namespace tf
