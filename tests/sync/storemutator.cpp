#include "storemutator.h"

#include "rowstore.h"
#include "simserver.h"

#include <QSet>

#include <cmath>

namespace synctest {

StoreMutator::StoreMutator(tf::sim::SimServer &sim, const QStringList &users, quint32 seed, QObject *parent)
    : QObject(parent)
    , m_sim(sim)
    , m_users(users)
    , m_random(seed)
{
    connect(&m_timer, &QTimer::timeout, this, &StoreMutator::step);
}

void StoreMutator::start(std::chrono::milliseconds interval)
{
    m_timer.start(interval);
}

void StoreMutator::stop()
{
    m_timer.stop();
}

QList<QJsonObject> StoreMutator::rowsOf(const QString &table, const QString &user) const
{
    return m_sim.store().rows(table, [user](const QJsonObject &row) {
        return row.value(QStringLiteral("user_id")).toString() == user;
    });
}

QString StoreMutator::randomSymbol()
{
    const QStringList symbols = m_sim.market().symbols();
    return symbols.at(int(m_random.bounded(quint32(symbols.size()))));
}

void StoreMutator::step()
{
    ++m_steps;
    const QString user = m_users.size() > 1 && m_random.bounded(100) < 15 ? m_users.at(1) : m_users.value(0);
    const quint32 roll = m_random.bounded(100);
    bool done = false;
    if (roll < 25)
        done = insertOrder(user, true);
    else if (roll < 35)
        done = insertOrder(user, false);
    else if (roll < 45)
        done = requestCancel(user);
    else if (roll < 63)
        done = touchPosition(user);
    else if (roll < 71)
        done = deletePosition(user);
    else if (roll < 81)
        done = insertPosition(user);
    else if (roll < 89)
        done = deleteTrade(user);
    else
        done = deleteOrder(user);
    if (!done)
        insertOrder(user, true);
}

bool StoreMutator::insertOrder(const QString &user, bool market)
{
    const QString symbol = randomSymbol();
    QJsonObject order{{QStringLiteral("user_id"), user},
                      {QStringLiteral("symbol"), symbol},
                      {QStringLiteral("side"), m_random.bounded(2) ? QStringLiteral("buy") : QStringLiteral("sell")},
                      {QStringLiteral("qty"), double(1 + m_random.bounded(9))},
                      {QStringLiteral("type"), market ? QStringLiteral("market") : QStringLiteral("limit")},
                      {QStringLiteral("status"), QStringLiteral("new")}};
    if (!market) {
        // Far from the market: it rests (accepted) until canceled.
        const double price = m_sim.market().quote(symbol).price;
        order.insert(QStringLiteral("side"), QStringLiteral("buy"));
        order.insert(QStringLiteral("limit_price"), std::max(0.01, std::round(price * 50.0) / 100.0));
    }
    return m_sim.store().insertRow(QStringLiteral("orders"), order).ok();
}

bool StoreMutator::requestCancel(const QString &user)
{
    QList<QJsonObject> open;
    for (const QJsonObject &order : rowsOf(QStringLiteral("orders"), user)) {
        const QString status = order.value(QStringLiteral("status")).toString();
        if (status == u"new" || status == u"accepted")
            open.append(order);
    }
    if (open.isEmpty())
        return false;
    const QJsonObject order = open.at(int(m_random.bounded(quint32(open.size()))));
    return m_sim.store()
        .updateByKey(QStringLiteral("orders"), order.value(QStringLiteral("id")),
                     QJsonObject{{QStringLiteral("status"), QStringLiteral("cancel_requested")}})
        .ok();
}

bool StoreMutator::touchPosition(const QString &user)
{
    const QList<QJsonObject> positions = rowsOf(QStringLiteral("positions"), user);
    if (positions.isEmpty())
        return false;
    const QJsonObject position = positions.at(int(m_random.bounded(quint32(positions.size()))));
    const double pnl = position.value(QStringLiteral("realized_pnl")).toDouble() + double(m_random.bounded(200)) - 100.0;
    return m_sim.store()
        .updateByKey(QStringLiteral("positions"), position.value(QStringLiteral("id")),
                     QJsonObject{{QStringLiteral("realized_pnl"), pnl}})
        .ok();
}

bool StoreMutator::insertPosition(const QString &user)
{
    QSet<QString> held;
    for (const QJsonObject &position : rowsOf(QStringLiteral("positions"), user))
        held.insert(position.value(QStringLiteral("symbol")).toString());
    QStringList free;
    for (const QString &symbol : m_sim.market().symbols()) {
        if (!held.contains(symbol))
            free.append(symbol);
    }
    if (free.isEmpty())
        return false;
    const QString symbol = free.at(int(m_random.bounded(quint32(free.size()))));
    return m_sim.store()
        .insertRow(QStringLiteral("positions"),
                   QJsonObject{{QStringLiteral("user_id"), user},
                               {QStringLiteral("symbol"), symbol},
                               {QStringLiteral("qty"), double(m_random.bounded(200)) - 100.0},
                               {QStringLiteral("avg_price"), m_sim.market().quote(symbol).price},
                               {QStringLiteral("realized_pnl"), 0}})
        .ok();
}

bool StoreMutator::deletePosition(const QString &user)
{
    const QList<QJsonObject> positions = rowsOf(QStringLiteral("positions"), user);
    if (positions.isEmpty())
        return false;
    const QJsonObject position = positions.at(int(m_random.bounded(quint32(positions.size()))));
    return m_sim.store().removeByKey(QStringLiteral("positions"), position.value(QStringLiteral("id"))).ok();
}

bool StoreMutator::deleteTrade(const QString &user)
{
    const QList<QJsonObject> trades = rowsOf(QStringLiteral("trades"), user);
    if (trades.isEmpty())
        return false;
    const QJsonObject trade = trades.at(int(m_random.bounded(quint32(trades.size()))));
    return m_sim.store().removeByKey(QStringLiteral("trades"), trade.value(QStringLiteral("id"))).ok();
}

bool StoreMutator::deleteOrder(const QString &user)
{
    QList<QJsonObject> done;
    for (const QJsonObject &order : rowsOf(QStringLiteral("orders"), user)) {
        const QString status = order.value(QStringLiteral("status")).toString();
        if (status == u"filled" || status == u"canceled" || status == u"rejected")
            done.append(order);
    }
    if (done.isEmpty())
        return false;
    const QJsonObject order = done.at(int(m_random.bounded(quint32(done.size()))));
    return m_sim.store().removeByKey(QStringLiteral("orders"), order.value(QStringLiteral("id"))).ok();
}

} // namespace synctest
