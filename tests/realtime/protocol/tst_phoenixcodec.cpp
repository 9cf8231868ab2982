// Codec tests: every frame shape of the protocol doc (§2), both serializer versions, and
// malformed input that must be rejected with a reason instead of crashing.
#include "phoenixcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace tf;

namespace {
QByteArray hex(const char *h) { return QByteArray::fromHex(h); }
QJsonObject obj(const char *json) { return QJsonDocument::fromJson(json).object(); }
}

class TestPhoenixCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vsnStrings()
    {
        QCOMPARE(vsnString(SerializerVersion::V1), QStringLiteral("1.0.0"));
        QCOMPARE(vsnString(SerializerVersion::V2), QStringLiteral("2.0.0"));
        QCOMPARE(serializerFromVsn(u"2.0.0"), SerializerVersion::V2);
        QCOMPARE(serializerFromVsn(u"1.0.0"), SerializerVersion::V1);
        QVERIFY(!serializerFromVsn(u"3.0.0").has_value());
    }

    void v2EncodeJoin()
    {
        const PhoenixCodec codec(SerializerVersion::V2);
        PhoenixMessage join{QStringLiteral("4"), QStringLiteral("4"), QStringLiteral("realtime:dashboard"),
                            QStringLiteral("phx_join"), obj(R"({"config":{}})"), std::nullopt};
        QCOMPARE(codec.encodeText(join), QByteArray(R"(["4","4","realtime:dashboard","phx_join",{"config":{}}])"));

        PhoenixMessage heartbeat{QString(), QStringLiteral("12"), QStringLiteral("phoenix"),
                                 QStringLiteral("heartbeat"), {}, std::nullopt};
        QCOMPARE(codec.encodeText(heartbeat), QByteArray(R"([null,"12","phoenix","heartbeat",{}])"));
    }

    void v1EncodeOmitsNullJoinRef()
    {
        const PhoenixCodec codec(SerializerVersion::V1);
        PhoenixMessage reply{QString(), QStringLiteral("4"), QStringLiteral("realtime:dashboard"),
                             QStringLiteral("phx_reply"), obj(R"({"status":"ok","response":{}})"), std::nullopt};
        const QJsonObject encoded = QJsonDocument::fromJson(codec.encodeText(reply)).object();
        QVERIFY(!encoded.contains(QStringLiteral("join_ref")));
        QCOMPARE(encoded.value(QStringLiteral("ref")).toString(), QStringLiteral("4"));
        QCOMPARE(encoded.value(QStringLiteral("topic")).toString(), QStringLiteral("realtime:dashboard"));

        reply.joinRef = QStringLiteral("4");
        reply.ref = QString();
        const QJsonObject withJoin = QJsonDocument::fromJson(codec.encodeText(reply)).object();
        QCOMPARE(withJoin.value(QStringLiteral("join_ref")).toString(), QStringLiteral("4"));
        QVERIFY(withJoin.value(QStringLiteral("ref")).isNull());
    }

    void v2DecodeServerFrames_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("joinRef");
        QTest::addColumn<QString>("ref");
        QTest::addColumn<QString>("event");
        QTest::newRow("reply") << QByteArray(R"(["4","4","realtime:dashboard","phx_reply",{"status":"ok","response":{"postgres_changes":[]}}])")
                               << QStringLiteral("4") << QStringLiteral("4") << QStringLiteral("phx_reply");
        QTest::newRow("heartbeat reply") << QByteArray(R"([null,"57","phoenix","phx_reply",{"status":"ok","response":{}}])")
                                         << QString() << QStringLiteral("57") << QStringLiteral("phx_reply");
        QTest::newRow("postgres_changes") << QByteArray(R"([null,null,"realtime:dashboard","postgres_changes",{"ids":[38140712],"data":{"type":"INSERT"}}])")
                                          << QString() << QString() << QStringLiteral("postgres_changes");
        QTest::newRow("system") << QByteArray(R"(["4",null,"realtime:dashboard","system",{"extension":"postgres_changes","status":"ok","message":"Subscribed to PostgreSQL","channel":"dashboard"}])")
                                << QStringLiteral("4") << QString() << QStringLiteral("system");
        QTest::newRow("extra elements ignored") << QByteArray(R"(["1","2","realtime:x","phx_close",{},"extra"])")
                                                << QStringLiteral("1") << QStringLiteral("2") << QStringLiteral("phx_close");
    }

    void v2DecodeServerFrames()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, joinRef);
        QFETCH(QString, ref);
        QFETCH(QString, event);
        const DecodeResult result = PhoenixCodec(SerializerVersion::V2).decodeText(frame);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.message->joinRef, joinRef);
        QCOMPARE(result.message->joinRef.isNull(), joinRef.isNull());
        QCOMPARE(result.message->ref, ref);
        QCOMPARE(result.message->ref.isNull(), ref.isNull());
        QCOMPARE(result.message->event, event);
    }

    void v1DecodeWithoutJoinRef()
    {
        const DecodeResult result = PhoenixCodec(SerializerVersion::V1).decodeText(
            R"({"topic":"realtime:dashboard","event":"phx_reply","payload":{"status":"ok","response":{"postgres_changes":[]}},"ref":"4"})");
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QVERIFY(result.message->joinRef.isNull());
        QCOMPARE(result.message->ref, QStringLiteral("4"));
        QCOMPARE(result.message->payload.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    }

    void roundTripBothVersions()
    {
        for (const auto version : {SerializerVersion::V1, SerializerVersion::V2}) {
            const PhoenixCodec codec(version);
            const PhoenixMessage original{QStringLiteral("7"), QStringLiteral("31"), QStringLiteral("realtime:room:42"),
                                          QStringLiteral("access_token"), obj(R"({"access_token":"eyJ.x.y"})"), std::nullopt};
            const DecodeResult decoded = codec.decodeText(codec.encodeText(original));
            QVERIFY2(decoded.ok(), qPrintable(decoded.reason));
            QCOMPARE(*decoded.message, original);
        }
    }

    void malformedText_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("not json") << int(SerializerVersion::V2) << QByteArray("[\"1\",");
        QTest::newRow("object for v2") << int(SerializerVersion::V2) << QByteArray(R"({"topic":"x"})");
        QTest::newRow("short array") << int(SerializerVersion::V2) << QByteArray(R"([null,null,"t","e"])");
        QTest::newRow("topic not string") << int(SerializerVersion::V2) << QByteArray(R"([null,null,5,"e",{}])");
        QTest::newRow("payload not object") << int(SerializerVersion::V2) << QByteArray(R"([null,null,"t","e",[]])");
        QTest::newRow("ref is object") << int(SerializerVersion::V2) << QByteArray(R"([null,{},"t","e",{}])");
        QTest::newRow("array for v1") << int(SerializerVersion::V1) << QByteArray(R"([null,null,"t","e",{}])");
        QTest::newRow("v1 lacks ref") << int(SerializerVersion::V1) << QByteArray(R"({"topic":"t","event":"e","payload":{}})");
        QTest::newRow("v1 lacks payload") << int(SerializerVersion::V1) << QByteArray(R"({"topic":"t","event":"e","ref":null})");
        QTest::newRow("invalid utf8") << int(SerializerVersion::V2) << QByteArray("[null,null,\"t\xff\xfe\",\"e\",{}]");
        QTest::newRow("invalid utf8 in a v1 payload") << int(SerializerVersion::V1)
            << QByteArray("{\"topic\":\"t\",\"event\":\"e\",\"payload\":{\"a\":\"\xc3\x28\"},\"ref\":null}");
        QTest::newRow("overlong utf8") << int(SerializerVersion::V2) << QByteArray("[null,null,\"\xc0\xaf\",\"e\",{}]");
        QTest::newRow("empty") << int(SerializerVersion::V2) << QByteArray();
        QTest::newRow("nested too deep") << int(SerializerVersion::V2)
            << QByteArray("[null,null,\"t\",\"e\",{\"a\":") + QByteArray(5000, '[') + QByteArray(5000, ']') + "}]";
    }

    void malformedText()
    {
        QFETCH(int, version);
        QFETCH(QByteArray, frame);
        const DecodeResult result = PhoenixCodec(SerializerVersion(version)).decodeText(frame);
        // Invalid UTF-8 included: Qt's JSON parser refuses it (IllegalUTF8String), so such a
        // frame is dropped as malformed rather than decoded with replacement characters.
        QVERIFY(!result.ok());
        QCOMPARE(result.error, DecodeError::Malformed);
        QVERIFY(!result.reason.isEmpty());
    }

    void oversizedFramesAreNotParsed()
    {
        const PhoenixCodec codec(SerializerVersion::V2, 64);
        // (Built by concatenation: moc 6.4 mis-lexes a raw string that ends in a quote.)
        const QByteArray big = QByteArray("[null,null,\"realtime:x\",\"broadcast\",{\"p\":\"")
            + QByteArray(100, 'a') + QByteArray("\"}]");
        const DecodeResult text = codec.decodeText(big);
        QCOMPARE(text.error, DecodeError::Oversized);
        const DecodeResult binary = codec.decodeBinary(PhoenixCodec::encodeUserBroadcast(
            QStringLiteral("realtime:x"), QStringLiteral("e"), {}, QJsonValue(QString(100, u'b'))));
        QCOMPARE(binary.error, DecodeError::Oversized);
    }

    // Byte-exact vectors of protocol doc §2.3.
    void binaryKind3EncodeMatchesDoc()
    {
        const QByteArray frame = PhoenixCodec::encodeUserBroadcastPush(
            QStringLiteral("7"), QStringLiteral("12"), QStringLiteral("realtime:ab"), QStringLiteral("ping"),
            QJsonObject{{QStringLiteral("n"), 1}});
        QCOMPARE(frame, hex("0301020b040001") + "712realtime:abping{\"n\":1}");
    }

    void binaryKind4DecodeMatchesDoc()
    {
        const QByteArray frame = hex("040b040001") + "realtime:abping{\"n\":1}";
        QCOMPARE(PhoenixCodec::encodeUserBroadcast(QStringLiteral("realtime:ab"), QStringLiteral("ping"), {},
                                                   QJsonObject{{QStringLiteral("n"), 1}}),
                 frame);
        const DecodeResult result = PhoenixCodec(SerializerVersion::V2).decodeBinary(frame);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        const PhoenixMessage &m = *result.message;
        QVERIFY(m.joinRef.isNull());
        QVERIFY(m.ref.isNull());
        QCOMPARE(m.topic, QStringLiteral("realtime:ab"));
        QCOMPARE(m.event, QStringLiteral("broadcast"));
        QCOMPARE(m.payload, obj(R"({"type":"broadcast","event":"ping","payload":{"n":1}})"));
        QVERIFY(!m.binaryPayload.has_value());
    }

    void binaryKind4WithMetadataAndScalarPayload()
    {
        const QByteArray frame = PhoenixCodec::encodeUserBroadcast(
            QStringLiteral("realtime:room"), QStringLiteral("tick"), R"({"id":"abc","replayed":true})", QJsonValue(42));
        const DecodeResult result = PhoenixCodec(SerializerVersion::V2).decodeBinary(frame);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.message->payload.value(QStringLiteral("payload")).toInt(), 42);
        QCOMPARE(result.message->payload.value(QStringLiteral("meta")).toObject(), obj(R"({"id":"abc","replayed":true})"));
    }

    void binaryRawPayloadKeepsBytes()
    {
        const QByteArray raw("\x00\x01\xff", 3);
        const QByteArray frame = PhoenixCodec::encodeUserBroadcastBytes(QStringLiteral("realtime:r"), QStringLiteral("blob"), {}, raw);
        const DecodeResult result = PhoenixCodec(SerializerVersion::V2).decodeBinary(frame);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.message->binaryPayload.value_or(QByteArray()), raw);
        QVERIFY(!result.message->payload.contains(QStringLiteral("payload")));
    }

    void binaryKind3Decodes()
    {
        const QByteArray frame = PhoenixCodec::encodeUserBroadcastPush(
            QStringLiteral("7"), QStringLiteral("12"), QStringLiteral("realtime:ab"), QStringLiteral("ping"), QJsonValue(QStringLiteral("hi")));
        const DecodeResult result = PhoenixCodec(SerializerVersion::V2).decodeBinary(frame);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(result.message->joinRef, QStringLiteral("7"));
        QCOMPARE(result.message->ref, QStringLiteral("12"));
        QCOMPARE(result.message->payload.value(QStringLiteral("payload")).toString(), QStringLiteral("hi"));
    }

    void binaryHeaderStringTooLong()
    {
        QVERIFY(PhoenixCodec::encodeUserBroadcastPush(QStringLiteral("1"), QStringLiteral("2"), QString(256, u't'),
                                                      QStringLiteral("e"), QJsonObject()).isEmpty());
    }

    void malformedBinary_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("error");
        QTest::newRow("empty") << QByteArray() << int(DecodeError::Malformed);
        QTest::newRow("kind 0") << hex("00010203") << int(DecodeError::UnsupportedKind);
        QTest::newRow("kind 9") << hex("09") << int(DecodeError::UnsupportedKind);
        QTest::newRow("truncated header") << hex("040b04") << int(DecodeError::Malformed);
        QTest::newRow("string overruns") << hex("04ff040001") + "short" << int(DecodeError::Malformed);
        QTest::newRow("bad encoding") << hex("0401010007") + "te" << int(DecodeError::Malformed);
        QTest::newRow("bad json payload") << hex("0401010001") + "te{" << int(DecodeError::Malformed);
        QTest::newRow("metadata not object") << hex("0401010301") + "te[1]{}" << int(DecodeError::Malformed);
    }

    void malformedBinary()
    {
        QFETCH(QByteArray, frame);
        QFETCH(int, error);
        const DecodeResult result = PhoenixCodec(SerializerVersion::V2).decodeBinary(frame);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error), error);
        QVERIFY(!result.reason.isEmpty());
    }

    void binaryRejectedOnV1()
    {
        const DecodeResult result = PhoenixCodec(SerializerVersion::V1).decodeBinary(QByteArray(hex("040b040001") + "realtime:abping{}"));
        QCOMPARE(result.error, DecodeError::UnsupportedKind);
    }
};

QTEST_GUILESS_MAIN(TestPhoenixCodec)
#include "tst_phoenixcodec.moc"
