#pragma once

#include <QLoggingCategory>

// tradingfloor.models: rejected input (missing key, wrong type, duplicate), stale changes, flushes.
// Enable with QT_LOGGING_RULES="tradingfloor.models.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcModels)
