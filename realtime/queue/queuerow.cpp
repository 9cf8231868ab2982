#include "queuerow.h"

#include "logging.h"

#include <QTimeZone>
#include <QVariant>

namespace tf::queuerow {

namespace {

QDateTime fromMsecs(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::utc());
}

} // namespace

const QString &columns()
{
    static const QString text = QStringLiteral(
        "seq, client_order_id, user_id, symbol, side, quantity, order_type, limit_price, created_at, state,"
        " reason, attempts, ever_sent, last_attempt_at, last_error, server_id, updated_at");
    return text;
}

Order orderFromRow(const QSqlRecord &row)
{
    Order o;
    o.sequence = row.value(0).toLongLong();
    o.clientOrderId = QUuid::fromString(row.value(1).toString());
    o.userId = row.value(2).toString();
    o.symbol = row.value(3).toString();
    o.side = orderSideFromName(row.value(4).toString()).value_or(Order::Side::Buy);
    o.quantity = row.value(5).toDouble();
    o.type = orderTypeFromName(row.value(6).toString()).value_or(Order::Type::Market);
    if (!row.value(7).isNull())
        o.limitPrice = row.value(7).toDouble();
    o.createdAt = fromMsecs(row.value(8));
    const QString stateText = row.value(9).toString();
    const auto state = orderStateFromName(stateText);
    if (!state) {
        // Cannot happen with files we wrote; keep the order visible rather than hide it.
        qCWarning(lcOrders) << "order" << o.clientOrderId << "has unknown state" << stateText << "- shown as failed";
    }
    o.state = state.value_or(Order::State::Failed);
    o.reason = row.value(10).toString();
    o.attempts = row.value(11).toInt();
    o.everSent = row.value(12).toBool();
    o.lastAttemptAt = fromMsecs(row.value(13));
    o.lastError = row.value(14).toString();
    o.serverId = row.value(15).toString();
    o.updatedAt = fromMsecs(row.value(16));
    return o;
}

} // namespace tf::queuerow
