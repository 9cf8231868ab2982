#pragma once

// A scripted in-memory exchange behind the OrderTransport interface. Requests wait in `pending`
// until the test answers them, so every interleaving (reply lost, echo first, …) is explicit.

#include "ordertransport.h"

#include <QList>
#include <QMap>

#include <functional>
#include <optional>
#include <variant>

namespace tf::testing {

class FakeExchange : public OrderTransport
{
public:
    struct Insert {
        QList<Order> orders;
        std::function<void(InsertResult)> done;
    };
    struct Fetch {
        QList<QUuid> ids;
        std::function<void(FetchResult)> done;
    };
    struct Cancel {
        Order order;
        std::function<void(CancelResult)> done;
    };
    using Request = std::variant<Insert, Fetch, Cancel>;

    QList<Request> pending;
    QMap<QUuid, ServerOrder> table; // the server's orders table; the key is its UNIQUE column
    QMap<QUuid, int> received;      // insert requests that carried each order
    QMap<QUuid, int> created;       // rows actually created for each order (must stay <= 1)
    int nextServerId = 1000;

    void insertOrders(const QList<Order> &orders, std::function<void(InsertResult)> done) override
    {
        pending.append(Insert{orders, std::move(done)});
    }
    void fetchOrders(const QList<QUuid> &ids, std::function<void(FetchResult)> done) override
    {
        pending.append(Fetch{ids, std::move(done)});
    }
    void requestCancel(const Order &order, std::function<void(CancelResult)> done) override
    {
        pending.append(Cancel{order, std::move(done)});
    }

    bool nextIsInsert() const { return !pending.isEmpty() && std::holds_alternative<Insert>(pending.first()); }
    bool nextIsFetch() const { return !pending.isEmpty() && std::holds_alternative<Fetch>(pending.first()); }
    bool nextIsCancel() const { return !pending.isEmpty() && std::holds_alternative<Cancel>(pending.first()); }

    QList<QUuid> nextInsertIds() const
    {
        QList<QUuid> ids;
        if (nextIsInsert()) {
            for (const Order &order : std::get<Insert>(pending.first()).orders)
                ids.append(order.clientOrderId);
        }
        return ids;
    }

    // INSERT … ON CONFLICT (client_order_id) DO NOTHING.
    void apply(const Insert &insert)
    {
        for (const Order &order : insert.orders) {
            ++received[order.clientOrderId];
            if (table.contains(order.clientOrderId))
                continue;
            ++created[order.clientOrderId];
            table.insert(order.clientOrderId, ServerOrder{order.clientOrderId, QString::number(nextServerId++),
                                                          QStringLiteral("working"), {}, {}, {}});
        }
    }

    // The insert succeeds; the reply lists every order, as the transport contract requires.
    void acceptInsert()
    {
        Insert insert = std::get<Insert>(pending.takeFirst());
        apply(insert);
        InsertResult result;
        for (const Order &order : insert.orders)
            result.confirmed.append(table.value(order.clientOrderId));
        insert.done(result);
    }

    // The request fails with `errorClass`; with `applied` the server did the insert anyway and
    // only the reply was lost.
    void failInsert(ErrorClass errorClass, const QString &message = {}, bool applied = false)
    {
        Insert insert = std::get<Insert>(pending.takeFirst());
        if (applied)
            apply(insert);
        insert.done(InsertResult{ClientError{errorClass, message, 0, {}}, {}});
    }

    void answerFetch()
    {
        Fetch fetch = std::get<Fetch>(pending.takeFirst());
        FetchResult result;
        for (const QUuid &id : fetch.ids) {
            if (table.contains(id))
                result.found.append(table.value(id));
        }
        fetch.done(result);
    }

    void failFetch(ErrorClass errorClass)
    {
        std::get<Fetch>(pending.takeFirst()).done(FetchResult{ClientError{errorClass, {}, 0, {}}, {}});
    }

    void acceptCancel()
    {
        Cancel cancel = std::get<Cancel>(pending.takeFirst());
        ServerOrder &row = table[cancel.order.clientOrderId];
        row.status = QStringLiteral("canceled");
        cancel.done(CancelResult{std::nullopt, row});
    }

    // With `status`, the refusal carries the row as it is on the exchange (e.g. "filled").
    void refuseCancel(const QString &message, const QString &status = {})
    {
        Cancel cancel = std::get<Cancel>(pending.takeFirst());
        std::optional<ServerOrder> row;
        if (!status.isEmpty()) {
            table[cancel.order.clientOrderId].status = status;
            row = table.value(cancel.order.clientOrderId);
        }
        cancel.done(CancelResult{ClientError{ErrorClass::Validation, message, 400, {}}, row});
    }
};

} // namespace tf::testing
