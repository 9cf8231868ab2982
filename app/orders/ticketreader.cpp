#include "ticketreader.h"

#include <QJsonValue>

#include <cmath>

namespace tf {

namespace {

// A JSON number or a numeric string; NaN for anything else (refused by the checks below).
double numberFrom(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const double number = value.toString().trimmed().toDouble(&ok);
        if (ok)
            return number;
    }
    return std::nan("");
}

TicketRead refuse(const QString &field, const QString &error)
{
    return TicketRead{std::nullopt, field, error};
}

} // namespace

TicketRead readTicket(const QJsonObject &ticket, const QString &userId)
{
    if (userId.trimmed().isEmpty())
        return refuse(QString(), QStringLiteral("Sign in to place orders"));

    const QJsonValue symbolValue = ticket.value(QStringLiteral("symbol"));
    const QString symbol = symbolValue.toString().trimmed().toUpper();
    if (!symbolValue.isString() || symbol.isEmpty())
        return refuse(QStringLiteral("symbol"), QStringLiteral("Enter a symbol"));

    const auto side = orderSideFromName(ticket.value(QStringLiteral("side")).toString().trimmed().toLower());
    if (!side)
        return refuse(QStringLiteral("side"), QStringLiteral("Choose buy or sell"));

    const double qty = numberFrom(ticket.value(QStringLiteral("qty")));
    if (!(std::isfinite(qty) && qty > 0))
        return refuse(QStringLiteral("qty"), QStringLiteral("Quantity must be a number greater than 0"));

    const QJsonValue typeValue = ticket.value(QStringLiteral("type"));
    const QString typeText = typeValue.isUndefined() || typeValue.isNull() ? QStringLiteral("market")
                                                                            : typeValue.toString().trimmed().toLower();
    const auto type = orderTypeFromName(typeText);
    if (!type)
        return refuse(QStringLiteral("type"), QStringLiteral("Choose market or limit"));

    const QString limitKey = ticket.contains(QStringLiteral("limit_price")) || !ticket.contains(QStringLiteral("limitPrice"))
        ? QStringLiteral("limit_price")
        : QStringLiteral("limitPrice");
    const QJsonValue limitValue = ticket.value(limitKey);
    const bool hasLimit = !limitValue.isUndefined() && !limitValue.isNull();
    std::optional<double> limitPrice;
    if (*type == Order::Type::Limit) {
        const double limit = numberFrom(limitValue);
        if (!hasLimit)
            return refuse(limitKey, QStringLiteral("A limit order needs a limit price"));
        if (!(std::isfinite(limit) && limit > 0))
            return refuse(limitKey, QStringLiteral("Limit price must be a number greater than 0"));
        limitPrice = limit;
    } else if (hasLimit) {
        return refuse(limitKey, QStringLiteral("A market order has no limit price"));
    }

    Order order = Order::create(userId, symbol, *side, qty, *type, limitPrice);
    const QJsonValue idValue = ticket.value(QStringLiteral("client_order_id"));
    if (!idValue.isUndefined() && !idValue.isNull()) {
        const QUuid id = QUuid::fromString(idValue.toString().trimmed());
        if (id.isNull())
            return refuse(QStringLiteral("client_order_id"), QStringLiteral("client_order_id must be a UUID"));
        order.clientOrderId = id;
    }
    const OrderValidation validation = order.validate();
    if (!validation.isValid())
        return refuse(validation.errors.constFirst().field, validation.errors.constFirst().message);
    return TicketRead{order, {}, {}};
}

} // namespace tf
