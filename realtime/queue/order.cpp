#include "order.h"

#include "ordertransitions.h"

#include <QStringList>

#include <cmath>

namespace tf {

QString OrderValidation::messageFor(const QString &field) const
{
    for (const FieldError &error : errors) {
        if (error.field == field)
            return error.message;
    }
    return {};
}

QString OrderValidation::summary() const
{
    QStringList parts;
    for (const FieldError &error : errors)
        parts << error.field + QStringLiteral(": ") + error.message;
    return parts.join(QStringLiteral("; "));
}

Order Order::create(const QString &userId, const QString &symbol, Side side, double quantity, Type type,
                    std::optional<double> limitPrice)
{
    Order order;
    order.clientOrderId = QUuid::createUuid();
    order.userId = userId;
    order.symbol = symbol;
    order.side = side;
    order.quantity = quantity;
    order.type = type;
    order.limitPrice = limitPrice;
    order.createdAt = QDateTime::currentDateTimeUtc();
    order.updatedAt = order.createdAt;
    return order;
}

OrderValidation Order::validate() const
{
    OrderValidation result;
    const auto fail = [&result](const QString &field, const QString &message) {
        result.errors.append({field, message});
    };
    if (clientOrderId.isNull())
        fail(OrderField::ClientOrderId, QStringLiteral("Missing order id"));
    if (userId.trimmed().isEmpty())
        fail(OrderField::UserId, QStringLiteral("Sign in to place orders"));
    if (symbol.trimmed().isEmpty())
        fail(OrderField::Symbol, QStringLiteral("Enter a symbol"));
    // NaN fails every comparison, so test for "is a positive finite number" rather than "<= 0".
    if (!(std::isfinite(quantity) && quantity > 0))
        fail(OrderField::Quantity, QStringLiteral("Quantity must be greater than 0"));
    if (type == Type::Limit) {
        if (!limitPrice)
            fail(OrderField::LimitPrice, QStringLiteral("A limit order needs a limit price"));
        else if (!(std::isfinite(*limitPrice) && *limitPrice > 0))
            fail(OrderField::LimitPrice, QStringLiteral("Limit price must be greater than 0"));
    } else if (limitPrice) {
        fail(OrderField::LimitPrice, QStringLiteral("A market order has no limit price"));
    }
    return result;
}

bool Order::isTerminal() const
{
    return isTerminalState(state);
}

QString orderSideName(Order::Side side)
{
    return side == Order::Side::Buy ? QStringLiteral("buy") : QStringLiteral("sell");
}

QString orderTypeName(Order::Type type)
{
    return type == Order::Type::Market ? QStringLiteral("market") : QStringLiteral("limit");
}

QString orderStateName(Order::State state)
{
    switch (state) {
    case Order::State::Queued:
        return QStringLiteral("queued");
    case Order::State::Sending:
        return QStringLiteral("sending");
    case Order::State::Accepted:
        return QStringLiteral("accepted");
    case Order::State::CancelRequested:
        return QStringLiteral("cancel_requested");
    case Order::State::Filled:
        return QStringLiteral("filled");
    case Order::State::Canceled:
        return QStringLiteral("canceled");
    case Order::State::Rejected:
        return QStringLiteral("rejected");
    case Order::State::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

std::optional<Order::Side> orderSideFromName(const QString &text)
{
    for (Order::Side side : {Order::Side::Buy, Order::Side::Sell}) {
        if (text == orderSideName(side))
            return side;
    }
    return std::nullopt;
}

std::optional<Order::Type> orderTypeFromName(const QString &text)
{
    for (Order::Type type : {Order::Type::Market, Order::Type::Limit}) {
        if (text == orderTypeName(type))
            return type;
    }
    return std::nullopt;
}

std::optional<Order::State> orderStateFromName(const QString &text)
{
    for (Order::State state : allOrderStates()) {
        if (text == orderStateName(state))
            return state;
    }
    return std::nullopt;
}

std::optional<Order::State> stateFromServerStatus(const QString &status)
{
    const QString s = status.trimmed().toLower();
    // Several spellings exist across exchanges and our simulator; all of these mean "live there".
    static const QStringList working{QStringLiteral("new"), QStringLiteral("pending"), QStringLiteral("accepted"),
                                     QStringLiteral("working"), QStringLiteral("open"),
                                     QStringLiteral("partially_filled"), QStringLiteral("partial")};
    if (working.contains(s))
        return Order::State::Accepted;
    if (s == QStringLiteral("cancel_requested") || s == QStringLiteral("pending_cancel"))
        return Order::State::CancelRequested;
    if (s == QStringLiteral("filled"))
        return Order::State::Filled;
    if (s == QStringLiteral("canceled") || s == QStringLiteral("cancelled") || s == QStringLiteral("expired"))
        return Order::State::Canceled;
    if (s == QStringLiteral("rejected"))
        return Order::State::Rejected;
    return std::nullopt;
}

} // namespace tf
