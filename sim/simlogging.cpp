#include "simlogging.h"

namespace tf::sim {

Q_LOGGING_CATEGORY(lcSim, "tradingfloor.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimHttp, "tradingfloor.sim.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimRealtime, "tradingfloor.sim.realtime", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimMarket, "tradingfloor.sim.market", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimFaults, "tradingfloor.sim.faults", QtInfoMsg)

} // namespace tf::sim
