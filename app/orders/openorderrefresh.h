#pragma once

#include "ordertransport.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUuid>

namespace tf {

class OrderQueue;

// Catches up on the trader's working orders after time away: looks up every order the queue
// holds as accepted or cancel-pending (with an exchange id) by client_order_id and hands the
// exchange's rows on, so fills and cancels that happened while the link was down reach the queue
// even without the sync service (tradefloor-cli, and the app before its first snapshot). One
// round at a time, 100 orders per request; a round asked for while one runs follows it, and
// finished() comes once, after the last.
class OpenOrderRefresh : public QObject
{
    Q_OBJECT

public:
    // Neither pointer is owned.
    OpenOrderRefresh(OrderQueue *queue, OrderTransport *transport, QObject *parent = nullptr);

    void refresh(const QString &userId);
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void rowsReceived(const QList<tf::ServerOrder> &rows);
    // The round is over; `error` is empty when every look-up succeeded.
    void finished(const QString &error);

private:
    void next();

    OrderQueue *m_queue;
    OrderTransport *m_transport;
    QList<QUuid> m_todo;
    QString m_error;
    QString m_againFor; // a round asked for while one ran
    bool m_running = false;
};

} // namespace tf
