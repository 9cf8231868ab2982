#include "modelslogging.h"

Q_LOGGING_CATEGORY(lcModels, "tradingfloor.models", QtInfoMsg)
