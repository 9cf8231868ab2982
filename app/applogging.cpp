#include "applogging.h"

Q_LOGGING_CATEGORY(lcApp, "tradingfloor.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAppSession, "tradingfloor.app.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAppDemo, "tradingfloor.app.demo", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAppOrders, "tradingfloor.app.orders", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAppSettings, "tradingfloor.app.settings", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAppCapture, "tradingfloor.app.capture", QtInfoMsg)
