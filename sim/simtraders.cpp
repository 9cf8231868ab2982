#include "simtraders.h"

#include "realtimeendpoint.h"
#include "timestamps.h"

#include <iterator>

namespace tf::sim {

namespace {
constexpr const char *Names[] = {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra",
                                 "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson"};
constexpr const char *Desks[] = {"equities", "rates", "fx", "commodities"};
constexpr const char *Statuses[] = {"active", "idle", "in a meeting"};
} // namespace

SimTraders::SimTraders(RealtimeEndpoint &realtime, int count, quint32 seed, std::chrono::milliseconds churnInterval,
                       QObject *parent)
    : QObject(parent)
    , m_realtime(realtime)
    , m_random(seed ^ 0x5eed7a11u)
{
    for (int i = 0; i < count; ++i) {
        const QString key = QStringLiteral("sim-trader-%1").arg(i + 1);
        m_keys.append(key);
        m_presences.insert(key, QJsonObject{
            {QStringLiteral("user_id"), key},
            {QStringLiteral("name"), QString::fromLatin1(Names[i % std::size(Names)])},
            {QStringLiteral("desk"), QString::fromLatin1(Desks[m_random.bounded(int(std::size(Desks)))])},
            {QStringLiteral("status"), QStringLiteral("active")},
            {QStringLiteral("online_at"), Timestamps::formatTimestamptz(Timestamps::nowMicros())},
            {QStringLiteral("simulated"), true},
        });
    }
    connect(&m_churnTimer, &QTimer::timeout, this, &SimTraders::churn);
    if (churnInterval.count() > 0 && count > 0)
        m_churnTimer.start(churnInterval);
}

QStringList SimTraders::keys() const
{
    return m_keys;
}

void SimTraders::trackAll()
{
    for (const QString &key : std::as_const(m_keys))
        m_realtime.trackServerPresence(Channel, key, m_presences.value(key));
}

void SimTraders::untrackAll()
{
    for (const QString &key : std::as_const(m_keys))
        m_realtime.untrackServerPresence(Channel, key);
}

void SimTraders::churn()
{
    if (m_keys.isEmpty())
        return;
    const QString key = m_keys.at(m_random.bounded(int(m_keys.size())));
    QJsonObject presence = m_presences.value(key);
    // Always a different status, so every churn is a visible presence_diff.
    const QString current = presence.value(QStringLiteral("status")).toString();
    QString next = current;
    while (next == current)
        next = QString::fromLatin1(Statuses[m_random.bounded(int(std::size(Statuses)))]);
    presence.insert(QStringLiteral("status"), next);
    m_presences.insert(key, presence);
    m_realtime.trackServerPresence(Channel, key, presence);
}

} // namespace tf::sim
