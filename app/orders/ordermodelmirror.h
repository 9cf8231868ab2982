#pragma once

#include "order.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

namespace tf {

class OrderModel;

// Shows the signed-in trader's queued orders in the OrderModel (the blotter), so an order is a
// row from the moment it is saved:
//  * an order the exchange has not confirmed is a local row: addPending(), then
//    setDeliveryState() as it moves (queued, sending, failed, rejected, canceled); a cancel
//    requested for one whose fate is unknown keeps its state with "cancel requested" as reason;
//  * once the exchange has it, its rows rule (the sync service and showServerRow() upsert them,
//    versioned by updated_at); from the queue only what the trader asked for is shown on top —
//    "cancel pending" until the exchange answers — and the exchange's next row replaces it;
//  * an order the queue knows as confirmed but the model lacks (after a restart, before the
//    sync's snapshot) is shown from the queue without a version, so any server row wins;
//  * switching traders discards the previous trader's local rows; a model reset (sign-out)
//    brings the current trader's back.
class OrderModelMirror : public QObject
{
    Q_OBJECT

public:
    // `model` is not owned.
    explicit OrderModelMirror(OrderModel *model, QObject *parent = nullptr);

    // Whose orders are shown, and all of them as the queue has them now.
    void setUser(const QString &userId, const QList<Order> &orders);
    // One order as the queue stored it after a change.
    void show(const Order &order);
    // A whole `orders` row from the exchange (insert reply, look-up, realtime): upserted as it is,
    // when it belongs to the shown trader and has the fields a row needs.
    void showServerRow(const QJsonObject &record);

Q_SIGNALS:
    // The model was reset: the owner hands the current orders to setUser() again.
    void reloadNeeded();

private:
    bool hasRow(const QString &key) const;
    void showLocal(const Order &order, const QString &key);
    void showConfirmed(const Order &order, const QString &key);
    // The row as the model holds it, as an `orders` record with `status` replaced and no version.
    QJsonObject currentRecord(const QString &key, const QString &status) const;

    QPointer<OrderModel> m_model;
    QString m_userId;
    QSet<QString> m_localKeys;     // rows this mirror added (discarded when the trader changes)
    QSet<QString> m_cancelShown;   // server rows shown as "cancel pending" by us
};

} // namespace tf
