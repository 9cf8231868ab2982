#include "synclogging.h"

Q_LOGGING_CATEGORY(lcSync, "tradingfloor.sync", QtInfoMsg)
