// Every injectable fault, observed from the client side: drop, heartbeat silence, refused
// connections on the same port, join errors, the rate limit, token expiry, restart with data
// kept, slow replies, the lost insert reply, and reset.
#include "authstore.h"
#include "faultinjector.h"
#include "httpfrontend.h"
#include "realtimeendpoint.h"
#include "rowstore.h"
#include "simtestsupport.h"
#include "tradingschema.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

using namespace tf;
using namespace tf::sim;
using namespace tf::simtest;
using namespace Qt::StringLiterals;

namespace {
const QString Topic = u"realtime:dashboard"_s;
}

class TestSimFaults : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimServer> m_server;
    std::unique_ptr<Http> m_http;

    std::unique_ptr<Socket> open(SerializerVersion vsn = SerializerVersion::V2)
    {
        auto socket = std::make_unique<Socket>(vsn);
        return socket->open(m_server->url(), m_server->anonKey()) ? std::move(socket) : nullptr;
    }
    QString userToken() { return m_server->auth().issueSession(m_server->demoTrader().userId).accessToken; }
    bool tcpConnects()
    {
        QTcpSocket tcp;
        tcp.connectToHost(QHostAddress::LocalHost, m_server->port());
        return tcp.waitForConnected(3000);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<SimServer>(fastConfig());
        QVERIFY(m_server->start());
        m_http = std::make_unique<Http>(m_server->url(), m_server->anonKey());
    }
    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void dropAbortsEveryConnection()
    {
        auto v1 = open(SerializerVersion::V1);
        auto v2 = open();
        QVERIFY(!v2->joinOk(Topic, channelConfig()).isNull());
        QTcpSocket idleHttp; // an idle keep-alive HTTP connection
        idleHttp.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(idleHttp.waitForConnected(5000));
        idleHttp.write("GET /rest/v1/instruments?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: " + m_server->anonKey().toLatin1() + "\r\n\r\n");
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += idleHttp.readAll()).contains("\r\n\r\n"), 5000);
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QSignalSpy closed(&m_server->realtime(), &RealtimeEndpoint::connectionClosed);
        m_server->faults().dropAllConnections();
        QVERIFY(v1->waitDisconnected());
        QVERIFY(v2->waitDisconnected());
        QTRY_COMPARE_WITH_TIMEOUT(idleHttp.state(), QAbstractSocket::UnconnectedState, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 2, 5000);
        QCOMPARE(m_server->realtime().channelCount(), 0);
        // The server is still there for new connections.
        QCOMPARE(m_http->get(u"/rest/v1/instruments?limit=1"_s).status, 200);
        QVERIFY(open());
    }

    void silencedHeartbeats()
    {
        auto socket = open();
        m_server->faults().setHeartbeatsSilenced(true);
        const QString silent = socket->push(u"phoenix"_s, u"heartbeat"_s, {});
        // Everything else is still answered: the join reply arrives, the heartbeat reply does not.
        QVERIFY(!socket->joinOk(Topic, channelConfig()).isNull());
        // Frames arrive in order, so a reply to the earlier heartbeat would be here by now.
        for (const Frame &frame : socket->frames())
            QVERIFY(frame.message.ref != silent);
        QVERIFY(socket->isOpen());
        m_server->faults().setHeartbeatsSilenced(false);
        const QString answered = socket->push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(socket->waitReply(answered));
    }

    void refusedConnectionsComeBackOnTheSamePort()
    {
        const quint16 port = m_server->port();
        auto existing = open();
        m_server->faults().refuseConnections(std::chrono::milliseconds(0));
        QVERIFY(m_server->faults().refusingConnections());
        QVERIFY(!tcpConnects());
        QVERIFY(!open());
        // Established connections are not affected.
        const QString beat = existing->push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(existing->waitReply(beat));
        m_server->faults().stopRefusing();
        QCOMPARE(m_server->port(), port);
        QVERIFY(tcpConnects());
        QVERIFY(open());

        // A timed refusal ends by itself.
        QSignalSpy listening(&m_server->http(), &HttpFrontend::listeningChanged);
        m_server->faults().refuseConnections(std::chrono::milliseconds(200));
        QVERIFY(!tcpConnects());
        QTRY_VERIFY_WITH_TIMEOUT(m_server->http().isListening(), 5000);
        QCOMPARE(listening.size(), 2);
        QCOMPARE(m_server->port(), port);
        QVERIFY(tcpConnects());
    }

    void joinErrors()
    {
        auto socket = open();
        m_server->faults().setJoinError(u"RealtimeRestarting: Realtime is restarting, please standby"_s);
        const QString ref = socket->join(Topic, channelConfig());
        QCOMPARE(*socket->waitReply(ref), (QJsonObject{{u"status"_s, u"error"_s},
                                                       {u"response"_s, QJsonObject{{u"reason"_s, u"RealtimeRestarting: Realtime is restarting, please standby"_s}}}}));
        QCOMPARE(m_server->realtime().channelCount(), 0);
        m_server->faults().clearJoinError();
        QVERIFY(!socket->joinOk(Topic, channelConfig()).isNull());
    }

    void joinErrorsAreDelayed()
    {
        // The reply to a failed join waits for joinErrorDelay; a heartbeat sent after the join
        // is answered first.
        SimConfig config = fastConfig();
        config.realtime.joinErrorDelay = std::chrono::milliseconds(500);
        SimServer server(config);
        QVERIFY(server.start());
        Socket socket(SerializerVersion::V2);
        QVERIFY(socket.open(server.url(), server.anonKey()));
        server.faults().setJoinError(u"Unknown Error on Channel"_s);
        const QString join = socket.join(Topic, channelConfig());
        const QString beat = socket.push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(socket.waitReply(beat));
        QVERIFY(!socket.hasEvent(Topic, u"phx_reply"_s));
        QCOMPARE(socket.waitReply(join)->value(u"response"_s).toObject().value(u"reason"_s).toString(), u"Unknown Error on Channel"_s);
    }

    void rateLimit()
    {
        auto joined = open();
        const QString joinRef = joined->joinOk(Topic, channelConfig());
        m_server->faults().setRateLimited(true);
        const auto system = joined->waitEvent(Topic, u"system"_s);
        QVERIFY(system);
        QCOMPARE(system->message.payload, (QJsonObject{{u"extension"_s, u"system"_s}, {u"status"_s, u"error"_s},
                                                       {u"message"_s, u"Too many messages per second"_s},
                                                       {u"channel"_s, u"dashboard"_s}}));
        QCOMPARE(joined->waitEvent(Topic, u"phx_close"_s)->message.ref, joinRef);

        auto late = open();
        const QString ref = late->join(Topic, channelConfig());
        QCOMPARE(late->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString(),
                 u"ClientJoinRateLimitReached: Too many joins per second"_s);
        QVERIFY(late->waitDisconnected()); // the socket is closed too (1001)
        QCOMPARE(late->socket().closeCode(), QWebSocketProtocol::CloseCodeGoingAway);

        m_server->faults().setRateLimited(false);
        QVERIFY(!joined->joinOk(Topic, channelConfig()).isNull());
    }

    void expireTokens()
    {
        const QJsonObject session = m_http->signIn(u"trader@example.com"_s, u"trading-floor-demo"_s);
        const QString access = session.value(u"access_token"_s).toString();
        auto user = open();
        auto anon = open();
        const QString userJoin = user->joinOk(Topic, channelConfig(), access);
        QVERIFY(!anon->joinOk(Topic, channelConfig()).isNull());

        m_server->faults().expireAllTokens();
        const auto system = user->waitEvent(Topic, u"system"_s);
        QVERIFY(system);
        QVERIFY(system->message.payload.value(u"message"_s).toString().startsWith(u"Token has expired "_s));
        QCOMPARE(user->waitEvent(Topic, u"phx_close"_s)->message.ref, userJoin);
        QCOMPARE(m_server->realtime().channelCount(), 1); // the anon-key channel stays

        const HttpResult rest = m_http->get(u"/rest/v1/positions"_s, access);
        QCOMPARE(rest.status, 401);
        QCOMPARE(rest.object().value(u"code"_s).toString(), u"PGRST303"_s);
        const QString rejoin = user->join(Topic, channelConfig(), access);
        QVERIFY(user->waitReply(rejoin)->value(u"response"_s).toObject().value(u"reason"_s).toString()
                    .startsWith(u"InvalidJWTToken: Token has expired"_s));

        // Refreshing gives a token that works everywhere.
        const HttpResult refreshed = m_http->post(u"/auth/v1/token?grant_type=refresh_token"_s,
                                                  QJsonObject{{u"refresh_token"_s, session.value(u"refresh_token"_s)}});
        QCOMPARE(refreshed.status, 200);
        const QString fresh = refreshed.object().value(u"access_token"_s).toString();
        QCOMPARE(m_http->get(u"/rest/v1/positions"_s, fresh).status, 200);
        QVERIFY(!user->joinOk(Topic, channelConfig(), fresh).isNull());

        m_server->faults().reset(); // undoes the expiry
        QCOMPARE(m_http->get(u"/rest/v1/positions"_s, access).status, 200);
    }

    void restartKeepsDataAndPort()
    {
        const quint16 port = m_server->port();
        const QString access = m_http->signIn(u"trader@example.com"_s, u"trading-floor-demo"_s).value(u"access_token"_s).toString();
        m_server->store().insertRow(TradingSchema::Positions, QJsonObject{{u"user_id"_s, m_server->demoTrader().userId},
                                                                          {u"symbol"_s, u"KO"_s}, {u"qty"_s, 1}});
        const qsizetype rows = m_server->store().rowCount(TradingSchema::Positions);
        auto socket = open();
        QVERIFY(!socket->joinOk(Topic, channelConfig({}, false, false, true, u"me"_s)).isNull());

        QSignalSpy restarted(m_server.get(), &SimServer::restarted);
        m_server->faults().restart();
        QVERIFY(socket->waitDisconnected());
        QCOMPARE(m_server->realtime().connectionCount(), 0);
        QVERIFY(restarted.wait(5000));
        QCOMPARE(m_server->port(), port);
        QCOMPARE(m_server->store().rowCount(TradingSchema::Positions), rows);
        // Sessions are database state too: the old token still works.
        const HttpResult positions = m_http->get(u"/rest/v1/positions?symbol=eq.KO"_s, access);
        QCOMPARE(positions.status, 200);
        QCOMPARE(positions.array().size(), 1);
        // Fresh realtime state: presence of the dropped socket is gone, simulated traders are back.
        auto again = open();
        QVERIFY(again);
        const QString topic = u"realtime:room:trading-floor"_s;
        again->join(topic, channelConfig({}, false, false, true));
        const auto state = again->waitEvent(topic, u"presence_state"_s);
        QVERIFY(state);
        QCOMPARE(state->message.payload.keys(), (QStringList{u"sim-trader-1"_s, u"sim-trader-2"_s, u"sim-trader-3"_s}));
    }

    void slowRealtimeReplies()
    {
        auto slow = open();
        auto fast = open();
        QSignalSpy joined(&m_server->realtime(), &RealtimeEndpoint::channelJoined);
        m_server->faults().setReplyDelay(std::chrono::milliseconds(400));
        const QString slowRef = slow->join(u"realtime:slow"_s, channelConfig());
        QVERIFY(joined.wait(5000)); // handled by the server, reply held back
        m_server->faults().setReplyDelay(std::chrono::milliseconds(0));
        QVERIFY(!fast->joinOk(u"realtime:fast"_s, channelConfig()).isNull());
        QVERIFY(!slow->hasEvent(u"realtime:slow"_s, u"phx_reply"_s)); // overtaken
        QCOMPARE(slow->waitReply(slowRef)->value(u"status"_s).toString(), u"ok"_s);
    }

    void slowRestReplies()
    {
        Http other(m_server->url(), m_server->anonKey());
        QSignalSpy handled(&m_server->http(), &HttpFrontend::requestHandled);
        m_server->faults().setReplyDelay(std::chrono::milliseconds(400));
        QNetworkRequest request(QUrl(m_server->url().toString() + u"/rest/v1/instruments?limit=1"_s));
        request.setRawHeader("apikey", m_server->anonKey().toLatin1());
        QNetworkReply *slowReply = m_http->manager().get(request);
        QVERIFY(handled.wait(5000));
        m_server->faults().setReplyDelay(std::chrono::milliseconds(0));
        QCOMPARE(other.get(u"/rest/v1/instruments?limit=1"_s).status, 200);
        QVERIFY(!slowReply->isFinished()); // overtaken by the later request
        QTRY_VERIFY_WITH_TIMEOUT(slowReply->isFinished(), 5000);
        QCOMPARE(slowReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(slowReply->readAll()).array().size(), 1);
        slowReply->deleteLater();
    }

    void lostInsertReply()
    {
        const QString access = m_http->signIn(u"trader@example.com"_s, u"trading-floor-demo"_s).value(u"access_token"_s).toString();
        const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QJsonObject order{{u"client_order_id"_s, key}, {u"symbol"_s, u"AAPL"_s}, {u"side"_s, u"buy"_s}, {u"qty"_s, 1}};
        m_server->faults().setLoseNextInsertReply(true);
        // A raw connection, because QNetworkAccessManager silently re-sends a request whose
        // connection died before any reply byte (it would then get the 409 of its own insert).
        QTcpSocket tcp;
        tcp.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(tcp.waitForConnected(5000));
        const QByteArray body = QJsonDocument(order).toJson(QJsonDocument::Compact);
        tcp.write("POST /rest/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: " + m_server->anonKey().toLatin1()
                  + "\r\nAuthorization: Bearer " + access.toLatin1() + "\r\nContent-Type: application/json\r\n"
                  "Prefer: return=representation\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QTRY_COMPARE_WITH_TIMEOUT(tcp.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(tcp.readAll().isEmpty()); // not a single byte of a reply
        QVERIFY(!m_server->faults().loseNextInsertReplyArmed());
        // The insert was applied all the same: a replay with ignore-duplicates is a no-op.
        QCOMPARE(m_server->store().rows(TradingSchema::Orders, [&](const QJsonObject &row) {
                     return row.value(u"client_order_id"_s).toString() == key;
                 }).size(), 1);
        const HttpResult replay = m_http->post(u"/rest/v1/orders?on_conflict=client_order_id"_s, order, access,
                                               "return=representation,resolution=ignore-duplicates");
        QCOMPARE(replay.status, 201);
        QCOMPARE(replay.array().size(), 0);
    }

    void resetClearsEverything()
    {
        FaultInjector &faults = m_server->faults();
        faults.setHeartbeatsSilenced(true);
        faults.setJoinError(u"Unknown Error on Channel"_s);
        faults.setRateLimited(true);
        faults.setReplyDelay(std::chrono::milliseconds(1000));
        faults.setLoseNextInsertReply(true);
        faults.refuseConnections(std::chrono::milliseconds(0));
        QCOMPARE(faults.describe().size(), 6);
        faults.reset();
        QVERIFY(faults.describe().isEmpty());
        QVERIFY(m_server->http().isListening());
        auto socket = open();
        QVERIFY(socket);
        const QString beat = socket->push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(socket->waitReply(beat));
        QVERIFY(!socket->joinOk(Topic, channelConfig()).isNull());
    }
};

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
