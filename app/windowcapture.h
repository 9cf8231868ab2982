#pragma once

#include <QObject>
#include <QString>

class QQuickWindow;

// Grabs a window to a PNG after a delay, then quits: the app's scripted-check mode
// (--screenshot FILE --quit-after SECONDS), used by the window tests under Xvfb.
namespace tf {

class WindowCapture : public QObject
{
    Q_OBJECT

public:
    WindowCapture(QQuickWindow *window, QString path, QObject *parent = nullptr);

    // Schedules the grab; with an empty path it only quits after the delay.
    void captureAfter(int milliseconds);

private:
    void grabAndQuit();

    QQuickWindow *m_window;
    QString m_path;
};

} // namespace tf
