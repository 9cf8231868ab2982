#include "ordersender.h"

#include "logging.h"
#include "orderqueue.h"

#include <QHash>
#include <QPointer>
#include <QTimer>

#include <algorithm>

namespace tf {

namespace {

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QString serverWords(const ClientError &error)
{
    return error.message.isEmpty() ? error.toString() : error.message;
}

} // namespace

OrderSender::OrderSender(OrderQueue *queue, OrderTransport *transport, OrderSenderOptions options, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_transport(transport)
    , m_options(options)
    , m_backoff(options.backoff)
{
    Q_ASSERT(queue && transport);
    m_options.batchSize = std::max(1, m_options.batchSize);
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    m_scheduler = [this](std::chrono::milliseconds delay, std::function<void()> callback) {
        QTimer::singleShot(delay, this, std::move(callback));
    };
    // A new order, a retry or a cancel by the trader: something may be ready to go.
    connect(m_queue, &OrderQueue::orderChanged, this, [this](const Order &order) {
        if (order.state == Order::State::Queued || order.state == Order::State::CancelRequested)
            pump();
    });
}

void OrderSender::setScheduler(Scheduler scheduler)
{
    m_scheduler = std::move(scheduler);
}

void OrderSender::setUserId(const QString &userId)
{
    if (m_userId == userId)
        return;
    m_userId = userId;
    pump();
}

void OrderSender::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    if (online) {
        // A fresh link: send the backlog now rather than after a backoff computed for the old one.
        ++m_retryToken;
        m_retryPending = false;
        m_backoff.reset();
    }
    pump();
}

void OrderSender::tokenRefreshed()
{
    m_waitingForToken = false;
    pump();
}

void OrderSender::flush()
{
    ++m_retryToken;
    m_retryPending = false;
    pump();
}

QDateTime OrderSender::now() const
{
    return m_options.clock ? m_options.clock().toUTC() : QDateTime::currentDateTimeUtc();
}

void OrderSender::wakeAfter(std::chrono::milliseconds delay)
{
    const QDateTime at = now().addMSecs(delay.count());
    if (m_wakeAt.isValid() && m_wakeAt <= at)
        return; // an earlier wake-up will look again
    m_wakeAt = at;
    m_scheduler(delay, [self = QPointer(this), at] {
        if (!self)
            return;
        if (self->m_wakeAt == at)
            self->m_wakeAt = {};
        self->pump();
    });
}

void OrderSender::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged(status);
}

// Runs step() until nothing more can start. Transports may answer inside the call; their
// handlers call pump() again, which then only asks this loop for one more round.
void OrderSender::pump()
{
    if (m_pumping) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    do {
        m_pumpAgain = false;
        step();
    } while (m_pumpAgain);
    m_pumping = false;
}

void OrderSender::step()
{
    if (m_inFlight)
        return setStatus(Status::Sending);
    if (!m_online)
        return setStatus(Status::Offline);
    if (m_waitingForToken)
        return setStatus(Status::WaitingForToken);
    if (m_retryPending)
        return setStatus(Status::WaitingToRetry);
    if (m_userId.isEmpty() || !m_queue->isOpen())
        return setStatus(Status::Idle);

    // The trader wants out of these: they go before new orders.
    const QDateTime current = now();
    for (const Order &order : m_queue->ordersInState(Order::State::CancelRequested, m_userId)) {
        if (m_cancelsDelivered.contains(order.clientOrderId))
            continue;
        if (order.serverId.isEmpty() && order.lastAttemptAt.isValid()) {
            const QDateTime settled = order.lastAttemptAt.addMSecs(m_options.unconfirmedSettleTime.count());
            if (settled > current) {
                wakeAfter(std::chrono::milliseconds(current.msecsTo(settled)));
                continue;
            }
        }
        return startCancel(order);
    }
    const QList<Order> batch = m_queue->nextBatch(m_userId, m_sendSingly > 0 ? 1 : m_options.batchSize);
    if (batch.isEmpty())
        return setStatus(Status::Idle);
    startInsert(batch);
}

void OrderSender::startInsert(const QList<Order> &batch)
{
    QList<QUuid> ids;
    for (const Order &order : batch)
        ids.append(order.clientOrderId);
    // Recorded before the request leaves: if the app dies now, the order is resent after restart
    // and a cancel knows it may be at the exchange.
    const QueueResult marked = m_queue->markSending(ids);
    if (!marked) {
        qCWarning(lcOrders).noquote() << "cannot mark orders as sending, not sending them:" << marked.error;
        waitAfter(ClientError{ErrorClass::Server, QStringLiteral("order queue: ") + marked.error, 0, {}});
        return;
    }
    m_inFlight = true;
    setStatus(Status::Sending);
    qCDebug(lcOrders) << "sending" << ids.size() << "orders";
    m_transport->insertOrders(batch, [self = QPointer(this), ids](InsertResult result) {
        if (self)
            self->onInserted(ids, result);
    });
}

// The handlers keep m_inFlight set while they write the outcome to the queue: those writes emit
// orderChanged, and the wake-ups must not start the next request before the outcome (and any
// backoff) is settled.
void OrderSender::onInserted(const QList<QUuid> &ids, const InsertResult &result)
{
    if (!result.error) {
        m_backoff.reset();
        if (!result.confirmed.isEmpty())
            Q_EMIT serverRowsReceived(result.confirmed);
        QHash<QUuid, ServerOrder> rows;
        for (const ServerOrder &row : result.confirmed)
            rows.insert(row.clientOrderId, row);
        for (const QUuid &id : ids) {
            const auto row = rows.constFind(id);
            if (row != rows.cend()) {
                m_queue->markAccepted(id, *row);
            } else {
                // Should not happen (the transport re-selects); treat as unknown and resend.
                qCWarning(lcOrders).noquote() << "the server did not confirm order" << idText(id) << "- sending it again";
                attemptFailed(id, ClientError{ErrorClass::Protocol, QStringLiteral("the server did not confirm this order"), 0, {}});
            }
        }
        if (m_sendSingly > 0)
            --m_sendSingly;
        m_inFlight = false;
        pump();
        return;
    }

    const ClientError &error = *result.error;
    if (error.errorClass == ErrorClass::Validation) {
        if (ids.size() > 1) {
            // One bad order refuses the whole insert; send them one by one to find it.
            qCInfo(lcOrders).noquote() << "the server refused a batch of" << ids.size()
                                       << "orders; sending them one at a time:" << error.toString();
            for (const QUuid &id : ids)
                m_queue->recordAttempt(id, error.toString());
            m_sendSingly = int(ids.size());
        } else {
            qCInfo(lcOrders).noquote() << "order" << idText(ids.first()) << "rejected:" << error.toString();
            m_queue->markRejected(ids.first(), serverWords(error));
            if (m_sendSingly > 0)
                --m_sendSingly;
        }
        m_inFlight = false;
        pump();
        return;
    }

    for (const QUuid &id : ids)
        attemptFailed(id, error);
    m_inFlight = false;
    waitAfter(error);
}

void OrderSender::attemptFailed(const QUuid &id, const ClientError &error)
{
    const std::optional<Order> order = m_queue->order(id);
    if (order && order->state == Order::State::Sending && order->attempts >= m_options.maxAttempts) {
        const QString reason = QStringLiteral("not sent after %1 attempts: %2").arg(order->attempts).arg(error.toString());
        qCWarning(lcOrders).noquote() << "order" << idText(id) << "failed:" << reason;
        m_queue->markFailed(id, reason);
        return;
    }
    m_queue->recordAttempt(id, error.toString());
}

void OrderSender::waitAfter(const ClientError &error)
{
    if (error.errorClass == ErrorClass::Auth) {
        qCInfo(lcOrders).noquote() << "sending paused until the token is refreshed:" << error.toString();
        m_waitingForToken = true;
        setStatus(Status::WaitingForToken);
        Q_EMIT tokenRefreshNeeded(error.toString());
        return;
    }
    const std::chrono::milliseconds delay = m_backoff.next(error.errorClass == ErrorClass::RateLimit);
    m_retryPending = true;
    const quint64 token = ++m_retryToken;
    qCInfo(lcOrders).noquote() << "send failed:" << error.toString() << "- retry" << m_backoff.attempts() << "in"
                               << delay.count() << "ms";
    setStatus(Status::WaitingToRetry);
    Q_EMIT retryScheduled(m_backoff.attempts(), qint64(delay.count()), error.toString());
    m_scheduler(delay, [self = QPointer(this), token] {
        if (!self || token != self->m_retryToken)
            return; // superseded by a reconnect or flush()
        self->m_retryPending = false;
        self->pump();
    });
}

void OrderSender::startCancel(const Order &order)
{
    const QUuid id = order.clientOrderId;
    m_inFlight = true;
    setStatus(Status::Sending);
    if (order.serverId.isEmpty()) {
        // Sent at some point but never confirmed: ask the exchange whether it has the order.
        qCDebug(lcOrders).noquote() << "looking up" << idText(id) << "before canceling it";
        m_transport->fetchOrders({id}, [self = QPointer(this), id](FetchResult result) {
            if (self)
                self->onFetchedForCancel(id, result);
        });
        return;
    }
    qCDebug(lcOrders).noquote() << "asking the exchange to cancel" << idText(id);
    m_transport->requestCancel(order, [self = QPointer(this), id](CancelResult result) {
        if (self)
            self->onCancelAnswered(id, result);
    });
}

void OrderSender::onFetchedForCancel(const QUuid &id, const FetchResult &result)
{
    if (result.error) {
        m_inFlight = false;
        return waitAfter(*result.error);
    }
    m_backoff.reset();
    const auto row = std::find_if(result.found.cbegin(), result.found.cend(),
                                  [&id](const ServerOrder &found) { return found.clientOrderId == id; });
    if (row != result.found.cend()) {
        // It arrived: record it (the cancel stays pending) and send the cancel next.
        Q_EMIT serverRowsReceived({*row});
        m_queue->markAccepted(id, *row);
    } else {
        // Nothing of ours is in flight (one request at a time) and the last send is older than
        // the settle time: an order the exchange does not have now is not going to arrive.
        m_queue->markCanceled(id, QStringLiteral("canceled; it never reached the exchange"));
    }
    m_inFlight = false;
    pump();
}

void OrderSender::onCancelAnswered(const QUuid &id, const CancelResult &result)
{
    if (result.row)
        Q_EMIT serverRowsReceived({*result.row});
    if (!result.error) {
        m_backoff.reset();
        m_cancelsDelivered.insert(id); // now the exchange's move: its update arrives by realtime
        if (result.row)
            m_queue->applyServerUpdate(id, result.row->status, result.row->rejectReason, result.row->serverId);
    } else if (result.error->errorClass == ErrorClass::Validation) {
        m_queue->markCancelRefused(id, serverWords(*result.error));
        // The refusal may say why (already filled): record that as well.
        if (result.row)
            m_queue->applyServerUpdate(id, result.row->status, result.row->rejectReason, result.row->serverId);
    } else {
        m_inFlight = false;
        return waitAfter(*result.error);
    }
    m_inFlight = false;
    pump();
}

} // namespace tf
