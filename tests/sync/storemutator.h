#pragma once

// Writes to the simulator's tables the way the exchange and the back office would: orders that
// the matching engine accepts and fills (trades, positions), cancels, position adjustments,
// closed positions deleted, busted trades deleted, old orders purged. Seeded: the same seed gives
// the same sequence of decisions.
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QStringList>
#include <QTimer>

#include <chrono>

namespace tf::sim {
class SimServer;
}

namespace synctest {

class StoreMutator : public QObject
{
    Q_OBJECT

public:
    StoreMutator(tf::sim::SimServer &sim, const QStringList &users, quint32 seed, QObject *parent = nullptr);

    void start(std::chrono::milliseconds interval);
    void stop();
    // One write chosen at random (the first user is picked most of the time).
    void step();
    int steps() const { return m_steps; }

    // The individual writes; false when there was nothing to act on.
    bool insertOrder(const QString &user, bool market);
    bool requestCancel(const QString &user);
    bool touchPosition(const QString &user);
    bool insertPosition(const QString &user);
    bool deletePosition(const QString &user);
    bool deleteTrade(const QString &user);
    bool deleteOrder(const QString &user);

private:
    QList<QJsonObject> rowsOf(const QString &table, const QString &user) const;
    QString randomSymbol();

    tf::sim::SimServer &m_sim;
    QStringList m_users;
    QRandomGenerator m_random;
    QTimer m_timer;
    int m_steps = 0;
};

} // namespace synctest
