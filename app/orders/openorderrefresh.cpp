#include "openorderrefresh.h"

#include "logging.h"
#include "orderqueue.h"

#include <QPointer>

namespace tf {

namespace {
constexpr int kPerRequest = 100; // keeps the in.(…) filter well inside URL limits
}

OpenOrderRefresh::OpenOrderRefresh(OrderQueue *queue, OrderTransport *transport, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_transport(transport)
{
}

void OpenOrderRefresh::refresh(const QString &userId)
{
    if (userId.isEmpty())
        return;
    if (m_running) {
        m_againFor = userId;
        return;
    }
    m_todo.clear();
    m_error.clear();
    for (const Order::State state : {Order::State::Accepted, Order::State::CancelRequested}) {
        for (const Order &order : m_queue->ordersInState(state, userId)) {
            if (!order.serverId.isEmpty()) // unconfirmed cancels are the sender's to look up
                m_todo.append(order.clientOrderId);
        }
    }
    if (m_todo.isEmpty()) {
        Q_EMIT finished(QString());
        return;
    }
    qCDebug(lcOrders) << "looking up" << m_todo.size() << "working orders";
    m_running = true;
    next();
}

void OpenOrderRefresh::next()
{
    if (m_todo.isEmpty()) {
        m_running = false;
        if (!m_againFor.isEmpty()) // the round asked for meanwhile reports for both
            return refresh(std::exchange(m_againFor, QString()));
        Q_EMIT finished(m_error);
        return;
    }
    const QList<QUuid> ids = m_todo.mid(0, kPerRequest);
    m_todo.remove(0, ids.size());
    m_transport->fetchOrders(ids, [self = QPointer(this)](FetchResult result) {
        if (!self)
            return;
        if (result.error) {
            qCInfo(lcOrders).noquote() << "could not look up working orders:" << result.error->toString();
            self->m_error = result.error->toString();
        } else if (!result.found.isEmpty()) {
            Q_EMIT self->rowsReceived(result.found);
        }
        // Answered later than the call, always: keep the stack flat either way.
        QMetaObject::invokeMethod(self, &OpenOrderRefresh::next, Qt::QueuedConnection);
    });
}

} // namespace tf
