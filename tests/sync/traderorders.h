#pragma once

// Order entry as the trader's desk does it, reduced to what the sync must cope with: the order
// is shown at once as a local pending row (OrderModel::addPending), then inserted over REST with
// its client_order_id as idempotency key and re-sent until the server has it. The server's row
// then arrives through the sync and must replace the local one, never show up twice.
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

namespace tf {
class OrderModel;
class PostgrestClient;
} // namespace tf

namespace synctest {

class TraderOrders : public QObject
{
    Q_OBJECT

public:
    TraderOrders(tf::PostgrestClient &rest, tf::OrderModel &orders, const QString &userId, const QStringList &symbols,
                 quint32 seed, QObject *parent = nullptr);

    // Places one small limit or market order; returns its client_order_id.
    QString place();
    int placed() const { return m_placed; }
    // Orders the server has not acknowledged yet (still being re-sent).
    int unconfirmed() const { return int(m_unconfirmed.size()); }

private:
    void send(const QString &clientOrderId);
    void resend();

    tf::PostgrestClient &m_rest;
    tf::OrderModel &m_orders;
    QString m_userId;
    QStringList m_symbols;
    QRandomGenerator m_random;
    QHash<QString, QJsonObject> m_unconfirmed;
    QSet<QString> m_inFlight;
    QTimer m_retry;
    int m_placed = 0;
};

} // namespace synctest
