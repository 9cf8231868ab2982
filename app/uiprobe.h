#pragma once

#include <QJsonObject>

class QQuickWindow;

namespace tf {

// What the window shows right now, for --dump-state and the app test: its size and title, whether
// the live-updates banner is visible and what it says, and the toasts on screen. Found by QML
// type name (LiveUpdatesBanner, ToastHost), so it needs nothing from the views but their types;
// a view that is not there is reported as absent, never guessed.
QJsonObject describeWindow(QQuickWindow *window);

} // namespace tf
