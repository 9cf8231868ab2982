#include "orderdesk.h"

#include "accesstokenprovider.h"
#include "logging.h"
#include "openorderrefresh.h"
#include "ordereventnotifier.h"
#include "ordermodelmirror.h"
#include "orderqueue.h"
#include "orderwords.h"
#include "postgrestclient.h"
#include "postgrestordertransport.h"
#include "queueavailability.h"
#include "ticketreader.h"

namespace tf {

namespace {

QUuid uuidFrom(const QString &text)
{
    return QUuid::fromString(text.trimmed());
}

// The same order placed twice with its idempotency key: harmless, and answered with its fate.
bool samePlacement(const Order &a, const Order &b)
{
    return a.userId == b.userId && a.symbol == b.symbol && a.side == b.side && a.quantity == b.quantity
        && a.type == b.type && a.limitPrice == b.limitPrice;
}

OrderDeskOptions optionsForFile(const QString &queueFile)
{
    OrderDeskOptions options;
    options.queueFile = queueFile;
    return options;
}

} // namespace

OrderDesk::OrderDesk(const QString &queueFile, PostgrestClient *rest, OrderModel *model, QObject *parent)
    : OrderDesk(optionsForFile(queueFile), rest, model, parent)
{
}

OrderDesk::OrderDesk(const OrderDeskOptions &options, PostgrestClient *rest, OrderModel *model, QObject *parent)
    : QObject(parent)
    , m_rest(rest)
{
    OrderQueueOptions queueOptions;
    queueOptions.filePath = options.queueFile;
    queueOptions.historyRetention = options.historyRetention;
    m_queue = std::make_unique<OrderQueue>(queueOptions);
    m_transport = std::make_unique<PostgrestOrderTransport>(rest);
    m_lookupTransport = std::make_unique<PostgrestOrderTransport>(rest);
    m_sender = std::make_unique<OrderSender>(m_queue.get(), m_transport.get(), options.sender);
    m_availability = new QueueAvailability(m_queue.get(), options.recheckInterval, this);
    m_mirror = new OrderModelMirror(model, this);
    m_notifier = new OrderEventNotifier(this);
    m_refresh = new OpenOrderRefresh(m_queue.get(), m_lookupTransport.get(), this);

    connect(m_queue.get(), &OrderQueue::orderChanged, this, &OrderDesk::onOrderChanged);
    connect(m_sender.get(), &OrderSender::serverRowsReceived, this, [this](const QList<ServerOrder> &rows) {
        for (const ServerOrder &row : rows)
            m_mirror->showServerRow(row.record);
    });
    connect(m_sender.get(), &OrderSender::tokenRefreshNeeded, this, &OrderDesk::onTokenRefreshNeeded);
    connect(m_refresh, &OpenOrderRefresh::rowsReceived, this, [this](const QList<ServerOrder> &rows) {
        for (const ServerOrder &row : rows)
            applyServerRow(row);
    });
    connect(m_refresh, &OpenOrderRefresh::finished, this, &OrderDesk::openOrdersRefreshed);
    connect(m_availability, &QueueAvailability::availabilityChanged, this, &OrderDesk::updateCanSubmit);
    // Queued: a problem found while the constructor opens the queue reaches whoever connects
    // right after construction.
    connect(m_availability, &QueueAvailability::problem, this, &OrderDesk::queueProblem, Qt::QueuedConnection);
    connect(m_notifier, &OrderEventNotifier::orderEvent, this, &OrderDesk::orderEvent);
    connect(m_mirror, &OrderModelMirror::reloadNeeded, this, &OrderDesk::reloadViews);

    m_availability->open();
    updateCanSubmit();
}

OrderDesk::~OrderDesk()
{
    // Closing the queue announces "not writable"; nobody here needs to hear it any more.
    m_queue->disconnect();
    m_sender.reset();
}

OrderDesk::SubmitResult OrderDesk::submit(const QJsonObject &ticket)
{
    SubmitResult result;
    const TicketRead read = readTicket(ticket, m_userId);
    if (!read.order) {
        result.message = read.error;
        result.field = read.field;
        return result;
    }
    if (!m_availability->isAvailable())
        m_availability->recheck(); // the disk may have room again: try before refusing

    const EnqueueResult saved = m_queue->enqueue(*read.order);
    switch (saved.status) {
    case EnqueueResult::Status::Queued:
        result.clientOrderId = saved.order.clientOrderId.toString(QUuid::WithoutBraces);
        break;
    case EnqueueResult::Status::Duplicate:
        result.clientOrderId = saved.order.clientOrderId.toString(QUuid::WithoutBraces);
        if (!samePlacement(saved.order, *read.order)) {
            result.message = QStringLiteral("client_order_id %1 already belongs to another order").arg(result.clientOrderId);
            result.field = QStringLiteral("client_order_id");
            return result;
        }
        // Placed before with this idempotency key: nothing new is saved or sent.
        result.outcome = saved.order.state == Order::State::Queued ? Outcome::Queued : Outcome::Sent;
        result.message = QStringLiteral("already placed: ") + orderStateText(saved.order);
        return result;
    case EnqueueResult::Status::Invalid:
        result.message = saved.reason;
        result.field = saved.validation.errors.isEmpty() ? QString() : saved.validation.errors.constFirst().field;
        return result;
    case EnqueueResult::Status::NotWritable:
        result.message = QStringLiteral("Order entry is disabled: %1").arg(saved.reason);
        qCWarning(lcOrders).noquote() << "order refused:" << saved.reason;
        updateCanSubmit();
        return result;
    }

    const OrderSender::Status status = m_sender->status();
    const bool goingOut = m_sender->isOnline()
        && (status == OrderSender::Status::Idle || status == OrderSender::Status::Sending);
    if (goingOut) {
        result.outcome = Outcome::Sent;
        result.message = QStringLiteral("sending…");
    } else {
        result.outcome = Outcome::Queued;
        result.message = waitingMessage();
        Q_EMIT orderEvent(result.clientOrderId, QStringLiteral("queued"),
                          orderLabel(saved.order) + QStringLiteral(": ") + result.message);
    }
    return result;
}

QString OrderDesk::waitingMessage() const
{
    switch (m_sender->status()) {
    case OrderSender::Status::WaitingToRetry:
        return QStringLiteral("queued — will send at the next retry");
    case OrderSender::Status::WaitingForToken:
        return QStringLiteral("queued — will send once signed in again");
    case OrderSender::Status::Offline:
    case OrderSender::Status::Idle:
    case OrderSender::Status::Sending:
        break;
    }
    return QStringLiteral("queued — will send when online");
}

bool OrderDesk::retry(const QString &clientOrderId)
{
    const QueueResult done = m_queue->retry(uuidFrom(clientOrderId));
    if (!done)
        qCInfo(lcOrders).noquote() << "retry of" << clientOrderId << "refused:" << done.error;
    return done.ok;
}

bool OrderDesk::cancel(const QString &clientOrderId)
{
    const QueueResult done = m_queue->cancel(uuidFrom(clientOrderId));
    if (!done)
        qCInfo(lcOrders).noquote() << "cancel of" << clientOrderId << "refused:" << done.error;
    return done.ok;
}

void OrderDesk::flush()
{
    m_sender->flush();
    refreshOpenOrders();
}

void OrderDesk::setUserId(const QString &sub)
{
    if (m_userId == sub)
        return;
    m_userId = sub;
    m_refreshedSinceSuccess = false;
    // Views first: the sender may start sending (and changing orders) as soon as it knows whom for.
    const QList<Order> orders = sub.isEmpty() ? QList<Order>() : m_queue->orders(sub);
    m_mirror->setUser(sub, orders);
    m_notifier->setUser(sub, orders);
    m_sender->setUserId(sub);
    updatePendingCount();
    updateCanSubmit();
    refreshOpenOrders();
}

void OrderDesk::setOnline(bool online)
{
    if (m_sender->isOnline() == online)
        return;
    m_sender->setOnline(online);
    Q_EMIT onlineChanged(online);
    if (online)
        refreshOpenOrders();
}

bool OrderDesk::isOnline() const
{
    return m_sender->isOnline();
}

bool OrderDesk::canSubmit() const
{
    return !m_userId.isEmpty() && m_availability->isAvailable();
}

QString OrderDesk::refusalReason() const
{
    if (m_userId.isEmpty())
        return QStringLiteral("Sign in to place orders.");
    return m_availability->reason();
}

QString OrderDesk::lastQueueProblem() const
{
    return m_availability->lastProblem();
}

std::optional<Order> OrderDesk::order(const QString &clientOrderId) const
{
    return m_queue->order(uuidFrom(clientOrderId));
}

void OrderDesk::refreshOpenOrders()
{
    if (!m_userId.isEmpty() && m_sender->isOnline() && m_queue->isOpen())
        m_refresh->refresh(m_userId);
}

void OrderDesk::applyServerOrder(const QJsonObject &record)
{
    const std::optional<ServerOrder> row = PostgrestOrderTransport::serverOrderFrom(record);
    if (!row) {
        qCWarning(lcOrders) << "ignoring an orders row without a valid client_order_id";
        return;
    }
    applyServerRow(*row);
}

void OrderDesk::applyServerRow(const ServerOrder &row)
{
    m_mirror->showServerRow(row.record); // before the queue's change, which the mirror also sees
    if (!m_queue->order(row.clientOrderId))
        return; // placed elsewhere (another device, the web): not ours to track
    const QueueResult applied = m_queue->applyServerUpdate(row.clientOrderId, row.status, row.rejectReason, row.serverId);
    if (!applied)
        qCDebug(lcOrders).noquote() << "server update of" << row.clientOrderId << "not applied:" << applied.error;
}

void OrderDesk::tokenRefreshed()
{
    m_sender->tokenRefreshed();
}

void OrderDesk::onTokenRefreshNeeded(const QString &reason)
{
    AccessTokenProvider *provider = m_rest ? m_rest->tokenProvider() : nullptr;
    if (provider && !m_refreshedSinceSuccess) {
        // PostgrestClient refreshed and replayed once already; one more try from here, then stop:
        // a server that refuses a fresh token will not change its mind in a loop.
        m_refreshedSinceSuccess = true;
        provider->refreshAccessToken(reason, [self = QPointer(this), reason](bool ok) {
            if (!self)
                return;
            if (ok)
                self->m_sender->tokenRefreshed();
            else
                Q_EMIT self->sendingPaused(QStringLiteral("Orders wait until you sign in again (%1)").arg(reason));
        });
        return;
    }
    Q_EMIT sendingPaused(QStringLiteral("Orders wait until you sign in again (%1)").arg(reason));
}

void OrderDesk::onOrderChanged(const Order &order)
{
    if (order.userId == m_userId && !m_userId.isEmpty()) {
        if (order.state == Order::State::Accepted || order.state == Order::State::Filled)
            m_refreshedSinceSuccess = false; // the server takes our token again
        m_mirror->show(order);
        m_notifier->observe(order);
        Q_EMIT orderChanged(order);
    }
    updatePendingCount();
}

void OrderDesk::updateCanSubmit()
{
    const bool can = canSubmit();
    const QString reason = refusalReason();
    if (can == m_canSubmit && reason == m_refusalShown)
        return;
    m_canSubmit = can;
    m_refusalShown = reason;
    Q_EMIT canSubmitChanged(); // also when the reason changed while refusing
}

void OrderDesk::updatePendingCount()
{
    const int count = m_userId.isEmpty()
        ? 0
        : m_queue->countInStates({Order::State::Queued, Order::State::Sending, Order::State::Failed}, m_userId);
    if (count == m_pendingCount)
        return;
    m_pendingCount = count;
    Q_EMIT pendingCountChanged(count);
}

void OrderDesk::reloadViews()
{
    if (!m_userId.isEmpty())
        m_mirror->setUser(m_userId, m_queue->orders(m_userId));
}

} // namespace tf
