#include "networkmonitor.h"

#include "logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMetaMethod>
#include <QNetworkInformation>

namespace tf {

namespace {

// QNetworkInformation is one backend per process; loading is attempted once.
QNetworkInformation *systemNetworkInformation()
{
    static const bool loaded = [] {
        if (QNetworkInformation::instance())
            return true;
        // The default backend needs e.g. NetworkManager running; the feature-based lookup finds
        // the glib (or platform) backend on machines without it.
        if (QNetworkInformation::loadDefaultBackend()
            || QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
            return true;
        }
        qCInfo(lcSocket) << "no network information backend; reachability changes will not be seen"
                         << "(available:" << QNetworkInformation::availableBackends() << ")";
        return false;
    }();
    if (!loaded)
        return nullptr;
    QNetworkInformation *info = QNetworkInformation::instance();
    if (!info || !info->supports(QNetworkInformation::Feature::Reachability))
        return nullptr;
    return info;
}

} // namespace

NetworkMonitor::NetworkMonitor(const NetworkWatchOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    if (m_options.useSystemReachability)
        attachSystemReachability();
    if (m_options.followApplicationState)
        attachApplicationState();

    if (m_options.wakeCheckInterval.count() > 0) {
        m_lastTickMs = m_clock();
        m_wakeTimer.setInterval(m_options.wakeCheckInterval);
        // Coarse: the watchdog only has to notice gaps far longer than its own interval.
        m_wakeTimer.setTimerType(Qt::VeryCoarseTimer);
        connect(&m_wakeTimer, &QTimer::timeout, this, &NetworkMonitor::checkForWake);
        m_wakeTimer.start();
    }
}

void NetworkMonitor::setWallClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    m_lastTickMs = m_clock();
}

void NetworkMonitor::setOnline(bool online)
{
    if (online == m_online)
        return;
    m_online = online;
    qCInfo(lcSocket) << "network" << (online ? "online" : "offline");
    Q_EMIT onlineChanged(online);
}

void NetworkMonitor::notifyAppActivated()
{
    Q_EMIT appActivated();
}

void NetworkMonitor::notifyWake(qint64 gapMs)
{
    qCInfo(lcSocket) << "woke up after a gap of" << gapMs << "ms";
    Q_EMIT wokeUp(gapMs);
}

void NetworkMonitor::notifyNetworkChanged()
{
    Q_EMIT networkChanged();
}

void NetworkMonitor::checkForWake()
{
    const qint64 now = m_clock();
    const qint64 gap = now - m_lastTickMs;
    m_lastTickMs = now;
    if (gap >= m_options.wakeCheckInterval.count() + m_options.wakeGap.count())
        notifyWake(gap);
}

void NetworkMonitor::handleApplicationStateChanged(Qt::ApplicationState state)
{
    if (state == Qt::ApplicationActive)
        notifyAppActivated();
}

void NetworkMonitor::attachSystemReachability()
{
    QNetworkInformation *info = systemNetworkInformation();
    if (!info)
        return;
    m_hasSystemReachability = true;
    const auto apply = [this](QNetworkInformation::Reachability reachability) {
        // Unknown, Local and Site are not proof of being offline (a project on the LAN or on
        // localhost still works), so only Disconnected pauses retries.
        setOnline(reachability != QNetworkInformation::Reachability::Disconnected);
    };
    apply(info->reachability());
    connect(info, &QNetworkInformation::reachabilityChanged, this, apply);
    // A new interface (Wi-Fi to cable, VPN up) leaves TCP connections on the old one dead.
    connect(info, &QNetworkInformation::transportMediumChanged, this, &NetworkMonitor::notifyNetworkChanged);
}

void NetworkMonitor::attachApplicationState()
{
    // The library links Qt Core only, so QGuiApplication's signal is found by name: present in a
    // GUI process, absent (and nothing to do) in a console tool.
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return;
    const QMetaObject *appMeta = app->metaObject();
    const int signalIndex =
        appMeta->indexOfSignal(QMetaObject::normalizedSignature("applicationStateChanged(Qt::ApplicationState)").constData());
    if (signalIndex < 0)
        return;
    const int slotIndex =
        metaObject()->indexOfSlot(QMetaObject::normalizedSignature("handleApplicationStateChanged(Qt::ApplicationState)").constData());
    Q_ASSERT(slotIndex >= 0);
    connect(app, appMeta->method(signalIndex), this, metaObject()->method(slotIndex));
}

} // namespace tf
