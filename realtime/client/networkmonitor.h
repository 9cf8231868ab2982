#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

namespace tf {

// What NetworkMonitor watches and how often it looks for a sleep/wake gap.
struct NetworkWatchOptions {
    // Follow the operating system's reachability through QNetworkInformation (when a backend
    // loads; without one the network counts as online and only the other triggers work).
    bool useSystemReachability = true;
    // Follow QGuiApplication::applicationStateChanged when the process has a GUI application.
    bool followApplicationState = true;
    // The wake watchdog ticks this often; a tick that arrives more than wakeGap late means the
    // machine (or at least this process) was asleep, and every socket may be silently dead.
    std::chrono::milliseconds wakeCheckInterval{5000};
    std::chrono::milliseconds wakeGap{30000};
};

// Tells a connection when it is worth trying again *now* rather than when its backoff timer says:
// the network came back, the machine woke up, the user returned to the app, or the network
// changed under an open socket (which then may be dead without knowing it).
//
// The signals come from the OS where Qt can see it; the public slots are the same events fed in
// by hand, for applications that know more (and for tests, which must not depend on the OS).
class NetworkMonitor : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool online READ isOnline NOTIFY onlineChanged)

public:
    explicit NetworkMonitor(const NetworkWatchOptions &options = {}, QObject *parent = nullptr);

    // False only while the system positively reports no network (reachability Disconnected).
    bool isOnline() const { return m_online; }
    // Whether a QNetworkInformation backend with reachability is loaded in this process.
    bool hasSystemReachability() const { return m_hasSystemReachability; }

    // The wall clock the wake watchdog compares against (ms since the epoch). A monotonic clock
    // would not do: on Linux and macOS it stops while the machine sleeps. Tests replace it.
    void setWallClock(std::function<qint64()> clock);

public Q_SLOTS:
    void setOnline(bool online);
    void notifyAppActivated();
    void notifyWake(qint64 gapMs = 0);
    void notifyNetworkChanged();
    // Runs one watchdog check now (the timer calls it; tests too, after moving the clock).
    void checkForWake();

Q_SIGNALS:
    void onlineChanged(bool online);
    void appActivated();
    void wokeUp(qint64 gapMs);
    void networkChanged();

private Q_SLOTS:
    void handleApplicationStateChanged(Qt::ApplicationState state);

private:
    void attachSystemReachability();
    void attachApplicationState();

    NetworkWatchOptions m_options;
    QTimer m_wakeTimer;
    std::function<qint64()> m_clock;
    qint64 m_lastTickMs = 0;
    bool m_online = true;
    bool m_hasSystemReachability = false;
};

} // namespace tf
