#pragma once

#include "order.h"

#include <QHash>
#include <QObject>
#include <QUuid>

namespace tf {

// Turns the queue's order changes into the toasts the trader sees, once per change of state:
//   "sent"      the exchange confirmed it (from queued or sending)
//   "filled", "canceled", "rejected", "failed"
// with the text "Buy 10 ACME: filled" etc. ("queued" is said by the desk when it saves an order
// while offline). Orders already known when the trader is set are remembered without a toast, so
// a restart does not replay old news.
class OrderEventNotifier : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    void setUser(const QString &userId, const QList<Order> &orders);
    void observe(const Order &order);

Q_SIGNALS:
    void orderEvent(const QString &clientOrderId, const QString &kind, const QString &text);

private:
    QString m_userId;
    QHash<QUuid, Order::State> m_states;
};

} // namespace tf
