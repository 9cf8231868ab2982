#include "latencyhistory.h"

#include <QVariantMap>

#include <cmath>

namespace tf {

LatencyHistory::LatencyHistory(std::chrono::milliseconds window, int maxPoints)
    : m_window(window)
    , m_maxPoints(qMax(1, maxPoints))
{
}

bool LatencyHistory::add(qint64 atMs, double latencyMs)
{
    if (!std::isfinite(latencyMs) || latencyMs < 0)
        return false;
    m_points.push_back({atMs, latencyMs});
    prune(atMs);
    while (int(m_points.size()) > m_maxPoints)
        m_points.pop_front();
    return true;
}

bool LatencyHistory::prune(qint64 nowMs)
{
    const qint64 oldestAllowed = nowMs - m_window.count();
    bool dropped = false;
    while (!m_points.empty() && m_points.front().atMs < oldestAllowed) {
        m_points.pop_front();
        dropped = true;
    }
    return dropped;
}

QVariantList LatencyHistory::toVariantList() const
{
    QVariantList list;
    list.reserve(qsizetype(m_points.size()));
    for (const Point &point : m_points)
        list.append(QVariantMap{{QStringLiteral("time"), point.atMs}, {QStringLiteral("latencyMs"), point.latencyMs}});
    return list;
}

} // namespace tf
