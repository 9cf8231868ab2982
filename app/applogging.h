#pragma once

#include <QLoggingCategory>

// The desktop app's logging categories, in one place (the realtime library's are in
// realtime/common/logging.h). Enable more with QT_LOGGING_RULES="tradingfloor.app*.debug=true".
// Tokens, passwords and keys are never written to any of them.
Q_DECLARE_LOGGING_CATEGORY(lcApp)        // tradingfloor.app: start, options, exit
Q_DECLARE_LOGGING_CATEGORY(lcAppSession) // tradingfloor.app.session: sign-in, server switches
Q_DECLARE_LOGGING_CATEGORY(lcAppDemo)    // tradingfloor.app.demo: the embedded simulator, its console
Q_DECLARE_LOGGING_CATEGORY(lcAppOrders)  // tradingfloor.app.orders: order entry
Q_DECLARE_LOGGING_CATEGORY(lcAppSettings) // tradingfloor.app.settings
Q_DECLARE_LOGGING_CATEGORY(lcAppCapture) // tradingfloor.app.capture: screenshots, state dumps
