// NetworkMonitor follows the application's activation without linking Qt Gui: it finds
// QGuiApplication's applicationStateChanged(Qt::ApplicationState) by name. Here the application
// is a QCoreApplication with a signal of exactly that signature, so the lookup path is the real one.
#include "fakerealtimeserver.h"
#include "networkmonitor.h"
#include "realtimesocket.h"

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using tf::NetworkMonitor;
using tf::RealtimeSocket;

class StatefulApplication : public QCoreApplication
{
    Q_OBJECT

public:
    using QCoreApplication::QCoreApplication;

Q_SIGNALS:
    void applicationStateChanged(Qt::ApplicationState state);
};

class TestApplicationState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void activationIsFollowedWhenTheApplicationHasTheSignal()
    {
        tf::NetworkWatchOptions options;
        options.useSystemReachability = false;
        NetworkMonitor monitor(options);
        QSignalSpy activated(&monitor, &NetworkMonitor::appActivated);
        auto *app = qobject_cast<StatefulApplication *>(QCoreApplication::instance());
        QVERIFY(app);
        Q_EMIT app->applicationStateChanged(Qt::ApplicationInactive);
        QCOMPARE(activated.count(), 0);
        Q_EMIT app->applicationStateChanged(Qt::ApplicationActive);
        QCOMPARE(activated.count(), 1);
    }

    void notFollowedWhenSwitchedOff()
    {
        tf::NetworkWatchOptions options;
        options.useSystemReachability = false;
        options.followApplicationState = false;
        NetworkMonitor monitor(options);
        QSignalSpy activated(&monitor, &NetworkMonitor::appActivated);
        Q_EMIT qobject_cast<StatefulApplication *>(QCoreApplication::instance())->applicationStateChanged(Qt::ApplicationActive);
        QCOMPARE(activated.count(), 0);
    }

    void activationReconnectsAWaitingSocket()
    {
        tf::test::FakeRealtimeServer server;
        QVERIFY(server.listen());
        tf::SocketOptions options;
        options.projectUrl = server.httpUrl();
        options.apiKey = QStringLiteral("k");
        options.heartbeatInterval = 100ms;
        options.reconnect.base = 60s; // only the activation can bring it back within the test
        options.reconnect.cap = 60s;
        options.network.useSystemReachability = false;
        RealtimeSocket socket(options);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QVERIFY(opened.wait(5000));
        server.closeAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), RealtimeSocket::State::Reconnecting, 5000);
        Q_EMIT qobject_cast<StatefulApplication *>(QCoreApplication::instance())->applicationStateChanged(Qt::ApplicationActive);
        QCOMPARE(socket.state(), RealtimeSocket::State::Connecting);
        QVERIFY(opened.wait(5000));
    }
};

int main(int argc, char *argv[])
{
    StatefulApplication app(argc, argv);
    TestApplicationState test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_realtimeclient_appstate.moc"
