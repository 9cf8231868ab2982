#include "orderwords.h"

namespace tf {

QString orderLabel(const Order &order)
{
    QString label = QStringLiteral("%1 %2 %3")
                        .arg(order.side == Order::Side::Buy ? QStringLiteral("Buy") : QStringLiteral("Sell"))
                        .arg(order.quantity)
                        .arg(order.symbol);
    if (order.type == Order::Type::Limit && order.limitPrice)
        label += QStringLiteral(" limit %1").arg(*order.limitPrice);
    return label;
}

QString orderStateText(const Order &order)
{
    const auto withReason = [&order](const QString &word) {
        return order.reason.isEmpty() ? word : word + QStringLiteral(": ") + order.reason;
    };
    switch (order.state) {
    case Order::State::Queued:
        if (order.attempts == 0 && order.lastError.isEmpty())
            return QStringLiteral("queued — will send when online");
        return QStringLiteral("queued — retrying (%1)").arg(order.lastError);
    case Order::State::Sending:
        return QStringLiteral("sending…");
    case Order::State::Accepted:
        return order.reason.isEmpty() ? QStringLiteral("working") : QStringLiteral("working (%1)").arg(order.reason);
    case Order::State::CancelRequested:
        return QStringLiteral("cancel pending");
    case Order::State::Filled:
        return QStringLiteral("filled");
    case Order::State::Canceled:
        return withReason(QStringLiteral("canceled"));
    case Order::State::Rejected:
        return withReason(QStringLiteral("rejected"));
    case Order::State::Failed:
        return withReason(QStringLiteral("failed"));
    }
    return orderStateName(order.state);
}

} // namespace tf
