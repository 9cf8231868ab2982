#include "postgrestordertransport.h"

#include "logging.h"
#include "postgrestclient.h"

#include <QJsonArray>
#include <QSet>

namespace tf {

namespace {

const QString kClientOrderId = QStringLiteral("client_order_id");
// Confirmations, look-ups and cancels ask for whole rows (PostgREST's default select=*): the
// desk shows the confirmed row in the blotter at once, fills included, without a second query.

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QList<ServerOrder> serverOrdersFrom(const QJsonArray &rows)
{
    QList<ServerOrder> orders;
    for (const QJsonValue &value : rows) {
        if (const auto order = PostgrestOrderTransport::serverOrderFrom(value.toObject()))
            orders.append(*order);
        else
            qCWarning(lcOrders) << "ignoring an orders row without a valid client_order_id";
    }
    return orders;
}

ClientError clientGone()
{
    return {ErrorClass::Network, QStringLiteral("the PostgREST client was destroyed"), 0, {}};
}

// Selects rows by client_order_id. Shared by fetchOrders() and the confirmation of an insert.
void selectByIds(PostgrestClient *client, const QString &table, const QList<QUuid> &ids,
                 std::function<void(FetchResult)> done)
{
    if (!client)
        return done(FetchResult{clientGone(), {}});
    QStringList values;
    for (const QUuid &id : ids)
        values.append(idText(id));
    PostgrestQuery query;
    query.in(kClientOrderId, values);
    PostgrestReply *reply = client->select(table, query);
    QObject::connect(reply, &RestReply::finished, reply, [reply, done = std::move(done)] {
        reply->deleteLater();
        if (!reply->isOk())
            return done(FetchResult{reply->error(), {}});
        done(FetchResult{std::nullopt, serverOrdersFrom(reply->rows())});
    });
}

} // namespace

PostgrestOrderTransport::PostgrestOrderTransport(PostgrestClient *client, const QString &table)
    : m_client(client)
    , m_table(table)
{
}

QJsonObject PostgrestOrderTransport::rowFor(const Order &order)
{
    return QJsonObject{
        {kClientOrderId, idText(order.clientOrderId)},
        {QStringLiteral("user_id"), order.userId},
        {QStringLiteral("symbol"), order.symbol},
        {QStringLiteral("side"), orderSideName(order.side)},
        {QStringLiteral("qty"), order.quantity},
        {QStringLiteral("type"), orderTypeName(order.type)},
        {QStringLiteral("limit_price"), order.limitPrice ? QJsonValue(*order.limitPrice) : QJsonValue(QJsonValue::Null)},
    };
}

std::optional<ServerOrder> PostgrestOrderTransport::serverOrderFrom(const QJsonObject &row)
{
    const QUuid id = QUuid::fromString(row.value(kClientOrderId).toString());
    if (id.isNull())
        return std::nullopt;
    ServerOrder order;
    order.clientOrderId = id;
    const QJsonValue serverId = row.value(QStringLiteral("id"));
    // bigint or uuid primary key: keep it as text either way.
    order.serverId = serverId.isDouble() ? QString::number(qint64(serverId.toDouble())) : serverId.toString();
    order.status = row.value(QStringLiteral("status")).toString();
    order.rejectReason = row.value(QStringLiteral("reject_reason")).toString();
    order.updatedAt = QDateTime::fromString(row.value(QStringLiteral("updated_at")).toString(), Qt::ISODateWithMs);
    order.record = row;
    return order;
}

void PostgrestOrderTransport::insertOrders(const QList<Order> &orders, std::function<void(InsertResult)> done)
{
    if (!m_client)
        return done(InsertResult{clientGone(), {}});
    QJsonArray rows;
    QList<QUuid> ids;
    for (const Order &order : orders) {
        rows.append(rowFor(order));
        ids.append(order.clientOrderId);
    }
    PostgrestReply *reply = m_client->insert(m_table, rows, InsertOptions::idempotent(kClientOrderId));
    QObject::connect(reply, &RestReply::finished, reply,
                     [reply, ids, client = m_client, table = m_table, done = std::move(done)]() mutable {
        reply->deleteLater();
        if (!reply->isOk())
            return done(InsertResult{reply->error(), {}});
        QList<ServerOrder> confirmed = serverOrdersFrom(reply->rows());
        QSet<QUuid> missing(ids.cbegin(), ids.cend());
        for (const ServerOrder &order : std::as_const(confirmed))
            missing.remove(order.clientOrderId);
        if (missing.isEmpty())
            return done(InsertResult{std::nullopt, confirmed});
        // Already on the server (an earlier send arrived; its reply did not): left out of the
        // answer by ignore-duplicates. Select them to confirm them too.
        qCInfo(lcOrders) << missing.size() << "orders were already on the server; confirming them";
        const QList<QUuid> lookup(missing.cbegin(), missing.cend());
        selectByIds(client, table, lookup, [confirmed, done = std::move(done)](FetchResult found) mutable {
            if (found.error)
                return done(InsertResult{found.error, {}}); // inserted, unconfirmed: the resend is harmless
            confirmed += found.found;
            done(InsertResult{std::nullopt, confirmed});
        });
    });
}

void PostgrestOrderTransport::fetchOrders(const QList<QUuid> &clientOrderIds, std::function<void(FetchResult)> done)
{
    selectByIds(m_client, m_table, clientOrderIds, std::move(done));
}

void PostgrestOrderTransport::requestCancel(const Order &order, std::function<void(CancelResult)> done)
{
    if (!m_client)
        return done(CancelResult{clientGone(), std::nullopt});
    const QUuid id = order.clientOrderId;
    PostgrestQuery filters;
    // Only open orders: never turn a finished order back into a pending cancel. A positive list
    // of the schema's own values (a word outside the enum would be an error in Postgres).
    filters.eq(kClientOrderId, idText(id)).in(QStringLiteral("status"), m_cancelableStatuses);
    PostgrestReply *reply = m_client->update(m_table, filters, QJsonObject{{QStringLiteral("status"), m_cancelStatus}});
    QObject::connect(reply, &RestReply::finished, reply,
                     [reply, id, client = m_client, table = m_table, done = std::move(done)]() mutable {
        reply->deleteLater();
        if (!reply->isOk())
            return done(CancelResult{reply->error(), std::nullopt});
        const QList<ServerOrder> rows = serverOrdersFrom(reply->rows());
        if (!rows.isEmpty())
            return done(CancelResult{std::nullopt, rows.first()});
        // Nothing open matched. Either an earlier request already got there (its reply was
        // lost) or the order finished first: look at the row to tell which.
        selectByIds(client, table, {id}, [done = std::move(done)](FetchResult found) {
            if (found.error)
                return done(CancelResult{found.error, std::nullopt});
            if (found.found.isEmpty()) {
                return done(CancelResult{ClientError{ErrorClass::Validation,
                                                     QStringLiteral("the exchange has no such order to cancel"), 0, {}},
                                         std::nullopt});
            }
            const ServerOrder &row = found.found.constFirst();
            const auto state = stateFromServerStatus(row.status);
            if (state == Order::State::CancelRequested || state == Order::State::Canceled)
                return done(CancelResult{std::nullopt, row});
            done(CancelResult{ClientError{ErrorClass::Validation,
                                          QStringLiteral("the order is already %1").arg(row.status), 0, {}},
                              row});
        });
    });
}

} // namespace tf
