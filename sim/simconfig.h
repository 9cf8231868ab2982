#pragma once

#include "marketsimulator.h"
#include "matchingengine.h"
#include "realtimeendpoint.h"

#include <QByteArray>

#include <chrono>

namespace tf::sim {

// Everything tunable about a simulator instance. Defaults are a realistic project (the real
// server's timings); tests shorten the time-based ones so they run in seconds.
struct SimConfig {
    quint16 port = 0; // 0: pick a free port
    quint32 seed = 42;
    int symbolCount = 20;
    double tickHz = 2.0;
    // The project's JWT secret (Supabase's local-development default, so keys look familiar).
    QByteArray jwtSecret = QByteArrayLiteral("super-secret-jwt-token-with-at-least-32-characters-long");
    std::chrono::seconds tokenLifetime{3600};
    // Orders and positions have REPLICA IDENTITY FULL, as migration 0003 sets them.
    RealtimeSettings realtime = [] {
        RealtimeSettings settings;
        settings.replicaIdentityFull = {QStringLiteral("orders"), QStringLiteral("positions")};
        return settings;
    }();
    MatchingSettings matching;
    int simulatedTraders = 3;
    std::chrono::milliseconds traderChurnInterval{15000}; // 0: traders never change status
    std::chrono::milliseconds restartDowntime{300};       // port closed during a "restart" fault
    bool seedDemoData = true; // demo traders with positions, trades and orders
};

} // namespace tf::sim
