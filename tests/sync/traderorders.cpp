#include "traderorders.h"

#include "ordermodel.h"
#include "postgrestclient.h"

#include <QDateTime>
#include <QUuid>

namespace synctest {

TraderOrders::TraderOrders(tf::PostgrestClient &rest, tf::OrderModel &orders, const QString &userId,
                           const QStringList &symbols, quint32 seed, QObject *parent)
    : QObject(parent)
    , m_rest(rest)
    , m_orders(orders)
    , m_userId(userId)
    , m_symbols(symbols)
    , m_random(seed)
{
    m_retry.setInterval(250);
    connect(&m_retry, &QTimer::timeout, this, &TraderOrders::resend);
    m_retry.start();
}

QString TraderOrders::place()
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QJsonObject order{{QStringLiteral("client_order_id"), id},
                      {QStringLiteral("user_id"), m_userId},
                      {QStringLiteral("symbol"), m_symbols.at(int(m_random.bounded(quint32(m_symbols.size()))))},
                      {QStringLiteral("side"), m_random.bounded(2) ? QStringLiteral("buy") : QStringLiteral("sell")},
                      {QStringLiteral("qty"), double(1 + m_random.bounded(5))},
                      {QStringLiteral("type"), QStringLiteral("market")}};
    QJsonObject local = order;
    local.insert(QStringLiteral("created_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    m_orders.addPending(local);
    m_unconfirmed.insert(id, order);
    ++m_placed;
    send(id);
    return id;
}

void TraderOrders::send(const QString &clientOrderId)
{
    const auto it = m_unconfirmed.constFind(clientOrderId);
    if (it == m_unconfirmed.constEnd() || m_inFlight.contains(clientOrderId))
        return;
    m_inFlight.insert(clientOrderId);
    tf::PostgrestReply *reply = m_rest.insert(QStringLiteral("orders"), it.value(),
                                              tf::InsertOptions::idempotent(QStringLiteral("client_order_id")));
    connect(reply, &tf::RestReply::finished, this, [this, reply, clientOrderId] {
        reply->deleteLater();
        m_inFlight.remove(clientOrderId);
        if (reply->isOk()) // a resend of an order that got in reads as 201 [] (duplicate ignored)
            m_unconfirmed.remove(clientOrderId);
        // Otherwise (network, slow, expired token…) the retry timer sends it again.
    });
}

void TraderOrders::resend()
{
    const QStringList ids = m_unconfirmed.keys();
    for (const QString &id : ids)
        send(id);
}

} // namespace synctest
