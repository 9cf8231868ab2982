#pragma once

#include <QLoggingCategory>

// tradingfloor.sync: snapshots, catch-ups, buffering, polling (QT_LOGGING_RULES="tradingfloor.sync.debug=true").
Q_DECLARE_LOGGING_CATEGORY(lcSync)
