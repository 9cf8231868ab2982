#pragma once

#include <QLoggingCategory>

namespace tf::sim {

// The simulator's logging categories; enable with QT_LOGGING_RULES="tradingfloor.sim*.debug=true".
// Tokens and passwords are never written to any of them.
Q_DECLARE_LOGGING_CATEGORY(lcSim)         // tradingfloor.sim: lifecycle, listening, restarts
Q_DECLARE_LOGGING_CATEGORY(lcSimHttp)     // tradingfloor.sim.http: REST and auth requests
Q_DECLARE_LOGGING_CATEGORY(lcSimRealtime) // tradingfloor.sim.realtime: sockets, joins, fan-out
Q_DECLARE_LOGGING_CATEGORY(lcSimMarket)   // tradingfloor.sim.market: prices, matching
Q_DECLARE_LOGGING_CATEGORY(lcSimFaults)   // tradingfloor.sim.faults: injected faults

} // namespace tf::sim
