#include "ordermodelmirror.h"

#include "logging.h"
#include "ordermodel.h"

#include <QDateTime>
#include <QJsonValue>

namespace tf {

namespace {

QString keyOf(const Order &order)
{
    return order.clientOrderId.toString(QUuid::WithoutBraces);
}

// The fields an `orders` row shares with the order as placed.
QJsonObject placedFields(const Order &order)
{
    QJsonObject record{{QStringLiteral("client_order_id"), keyOf(order)},
                       {QStringLiteral("user_id"), order.userId},
                       {QStringLiteral("symbol"), order.symbol},
                       {QStringLiteral("side"), orderSideName(order.side)},
                       {QStringLiteral("qty"), order.quantity},
                       {QStringLiteral("type"), orderTypeName(order.type)},
                       {QStringLiteral("created_at"), order.createdAt.toUTC().toString(Qt::ISODateWithMs)}};
    if (order.limitPrice)
        record.insert(QStringLiteral("limit_price"), *order.limitPrice);
    return record;
}

// The blotter's word for a state the exchange reported (OrderModel reads the server's words).
QString serverStatusFor(Order::State state)
{
    switch (state) {
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
    case Order::State::Queued:
    case Order::State::Sending:
    case Order::State::Failed:
        break;
    }
    return {};
}

OrderModel::State deliveryStateFor(Order::State state)
{
    switch (state) {
    case Order::State::Sending:
        return OrderModel::Sending;
    case Order::State::Failed:
        return OrderModel::Failed;
    case Order::State::Rejected:
        return OrderModel::Rejected;
    case Order::State::Canceled:
        return OrderModel::Canceled;
    case Order::State::Queued:
    case Order::State::Accepted:
    case Order::State::CancelRequested:
    case Order::State::Filled:
        break;
    }
    return OrderModel::Queued;
}

// Confirmed by the exchange: its id is known, or it reported a state only it can report.
bool isConfirmed(const Order &order)
{
    return !order.serverId.isEmpty() || order.state == Order::State::Accepted || order.state == Order::State::Filled;
}

} // namespace

OrderModelMirror::OrderModelMirror(OrderModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    if (m_model)
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            m_localKeys.clear();
            m_cancelShown.clear();
            Q_EMIT reloadNeeded();
        });
}

void OrderModelMirror::setUser(const QString &userId, const QList<Order> &orders)
{
    if (!m_model)
        return;
    if (userId != m_userId) {
        for (const QString &key : std::as_const(m_localKeys))
            m_model->discardPending(key);
        m_localKeys.clear();
        m_cancelShown.clear();
        m_userId = userId;
    }
    for (const Order &order : orders)
        show(order);
}

bool OrderModelMirror::hasRow(const QString &key) const
{
    // stateOf() sees staged rows too; indexOfKey() covers a shown row in an unknown state.
    return m_model->stateOf(key) != OrderModel::Unknown || m_model->indexOfKey(key) >= 0;
}

void OrderModelMirror::show(const Order &order)
{
    if (!m_model || m_userId.isEmpty() || order.userId != m_userId)
        return;
    const QString key = keyOf(order);
    if (isConfirmed(order))
        showConfirmed(order, key);
    else
        showLocal(order, key);
}

void OrderModelMirror::showLocal(const Order &order, const QString &key)
{
    if (!hasRow(key)) {
        if (!m_model->addPending(placedFields(order)))
            return; // logged and counted by the model
        m_localKeys.insert(key);
    }
    QString reason;
    switch (order.state) {
    case Order::State::Queued:
        reason = order.lastError; // why it is waiting again, for the tooltip
        break;
    case Order::State::CancelRequested:
        reason = QStringLiteral("cancel requested; checking whether it reached the exchange");
        break;
    default:
        reason = order.reason;
        break;
    }
    // Refused (false) once the exchange's row has replaced the local one: then that row rules.
    OrderModel::State state = deliveryStateFor(order.state);
    if (order.state == Order::State::CancelRequested)
        state = order.attempts > 0 ? OrderModel::Sending : OrderModel::Queued;
    m_model->setDeliveryState(key, state, reason);
}

void OrderModelMirror::showConfirmed(const Order &order, const QString &key)
{
    const QString status = serverStatusFor(order.state);
    if (status.isEmpty())
        return; // not a state the exchange reports: the row stays as it is
    m_model->flush(); // what follows reads applied rows (a confirmation is once per order)
    const bool shown = m_model->indexOfKey(key) >= 0;
    if (!shown || m_model->valueForKey(key, OrderModel::PendingRole).toBool()) {
        // The exchange has it but the model shows no row of the exchange's yet: show what the
        // queue knows, unversioned, so that the exchange's own row replaces it whenever it comes.
        QJsonObject record = placedFields(order);
        record.insert(QStringLiteral("status"), status);
        if (!order.serverId.isEmpty())
            record.insert(QStringLiteral("id"), order.serverId);
        if (order.state == Order::State::Rejected && !order.reason.isEmpty())
            record.insert(QStringLiteral("reject_reason"), order.reason);
        m_model->upsert(record);
        m_localKeys.remove(key);
        return;
    }
    // The exchange's row is shown. Only the trader's own request goes on top of it.
    const OrderModel::State current = m_model->stateOf(key);
    if (order.state == Order::State::CancelRequested) {
        if (current == OrderModel::Accepted || current == OrderModel::PartiallyFilled) {
            const QJsonObject record = currentRecord(key, QStringLiteral("cancel_requested"));
            if (!record.isEmpty() && m_model->upsert(record))
                m_cancelShown.insert(key);
        }
    } else if (m_cancelShown.remove(key) && order.state == Order::State::Accepted
               && current == OrderModel::CancelRequested) {
        // The exchange refused the cancel: back to working, with the refusal as the reason.
        QJsonObject record = currentRecord(key, QStringLiteral("accepted"));
        if (!record.isEmpty()) {
            record.insert(QStringLiteral("reject_reason"), order.reason);
            m_model->upsert(record);
        }
    }
}

QJsonObject OrderModelMirror::currentRecord(const QString &key, const QString &status) const
{
    if (m_model->indexOfKey(key) < 0)
        return {};
    const auto value = [this, &key](int role) { return m_model->valueForKey(key, role); };
    const auto time = [&value](int role) { // created_at only orders rows, ms are enough
        const QDateTime at = value(role).toDateTime();
        return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
    };
    QJsonObject record{{QStringLiteral("client_order_id"), key},
                       {QStringLiteral("symbol"), value(OrderModel::SymbolRole).toString()},
                       {QStringLiteral("side"), value(OrderModel::SideRole).toString()},
                       {QStringLiteral("qty"), value(OrderModel::QtyRole).toDouble()},
                       {QStringLiteral("type"), value(OrderModel::TypeRole).toString()},
                       {QStringLiteral("status"), status},
                       {QStringLiteral("filled_qty"), value(OrderModel::FilledQtyRole).toDouble()}};
    const auto copy = [&](int role, const QString &field) {
        const QVariant v = value(role);
        if (v.isValid() && !v.isNull())
            record.insert(field, QJsonValue::fromVariant(v));
    };
    copy(OrderModel::OrderIdRole, QStringLiteral("id"));
    copy(OrderModel::LimitPriceRole, QStringLiteral("limit_price"));
    copy(OrderModel::AvgFillPriceRole, QStringLiteral("avg_fill_price"));
    if (const QJsonValue created = time(OrderModel::CreatedAtRole); !created.isUndefined())
        record.insert(QStringLiteral("created_at"), created);
    // No updated_at: an unversioned change always applies and never raises the version the
    // model holds, so the exchange's next row replaces it. (The row's own updated_at cannot be
    // repeated: the model keeps microseconds, QDateTime milliseconds.)
    return record;
}

void OrderModelMirror::showServerRow(const QJsonObject &record)
{
    if (!m_model || m_userId.isEmpty())
        return;
    const QString owner = record.value(QStringLiteral("user_id")).toString();
    if (!owner.isEmpty() && owner != m_userId)
        return;
    // A bare confirmation (no symbol) is not a row the model could show; the queue has it anyway.
    if (!record.contains(QStringLiteral("symbol")) || !record.contains(QStringLiteral("status")))
        return;
    const QString key = record.value(QStringLiteral("client_order_id")).toString();
    if (m_model->upsert(record))
        m_localKeys.remove(key);
}

} // namespace tf
