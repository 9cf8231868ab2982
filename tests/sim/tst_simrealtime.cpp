// The Realtime endpoint over a raw QWebSocket, for both serializers: connect checks, heartbeats,
// joins and their replies, postgres_changes (shape, ids, RLS, filters, DELETE rules), tokens,
// leave/duplicate/unmatched topics, private user channels with broadcast from the database,
// idle sockets and the market's price broadcasts.
#include "authstore.h"
#include "jwtsigner.h"
#include "rowstore.h"
#include "simtestsupport.h"
#include "tradingschema.h"

#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

using namespace tf;
using namespace tf::sim;
using namespace tf::simtest;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(tf::SerializerVersion)

namespace {
const QString Dashboard = u"realtime:dashboard"_s;
}

class TestSimRealtime : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimServer> m_server;

    std::unique_ptr<Socket> open(SerializerVersion vsn, SimServer *server = nullptr)
    {
        server = server ? server : m_server.get();
        auto socket = std::make_unique<Socket>(vsn);
        if (!socket->open(server->url(), server->anonKey()))
            return nullptr;
        return socket;
    }
    QString userToken(int trader, SimServer *server = nullptr)
    {
        server = server ? server : m_server.get();
        return server->auth().issueSession(server->demoTraders().at(trader).userId).accessToken;
    }
    QString userId(int trader) const { return m_server->demoTraders().at(trader).userId; }
    QJsonObject position(int trader, const QString &symbol, double qty)
    {
        return QJsonObject{{u"user_id"_s, userId(trader)}, {u"symbol"_s, symbol}, {u"qty"_s, qty}, {u"avg_price"_s, 10}};
    }
    static bool waitSubscribed(Socket &socket, const QString &topic)
    {
        const auto frame = socket.waitFor([&](const Frame &f) {
            return f.message.topic == topic && f.message.event == u"system"
                && f.message.payload.value(u"message"_s).toString() == u"Subscribed to PostgreSQL";
        });
        return frame.has_value();
    }
    static void addVsnRows()
    {
        QTest::addColumn<SerializerVersion>("vsn");
        QTest::newRow("vsn 1.0.0") << SerializerVersion::V1;
        QTest::newRow("vsn 2.0.0") << SerializerVersion::V2;
    }

private Q_SLOTS:
    void initTestCase()
    {
        SimConfig config = fastConfig();
        config.realtime.replicaIdentityFull.clear(); // Postgres' default: old records carry the key only
        m_server = std::make_unique<SimServer>(config);
        QVERIFY(m_server->start());
    }

    void cleanup()
    {
        QTRY_COMPARE_WITH_TIMEOUT(m_server->realtime().connectionCount(), 0, 5000);
    }

    void refusedUpgradesGetTheServersHttpError_data()
    {
        QTest::addColumn<QString>("pathAndQuery");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("no key") << u"/realtime/v1/websocket?vsn=2.0.0"_s << 401 << u"API key is missing"_s;
        QTest::newRow("garbage key") << u"/realtime/v1/websocket?apikey=abc&vsn=2.0.0"_s << 401
                                     << u"The token provided is not a valid JWT"_s;
        QTest::newRow("bad vsn") << u"/realtime/v1/websocket?apikey=KEY&vsn=3.0.0"_s << 403
                                 << u"The client's requested transport version \"3.0.0\" does not match server's version requirements of \"~> 1.0.0 or ~> 2.0.0\""_s;
        QTest::newRow("wrong path") << u"/socket/websocket?apikey=KEY&vsn=2.0.0"_s << 404 << u"Not found"_s;
    }

    void refusedUpgradesGetTheServersHttpError()
    {
        QFETCH(QString, pathAndQuery);
        QFETCH(int, status);
        QFETCH(QString, error);
        pathAndQuery.replace(u"KEY"_s, m_server->anonKey());
        QTcpSocket tcp;
        tcp.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(tcp.waitForConnected(5000));
        tcp.write("GET " + pathAndQuery.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QByteArray response;
        QTRY_VERIFY_WITH_TIMEOUT((response += tcp.readAll()).contains("}"), 5000);
        QVERIFY2(response.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status))), response.constData());
        const QJsonObject body = QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
        QCOMPARE(body.value(u"error"_s).toString(), error);

        // A QWebSocket sees a failed handshake.
        Socket socket(SerializerVersion::V2);
        QUrl url = m_server->url();
        url.setScheme(u"ws"_s);
        QVERIFY(!socket.openUrl(QUrl(url.toString() + pathAndQuery)));
    }

    void expiredApiKeyIsRefused()
    {
        const QString expired = JwtSigner(m_server->config().jwtSecret)
                                    .sign(QJsonObject{{u"role"_s, u"anon"_s}, {u"exp"_s, QDateTime::currentSecsSinceEpoch() - 5}});
        Socket socket(SerializerVersion::V2);
        QVERIFY(!socket.open(m_server->url(), expired));
    }

    void vsnDefaultsToV1()
    {
        Socket socket(SerializerVersion::V1);
        QUrl url = m_server->url();
        url.setScheme(u"ws"_s);
        QVERIFY(socket.openUrl(QUrl(url.toString() + u"/realtime/v1/websocket?apikey="_s + m_server->anonKey())));
        const QString ref = socket.push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(socket.waitReply(ref));
    }

    void heartbeat_data() { addVsnRows(); }
    void heartbeat()
    {
        QFETCH(SerializerVersion, vsn);
        auto socket = open(vsn);
        QVERIFY(socket);
        const QString ref = socket->push(u"phoenix"_s, u"heartbeat"_s, {});
        const auto reply = socket->waitFor([&](const Frame &f) { return f.message.ref == ref; });
        QVERIFY(reply);
        QCOMPARE(reply->message.topic, u"phoenix"_s);
        QCOMPARE(reply->message.event, u"phx_reply"_s);
        QCOMPARE(reply->message.payload, (QJsonObject{{u"status"_s, u"ok"_s}, {u"response"_s, QJsonObject()}}));
        QVERIFY(reply->message.joinRef.isNull());
        if (vsn == SerializerVersion::V2)
            QVERIFY(reply->raw.startsWith(QByteArray("[null,\"" + ref.toLatin1() + "\",\"phoenix\",\"phx_reply\"")));
        else
            QVERIFY(!reply->raw.contains("join_ref"));
    }

    void joinReplyEchoesBindingsWithIds_data() { addVsnRows(); }
    void joinReplyEchoesBindingsWithIds()
    {
        QFETCH(SerializerVersion, vsn);
        auto socket = open(vsn);
        QVERIFY(socket);
        const QJsonArray bindings{binding(u"*"_s, u"orders"_s, u"user_id=eq."_s + userId(0)),
                                  binding(u"DELETE"_s, u"positions"_s)};
        const QString joinRef = socket->join(Dashboard, channelConfig(bindings), userToken(0));
        const auto replyFrame = socket->waitFor([&](const Frame &f) { return f.message.event == u"phx_reply" && f.message.ref == joinRef; });
        QVERIFY(replyFrame);
        const QJsonObject reply = replyFrame->message.payload;
        QCOMPARE(reply.value(u"status"_s).toString(), u"ok"_s);
        const QJsonArray echoed = reply.value(u"response"_s).toObject().value(u"postgres_changes"_s).toArray();
        QCOMPARE(echoed.size(), 2);
        for (int i = 0; i < 2; ++i) {
            QJsonObject entry = echoed.at(i).toObject();
            QVERIFY(entry.value(u"id"_s).isDouble()); // an integer on the wire, not a string
            QVERIFY(!replyFrame->raw.contains("\"id\":\""));
            entry.remove(u"id"_s);
            QCOMPARE(entry, bindings.at(i).toObject());
        }
        if (vsn == SerializerVersion::V2)
            QCOMPARE(replyFrame->message.joinRef, joinRef);

        // Same entry, same id: on another socket, and after a rejoin; a different entry differs.
        auto other = open(vsn);
        const QString otherRef = other->join(u"realtime:elsewhere"_s,
                                             channelConfig(QJsonArray{bindings.at(1), binding(u"*"_s, u"orders"_s)}));
        const QJsonArray otherIds = other->waitReply(otherRef)->value(u"response"_s).toObject().value(u"postgres_changes"_s).toArray();
        QCOMPARE(otherIds.at(0).toObject().value(u"id"_s), echoed.at(1).toObject().value(u"id"_s));
        QVERIFY(otherIds.at(1).toObject().value(u"id"_s) != echoed.at(0).toObject().value(u"id"_s));

        // "Subscribed to PostgreSQL" follows the reply, carrying the join ref and the channel name.
        const auto system = socket->waitEvent(Dashboard, u"system"_s);
        QVERIFY(system);
        QCOMPARE(system->message.payload, (QJsonObject{{u"extension"_s, u"postgres_changes"_s}, {u"status"_s, u"ok"_s},
                                                       {u"message"_s, u"Subscribed to PostgreSQL"_s},
                                                       {u"channel"_s, u"dashboard"_s}}));
        if (vsn == SerializerVersion::V2)
            QCOMPARE(system->message.joinRef, joinRef);
    }

    void noSubscribedMessageWithoutBindings()
    {
        auto socket = open(SerializerVersion::V2);
        QVERIFY(!socket->joinOk(u"realtime:plain"_s, channelConfig()).isNull());
        const QString ref = socket->push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(socket->waitReply(ref));
        QVERIFY(!socket->hasEvent(u"realtime:plain"_s, u"system"_s));
    }

    void changesFlowOnlyAfterSubscribed()
    {
        SimConfig config = fastConfig();
        config.realtime.postgresSubscribeDelay = std::chrono::milliseconds(800);
        SimServer server(config);
        QVERIFY(server.start());
        auto socket = open(SerializerVersion::V2, &server);
        const QString token = userToken(0, &server);
        QVERIFY(!socket->joinOk(Dashboard, channelConfig({binding(u"*"_s, u"positions"_s)}), token).isNull());
        // Committed between the join reply and the subscription: never delivered (§5.6).
        server.store().insertRow(TradingSchema::Positions, QJsonObject{{u"user_id"_s, server.demoTrader().userId},
                                                                       {u"symbol"_s, u"KO"_s}, {u"qty"_s, 1}});
        QVERIFY(waitSubscribed(*socket, Dashboard));
        QVERIFY(!socket->hasEvent(Dashboard, u"postgres_changes"_s));
        server.store().insertRow(TradingSchema::Positions, QJsonObject{{u"user_id"_s, server.demoTrader().userId},
                                                                       {u"symbol"_s, u"PEP"_s}, {u"qty"_s, 1}});
        const auto change = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QVERIFY(change);
        QCOMPARE(change->message.payload.value(u"data"_s).toObject().value(u"record"_s).toObject().value(u"symbol"_s).toString(), u"PEP"_s);
    }

    void postgresChangesPayload_data() { addVsnRows(); }
    void postgresChangesPayload()
    {
        QFETCH(SerializerVersion, vsn);
        auto socket = open(vsn);
        const QString joinRef = socket->join(Dashboard, channelConfig({binding(u"*"_s, u"positions"_s)}), userToken(0));
        const qint64 id = socket->waitReply(joinRef)->value(u"response"_s).toObject().value(u"postgres_changes"_s)
                              .toArray().first().toObject().value(u"id"_s).toInteger();
        QVERIFY(waitSubscribed(*socket, Dashboard));

        const QJsonObject inserted = m_server->store().insertRow(TradingSchema::Positions, position(0, u"DIS"_s, 3)).rows.first();
        const auto insert = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QVERIFY(insert);
        QVERIFY(insert->message.joinRef.isNull());
        QVERIFY(insert->message.ref.isNull());
        if (vsn == SerializerVersion::V2)
            QVERIFY(insert->raw.startsWith("[null,null,\"realtime:dashboard\",\"postgres_changes\""));
        QCOMPARE(insert->message.payload.value(u"ids"_s).toArray(), QJsonArray{id});
        QJsonObject data = insert->message.payload.value(u"data"_s).toObject();
        QCOMPARE(data.value(u"schema"_s).toString(), u"public"_s);
        QCOMPARE(data.value(u"table"_s).toString(), u"positions"_s);
        QCOMPARE(data.value(u"type"_s).toString(), u"INSERT"_s);
        QVERIFY(data.value(u"errors"_s).isNull());
        QVERIFY(data.contains(u"errors"_s));
        QVERIFY(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s)
                    .match(data.value(u"commit_timestamp"_s).toString()).hasMatch());
        QCOMPARE(data.value(u"record"_s).toObject(), inserted);
        QVERIFY(!data.contains(u"old_record"_s));
        const QJsonArray columns = data.value(u"columns"_s).toArray();
        QCOMPARE(columns.size(), 7);
        QCOMPARE(columns.at(0).toObject(), (QJsonObject{{u"name"_s, u"id"_s}, {u"type"_s, u"int8"_s}}));
        QCOMPARE(columns.at(1).toObject(), (QJsonObject{{u"name"_s, u"user_id"_s}, {u"type"_s, u"uuid"_s}}));
        QCOMPARE(columns.at(3).toObject(), (QJsonObject{{u"name"_s, u"qty"_s}, {u"type"_s, u"numeric"_s}}));
        QCOMPARE(columns.at(6).toObject(), (QJsonObject{{u"name"_s, u"updated_at"_s}, {u"type"_s, u"timestamptz"_s}}));

        const QJsonValue key = inserted.value(u"id"_s);
        m_server->store().updateByKey(TradingSchema::Positions, key, QJsonObject{{u"qty"_s, 4}});
        const auto update = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        data = update->message.payload.value(u"data"_s).toObject();
        QCOMPARE(data.value(u"type"_s).toString(), u"UPDATE"_s);
        QCOMPARE(data.value(u"record"_s).toObject().value(u"qty"_s).toDouble(), 4.0);
        QCOMPARE(data.value(u"old_record"_s).toObject(), (QJsonObject{{u"id"_s, key}})); // PK only by default

        m_server->store().removeByKey(TradingSchema::Positions, key);
        const auto remove = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        data = remove->message.payload.value(u"data"_s).toObject();
        QCOMPARE(data.value(u"type"_s).toString(), u"DELETE"_s);
        QVERIFY(!data.contains(u"record"_s));
        QCOMPARE(data.value(u"old_record"_s).toObject(), (QJsonObject{{u"id"_s, key}}));
    }

    void rowLevelSecurityDecidesDelivery()
    {
        auto demo = open(SerializerVersion::V2);
        auto rival = open(SerializerVersion::V1);
        auto anon = open(SerializerVersion::V2);
        const QJsonObject config = channelConfig({binding(u"*"_s, u"positions"_s), binding(u"*"_s, u"instruments"_s)});
        QVERIFY(!demo->joinOk(Dashboard, config, userToken(0)).isNull());
        QVERIFY(!rival->joinOk(Dashboard, config, userToken(1)).isNull());
        QVERIFY(!anon->joinOk(Dashboard, config).isNull());
        for (Socket *s : {demo.get(), rival.get(), anon.get()})
            QVERIFY(waitSubscribed(*s, Dashboard));

        const QJsonValue key = m_server->store().insertRow(TradingSchema::Positions, position(1, u"NFLX"_s, 2)).rows.first().value(u"id"_s);
        QVERIFY(rival->waitEvent(Dashboard, u"postgres_changes"_s));
        // Public rows reach everyone; this also proves the others had their chance at the first one.
        m_server->store().insertRow(TradingSchema::Instruments, QJsonObject{{u"symbol"_s, u"ZZZ"_s}, {u"name"_s, u"Z"_s},
                                                                            {u"tick_size"_s, 0.01}});
        for (Socket *s : {demo.get(), rival.get(), anon.get()}) {
            const auto frame = s->waitEvent(Dashboard, u"postgres_changes"_s);
            QVERIFY(frame);
            QCOMPARE(frame->message.payload.value(u"data"_s).toObject().value(u"table"_s).toString(), u"instruments"_s);
        }

        // DELETE is not RLS-checked: every matching subscriber gets the primary key.
        m_server->store().removeByKey(TradingSchema::Positions, key);
        for (Socket *s : {demo.get(), rival.get(), anon.get()}) {
            const auto frame = s->waitEvent(Dashboard, u"postgres_changes"_s);
            QVERIFY(frame);
            const QJsonObject data = frame->message.payload.value(u"data"_s).toObject();
            QCOMPARE(data.value(u"type"_s).toString(), u"DELETE"_s);
            QCOMPARE(data.value(u"old_record"_s).toObject(), (QJsonObject{{u"id"_s, key}}));
        }
        m_server->store().removeByKey(TradingSchema::Instruments, u"ZZZ"_s);
    }

    void bindingsFilterByEventTableAndFilter()
    {
        auto socket = open(SerializerVersion::V2);
        const QJsonArray bindings{binding(u"INSERT"_s, u"positions"_s, u"symbol=eq.ORCL"_s),
                                  binding(u"*"_s, u"positions"_s, u"qty=gt.100"_s),
                                  binding(u"update"_s, u"positions"_s)};
        const QString joinRef = socket->join(Dashboard, channelConfig(bindings), userToken(0));
        const QJsonArray ids = socket->waitReply(joinRef)->value(u"response"_s).toObject().value(u"postgres_changes"_s).toArray();
        QVERIFY(waitSubscribed(*socket, Dashboard));
        const auto idOf = [&](int i) { return ids.at(i).toObject().value(u"id"_s); };

        // Matches the first and second binding: one frame listing both ids.
        const QJsonValue key = m_server->store().insertRow(TradingSchema::Positions, position(0, u"ORCL"_s, 500)).rows.first().value(u"id"_s);
        auto frame = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QCOMPARE(frame->message.payload.value(u"ids"_s).toArray(), (QJsonArray{idOf(0), idOf(1)}));
        // An UPDATE to qty 5 matches only the event-wide update binding (lowercase event works too).
        m_server->store().updateByKey(TradingSchema::Positions, key, QJsonObject{{u"qty"_s, 5}});
        frame = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QCOMPARE(frame->message.payload.value(u"ids"_s).toArray(), QJsonArray{idOf(2)});
        // INSERT of another symbol with a small qty matches nothing; the next frame is the MSFT one.
        m_server->store().insertRow(TradingSchema::Positions, position(0, u"CSCO"_s, 1));
        m_server->store().insertRow(TradingSchema::Positions, position(0, u"ADBE"_s, 101));
        frame = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QCOMPARE(frame->message.payload.value(u"data"_s).toObject().value(u"record"_s).toObject().value(u"symbol"_s).toString(), u"ADBE"_s);
        QCOMPARE(frame->message.payload.value(u"ids"_s).toArray(), QJsonArray{idOf(1)});
        // A DELETE filter on a non-PK column cannot match the PK-only old image.
        m_server->store().removeByKey(TradingSchema::Positions, key);
        m_server->store().updateByKey(TradingSchema::Positions, key, QJsonObject{}); // no row: nothing
        m_server->store().insertRow(TradingSchema::Positions, position(0, u"IBM"_s, 1000));
        frame = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QCOMPARE(frame->message.payload.value(u"data"_s).toObject().value(u"type"_s).toString(), u"INSERT"_s);
    }

    void replicaIdentityFull()
    {
        SimConfig config = fastConfig();
        config.realtime.replicaIdentityFull = {TradingSchema::Positions};
        SimServer server(config);
        QVERIFY(server.start());
        auto socket = open(SerializerVersion::V2, &server);
        const QString mine = server.demoTrader().userId;
        QVERIFY(!socket->joinOk(Dashboard, channelConfig({binding(u"*"_s, u"positions"_s, u"user_id=eq."_s + mine)}),
                                userToken(0, &server)).isNull());
        QVERIFY(waitSubscribed(*socket, Dashboard));
        const QJsonObject row = server.store().insertRow(TradingSchema::Positions, QJsonObject{{u"user_id"_s, mine}, {u"symbol"_s, u"KO"_s}}).rows.first();
        QVERIFY(socket->waitEvent(Dashboard, u"postgres_changes"_s));
        server.store().updateByKey(TradingSchema::Positions, row.value(u"id"_s), QJsonObject{{u"qty"_s, 9}});
        auto frame = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QCOMPARE(frame->message.payload.value(u"data"_s).toObject().value(u"old_record"_s).toObject(), row); // full
        // DELETE: the filter sees the full old image, but RLS tables still send only the key.
        server.store().removeByKey(TradingSchema::Positions, row.value(u"id"_s));
        frame = socket->waitEvent(Dashboard, u"postgres_changes"_s);
        QCOMPARE(frame->message.payload.value(u"data"_s).toObject().value(u"type"_s).toString(), u"DELETE"_s);
        QCOMPARE(frame->message.payload.value(u"data"_s).toObject().value(u"old_record"_s).toObject(),
                 (QJsonObject{{u"id"_s, row.value(u"id"_s)}}));
    }

    void badSubscriptionsAreSystemErrors_data()
    {
        QTest::addColumn<QJsonObject>("entry");
        QTest::addColumn<QString>("messageStart");
        QTest::newRow("unknown table") << binding(u"*"_s, u"portfolios"_s)
                                       << u"Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: *, schema: public, table: portfolios"_s;
        QTest::newRow("bad filter") << binding(u"*"_s, u"orders"_s, u"status"_s) << u"Error parsing `filter` params: [\"status\"]"_s;
        QTest::newRow("unknown column") << binding(u"*"_s, u"orders"_s, u"colour=eq.red"_s) << u"invalid column for filter colour"_s;
        QTest::newRow("no params") << QJsonObject{{u"event"_s, u"*"_s}} << u"No subscription params provided."_s;
    }

    void badSubscriptionsAreSystemErrors()
    {
        QFETCH(QJsonObject, entry);
        QFETCH(QString, messageStart);
        auto socket = open(SerializerVersion::V2);
        QVERIFY(!socket->joinOk(Dashboard, channelConfig({entry}), userToken(0)).isNull()); // the join itself succeeds
        const auto system = socket->waitEvent(Dashboard, u"system"_s);
        QVERIFY(system);
        QCOMPARE(system->message.payload.value(u"extension"_s).toString(), u"postgres_changes"_s);
        QCOMPARE(system->message.payload.value(u"status"_s).toString(), u"error"_s);
        QVERIFY2(system->message.payload.value(u"message"_s).toString().startsWith(messageStart),
                 qPrintable(system->message.payload.value(u"message"_s).toString()));
    }

    void unmatchedTopics()
    {
        auto socket = open(SerializerVersion::V2);
        QString ref = socket->push(Dashboard, u"broadcast"_s, QJsonObject{{u"type"_s, u"broadcast"_s}, {u"event"_s, u"x"_s}}, u"9"_s);
        QCOMPARE(socket->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString(), u"unmatched topic"_s);
        ref = socket->join(u"rooms:lobby"_s, channelConfig());
        QCOMPARE(*socket->waitReply(ref), (QJsonObject{{u"status"_s, u"error"_s},
                                                       {u"response"_s, QJsonObject{{u"reason"_s, u"unmatched topic"_s}}}}));
        ref = socket->push(Dashboard, u"phx_leave"_s, {}, u"9"_s);
        QCOMPARE(socket->waitReply(ref)->value(u"status"_s).toString(), u"ok"_s);
        ref = socket->join(u"realtime:"_s, channelConfig());
        QCOMPARE(socket->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString(),
                 u"TopicNameRequired: You must provide a topic name"_s);
    }

    void leaveRepliesThenCloses_data() { addVsnRows(); }
    void leaveRepliesThenCloses()
    {
        QFETCH(SerializerVersion, vsn);
        auto socket = open(vsn);
        const QString joinRef = socket->joinOk(Dashboard, channelConfig());
        QVERIFY(!joinRef.isNull());
        const QString leaveRef = socket->push(Dashboard, u"phx_leave"_s, {}, joinRef);
        QCOMPARE(socket->waitReply(leaveRef)->value(u"status"_s).toString(), u"ok"_s);
        const auto close = socket->waitEvent(Dashboard, u"phx_close"_s);
        QVERIFY(close);
        QCOMPARE(close->message.ref, joinRef);
        QCOMPARE(close->message.payload, QJsonObject());
        if (vsn == SerializerVersion::V2)
            QCOMPARE(close->message.joinRef, joinRef);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->realtime().channelCount(), 0, 5000);
    }

    void duplicateJoinClosesTheOldChannel()
    {
        auto socket = open(SerializerVersion::V2);
        const QString first = socket->joinOk(Dashboard, channelConfig());
        const QString secondRef = socket->join(Dashboard, channelConfig());
        const auto close = socket->waitEvent(Dashboard, u"phx_close"_s);
        QVERIFY(close);
        QCOMPARE(close->message.joinRef, first);
        QCOMPARE(socket->waitReply(secondRef)->value(u"status"_s).toString(), u"ok"_s);
        QCOMPARE(m_server->realtime().channelCount(), 1);
    }

    void accessTokenPushesAreSilent()
    {
        auto socket = open(SerializerVersion::V2);
        const QString joinRef = socket->joinOk(Dashboard, channelConfig({binding(u"*"_s, u"orders"_s)}), userToken(0));
        QVERIFY(waitSubscribed(*socket, Dashboard));
        const QString tokenRef = socket->push(Dashboard, u"access_token"_s, QJsonObject{{u"access_token"_s, userToken(0)}}, joinRef);
        const QString nullRef = socket->push(Dashboard, u"access_token"_s, QJsonObject{{u"access_token"_s, QJsonValue()}}, joinRef);
        const QString sbRef = socket->push(Dashboard, u"access_token"_s, QJsonObject{{u"access_token"_s, u"sb_publishable_x"_s}}, joinRef);
        // A new valid token re-creates the subscription: "Subscribed to PostgreSQL" again.
        QVERIFY(waitSubscribed(*socket, Dashboard));
        const QString beat = socket->push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(socket->waitReply(beat));
        for (const QString &ref : {tokenRef, nullRef, sbRef}) {
            for (const Frame &f : socket->frames())
                QVERIFY(f.message.ref != ref);
        }
        QCOMPARE(m_server->realtime().channelCount(), 1);
    }

    void badAccessTokenShutsTheChannel_data() { addVsnRows(); }
    void badAccessTokenShutsTheChannel()
    {
        QFETCH(SerializerVersion, vsn);
        auto socket = open(vsn);
        const QString joinRef = socket->joinOk(Dashboard, channelConfig(), userToken(0));
        socket->push(Dashboard, u"access_token"_s, QJsonObject{{u"access_token"_s, u"nonsense"_s}}, joinRef);
        const auto system = socket->waitEvent(Dashboard, u"system"_s);
        QVERIFY(system);
        QCOMPARE(system->message.payload, (QJsonObject{{u"extension"_s, u"system"_s}, {u"status"_s, u"error"_s},
                                                       {u"message"_s, u"The token provided is not a valid JWT"_s},
                                                       {u"channel"_s, u"dashboard"_s}}));
        const auto close = socket->waitEvent(Dashboard, u"phx_close"_s);
        QVERIFY(close);
        QCOMPARE(close->message.ref, joinRef);
    }

    void tokenExpiryClosesTheChannel()
    {
        SimConfig config = fastConfig();
        config.tokenLifetime = std::chrono::seconds(1);
        SimServer server(config);
        QVERIFY(server.start());
        auto socket = open(SerializerVersion::V2, &server);
        const QString joinRef = socket->joinOk(Dashboard, channelConfig(), userToken(0, &server));
        QVERIFY(!joinRef.isNull());
        const auto system = socket->waitEvent(Dashboard, u"system"_s, 5000);
        QVERIFY(system);
        QCOMPARE(system->message.payload.value(u"status"_s).toString(), u"error"_s);
        QVERIFY(QRegularExpression(u"^Token has expired \\d+ seconds ago$"_s)
                    .match(system->message.payload.value(u"message"_s).toString()).hasMatch());
        QVERIFY(socket->waitEvent(Dashboard, u"phx_close"_s));
        QCOMPARE(server.realtime().channelCount(), 0);
        QVERIFY(socket->isOpen()); // only the channel goes, not the socket
    }

    void joinErrorsForTokens()
    {
        auto socket = open(SerializerVersion::V2);
        const QString expired = JwtSigner(m_server->config().jwtSecret)
                                    .sign(QJsonObject{{u"role"_s, u"authenticated"_s}, {u"sub"_s, userId(0)},
                                                      {u"exp"_s, QDateTime::currentSecsSinceEpoch() - 12}});
        QString ref = socket->join(Dashboard, channelConfig(), expired);
        QString reason = socket->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString();
        QVERIFY2(QRegularExpression(u"^InvalidJWTToken: Token has expired 1\\d seconds ago$"_s).match(reason).hasMatch(),
                 qPrintable(reason));
        ref = socket->join(Dashboard, channelConfig(), u"x.y.z"_s);
        QCOMPARE(socket->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString(),
                 u"MalformedJWT: The token provided is not a valid JWT"_s);
        const QString noRole = JwtSigner(m_server->config().jwtSecret).sign(QJsonObject{{u"exp"_s, qint64(4102444800)}});
        ref = socket->join(Dashboard, channelConfig(), noRole);
        QCOMPARE(socket->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString(),
                 u"InvalidJWTToken: Fields `role` and `exp` are required in JWT"_s);
    }

    void privateUserChannels()
    {
        const QString topic = u"realtime:user:"_s + userId(0);
        auto demo = open(SerializerVersion::V2);
        auto rival = open(SerializerVersion::V1);
        auto anon = open(SerializerVersion::V2);
        QVERIFY(!demo->joinOk(topic, channelConfig({}, false, false, false, {}, true), userToken(0)).isNull());
        const QString expected = u"Unauthorized: You do not have permissions to read from this Channel topic: user:"_s + userId(0);
        QString ref = rival->join(topic, channelConfig({}, false, false, false, {}, true), userToken(1));
        QCOMPARE(rival->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString(), expected);
        ref = anon->join(topic, channelConfig({}, false, false, false, {}, true));
        QCOMPARE(anon->waitReply(ref)->value(u"response"_s).toObject().value(u"reason"_s).toString(), expected);
        // The public channel of the same name is another namespace and open to all.
        QVERIFY(!anon->joinOk(topic, channelConfig()).isNull());

        // Broadcast from the database: each change of the user's rows, on the user's channel only.
        const QJsonObject row = m_server->store().insertRow(TradingSchema::Positions, position(0, u"INTC"_s, 8)).rows.first();
        auto frame = demo->waitEvent(topic, u"broadcast"_s);
        QVERIFY(frame);
        QCOMPARE(frame->message.payload.value(u"type"_s).toString(), u"broadcast"_s);
        QCOMPARE(frame->message.payload.value(u"event"_s).toString(), u"INSERT"_s);
        QJsonObject payload = frame->message.payload.value(u"payload"_s).toObject();
        QCOMPARE(payload.value(u"schema"_s).toString(), u"public"_s);
        QCOMPARE(payload.value(u"table"_s).toString(), u"positions"_s);
        QCOMPARE(payload.value(u"operation"_s).toString(), u"INSERT"_s);
        QCOMPARE(payload.value(u"record"_s).toObject(), row);
        QVERIFY(payload.value(u"old_record"_s).isNull());

        m_server->store().updateByKey(TradingSchema::Positions, row.value(u"id"_s), QJsonObject{{u"qty"_s, 9}});
        frame = demo->waitEvent(topic, u"broadcast"_s);
        payload = frame->message.payload.value(u"payload"_s).toObject();
        QCOMPARE(frame->message.payload.value(u"event"_s).toString(), u"UPDATE"_s);
        QCOMPARE(payload.value(u"old_record"_s).toObject(), row); // the trigger sees the whole old row
        QCOMPARE(payload.value(u"record"_s).toObject().value(u"qty"_s).toDouble(), 9.0);

        m_server->store().removeByKey(TradingSchema::Positions, row.value(u"id"_s));
        frame = demo->waitEvent(topic, u"broadcast"_s);
        QCOMPARE(frame->message.payload.value(u"event"_s).toString(), u"DELETE"_s);
        QVERIFY(frame->message.payload.value(u"payload"_s).toObject().value(u"record"_s).isNull());

        // The rival's changes never show up on the demo trader's channel, nor on the public twin.
        m_server->store().insertRow(TradingSchema::Positions, position(1, u"INTC"_s, 1));
        const QString beat = demo->push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(demo->waitReply(beat));
        QVERIFY(!demo->hasEvent(topic, u"broadcast"_s));
        QVERIFY(!anon->hasEvent(topic, u"broadcast"_s));
    }

    void swappingTokenForAnotherUserLosesThePrivateChannel()
    {
        const QString topic = u"realtime:user:"_s + userId(0);
        auto socket = open(SerializerVersion::V2);
        const QString joinRef = socket->joinOk(topic, channelConfig({}, false, false, false, {}, true), userToken(0));
        socket->push(topic, u"access_token"_s, QJsonObject{{u"access_token"_s, userToken(1)}}, joinRef);
        const auto system = socket->waitEvent(topic, u"system"_s);
        QCOMPARE(system->message.payload.value(u"message"_s).toString(),
                 u"You no longer have permission to read from this Channel topic: user:"_s + userId(0));
        QVERIFY(socket->waitEvent(topic, u"phx_close"_s));
    }

    void malformedFramesAreDroppedNotFatal()
    {
        auto v2 = open(SerializerVersion::V2);
        auto v1 = open(SerializerVersion::V1);
        for (const QString &garbage : {u"not json"_s, u"[]"_s, u"[1,2,3]"_s, u"{\"topic\":1}"_s,
                                       u"[null,null,\"realtime:x\",\"phx_join\",\"payload\"]"_s,
                                       u"{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{}}"_s}) {
            v2->socket().sendTextMessage(garbage);
            v1->socket().sendTextMessage(garbage);
        }
        v2->sendBinary(QByteArray("\x03\xff\xff", 3));            // truncated kind 3
        v2->sendBinary(QByteArray("\x09garbage"));                  // unknown kind
        v1->sendBinary(PhoenixCodec::encodeUserBroadcastPush(u"1"_s, u"2"_s, Dashboard, u"e"_s, QJsonObject())); // binary on V1
        v2->push(Dashboard, u"phx_join"_s, QJsonObject{{u"config"_s, u"not an object"_s}}); // config of the wrong type
        for (Socket *socket : {v2.get(), v1.get()}) {
            const QString beat = socket->push(u"phoenix"_s, u"heartbeat"_s, {});
            QVERIFY(socket->waitReply(beat));
            QVERIFY(socket->isOpen());
        }
        QVERIFY(m_server->isRunning());
    }

    void silentSocketsAreClosed()
    {
        SimConfig config = fastConfig();
        config.realtime.socketIdleTimeout = std::chrono::milliseconds(300);
        SimServer server(config);
        QVERIFY(server.start());
        auto socket = open(SerializerVersion::V2, &server);
        QVERIFY(socket);
        QVERIFY(socket->waitDisconnected(5000));
    }

    void priceUpdatesAreBroadcast_data() { addVsnRows(); }
    void priceUpdatesAreBroadcast()
    {
        QFETCH(SerializerVersion, vsn);
        auto socket = open(vsn);
        QVERIFY(!socket->joinOk(u"realtime:room:trading-floor"_s, channelConfig()).isNull());
        m_server->market().step();
        const auto frame = socket->waitFor([](const Frame &f) {
            return f.message.payload.value(u"event"_s).toString() == u"price-update";
        });
        QVERIFY(frame);
        QCOMPARE(frame->binary, vsn == SerializerVersion::V2); // like the REST single-message API
        if (vsn == SerializerVersion::V2)
            QCOMPARE(quint8(frame->raw.at(0)), quint8(4));
        const QJsonObject update = frame->message.payload.value(u"payload"_s).toObject();
        const QString symbol = update.value(u"symbol"_s).toString();
        QVERIFY(m_server->market().hasSymbol(symbol));
        QCOMPARE(update.value(u"price"_s).toDouble(), m_server->market().quote(symbol).price);
        QVERIFY(update.value(u"bid"_s).toDouble() < update.value(u"ask"_s).toDouble());
    }
};

QTEST_GUILESS_MAIN(TestSimRealtime)
#include "tst_simrealtime.moc"
