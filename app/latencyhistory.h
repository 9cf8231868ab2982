#pragma once

#include <QVariantList>

#include <chrono>
#include <deque>

namespace tf {

// Heartbeat round trips over a sliding time window (10 minutes by default), for the diagnostics
// chart. Bounded twice: points older than the window fall off, and never more than maxPoints are
// kept (a server answering heartbeats very often cannot grow it without limit).
class LatencyHistory
{
public:
    struct Point {
        qint64 atMs = 0; // ms since the epoch (UTC)
        double latencyMs = 0;
    };

    explicit LatencyHistory(std::chrono::milliseconds window = std::chrono::minutes(10), int maxPoints = 1200);

    // Adds a sample taken at `atMs` and drops what the window or the bound no longer allows.
    // Negative or non-finite latencies (unknown) are ignored; returns whether it was added.
    bool add(qint64 atMs, double latencyMs);
    // Drops samples older than the window as of `nowMs`; returns whether any were dropped.
    bool prune(qint64 nowMs);
    void clear() { m_points.clear(); }

    int size() const { return int(m_points.size()); }
    bool isEmpty() const { return m_points.empty(); }
    const std::deque<Point> &points() const { return m_points; }
    std::chrono::milliseconds window() const { return m_window; }
    int maxPoints() const { return m_maxPoints; }

    // [{time: ms since epoch, latencyMs}], oldest first: what QML's chart binds to.
    QVariantList toVariantList() const;

private:
    std::chrono::milliseconds m_window;
    int m_maxPoints;
    std::deque<Point> m_points;
};

} // namespace tf
