// Broadcast and presence over raw sockets: binary kind 3 in / kind 4 out for vsn 2.0.0 and JSON
// for 1.0.0, text fan-out, self and ack, the payload limit, presence state/diff with phx_refs,
// the client presence rate limit, and the simulated traders.
#include "simtestsupport.h"
#include "simtraders.h"

#include <QTest>

using namespace tf;
using namespace tf::sim;
using namespace tf::simtest;
using namespace Qt::StringLiterals;

namespace {
const QString Room = u"realtime:room:lobby"_s;
QJsonObject broadcastPayload(const QString &event, const QJsonValue &payload)
{
    return QJsonObject{{u"type"_s, u"broadcast"_s}, {u"event"_s, event}, {u"payload"_s, payload}};
}
QJsonObject presencePayload(const QString &event, const QJsonObject &payload = {})
{
    QJsonObject p{{u"type"_s, u"presence"_s}, {u"event"_s, event}};
    if (!payload.isEmpty())
        p.insert(u"payload"_s, payload);
    return p;
}
}

class TestSimBroadcast : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimServer> m_server;

    std::unique_ptr<Socket> open(SerializerVersion vsn, SimServer *server = nullptr)
    {
        server = server ? server : m_server.get();
        auto socket = std::make_unique<Socket>(vsn);
        return socket->open(server->url(), server->anonKey()) ? std::move(socket) : nullptr;
    }
    // Proves nothing else is pending for `socket` on `topic`: a marker broadcast from `via`
    // must be the next broadcast that arrives.
    static bool nextBroadcastIsMarker(Socket &socket, Socket &via, const QString &viaJoinRef, const QString &topic)
    {
        via.push(topic, u"broadcast"_s, broadcastPayload(u"marker"_s, QJsonObject()), viaJoinRef);
        const auto frame = socket.waitFor([&](const Frame &f) { return f.message.topic == topic && f.message.event == u"broadcast"; });
        return frame && frame->message.payload.value(u"event"_s).toString() == u"marker";
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<SimServer>(fastConfig());
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        QTRY_COMPARE_WITH_TIMEOUT(m_server->realtime().connectionCount(), 0, 5000);
    }

    void binaryPushFansOutAsKind4AndJson()
    {
        auto sender = open(SerializerVersion::V2);
        auto v2 = open(SerializerVersion::V2);
        auto v1 = open(SerializerVersion::V1);
        const QString senderRef = sender->joinOk(Room, channelConfig());
        QVERIFY(!v2->joinOk(Room, channelConfig()).isNull());
        const QString v1Ref = v1->joinOk(Room, channelConfig());
        QVERIFY(!v1Ref.isNull());

        const QJsonObject payload{{u"item_id"_s, 7}, {u"note"_s, u"héllo"_s}};
        sender->sendBinary(PhoenixCodec::encodeUserBroadcastPush(senderRef, sender->nextRef(), Room, u"refresh"_s, payload));

        const auto binary = v2->waitEvent(Room, u"broadcast"_s);
        QVERIFY(binary);
        QVERIFY(binary->binary);
        // Exactly the server frame of §2.3: kind 4, no metadata, JSON encoding.
        QCOMPARE(binary->raw, PhoenixCodec::encodeUserBroadcast(Room, u"refresh"_s, QByteArray(), payload));
        QCOMPARE(binary->message.payload, broadcastPayload(u"refresh"_s, payload));

        const auto json = v1->waitEvent(Room, u"broadcast"_s);
        QVERIFY(json);
        QVERIFY(!json->binary);
        QCOMPARE(json->message.payload, broadcastPayload(u"refresh"_s, payload));
        QVERIFY(json->message.ref.isNull());
        QVERIFY(!json->raw.contains("join_ref"));

        // self is off: the sender got nothing back.
        QVERIFY(nextBroadcastIsMarker(*sender, *v1, v1Ref, Room));
    }

    void textPushFansOutAsText()
    {
        auto sender = open(SerializerVersion::V1);
        auto v2 = open(SerializerVersion::V2);
        const QString senderRef = sender->joinOk(Room, channelConfig());
        QVERIFY(!v2->joinOk(Room, channelConfig()).isNull());
        sender->push(Room, u"broadcast"_s, broadcastPayload(u"cursor"_s, QJsonObject{{u"x"_s, 1}}), senderRef);
        const auto frame = v2->waitEvent(Room, u"broadcast"_s);
        QVERIFY(frame);
        QVERIFY(!frame->binary);
        QVERIFY(frame->raw.startsWith("[null,null,\"realtime:room:lobby\",\"broadcast\""));
        QCOMPARE(frame->message.payload, broadcastPayload(u"cursor"_s, QJsonObject{{u"x"_s, 1}}));
    }

    void rawBinaryPayloadsSkipV1Sockets()
    {
        auto sender = open(SerializerVersion::V2);
        auto v2 = open(SerializerVersion::V2);
        auto v1 = open(SerializerVersion::V1);
        const QString senderRef = sender->joinOk(Room, channelConfig());
        QVERIFY(!v2->joinOk(Room, channelConfig()).isNull());
        QVERIFY(!v1->joinOk(Room, channelConfig()).isNull());
        const QByteArray bytes("\x00\x01\x02\xff", 4);
        sender->sendBinary(PhoenixCodec::encodeUserBroadcastPushBytes(senderRef, sender->nextRef(), Room, u"blob"_s, bytes));
        const auto frame = v2->waitEvent(Room, u"broadcast"_s);
        QVERIFY(frame);
        QCOMPARE(frame->message.binaryPayload, std::optional<QByteArray>(bytes));
        QCOMPARE(frame->raw, PhoenixCodec::encodeUserBroadcastBytes(Room, u"blob"_s, QByteArray(), bytes));
        QVERIFY(nextBroadcastIsMarker(*v1, *sender, senderRef, Room)); // the blob never reached V1
    }

    void selfAndAck()
    {
        auto socket = open(SerializerVersion::V2);
        const QString joinRef = socket->joinOk(Room, channelConfig({}, true, true));
        const QString ref = socket->push(Room, u"broadcast"_s, broadcastPayload(u"ping"_s, QJsonObject{{u"n"_s, 1}}), joinRef);
        const auto echo = socket->waitEvent(Room, u"broadcast"_s);
        QVERIFY(echo);
        QCOMPARE(echo->message.payload.value(u"event"_s).toString(), u"ping"_s);
        const auto ack = socket->waitReply(ref);
        QVERIFY(ack);
        QCOMPARE(*ack, (QJsonObject{{u"status"_s, u"ok"_s}, {u"response"_s, QJsonObject()}}));

        // Binary pushes are acknowledged the same way.
        const QString binaryRef = socket->nextRef();
        socket->sendBinary(PhoenixCodec::encodeUserBroadcastPush(joinRef, binaryRef, Room, u"ping"_s, QJsonObject()));
        QVERIFY(socket->waitReply(binaryRef));

        // Without ack, no reply ever comes.
        auto quiet = open(SerializerVersion::V2);
        const QString quietJoin = quiet->joinOk(Room, channelConfig({}, true, false));
        const QString quietRef = quiet->push(Room, u"broadcast"_s, broadcastPayload(u"ping"_s, QJsonObject()), quietJoin);
        QVERIFY(quiet->waitEvent(Room, u"broadcast"_s)); // its own echo
        const QString beat = quiet->push(u"phoenix"_s, u"heartbeat"_s, {});
        QVERIFY(quiet->waitReply(beat));
        for (const Frame &f : quiet->frames())
            QVERIFY(f.message.ref != quietRef);
    }

    void oversizedBroadcastIsDropped()
    {
        SimConfig config = fastConfig();
        config.realtime.maxPayloadBytes = 100;
        SimServer server(config);
        QVERIFY(server.start());
        auto sender = open(SerializerVersion::V2, &server);
        auto receiver = open(SerializerVersion::V2, &server);
        const QString joinRef = sender->joinOk(Room, channelConfig({}, false, true));
        QVERIFY(!receiver->joinOk(Room, channelConfig()).isNull());
        const QString ref = sender->push(Room, u"broadcast"_s,
                                         broadcastPayload(u"big"_s, QJsonObject{{u"blob"_s, QString(200, u'x')}}), joinRef);
        // The ack error's response is a bare string, not an object (§6.2).
        QCOMPARE(*sender->waitReply(ref), (QJsonObject{{u"status"_s, u"error"_s}, {u"response"_s, u"payload_size_exceeded"_s}}));
        QVERIFY(nextBroadcastIsMarker(*receiver, *sender, joinRef, Room));
    }

    void presenceStateAndDiffs()
    {
        auto alice = open(SerializerVersion::V2);
        const QString aliceRef = alice->join(Room, channelConfig({}, false, false, true, u"alice"_s));
        QVERIFY(alice->waitReply(aliceRef));
        const auto emptyState = alice->waitEvent(Room, u"presence_state"_s);
        QVERIFY(emptyState);
        QCOMPARE(emptyState->message.payload, QJsonObject());
        QCOMPARE(emptyState->message.joinRef, aliceRef);

        const QString trackRef = alice->push(Room, u"presence"_s, presencePayload(u"track"_s, QJsonObject{{u"view"_s, u"orders"_s}}), aliceRef);
        QCOMPARE(alice->waitReply(trackRef)->value(u"status"_s).toString(), u"ok"_s);
        auto diff = alice->waitEvent(Room, u"presence_diff"_s); // the tracker sees its own join
        QVERIFY(diff);
        QVERIFY(diff->message.joinRef.isNull());
        const QJsonObject aliceMeta = diff->message.payload.value(u"joins"_s).toObject().value(u"alice"_s).toObject()
                                          .value(u"metas"_s).toArray().first().toObject();
        QCOMPARE(aliceMeta.value(u"view"_s).toString(), u"orders"_s);
        const QString aliceRef1 = aliceMeta.value(u"phx_ref"_s).toString();
        QVERIFY(!aliceRef1.isEmpty());
        QCOMPARE(diff->message.payload.value(u"leaves"_s).toObject(), QJsonObject());

        auto bob = open(SerializerVersion::V1);
        const QString bobRef = bob->join(Room, channelConfig({}, false, false, true, u"bob"_s));
        QVERIFY(bob->waitReply(bobRef));
        const auto state = bob->waitEvent(Room, u"presence_state"_s);
        QCOMPARE(state->message.payload, (QJsonObject{{u"alice"_s, QJsonObject{{u"metas"_s, QJsonArray{aliceMeta}}}}}));

        bob->push(Room, u"presence"_s, presencePayload(u"TRACK"_s, QJsonObject{{u"view"_s, u"chart"_s}}), bobRef);
        diff = alice->waitEvent(Room, u"presence_diff"_s);
        QVERIFY(diff->message.payload.value(u"joins"_s).toObject().contains(u"bob"_s));

        // Re-tracking the same payload changes nothing; a new payload is a join plus a leave.
        const QString same = alice->push(Room, u"presence"_s, presencePayload(u"track"_s, QJsonObject{{u"view"_s, u"orders"_s}}), aliceRef);
        QVERIFY(alice->waitReply(same));
        alice->push(Room, u"presence"_s, presencePayload(u"track"_s, QJsonObject{{u"view"_s, u"detail"_s}}), aliceRef);
        diff = bob->waitFor([](const Frame &f) {
            return f.message.event == u"presence_diff" && f.message.payload.value(u"joins"_s).toObject().contains(u"alice"_s);
        });
        QVERIFY(diff);
        const QJsonObject updated = diff->message.payload.value(u"joins"_s).toObject().value(u"alice"_s).toObject()
                                        .value(u"metas"_s).toArray().first().toObject();
        QCOMPARE(updated.value(u"view"_s).toString(), u"detail"_s);
        QCOMPARE(updated.value(u"phx_ref_prev"_s).toString(), aliceRef1);
        QVERIFY(updated.value(u"phx_ref"_s).toString() != aliceRef1);
        QCOMPARE(diff->message.payload.value(u"leaves"_s).toObject().value(u"alice"_s).toObject().value(u"metas"_s)
                     .toArray().first().toObject().value(u"phx_ref"_s).toString(), aliceRef1);

        // Untrack, and a socket that goes away, both leave.
        alice->push(Room, u"presence"_s, presencePayload(u"untrack"_s), aliceRef);
        diff = bob->waitFor([](const Frame &f) {
            return f.message.event == u"presence_diff" && f.message.payload.value(u"leaves"_s).toObject().contains(u"alice"_s)
                && f.message.payload.value(u"joins"_s).toObject().isEmpty();
        });
        QVERIFY(diff);
        bob.reset();
        diff = alice->waitFor([](const Frame &f) {
            return f.message.event == u"presence_diff" && f.message.payload.value(u"leaves"_s).toObject().contains(u"bob"_s);
        });
        QVERIFY(diff);
    }

    void presenceErrors()
    {
        auto socket = open(SerializerVersion::V2);
        const QString joinRef = socket->joinOk(Room, channelConfig());
        QJsonObject bad = presencePayload(u"track"_s);
        bad.insert(u"payload"_s, u"not a map"_s);
        const QString ref = socket->push(Room, u"presence"_s, bad, joinRef);
        QCOMPARE(*socket->waitReply(ref), (QJsonObject{{u"status"_s, u"error"_s},
                                                       {u"response"_s, QJsonObject{{u"reason"_s, u"Presence track payload must be a map"_s}}}}));
    }

    void presenceRateLimit()
    {
        SimConfig config = fastConfig();
        config.realtime.presenceMaxCalls = 3;
        SimServer server(config);
        QVERIFY(server.start());
        auto socket = open(SerializerVersion::V2, &server);
        const QString joinRef = socket->joinOk(Room, channelConfig());
        for (int i = 0; i < 3; ++i) {
            const QString ref = socket->push(Room, u"presence"_s, presencePayload(u"track"_s, QJsonObject{{u"i"_s, i}}), joinRef);
            QCOMPARE(socket->waitReply(ref)->value(u"status"_s).toString(), u"ok"_s);
        }
        socket->push(Room, u"presence"_s, presencePayload(u"track"_s, QJsonObject{{u"i"_s, 4}}), joinRef);
        const auto system = socket->waitEvent(Room, u"system"_s);
        QVERIFY(system);
        QCOMPARE(system->message.payload.value(u"message"_s).toString(), u"Client presence rate limit exceeded"_s);
        QCOMPARE(system->message.payload.value(u"status"_s).toString(), u"error"_s);
        QCOMPARE(socket->waitEvent(Room, u"phx_close"_s)->message.ref, joinRef);
    }

    void simulatedTradersArePresent()
    {
        SimConfig config = fastConfig();
        config.simulatedTraders = 4;
        SimServer server(config);
        QVERIFY(server.start());
        auto socket = open(SerializerVersion::V2, &server);
        const QString topic = u"realtime:"_s + SimTraders::Channel;
        socket->join(topic, channelConfig({}, false, false, true));
        const auto state = socket->waitEvent(topic, u"presence_state"_s);
        QVERIFY(state);
        QCOMPARE(state->message.payload.keys(), (QStringList{u"sim-trader-1"_s, u"sim-trader-2"_s, u"sim-trader-3"_s, u"sim-trader-4"_s}));
        const QJsonObject meta = state->message.payload.value(u"sim-trader-1"_s).toObject().value(u"metas"_s).toArray().first().toObject();
        QVERIFY(meta.contains(u"phx_ref"_s));
        QVERIFY(meta.contains(u"name"_s));
        server.traders().churn();
        QVERIFY(socket->waitEvent(topic, u"presence_diff"_s));
    }
};

QTEST_GUILESS_MAIN(TestSimBroadcast)
#include "tst_simbroadcast.moc"
