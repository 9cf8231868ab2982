#pragma once

#include "keyedrowmodel.h"

#include <QTimer>

namespace tf {

// Orders, newest first, keyed by client_order_id: the idempotency key the order queue generates
// before the order ever leaves the desk.
//
// A local order is a real row from the moment it is queued (addPending(): state Queued, pending
// true); the queue moves it through Sending/Failed with setDeliveryState(). When the server's row
// arrives (upsert() of an `orders` record: client_order_id, id, symbol, side, qty, type,
// limit_price, status, reject_reason, filled_qty, avg_fill_price, created_at, updated_at) it lands
// on the same key and replaces the local row: an order is never shown twice. From then on the
// server owns the row: its status changes apply by last-writer-wins and local delivery states are
// ignored, so a late "sending" cannot overwrite "accepted". reconcile() keeps local rows the
// server has not seen yet. removeRecord() also accepts an old_record holding only the table's
// primary key `id`.
class OrderModel : public KeyedRowModel
{
    Q_OBJECT
    Q_PROPERTY(int ageRefreshInterval READ ageRefreshInterval WRITE setAgeRefreshInterval NOTIFY ageRefreshIntervalChanged)

public:
    enum Roles {
        ClientOrderIdRole = FirstRole, // QString: the key
        OrderIdRole,                   // QString: the server's id; undefined while local
        SymbolRole,                    // QString
        SideRole,                      // QString: "buy" or "sell"
        QtyRole,                       // double, positive
        TypeRole,                      // QString: "market" or "limit"
        LimitPriceRole,                // double for limit orders, else undefined
        StateRole,                     // State
        StateNameRole,                 // QString: state in words ("partially_filled"); the server's own word when Unknown
        ReasonRole,                    // QString: why rejected/failed (reject_reason); undefined otherwise
        FilledQtyRole,                 // double (0 until filled)
        AvgFillPriceRole,              // double, or undefined before the first fill
        CreatedAtRole,                 // QDateTime (UTC)
        UpdatedAtRole,                 // QDateTime (UTC) of the last server change; undefined while local
        AgeRole,                       // int: seconds since created, computed when read (refreshed every ageRefreshInterval)
        PendingRole,                   // bool: true while only local (the server has not confirmed it)
    };
    Q_ENUM(Roles)

    enum State {
        Unknown,         // a server status this version does not know
        Queued,          // local: saved in the outbox, not sent yet
        Sending,         // local: request in flight
        Accepted,        // server: new/pending/accepted/working/open
        PartiallyFilled, // server
        Filled,          // server
        CancelRequested, // server: cancel asked for, not yet confirmed
        Canceled,        // server, or local when canceled before it ever left
        Rejected,        // server, or local when the server refused the request (4xx)
        Failed,          // local: could not be delivered (gave up retrying)
        Expired,         // server
    };
    Q_ENUM(State)

    explicit OrderModel(QObject *parent = nullptr);

    // Adds a local order (same fields as a server record, without status/id). Rejected when it
    // has no client_order_id, bad fields, or its client_order_id is already in the model.
    bool addPending(const QJsonObject &order);
    // Moves a local order to Queued, Sending, Failed, Rejected or Canceled (the queue's delivery
    // states; names as in the queue's orderStateName()). Ignored (false) once the server owns the
    // row, or for an unknown key or another state.
    bool setDeliveryState(const QString &clientOrderId, tf::OrderModel::State state,
                          const QString &reason = QString());
    // Drops a local order the user gave up on; false when the server already has it.
    bool discardPending(const QString &clientOrderId);

    // The state as of the next flush; Unknown when the key is unknown.
    State stateOf(const QString &clientOrderId) const;
    static QString stateName(State state);

    int ageRefreshInterval() const { return m_ageTimer.interval(); }
    // How often views are told that ages moved (one dataChanged of AgeRole over all rows); 0 = never.
    void setAgeRefreshInterval(int milliseconds);
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

public Q_SLOTS:
    void refreshAges();

Q_SIGNALS:
    void ageRefreshIntervalChanged();

protected:
    bool parseRecord(const QJsonObject &record, Row &row, QString *error) const override;
    bool lessThan(const Row &a, const Row &b) const override;
    void completeRow(Row &row, const Row *existing) override;
    bool keepOnReconcile(const Row &row) const override;
    QString keyForDeletion(const QJsonObject &oldRecord) const override;
    void afterFlush(const FlushSummary &summary) override;

private:
    bool parseOrderFields(const QJsonObject &record, Row &row, QString *error) const;
    // Sets CreatedAtRole and the sort key that orders rows by it.
    static void setCreatedAt(Row &row, const QVariant &time);
    void updateAgeTimer();

    QTimer m_ageTimer;
};

} // namespace tf
