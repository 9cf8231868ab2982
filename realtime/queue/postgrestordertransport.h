#pragma once

#include "ordertransport.h"

#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <optional>

namespace tf {

class PostgrestClient;

// OrderTransport over PostgREST (protocol doc §11.4–11.6), for the `orders` table:
//   insert:  POST /rest/v1/orders?on_conflict=client_order_id
//            Prefer: return=representation,resolution=ignore-duplicates
//            Rows that already existed (a resend after a lost reply) are left out of the answer;
//            they are then selected by client_order_id so every order sent is confirmed.
//   fetch:   GET  /rest/v1/orders?client_order_id=in.(…)
//   cancel:  PATCH /rest/v1/orders?client_order_id=eq.…&status=in.(new,accepted,partially_filled)
//            {"status": cancelStatus}. No row back: the row is selected; already cancel_requested
//            or canceled (an earlier request's reply was lost) is success, anything else is a
//            refusal (Validation) that carries the row.
// Token refresh on 401 happens inside PostgrestClient; a refusal that survives it arrives as
// an Auth error, which OrderSender turns into tokenRefreshNeeded().
class PostgrestOrderTransport : public OrderTransport
{
public:
    // `client` is not owned.
    explicit PostgrestOrderTransport(PostgrestClient *client, const QString &table = QStringLiteral("orders"));

    // The status a cancel request writes; the server (trigger or matching engine) turns it into
    // "canceled", or leaves the order filled if the fill came first.
    void setCancelStatus(const QString &status) { m_cancelStatus = status; }
    // The statuses a cancel may change (migration 0001's open orders by default).
    void setCancelableStatuses(const QStringList &statuses) { m_cancelableStatuses = statuses; }

    void insertOrders(const QList<Order> &orders, std::function<void(InsertResult)> done) override;
    void fetchOrders(const QList<QUuid> &clientOrderIds, std::function<void(FetchResult)> done) override;
    void requestCancel(const Order &order, std::function<void(CancelResult)> done) override;

    // The JSON row inserted for an order: identical keys for every order (a bulk insert needs
    // them), limit_price null for market orders. Status and timestamps are the server's.
    static QJsonObject rowFor(const Order &order);
    // A row of the `orders` table as ServerOrder (the row itself kept in `record`); nullopt
    // without a valid client_order_id.
    static std::optional<ServerOrder> serverOrderFrom(const QJsonObject &row);

private:
    QPointer<PostgrestClient> m_client;
    QString m_table;
    QString m_cancelStatus = QStringLiteral("cancel_requested");
    QStringList m_cancelableStatuses{QStringLiteral("new"), QStringLiteral("accepted"), QStringLiteral("partially_filled")};
};

} // namespace tf
