#pragma once

#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <chrono>

namespace tf::sim {

class RealtimeEndpoint;

// A few simulated traders present on the public channel room:trading-floor. They are tracked
// by the server itself (no socket) and now and then change their status, so clients see
// presence_state and presence_diff traffic. Seeded like the market.
class SimTraders : public QObject {
    Q_OBJECT

public:
    static inline const QString Channel = QStringLiteral("room:trading-floor");

    SimTraders(RealtimeEndpoint &realtime, int count, quint32 seed, std::chrono::milliseconds churnInterval,
               QObject *parent = nullptr);

    QStringList keys() const;
    QJsonObject presence(const QString &key) const { return m_presences.value(key); }

    void trackAll(); // (again, e.g. after a restart)
    void untrackAll();
    void churn();    // one trader changes status

private:
    RealtimeEndpoint &m_realtime;
    QRandomGenerator m_random;
    QHash<QString, QJsonObject> m_presences;
    QStringList m_keys;
    QTimer m_churnTimer;
};

} // namespace tf::sim
