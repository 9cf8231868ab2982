// RealtimeSocket against the in-test server: URL, state machine with reasons, heartbeat and its
// timeout, reconnect/backoff/give-up, network/wake/activation triggers, frame decoding (text,
// binary kind 4, malformed and oversized frames), refused upgrades, and the connection metrics.
#include "connectionmetrics.h"
#include "fakerealtimeserver.h"
#include "realtimesocket.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace std::chrono_literals;
using tf::ConnectionMetrics;
using tf::ErrorClass;
using tf::PhoenixMessage;
using tf::RealtimeSocket;
using tf::SerializerVersion;
using tf::SocketOptions;
using tf::test::FakeRealtimeServer;
using State = RealtimeSocket::State;

namespace {

constexpr int Wait = 5000;

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

// Fast, deterministic timings: heartbeat 100 ms, retries 20 ms doubling to 200 ms, no jitter.
SocketOptions testOptions(const QUrl &url, SerializerVersion vsn = SerializerVersion::V2)
{
    SocketOptions options;
    options.projectUrl = url;
    options.apiKey = str("anon-key");
    options.vsn = vsn;
    options.heartbeatInterval = 100ms;
    options.connectTimeout = 2000ms;
    options.reconnect.base = 20ms;
    options.reconnect.cap = 200ms;
    options.reconnect.fullJitter = false;
    options.reconnect.rateLimitFloor = 5000ms;
    options.network.useSystemReachability = false; // driven by hand, never by this machine
    options.network.followApplicationState = false;
    options.metricsInterval = 50ms;
    return options;
}

// A TCP server that answers every WebSocket upgrade with a fixed HTTP response (or never).
class HttpRefuser
{
public:
    explicit HttpRefuser(QByteArray response)
        : m_response(std::move(response))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    if (!m_response.isEmpty() && m_request.contains("\r\n\r\n")) {
                        socket->write(m_response);
                        socket->disconnectFromHost();
                    }
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

private:
    QTcpServer m_server;
    QByteArray m_response;
    QByteArray m_request;
};

// A TCP server that completes the WebSocket upgrade by hand and then writes raw frame bytes: it
// can send what Qt's own WebSocket server never would, such as a text frame that is not UTF-8.
class RawFrameServer
{
public:
    explicit RawFrameServer(QByteArray frames)
        : m_frames(std::move(frames))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto request = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
                    *request += socket->readAll();
                    if (!request->contains("\r\n\r\n"))
                        return;
                    QByteArray key;
                    for (const QByteArray &line : request->split('\n')) {
                        if (line.toLower().startsWith("sec-websocket-key:"))
                            key = line.mid(18).trimmed();
                    }
                    const QByteArray accept = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                                                       QCryptographicHash::Sha1).toBase64();
                    socket->write(QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                             "Sec-WebSocket-Accept: ") + accept + "\r\n\r\n" + m_frames);
                    request->clear();
                    ++m_upgrades;
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    int upgrades() const { return m_upgrades; }

    // An unmasked server frame (FIN set) of the given opcode, payload under 126 bytes.
    static QByteArray frame(quint8 opcode, const QByteArray &payload)
    {
        return QByteArray(1, char(0x80 | opcode)) + char(payload.size()) + payload;
    }

private:
    QTcpServer m_server;
    QByteArray m_frames;
    int m_upgrades = 0;
};

QByteArray httpResponse(int status, const char *text, const char *body)
{
    return QByteArray("HTTP/1.1 ") + QByteArray::number(status) + ' ' + text + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + QByteArray::number(qstrlen(body)) + "\r\nConnection: close\r\n\r\n" + body;
}

QByteArray v2(const char *joinRef, const char *ref, const char *topic, const char *event, const QJsonObject &payload)
{
    const QJsonArray array{joinRef ? QJsonValue(str(joinRef)) : QJsonValue(), ref ? QJsonValue(str(ref)) : QJsonValue(),
                           str(topic), str(event), payload};
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

class TestRealtimeSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void endpointUrl_data()
    {
        QTest::addColumn<QString>("project");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("vsn");
        QTest::addColumn<QString>("logLevel");
        QTest::addColumn<QString>("expected");

        QTest::newRow("https becomes wss") << str("https://abcd.supabase.co") << str("sb_publishable_x") << 2
                                           << QString()
                                           << str("wss://abcd.supabase.co/realtime/v1/websocket?apikey=sb_publishable_x&vsn=2.0.0");
        QTest::newRow("http becomes ws, trailing slash") << str("http://127.0.0.1:54321/") << str("k") << 1 << QString()
                                                         << str("ws://127.0.0.1:54321/realtime/v1/websocket?apikey=k&vsn=1.0.0");
        QTest::newRow("log level before vsn") << str("https://abcd.supabase.co") << str("k") << 2 << str("info")
                                              << str("wss://abcd.supabase.co/realtime/v1/websocket?apikey=k&log_level=info&vsn=2.0.0");
        QTest::newRow("key is percent-encoded") << str("https://x.co") << str("a+b/c=") << 2 << QString()
                                                << str("wss://x.co/realtime/v1/websocket?apikey=a%2Bb%2Fc%3D&vsn=2.0.0");
        QTest::newRow("wss kept") << str("wss://x.co") << str("k") << 2 << QString()
                                  << str("wss://x.co/realtime/v1/websocket?apikey=k&vsn=2.0.0");
    }

    void endpointUrl()
    {
        QFETCH(QString, project);
        QFETCH(QString, key);
        QFETCH(int, vsn);
        QFETCH(QString, logLevel);
        QFETCH(QString, expected);
        SocketOptions options;
        options.projectUrl = QUrl(project);
        options.apiKey = key;
        options.vsn = vsn == 1 ? SerializerVersion::V1 : SerializerVersion::V2;
        options.logLevel = logLevel;
        QCOMPARE(RealtimeSocket::endpointUrl(options).toString(QUrl::FullyEncoded), expected);
    }

    void redactsSecretsInFramesAndUrl()
    {
        const QByteArray frame = v2("1", "1", "realtime:a", "phx_join",
                                    QJsonObject{{str("config"), QJsonObject()},
                                                {str("access_token"), str("eyJhbGciOiJIUzI1NiJ9.secretpart.sig")}});
        const QByteArray redacted = RealtimeSocket::redactFrame(frame);
        QVERIFY2(!redacted.contains("secretpart"), redacted.constData());
        QVERIFY(redacted.contains("realtime:a"));
        QVERIFY(redacted.contains("access_token"));
        QVERIFY(!RealtimeSocket::redactFrame("{\"apikey\" : \"abcdefghijklmnopqrstuvwxyz\"}").contains("abcdefghijkl"));

        SocketOptions options;
        options.projectUrl = QUrl(str("https://x.co"));
        options.apiKey = str("very-secret-anon-key-value");
        const RealtimeSocket socket(options);
        QVERIFY(!socket.redactedUrl().contains(str("very-secret")));
        QVERIFY(socket.redactedUrl().startsWith(str("wss://x.co/realtime/v1/websocket?apikey=<redacted")));
    }

    void invalidOptionsAreRefusedWithAReason()
    {
        SocketOptions options;
        options.projectUrl = QUrl(str("ftp://x.co"));
        options.apiKey = str("k");
        RealtimeSocket socket(options);
        QSignalSpy errors(&socket, &RealtimeSocket::errorOccurred);
        socket.connectToServer();
        QCOMPARE(socket.state(), State::Disconnected);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).value<tf::ClientError>().errorClass, ErrorClass::Validation);
        QVERIFY(socket.stateReason().contains(str("URL")));
    }

    void connectsAndEveryTransitionHasAReason()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy states(&socket, &RealtimeSocket::stateChanged);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QCOMPARE(socket.state(), State::Connecting);
        QVERIFY(opened.wait(Wait));
        QCOMPARE(socket.state(), State::Connected);
        QVERIFY(socket.isConnected());
        QCOMPARE(states.count(), 2);
        QCOMPARE(states.at(0).at(0).value<State>(), State::Connecting);
        QCOMPARE(states.at(1).at(0).value<State>(), State::Connected);
        for (const auto &transition : std::as_const(states))
            QVERIFY(!transition.at(1).toString().isEmpty());

        QCOMPARE(server.requestUrls().size(), 1);
        const QUrl url = server.requestUrls().constFirst();
        QCOMPARE(url.path(), str("/realtime/v1/websocket"));
        QCOMPARE(QUrlQuery(url).queryItemValue(str("apikey")), str("anon-key"));
        QCOMPARE(QUrlQuery(url).queryItemValue(str("vsn")), str("2.0.0"));

        socket.disconnectFromServer();
        QCOMPARE(socket.state(), State::Disconnected);
        QCOMPARE(socket.stateReason(), str("disconnect requested"));
        QCOMPARE(socket.reconnectInMs(), -1);
        QTRY_COMPARE_WITH_TIMEOUT(server.openConnectionCount(), 0, Wait);
        QCOMPARE(server.closeCodeOf(0), 1000);
        QCOMPARE(server.closeReasonOf(0), str("client disconnect"));
        QVERIFY(!socket.sendMessage(PhoenixMessage{}));
    }

    void heartbeatsCarryRefsAndMeasureLatency()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy replies(&socket, &RealtimeSocket::heartbeatReplied);
        QSignalSpy forwarded(&socket, &RealtimeSocket::messageReceived);
        socket.connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(replies.count() >= 3, Wait);

        const QList<PhoenixMessage> beats = server.messages(str("heartbeat"));
        QVERIFY(beats.size() >= 3);
        QStringList refs;
        for (const PhoenixMessage &beat : beats) {
            QCOMPARE(beat.topic, str("phoenix"));
            QVERIFY(beat.joinRef.isNull());
            QCOMPARE(beat.payload, QJsonObject());
            QVERIFY(!refs.contains(beat.ref));
            refs << beat.ref;
        }
        // The ref counter is shared with pushes and only grows.
        const qint64 next = socket.makeRef().toLongLong();
        QVERIFY(next > refs.constLast().toLongLong());
        // Heartbeat replies stay inside the socket.
        QCOMPARE(forwarded.count(), 0);
        QVERIFY(socket.metrics()->latencyMs() >= 0);
        QVERIFY(socket.metrics()->averageLatencyMs() >= 0);
    }

    void heartbeatTimeoutOnASilentServerReconnects()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy closed(&socket, &RealtimeSocket::closed);
        QSignalSpy errors(&socket, &RealtimeSocket::errorOccurred);
        socket.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::Connected, Wait);

        // TCP stays open, the server just stops answering: only the heartbeat can notice.
        server.setHeartbeatReplies(false);
        QVERIFY(closed.wait(Wait));
        QVERIFY2(closed.at(0).at(0).toString().contains(str("heartbeat timeout")), qPrintable(closed.at(0).at(0).toString()));
        QVERIFY(!errors.isEmpty());
        QCOMPARE(errors.constLast().at(0).value<tf::ClientError>().errorClass, ErrorClass::Network);
        // We closed the dead connection ourselves (code 1000, "heartbeat timeout")...
        QTRY_COMPARE_WITH_TIMEOUT(server.closeReasonOf(0), str("heartbeat timeout"), Wait);
        QCOMPARE(server.closeCodeOf(0), 1000);
        // ...and came back on a new one.
        server.setHeartbeatReplies(true);
        QTRY_VERIFY_WITH_TIMEOUT(server.totalConnectionCount() >= 2, Wait);
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::Connected, Wait);
        QCOMPARE(socket.metrics()->disconnectCount(), 1);
    }

    void aStalledEventLoopDoesNotKillAHealthyLink()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy closed(&socket, &RealtimeSocket::closed);
        QSignalSpy replies(&socket, &RealtimeSocket::heartbeatReplied);
        bool stalled = false;
        // The first heartbeat reaches the server, then this thread freezes (a UI stall, a
        // debugger) for several heartbeat timeouts; the reply is sent right after. When the loop
        // runs again the timeout timer is long overdue, but the reply is there to be read.
        connect(&server, &FakeRealtimeServer::messageReceived, this, [&stalled](const PhoenixMessage &message) {
            if (message.event == u"heartbeat" && !std::exchange(stalled, true))
                QThread::msleep(400); // simulates the frozen event loop, not a synchronisation
        });
        socket.connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(replies.count() >= 3, Wait);
        QCOMPARE(closed.count(), 0);
        QCOMPARE(server.totalConnectionCount(), 1);
    }

    void anyServerCloseReconnects_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("1000 normal") << 1000;
        QTest::newRow("1001 going away") << 1001;
        QTest::newRow("1012 service restart") << 1012;
        QTest::newRow("1008 policy") << 1008;
    }

    void anyServerCloseReconnects()
    {
        QFETCH(int, code);
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        QSignalSpy scheduled(&socket, &RealtimeSocket::reconnectScheduled);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));
        server.closeAllConnections(QWebSocketProtocol::CloseCode(code), str("bye"));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, Wait);
        QCOMPARE(scheduled.count(), 1);
        QCOMPARE(scheduled.at(0).at(0).toInt(), 1);
        QCOMPARE(scheduled.at(0).at(1).toLongLong(), 20); // first ceiling, jitter off
        QCOMPARE(socket.metrics()->disconnectCount(), 1);
    }

    void serverRestartOnTheSamePort()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        QSignalSpy scheduled(&socket, &RealtimeSocket::reconnectScheduled);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));

        server.stopListening();
        server.closeAllConnections(QWebSocketProtocol::CloseCodeGoingAway, str("shutting down"));
        // While it is down, retries fail and the backoff grows.
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.count() >= 3, Wait);
        QVERIFY(scheduled.at(1).at(1).toLongLong() > scheduled.at(0).at(1).toLongLong());
        QCOMPARE(socket.state(), State::Reconnecting);
        QVERIFY(socket.stateReason().contains(str("retry")));
        QVERIFY(socket.metrics()->reconnectAttempt() >= 3);

        QVERIFY(server.listen(server.port()));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, Wait);
        // The first heartbeat reply on the new link resets the attempt count.
        QTRY_COMPARE_WITH_TIMEOUT(socket.reconnectAttempt(), 0, Wait);
    }

    void givesUpAfterMaxAttemptsAndAWakeRetries()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        const quint16 port = server.port();
        server.stopListening();
        SocketOptions options = testOptions(server.httpUrl());
        options.reconnect.maxAttempts = 2;
        RealtimeSocket socket(options);
        QSignalSpy scheduled(&socket, &RealtimeSocket::reconnectScheduled);
        socket.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::GaveUp, Wait);
        QCOMPARE(scheduled.count(), 2);
        QVERIFY2(socket.stateReason().startsWith(str("gave up after 2 attempts")), qPrintable(socket.stateReason()));
        QCOMPARE(socket.reconnectInMs(), -1);

        QVERIFY(server.listen(port));
        socket.networkMonitor()->notifyWake(3600 * 1000);
        QCOMPARE(socket.state(), State::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::Connected, Wait);
    }

    void offlinePausesRetriesAndOnlineReconnectsAtOnce()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        SocketOptions options = testOptions(server.httpUrl());
        options.reconnect.base = 60s; // a retry that would never come within the test
        options.reconnect.cap = 60s;
        RealtimeSocket socket(options);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));

        // Offline while connected: the link may still work (another interface); probe it.
        server.clearFrames();
        socket.networkMonitor()->setOnline(false);
        QCOMPARE(socket.state(), State::Connected);
        QCOMPARE(server.messages(str("heartbeat")).size(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!server.messages(str("heartbeat")).isEmpty(), Wait);
        QVERIFY(!socket.metrics()->isNetworkOnline());

        // Lost while offline: no retry is scheduled, no attempt is burnt.
        server.closeAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::Reconnecting, Wait);
        QVERIFY(socket.isWaitingForNetwork());
        QCOMPARE(socket.reconnectInMs(), -1);
        QCOMPARE(socket.reconnectAttempt(), 0);
        QVERIFY(socket.stateReason().contains(str("offline")));

        socket.networkMonitor()->setOnline(true);
        QCOMPARE(socket.state(), State::Connecting);
        QVERIFY(opened.wait(Wait));
        QCOMPARE(server.totalConnectionCount(), 2);
    }

    void goingOfflineStopsAScheduledRetry()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        SocketOptions options = testOptions(server.httpUrl());
        options.reconnect.base = 60s;
        options.reconnect.cap = 60s;
        RealtimeSocket socket(options);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));
        server.closeAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::Reconnecting, Wait);
        QVERIFY(socket.reconnectInMs() > 50000);
        QVERIFY(socket.nextReconnectAt().isValid());
        QVERIFY(socket.metrics()->reconnectInMs() > 50000);

        socket.networkMonitor()->setOnline(false);
        QCOMPARE(socket.reconnectInMs(), -1);
        QVERIFY(!socket.nextReconnectAt().isValid());
        QVERIFY(socket.isWaitingForNetwork());
        socket.networkMonitor()->setOnline(true);
        QVERIFY(opened.wait(Wait));
    }

    void appActivationReconnectsAtOnceAndResetsAttempts()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        SocketOptions options = testOptions(server.httpUrl());
        options.reconnect.base = 60s;
        options.reconnect.cap = 60s;
        RealtimeSocket socket(options);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));
        server.closeAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::Reconnecting, Wait);
        QCOMPARE(socket.reconnectAttempt(), 1);

        socket.networkMonitor()->notifyAppActivated();
        QCOMPARE(socket.state(), State::Connecting);
        QCOMPARE(socket.reconnectAttempt(), 0);
        QCOMPARE(socket.stateReason(), str("application activated"));
        QVERIFY(opened.wait(Wait));
    }

    void wakeWatchdogNoticesAGapAndProbesAnOpenLink()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        SocketOptions options = testOptions(server.httpUrl());
        options.heartbeatInterval = 60s; // only a probe can produce a heartbeat in this test
        RealtimeSocket socket(options);
        qint64 now = 1'000'000;
        socket.networkMonitor()->setWallClock([&now] { return now; });
        QSignalSpy woke(socket.networkMonitor(), &tf::NetworkMonitor::wokeUp);
        QSignalSpy replies(&socket, &RealtimeSocket::heartbeatReplied);
        socket.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), State::Connected, Wait);

        now += 5000; // one regular tick: no wake
        socket.networkMonitor()->checkForWake();
        QCOMPARE(woke.count(), 0);
        now += 2 * 3600 * 1000; // the laptop lid was closed
        socket.networkMonitor()->checkForWake();
        QCOMPARE(woke.count(), 1);
        QVERIFY(woke.at(0).at(0).toLongLong() >= 2 * 3600 * 1000);
        QVERIFY(replies.wait(Wait));
        QCOMPARE(server.messages(str("heartbeat")).size(), 1);
    }

    void connectTimeoutAbandonsAHangingHandshake()
    {
        HttpRefuser silent{QByteArray()}; // accepts TCP, never answers the upgrade
        SocketOptions options = testOptions(silent.url());
        options.connectTimeout = 150ms;
        RealtimeSocket socket(options);
        QSignalSpy scheduled(&socket, &RealtimeSocket::reconnectScheduled);
        QSignalSpy states(&socket, &RealtimeSocket::stateChanged);
        socket.connectToServer();
        QVERIFY(scheduled.wait(Wait));
        QCOMPARE(socket.state(), State::Reconnecting);
        QVERIFY2(socket.stateReason().contains(str("connect timeout")), qPrintable(socket.stateReason()));
        socket.disconnectFromServer();
    }

    void tlsVerificationFailureIsNeverIgnored()
    {
        // A self-signed certificate for 127.0.0.1: a real handshake that must not be trusted.
        QTemporaryDir dir;
        QProcess openssl;
        openssl.start(str("openssl"), {str("req"), str("-x509"), str("-newkey"), str("rsa:2048"), str("-nodes"),
                                       str("-keyout"), dir.filePath(str("key.pem")), str("-out"), dir.filePath(str("cert.pem")),
                                       str("-days"), str("2"), str("-subj"), str("/CN=127.0.0.1"),
                                       str("-addext"), str("subjectAltName=IP:127.0.0.1")});
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
            QSKIP("openssl is needed to make a test certificate");
        QFile certFile(dir.filePath(str("cert.pem")));
        QFile keyFile(dir.filePath(str("key.pem")));
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        tls.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // the server does not ask for client certificates

        FakeRealtimeServer server;
        server.setSslConfiguration(tls);
        QVERIFY(server.listen());
        QCOMPARE(server.httpUrl().scheme(), str("https"));
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy errors(&socket, &RealtimeSocket::errorOccurred);
        QSignalSpy scheduled(&socket, &RealtimeSocket::reconnectScheduled);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QVERIFY(scheduled.wait(Wait));
        QCOMPARE(opened.count(), 0);
        QVERIFY(!errors.isEmpty());
        const auto error = errors.at(0).at(0).value<tf::ClientError>();
        QCOMPARE(error.errorClass, ErrorClass::Network);
        QVERIFY2(error.message.contains(str("TLS")), qPrintable(error.message));
        QVERIFY(server.frames().isEmpty()); // not a byte of the protocol went to the untrusted peer
        socket.disconnectFromServer();
    }

    void statusFromHandshakeErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("status");
        QTest::newRow("qt 6.4") << str("QWebSocketPrivate::processHandshake: Unhandled http status code: 429 (Too Many Requests).") << 429;
        QTest::newRow("empty reason") << str("QWebSocketPrivate::processHandshake: Unhandled http status code: 500 ().") << 500;
        QTest::newRow("german") << str("QWebSocketPrivate::processHandshake: Unbehandelter HTTP-Status-Code: 404 (Not Found).") << 404;
        QTest::newRow("newer qt 401") << str("QWebSocket::processHandshake: Host requires authentication") << 401;
        QTest::newRow("newer qt challenge") << str("QWebSocketPrivate::processHandshake: Unsupported WWW-Authenticate challenge encountered.") << 401;
        QTest::newRow("refused") << str("Connection refused") << 0;
        QTest::newRow("host not found") << str("Host 127.0.0.300 (not found)") << 0;
    }

    void statusFromHandshakeErrors()
    {
        QFETCH(QString, text);
        QFETCH(int, status);
        QCOMPARE(RealtimeSocket::httpStatusFromHandshakeError(text), status);
    }

    void refusedUpgradeIsClassifiedByStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<ErrorClass>("errorClass");
        QTest::addColumn<bool>("rateLimited");
        QTest::newRow("401 expired") << 401 << httpResponse(401, "Unauthorized", "{\"error\":\"Token has expired\"}")
                                     << ErrorClass::Auth << false;
        QTest::newRow("429 too many") << 429 << httpResponse(429, "Too Many Requests", "{\"error\":\"Too many connected users\"}")
                                      << ErrorClass::RateLimit << true;
        QTest::newRow("500") << 500 << httpResponse(500, "Internal Server Error", "{\"error\":\"Error connecting to Realtime\"}")
                             << ErrorClass::Server << false;
    }

    void refusedUpgradeIsClassifiedByStatus()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, response);
        QFETCH(ErrorClass, errorClass);
        QFETCH(bool, rateLimited);
        HttpRefuser refuser(response);
        RealtimeSocket socket(testOptions(refuser.url()));
        QSignalSpy errors(&socket, &RealtimeSocket::errorOccurred);
        QSignalSpy scheduled(&socket, &RealtimeSocket::reconnectScheduled);
        socket.connectToServer();
        QVERIFY(scheduled.wait(Wait));
        QVERIFY(!errors.isEmpty());
        const auto error = errors.at(0).at(0).value<tf::ClientError>();
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.errorClass, errorClass);
        QCOMPARE(scheduled.at(0).at(2).toBool(), rateLimited);
        // Rate limits wait at least the long floor; everything else starts at the base.
        QCOMPARE(scheduled.at(0).at(1).toLongLong(), rateLimited ? 5000 : 20);
        socket.disconnectFromServer();
    }

    void penalizedReconnectWaitsTheRateLimitFloor()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        QSignalSpy scheduled(&socket, &RealtimeSocket::reconnectScheduled);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));
        socket.penalizeNextReconnect();
        server.closeAllConnections(QWebSocketProtocol::CloseCodeGoingAway, str("Too many joins per second"));
        QVERIFY(scheduled.wait(Wait));
        QCOMPARE(scheduled.at(0).at(1).toLongLong(), 5000);
        QVERIFY(scheduled.at(0).at(2).toBool());
        QVERIFY(socket.reconnectInMs() > 1000);
        QVERIFY(socket.stateReason().contains(str("rate limited")));
    }

    void malformedFramesAreSkippedAndCounted()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        SocketOptions options = testOptions(server.httpUrl());
        options.maxFrameBytes = 1024;
        options.heartbeatInterval = 60s;
        RealtimeSocket socket(options);
        QSignalSpy received(&socket, &RealtimeSocket::messageReceived);
        QSignalSpy errors(&socket, &RealtimeSocket::errorOccurred);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));

        const QJsonObject big{{str("blob"), QString(1500, u'x')}};
        server.sendText("not json at all");
        server.sendText(v2(nullptr, nullptr, "realtime:a", "broadcast", QJsonObject{{str("n"), 1}}));
        server.sendText("{\"topic\":\"realtime:a\"}");            // V1 shape on a V2 socket
        server.sendText("[null,null,42,\"event\",{}]");           // topic is not a string
        server.sendText(v2(nullptr, nullptr, "realtime:a", "broadcast", big)); // over the 1 KiB limit
        server.sendBinary(QByteArray("\x09\x01\x02", 3));         // unknown binary kind
        server.sendText(v2(nullptr, nullptr, "realtime:a", "broadcast", QJsonObject{{str("n"), 2}}));
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), 2, Wait);
        QCOMPARE(received.at(0).at(0).value<PhoenixMessage>().payload.value(str("n")).toInt(), 1);
        QCOMPARE(received.at(1).at(0).value<PhoenixMessage>().payload.value(str("n")).toInt(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(socket.metrics()->framesDropped(), 5, Wait);
        QCOMPARE(errors.count(), 5);
        for (const auto &error : std::as_const(errors))
            QCOMPARE(error.at(0).value<tf::ClientError>().errorClass, ErrorClass::Protocol);
        QCOMPARE(socket.state(), State::Connected);
        QCOMPARE(server.totalConnectionCount(), 1);
    }

    // Invalid UTF-8 in a text frame never reaches the decoder: Qt's WebSocket closes such a link
    // (close code 1007), and the socket reconnects as after any close. Nothing garbled is delivered.
    void invalidUtf8TextFrameClosesTheLinkAndItReconnects()
    {
        const QByteArray good = v2(nullptr, nullptr, "realtime:a", "broadcast", QJsonObject{{str("n"), 1}});
        const QByteArray after = v2(nullptr, nullptr, "realtime:a", "broadcast", QJsonObject{{str("n"), 2}});
        RawFrameServer server(RawFrameServer::frame(0x1, good)
                              + RawFrameServer::frame(0x1, QByteArray("[null,null,\"realtime:a\",\"\xff\xfe\",{}]"))
                              + RawFrameServer::frame(0x1, after));
        SocketOptions options = testOptions(server.url());
        options.heartbeatInterval = 60s;
        RealtimeSocket socket(options);
        QSignalSpy received(&socket, &RealtimeSocket::messageReceived);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 2, Wait); // closed by the bad frame, then back
        QVERIFY(server.upgrades() >= 2);
        QVERIFY(!received.isEmpty());
        for (const auto &message : std::as_const(received)) {
            // Only the frame before the bad one on each link: the link died at the bad frame.
            QCOMPARE(message.at(0).value<PhoenixMessage>().payload.value(str("n")).toInt(), 1);
        }
        socket.disconnectFromServer();
    }

    void binaryUserBroadcastArrivesOnV2()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        QSignalSpy received(&socket, &RealtimeSocket::messageReceived);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));
        server.sendBinary(tf::PhoenixCodec::encodeUserBroadcast(str("realtime:desk"), str("refresh"), QByteArray(),
                                                                QJsonObject{{str("item_id"), 9}}));
        QVERIFY(received.wait(Wait));
        const auto message = received.at(0).at(0).value<PhoenixMessage>();
        QCOMPARE(message.topic, str("realtime:desk"));
        QCOMPARE(message.event, str("broadcast"));
        QCOMPARE(message.payload.value(str("event")).toString(), str("refresh"));
        QCOMPARE(message.payload.value(str("payload")).toObject().value(str("item_id")).toInt(), 9);
    }

    void v1SessionWorks()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl(), SerializerVersion::V1));
        QSignalSpy replies(&socket, &RealtimeSocket::heartbeatReplied);
        QSignalSpy received(&socket, &RealtimeSocket::messageReceived);
        socket.connectToServer();
        QVERIFY(replies.wait(Wait));
        QCOMPARE(QUrlQuery(server.requestUrls().constFirst()).queryItemValue(str("vsn")), str("1.0.0"));
        // The frames on the wire are V1 objects.
        const auto frames = server.frames();
        QVERIFY(!frames.isEmpty());
        QVERIFY(frames.constFirst().raw.startsWith('{'));

        server.sendText("{\"topic\":\"realtime:a\",\"event\":\"broadcast\",\"payload\":{\"n\":1},\"ref\":null}");
        QVERIFY(received.wait(Wait));
        QCOMPARE(received.at(0).at(0).value<PhoenixMessage>().topic, str("realtime:a"));
        // Binary frames do not exist in V1: dropped, not fatal.
        server.sendBinary(tf::PhoenixCodec::encodeUserBroadcast(str("realtime:a"), str("e"), QByteArray(), QJsonObject()));
        QTRY_COMPARE_WITH_TIMEOUT(socket.metrics()->framesDropped(), 1, Wait);
        QCOMPARE(socket.state(), State::Connected);
        // Sending binary on V1 is refused locally.
        QVERIFY(!socket.sendBinary(QByteArray("\x03", 1)));
    }

    void metricsFollowTheConnection()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeSocket socket(testOptions(server.httpUrl()));
        ConnectionMetrics *metrics = socket.metrics();
        QSignalSpy traffic(metrics, &ConnectionMetrics::trafficChanged);
        QSignalSpy opened(&socket, &RealtimeSocket::opened);
        QCOMPARE(metrics->state(), State::Disconnected);
        QVERIFY(!metrics->connectedSince().isValid());
        socket.connectToServer();
        QVERIFY(opened.wait(Wait));
        QCOMPARE(metrics->state(), State::Connected);
        QVERIFY(metrics->connectedSince().isValid());

        for (int i = 0; i < 200; ++i)
            server.sendText(v2(nullptr, nullptr, "realtime:a", "broadcast", QJsonObject{{str("i"), i}}));
        QTRY_VERIFY_WITH_TIMEOUT(metrics->messagesReceived() >= 200, Wait);
        QTRY_VERIFY_WITH_TIMEOUT(metrics->messagesPerSecond() > 0, Wait);
        QVERIFY(metrics->bytesReceived() > 200 * 40);
        QVERIFY(metrics->lastMessageAt().isValid());
        QVERIFY(traffic.count() >= 1);
        QVERIFY(traffic.count() < 100); // published per tick, not per message

        server.closeAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(metrics->disconnectCount(), 1, Wait);
        QTRY_COMPARE_WITH_TIMEOUT(metrics->state(), State::Connected, Wait); // came back
        QVERIFY(metrics->connectedSince().isValid());
        socket.disconnectFromServer();
        QCOMPARE(metrics->state(), State::Disconnected);
        QVERIFY(!metrics->connectedSince().isValid());
        QCOMPARE(metrics->disconnectCount(), 1); // our own disconnect is not a loss
    }

    void metricsPublishPerTickNotPerMessage()
    {
        ConnectionMetrics metrics;
        metrics.setPublishInterval(20ms);
        QSignalSpy traffic(&metrics, &ConnectionMetrics::trafficChanged);
        metrics.setState(State::Connected, str("connected"));
        for (int i = 0; i < 100000; ++i)
            metrics.recordMessage(100);
        QCOMPARE(traffic.count(), 0); // nothing until the timer publishes
        QCOMPARE(metrics.messagesReceived(), 100000);
        QCOMPARE(metrics.bytesReceived(), 10000000);
        QTRY_VERIFY_WITH_TIMEOUT(metrics.messagesPerSecond() > 0, Wait);
        QVERIFY(traffic.count() >= 1);
        // Idle: the window slides past the burst and the rate returns to zero.
        QTRY_COMPARE_WITH_TIMEOUT(metrics.messagesPerSecond(), 0.0, Wait);
    }

    void latencyMovingAverage()
    {
        ConnectionMetrics metrics;
        QSignalSpy latency(&metrics, &ConnectionMetrics::latencyChanged);
        QCOMPARE(metrics.latencyMs(), -1);
        QCOMPARE(metrics.averageLatencyMs(), -1.0);
        metrics.recordLatency(10);
        metrics.recordLatency(20);
        QCOMPARE(metrics.latencyMs(), 20);
        QCOMPARE(metrics.averageLatencyMs(), 15.0);
        for (int i = 0; i < ConnectionMetrics::LatencySamples; ++i)
            metrics.recordLatency(40);
        QCOMPARE(metrics.averageLatencyMs(), 40.0); // old samples left the window
        QCOMPARE(latency.count(), 2 + ConnectionMetrics::LatencySamples);
    }
};

QTEST_GUILESS_MAIN(TestRealtimeSocket)
#include "tst_realtimesocket.moc"
