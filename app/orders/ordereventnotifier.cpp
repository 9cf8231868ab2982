#include "ordereventnotifier.h"

#include "orderwords.h"

namespace tf {

namespace {

// The toast kind for arriving in `to` from `from`; empty when the move is not news.
QString kindFor(std::optional<Order::State> from, Order::State to)
{
    using S = Order::State;
    switch (to) {
    case S::Accepted:
        // Confirmed by the exchange. Back from a refused cancel is not "sent" again.
        return from && *from == S::CancelRequested ? QStringLiteral("cancel_refused") : QStringLiteral("sent");
    case S::Filled:
        return QStringLiteral("filled");
    case S::Canceled:
        return QStringLiteral("canceled");
    case S::Rejected:
        return QStringLiteral("rejected");
    case S::Failed:
        return QStringLiteral("failed");
    case S::Queued:
    case S::Sending:
    case S::CancelRequested:
        break;
    }
    return {};
}

} // namespace

void OrderEventNotifier::setUser(const QString &userId, const QList<Order> &orders)
{
    m_userId = userId;
    m_states.clear();
    for (const Order &order : orders) {
        if (order.userId == userId)
            m_states.insert(order.clientOrderId, order.state);
    }
}

void OrderEventNotifier::observe(const Order &order)
{
    if (m_userId.isEmpty() || order.userId != m_userId)
        return;
    const auto known = m_states.constFind(order.clientOrderId);
    const std::optional<Order::State> from =
        known == m_states.cend() ? std::nullopt : std::optional<Order::State>(*known);
    m_states.insert(order.clientOrderId, order.state);
    if (from && *from == order.state)
        return;
    const QString kind = kindFor(from, order.state);
    if (kind.isEmpty())
        return;
    Q_EMIT orderEvent(order.clientOrderId.toString(QUuid::WithoutBraces), kind,
                      orderLabel(order) + QStringLiteral(": ") + orderStateText(order));
}

} // namespace tf
