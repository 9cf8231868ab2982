#include "windowcapture.h"

#include "applogging.h"

#include <QCoreApplication>
#include <QImage>
#include <QQuickWindow>
#include <QTimer>

namespace tf {

WindowCapture::WindowCapture(QQuickWindow *window, QString path, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_path(std::move(path))
{
}

void WindowCapture::captureAfter(int milliseconds)
{
    QTimer::singleShot(milliseconds, this, &WindowCapture::grabAndQuit);
}

void WindowCapture::grabAndQuit()
{
    if (m_path.isEmpty()) {
        QCoreApplication::exit(0);
        return;
    }
    const QImage image = m_window->grabWindow();
    if (image.isNull() || !image.save(m_path)) {
        qCCritical(lcAppCapture) << "could not write screenshot to" << m_path;
        QCoreApplication::exit(2);
        return;
    }
    qCInfo(lcAppCapture) << "screenshot written to" << m_path << image.size();
    QCoreApplication::exit(0);
}

} // namespace tf
