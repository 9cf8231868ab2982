// RealtimeChannel against a recording fake transport: the exact join payload in both
// serializers, id matching, every failure path of §1.7/§4/§9 with its recovery, join_ref rules,
// postgres_changes dispatch, broadcast in text and binary, acks, buffering, presence limits,
// token refresh, and malformed input that must not disturb the channel.
#include "fakechanneltransport.h"
#include "presencestate.h"
#include "ratelimiter.h"
#include "realtimechannel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using tf::ChannelConfig;
using tf::ClientError;
using tf::ErrorClass;
using tf::PhoenixCodec;
using tf::PhoenixMessage;
using tf::PostgresChange;
using tf::PostgresChangesBinding;
using tf::Push;
using tf::RealtimeChannel;
using tf::SerializerVersion;
using tf::test::FakeChannelTransport;
using State = RealtimeChannel::State;
using Status = RealtimeChannel::SubscribeStatus;

namespace {

const QString Topic = u"realtime:dashboard"_s;

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// Fast timings: nothing waits for real seconds, backoff without jitter so delays are known.
ChannelConfig fastConfig()
{
    ChannelConfig config;
    config.tuning.joinTimeout = 5000ms;
    config.tuning.pushTimeout = 5000ms;
    config.tuning.rejoinBackoff.base = 10ms;
    config.tuning.rejoinBackoff.cap = 40ms;
    config.tuning.rejoinBackoff.fullJitter = false;
    config.tuning.rejoinBackoff.rateLimitFloor = 300ms;
    return config;
}

PostgresChangesBinding binding(const QString &event, const QString &table, const QString &filter = QString())
{
    PostgresChangesBinding b;
    b.event = event;
    b.table = table;
    b.filter = filter;
    return b;
}

struct Fixture {
    explicit Fixture(const ChannelConfig &config = fastConfig(), SerializerVersion version = SerializerVersion::V2)
        : transport(version)
        , channel(std::make_unique<RealtimeChannel>(u"dashboard"_s, config, &transport))
    {
    }

    // A reply to `push` as the server sends it (V1 frames carry no join_ref).
    void reply(const PhoenixMessage &push, const QString &status, const QJsonValue &response = QJsonObject())
    {
        const QString joinRef = transport.version == SerializerVersion::V1 ? QString() : push.joinRef;
        channel->handleMessage(PhoenixMessage{joinRef, push.ref, Topic, u"phx_reply"_s,
                                              QJsonObject{{u"status"_s, status}, {u"response"_s, response}}, std::nullopt});
    }

    QJsonObject echo(const QList<qint64> &ids) const
    {
        QJsonArray out;
        const QJsonArray wire = channel->config().postgresChangesPayload();
        for (qsizetype i = 0; i < wire.size(); ++i) {
            QJsonObject entry = wire.at(i).toObject();
            entry.insert(u"id"_s, ids.value(i));
            out.append(entry);
        }
        return QJsonObject{{u"postgres_changes"_s, out}};
    }

    PhoenixMessage lastJoin() const { return *transport.lastSent(u"phx_join"_s); }

    void joinOk(const QList<qint64> &ids = {})
    {
        reply(lastJoin(), u"ok"_s, echo(ids));
        QCOMPARE(channel->state(), State::Joined);
    }

    void subscribeAndJoin(const QList<qint64> &ids = {})
    {
        channel->subscribe();
        joinOk(ids);
    }

    // A server push on the channel (join_ref = current, like channel-process messages).
    void serverPush(const QString &event, const QJsonObject &payload, bool withJoinRef = true)
    {
        channel->handleMessage(PhoenixMessage{withJoinRef ? channel->joinRef() : QString(), QString(), Topic, event,
                                              payload, std::nullopt});
    }

    void phxClose()
    {
        channel->handleMessage(PhoenixMessage{channel->joinRef(), channel->joinRef(), Topic, u"phx_close"_s, {}, std::nullopt});
    }

    FakeChannelTransport transport;
    std::unique_ptr<RealtimeChannel> channel;
};

QJsonObject changePayload(const QList<qint64> &ids, const QString &type, const QByteArray &recordJson,
                          const QString &table = u"items"_s)
{
    QJsonArray idArray;
    for (qint64 id : ids)
        idArray.append(id);
    QJsonObject data{{u"schema"_s, u"public"_s}, {u"table"_s, table}, {u"type"_s, type},
                     {u"commit_timestamp"_s, u"2026-08-21T10:15:30.123Z"_s}, {u"errors"_s, QJsonValue()},
                     {u"columns"_s, QJsonArray{QJsonObject{{u"name"_s, u"id"_s}, {u"type"_s, u"int8"_s}}}}};
    data.insert(type == u"DELETE" ? u"old_record"_s : u"record"_s, obj(recordJson));
    return QJsonObject{{u"ids"_s, idArray}, {u"data"_s, data}};
}

} // namespace

class TestRealtimeChannel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- configuration and the join payload ---

    void joinPayloadIsExact_data()
    {
        QTest::addColumn<SerializerVersion>("version");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray payload = R"({"config":{"broadcast":{"ack":true,"self":false},"presence":{"key":"user-42","enabled":true},)"
                                   R"("postgres_changes":[{"event":"*","schema":"public","table":"items","filter":"user_id=eq.42"},)"
                                   R"({"event":"DELETE","schema":"public","table":"items"}],"private":false},"access_token":"eyJ.USER"})";
        QTest::newRow("vsn 2.0.0") << SerializerVersion::V2
                                   << QByteArray(R"(["1","1","realtime:dashboard","phx_join",)" + payload + "]");
        QTest::newRow("vsn 1.0.0") << SerializerVersion::V1
                                   << QByteArray(R"({"topic":"realtime:dashboard","event":"phx_join","ref":"1","join_ref":"1","payload":)"
                                                 + payload + "}");
    }

    void joinPayloadIsExact()
    {
        QFETCH(SerializerVersion, version);
        QFETCH(QByteArray, expected);
        ChannelConfig config = fastConfig();
        config.broadcastAck = true;
        config.presenceKey = u"user-42"_s;
        config.presenceEnabled = true;
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42"_s)));
        QVERIFY(config.addPostgresChanges(binding(u"delete"_s, u"items"_s)));
        Fixture f(config, version);
        f.channel->setAccessToken(u"eyJ.USER"_s);
        f.channel->subscribe();

        QCOMPARE(f.transport.textFrames.size(), 1);
        QJsonParseError error{};
        const QJsonDocument want = QJsonDocument::fromJson(expected, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(QJsonDocument::fromJson(f.transport.textFrames.first()), want);
        QCOMPARE(f.channel->state(), State::Joining);
        QCOMPARE(f.channel->joinRef(), u"1"_s);
    }

    void configValidation()
    {
        ChannelConfig config;
        QString error;
        QVERIFY(!config.addPostgresChanges(binding(u"TRUNCATE"_s, u"items"_s), &error));
        QVERIFY(error.contains(u"unknown postgres_changes event"_s));
        QVERIFY(!config.addPostgresChanges(binding(u"*"_s, QString()), &error));
        QVERIFY(error.contains(u"needs a table"_s));
        QVERIFY(!config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=foo.1"_s), &error));
        QVERIFY2(error.contains(u"unknown operator 'foo'"_s), qPrintable(error));
        QVERIFY(config.postgresChanges().isEmpty());

        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42"_s)));
        QVERIFY(!config.addPostgresChanges(binding(u"*"_s, u"items"_s, u" user_id=eq.42 "_s), &error));
        QVERIFY(error.contains(u"duplicate"_s));

        // Compound filters: only the first condition travels; bindings differing in their
        // client-side part share one wire entry (one server id).
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42&status=eq.open"_s)));
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42&status=eq.closed"_s)));
        QCOMPARE(config.postgresChanges().size(), 3);
        QCOMPARE(config.postgresChangesPayload().size(), 1);
        QCOMPARE(config.wireIndexFor(2), 0);
        QCOMPARE(config.postgresChangesPayload().at(0).toObject().value(u"filter"_s).toString(), u"user_id=eq.42"_s);

        // No filter → no "filter" key at all (§3.2).
        QVERIFY(config.addPostgresChanges(binding(u"insert"_s, u"trades"_s)));
        const QJsonObject noFilter = config.postgresChangesPayload().at(1).toObject();
        QVERIFY(!noFilter.contains(u"filter"_s));
        QCOMPARE(noFilter.value(u"event"_s).toString(), u"INSERT"_s);
        QVERIFY(!config.joinPayload().contains(u"access_token"_s));
    }

    // --- join replies ---

    void joinOkMatchesIds()
    {
        ChannelConfig config = fastConfig();
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42"_s)));
        QVERIFY(config.addPostgresChanges(binding(u"DELETE"_s, u"items"_s)));
        Fixture f(config);
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        QSignalSpy states(f.channel.get(), &RealtimeChannel::stateChanged);
        f.channel->subscribe();
        f.joinOk({38140712, 90117345});

        QCOMPARE(status.size(), 1);
        QCOMPARE(status.at(0).at(0).value<Status>(), Status::Subscribed);
        QCOMPARE(states.size(), 2);
        QCOMPARE(states.at(0).at(0).value<State>(), State::Joining);
        QCOMPARE(states.at(1).at(0).value<State>(), State::Joined);
        const QList<QJsonValue> ids = f.channel->postgresChangesIds();
        QCOMPARE(ids.size(), 2);
        QVERIFY(ids.at(0).isDouble()); // kept as a JSON number
        QCOMPARE(ids.at(0).toInteger(), 38140712);
        QCOMPARE(ids.at(1).toInteger(), 90117345);
        QVERIFY(!f.channel->isPostgresChangesLive()); // not before the system message
    }

    void bindingMismatch_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::newRow("other filter") << QByteArray(R"({"postgres_changes":[{"id":1,"event":"*","schema":"public","table":"items","filter":"user_id=eq.7"}]})");
        QTest::newRow("filter vs none") << QByteArray(R"({"postgres_changes":[{"id":1,"event":"*","schema":"public","table":"items"}]})");
        QTest::newRow("other table") << QByteArray(R"({"postgres_changes":[{"id":1,"event":"*","schema":"public","table":"orders","filter":"user_id=eq.42"}]})");
        QTest::newRow("no id") << QByteArray(R"({"postgres_changes":[{"event":"*","schema":"public","table":"items","filter":"user_id=eq.42"}]})");
        QTest::newRow("fewer entries") << QByteArray(R"({"postgres_changes":[]})");
        QTest::newRow("key missing") << QByteArray(R"({})");
    }

    void bindingMismatch()
    {
        QFETCH(QByteArray, response);
        ChannelConfig config = fastConfig();
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42"_s)));
        Fixture f(config);
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        QSignalSpy errors(f.channel.get(), &RealtimeChannel::errorOccurred);
        QSignalSpy rejoins(f.channel.get(), &RealtimeChannel::rejoinScheduled);
        f.channel->subscribe();
        f.reply(f.lastJoin(), u"ok"_s, obj(response));

        const QString reason = u"mismatch between server and client bindings for postgres changes"_s;
        QCOMPARE(errors.size(), 1);
        const auto error = errors.at(0).at(0).value<ClientError>();
        QCOMPARE(error.errorClass, ErrorClass::Protocol);
        QCOMPARE(error.message, reason);
        QCOMPARE(status.at(0).at(0).value<Status>(), Status::ChannelError);
        QCOMPARE(status.at(0).at(1).toString(), reason);
        QCOMPARE(status.last().at(0).value<Status>(), Status::Closed);
        QCOMPARE(f.channel->state(), State::Closed);
        QVERIFY(!f.channel->isWanted());
        QVERIFY(f.transport.lastSent(u"phx_leave"_s).has_value()); // the server-side channel is left
        QCOMPARE(rejoins.size(), 0);
    }

    void joinErrorRejoinsWithBackoff()
    {
        Fixture f;
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        QSignalSpy errors(f.channel.get(), &RealtimeChannel::errorOccurred);
        QSignalSpy rejoins(f.channel.get(), &RealtimeChannel::rejoinScheduled);
        f.channel->subscribe();
        const QString reason = u"RealtimeRestarting: Realtime is restarting, please standby"_s;
        f.reply(f.lastJoin(), u"error"_s, QJsonObject{{u"reason"_s, reason}});

        QCOMPARE(f.channel->state(), State::Errored);
        QCOMPARE(status.at(0).at(0).value<Status>(), Status::ChannelError);
        QCOMPARE(status.at(0).at(1).toString(), reason);
        const auto error = errors.at(0).at(0).value<ClientError>();
        QCOMPARE(error.errorClass, ErrorClass::Server);
        QCOMPARE(error.code, u"RealtimeRestarting"_s);
        QCOMPARE(rejoins.size(), 1);
        QCOMPARE(rejoins.at(0).at(0).toInt(), 1);
        QCOMPARE(rejoins.at(0).at(1).toLongLong(), 10); // the policy's first step

        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
        QVERIFY(f.lastJoin().joinRef != u"1"_s); // a new join ref
        QCOMPARE(f.channel->joinRef(), f.lastJoin().ref);

        // Failing again doubles the wait; success resets it.
        f.reply(f.lastJoin(), u"error"_s, QJsonObject{{u"reason"_s, reason}});
        QCOMPARE(rejoins.size(), 2);
        QCOMPARE(rejoins.at(1).at(1).toLongLong(), 20);
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 3, 5000);
        f.joinOk();
        QCOMPARE(status.last().at(0).value<Status>(), Status::Subscribed);
    }

    void joinErrorRateLimitedWaitsTheFloor()
    {
        Fixture f;
        QSignalSpy rejoins(f.channel.get(), &RealtimeChannel::rejoinScheduled);
        f.channel->subscribe();
        f.reply(f.lastJoin(), u"error"_s, QJsonObject{{u"reason"_s, u"ChannelRateLimitReached: Too many channels"_s}});
        QCOMPARE(rejoins.size(), 1);
        QCOMPARE(rejoins.at(0).at(1).toLongLong(), 300); // the rate-limit floor, not 10 ms

        // A reconnect does not cut the wait short: the join is held, not sent at once.
        f.channel->handleTransportClosed(u"server closed"_s);
        f.channel->handleTransportOpened();
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
    }

    void joinErrorPermanentStops()
    {
        Fixture f;
        QSignalSpy rejoins(f.channel.get(), &RealtimeChannel::rejoinScheduled);
        f.channel->subscribe();
        f.reply(f.lastJoin(), u"error"_s,
                QJsonObject{{u"reason"_s, u"PrivateOnly: This project only allows private channels"_s}});
        QCOMPARE(f.channel->state(), State::Errored);
        QCOMPARE(rejoins.size(), 0);
        // A bare string response and an object without "reason" are read too.
        Fixture g;
        QSignalSpy status(g.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        g.channel->subscribe();
        g.reply(g.lastJoin(), u"error"_s, u"unmatched topic"_s);
        QCOMPARE(status.at(0).at(1).toString(), u"unmatched topic"_s);
    }

    void joinErrorAuthWaitsForFreshToken()
    {
        Fixture f;
        f.channel->setAccessToken(u"stale"_s);
        QSignalSpy rejected(f.channel.get(), &RealtimeChannel::accessTokenRejected);
        QSignalSpy rejoins(f.channel.get(), &RealtimeChannel::rejoinScheduled);
        f.channel->subscribe();
        f.reply(f.lastJoin(), u"error"_s,
                QJsonObject{{u"reason"_s, u"InvalidJWTToken: Token has expired 12 seconds ago"_s}});

        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(0).value<ClientError>().errorClass, ErrorClass::Auth);
        QVERIFY(f.channel->isWaitingForAccessToken());
        QCOMPARE(rejoins.size(), 0); // no loop with the stale token

        f.channel->setAccessToken(u"stale"_s); // the same token again changes nothing
        f.channel->handleTransportOpened();
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 1);

        f.channel->setAccessToken(u"fresh"_s);
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 2);
        QCOMPARE(f.lastJoin().payload.value(u"access_token"_s).toString(), u"fresh"_s);
        f.joinOk();
        QVERIFY(!f.channel->isWaitingForAccessToken());
    }

    void tokenSetFromTheRejectionHandlerRejoins()
    {
        Fixture f;
        f.channel->setAccessToken(u"stale"_s);
        connect(f.channel.get(), &RealtimeChannel::accessTokenRejected, f.channel.get(),
                [&f] { f.channel->setAccessToken(u"fresh"_s); });
        f.channel->subscribe();
        f.reply(f.lastJoin(), u"error"_s, QJsonObject{{u"reason"_s, u"InvalidJWTToken: Token has expired"_s}});
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 2);
        QCOMPARE(f.lastJoin().payload.value(u"access_token"_s).toString(), u"fresh"_s);
    }

    void joinTimeoutLeavesAndRejoins()
    {
        ChannelConfig config = fastConfig();
        config.tuning.joinTimeout = 50ms;
        Fixture f(config);
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        QSignalSpy states(f.channel.get(), &RealtimeChannel::stateChanged);
        f.channel->subscribe();
        const PhoenixMessage firstJoin = f.lastJoin();

        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty(), 5000);
        QCOMPARE(status.at(0).at(0).value<Status>(), Status::TimedOut);
        QVERIFY(status.at(0).at(1).toString().contains(u"timed out"_s));
        const auto leave = f.transport.lastSent(u"phx_leave"_s);
        QVERIFY(leave);
        QCOMPARE(leave->joinRef, firstJoin.ref); // the timed-out join is left
        QVERIFY(states.size() >= 2);
        QCOMPARE(states.at(1).at(0).value<State>(), State::Errored); // Joining -> Errored (-> Joining)

        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
        // A late reply to the first join is not mistaken for the second.
        f.reply(firstJoin, u"ok"_s, QJsonObject{{u"postgres_changes"_s, QJsonArray()}});
        QCOMPARE(f.channel->state(), State::Joining);
        f.joinOk();
    }

    // --- join_ref rules ---

    void staleJoinRefIsDropped()
    {
        Fixture f;
        f.subscribeAndJoin();
        const QString oldRef = f.channel->joinRef();
        f.channel->handleMessage(PhoenixMessage{oldRef, oldRef, Topic, u"phx_error"_s, {}, std::nullopt});
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
        f.joinOk();
        QVERIFY(f.channel->joinRef() != oldRef);

        QSignalSpy broadcasts(f.channel.get(), &RealtimeChannel::broadcastReceived);
        // Messages of the previous join: all dropped.
        f.channel->handleMessage(PhoenixMessage{oldRef, oldRef, Topic, u"phx_close"_s, {}, std::nullopt});
        f.channel->handleMessage(PhoenixMessage{oldRef, QString(), Topic, u"broadcast"_s,
                                                obj(R"({"type":"broadcast","event":"x","payload":{}})"), std::nullopt});
        QCOMPARE(f.channel->state(), State::Joined);
        QCOMPARE(broadcasts.size(), 0);
        // V1-style close (no join_ref) of the old join: told apart by its ref.
        f.channel->handleMessage(PhoenixMessage{QString(), oldRef, Topic, u"phx_close"_s, {}, std::nullopt});
        QCOMPARE(f.channel->state(), State::Joined);
        // Fan-out messages have no join_ref and are accepted.
        f.channel->handleMessage(PhoenixMessage{QString(), QString(), Topic, u"broadcast"_s,
                                                obj(R"({"type":"broadcast","event":"x","payload":{}})"), std::nullopt});
        QCOMPARE(broadcasts.size(), 1);
        // Another topic never reaches this channel.
        f.channel->handleMessage(PhoenixMessage{QString(), f.channel->joinRef(), u"realtime:other"_s, u"phx_close"_s, {}, std::nullopt});
        QCOMPARE(f.channel->state(), State::Joined);
    }

    // --- system messages ---

    void subscribedToPostgresIsLive()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy live(f.channel.get(), &RealtimeChannel::postgresChangesLive);
        QSignalSpy system(f.channel.get(), &RealtimeChannel::systemMessage);
        QSignalSpy errors(f.channel.get(), &RealtimeChannel::errorOccurred);
        f.serverPush(u"system"_s, obj(R"({"extension":"postgres_changes","status":"ok","message":"Subscribed to PostgreSQL","channel":"dashboard"})"));
        QCOMPARE(live.size(), 1);
        QCOMPARE(system.size(), 1);
        QVERIFY(f.channel->isPostgresChangesLive());

        // A subscription error keeps the channel joined; malformed params are final.
        // (Built in code: moc 6.4 mis-lexes \" inside raw strings.)
        f.serverPush(u"system"_s, QJsonObject{{u"extension"_s, u"postgres_changes"_s}, {u"status"_s, u"error"_s},
                                              {u"message"_s, u"Error parsing `filter` params: [\"foo\", \"hey\"]"_s},
                                              {u"channel"_s, u"dashboard"_s}});
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).at(0).value<ClientError>().errorClass, ErrorClass::Validation);
        QCOMPARE(f.channel->state(), State::Joined);
        QVERIFY(!f.channel->isPostgresChangesLive());

        // A rejoin is not live until the server says so again.
        f.serverPush(u"system"_s, obj(R"({"extension":"postgres_changes","status":"ok","message":"Subscribed to PostgreSQL"})"));
        f.phxClose();
        QVERIFY(!f.channel->isPostgresChangesLive());
    }

    void expiredTokenShutdownRejoinsWithFreshToken()
    {
        Fixture f;
        f.channel->setAccessToken(u"old"_s);
        f.subscribeAndJoin();
        QSignalSpy rejected(f.channel.get(), &RealtimeChannel::accessTokenRejected);
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        QSignalSpy rejoins(f.channel.get(), &RealtimeChannel::rejoinScheduled);

        f.serverPush(u"system"_s, obj(R"({"extension":"system","status":"error","message":"Token has expired 3 seconds ago","channel":"dashboard"})"));
        QCOMPARE(rejected.size(), 0); // not before the close that follows
        f.phxClose();

        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(0).value<ClientError>().message, u"Token has expired 3 seconds ago"_s);
        QCOMPARE(status.last().at(0).value<Status>(), Status::ChannelError);
        QCOMPARE(f.channel->state(), State::Errored);
        QVERIFY(f.channel->isWaitingForAccessToken());
        QCOMPARE(rejoins.size(), 0);
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 1);

        f.channel->setAccessToken(u"new"_s);
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 2);
        QCOMPARE(f.lastJoin().payload.value(u"access_token"_s).toString(), u"new"_s);
        QVERIFY(f.transport.sentEvents(u"access_token"_s).isEmpty()); // not joined: nothing to push to
        f.joinOk();
    }

    void rateLimitShutdownRejoinsAfterLongBackoff()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy rejoins(f.channel.get(), &RealtimeChannel::rejoinScheduled);
        f.serverPush(u"system"_s, obj(R"({"extension":"system","status":"error","message":"Too many messages per second","channel":"dashboard"})"));
        f.phxClose();
        QCOMPARE(f.channel->state(), State::Errored);
        QCOMPARE(rejoins.size(), 1);
        QCOMPARE(rejoins.at(0).at(1).toLongLong(), 300);
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
    }

    void phxErrorRejoins()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        f.channel->handleMessage(PhoenixMessage{f.channel->joinRef(), f.channel->joinRef(), Topic, u"phx_error"_s, {}, std::nullopt});
        QCOMPARE(f.channel->state(), State::Errored);
        QCOMPARE(status.at(0).at(0).value<Status>(), Status::ChannelError);
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
        f.joinOk();
    }

    void plainServerCloseOfWantedChannelRejoins()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        f.phxClose();
        QCOMPARE(status.at(0).at(0).value<Status>(), Status::Closed);
        QCOMPARE(f.channel->state(), State::Errored);
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
    }

    void unmatchedTopicReplyRejoins()
    {
        ChannelConfig config = fastConfig();
        config.broadcastAck = true;
        Fixture f(config);
        f.subscribeAndJoin();
        QSignalSpy finished(f.channel->sendBroadcast(u"ping"_s, QJsonObject()), &Push::finished);
        const PhoenixMessage push = *f.transport.lastSent(u"broadcast"_s);
        f.reply(push, u"error"_s, QJsonObject{{u"reason"_s, u"unmatched topic"_s}});
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).value<Push::Status>(), Push::Status::Error);
        QCOMPARE(f.channel->state(), State::Errored);
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
    }

    // --- postgres_changes ---

    void postgresChangesDispatch()
    {
        ChannelConfig config = fastConfig();
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42&status=eq.open"_s)));    // 0, wire 0
        QVERIFY(config.addPostgresChanges(binding(u"DELETE"_s, u"items"_s, u"user_id=eq.42"_s)));              // 1, wire 1
        QVERIFY(config.addPostgresChanges(binding(u"INSERT"_s, u"trades"_s)));                                  // 2, wire 2
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s, u"user_id=eq.42&status=eq.closed"_s)));  // 3, wire 0
        Fixture f(config);
        f.subscribeAndJoin({11, 22, 33});
        QSignalSpy changes(f.channel.get(), &RealtimeChannel::postgresChange);
        const auto matched = [&changes](int i) { return changes.at(i).at(1).value<QList<int>>(); };

        f.serverPush(u"postgres_changes"_s, changePayload({11}, u"INSERT"_s, R"({"id":1,"user_id":42,"status":"open"})"), false);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(matched(0), QList<int>{0});
        const auto change = changes.at(0).at(0).value<PostgresChange>();
        QCOMPARE(change.type, PostgresChange::Type::Insert);
        QCOMPARE(change.newRecord.value(u"id"_s).toInt(), 1);

        f.serverPush(u"postgres_changes"_s, changePayload({11}, u"UPDATE"_s, R"({"id":1,"user_id":42,"status":"closed"})"), false);
        QCOMPARE(changes.size(), 2);
        QCOMPARE(matched(1), QList<int>{3}); // the client-side condition picks the binding

        f.serverPush(u"postgres_changes"_s, changePayload({11}, u"UPDATE"_s, R"({"id":1,"user_id":42,"status":"void"})"), false);
        QCOMPARE(changes.size(), 2); // neither client-side condition holds

        // DELETE: filters look at the old record; both ids listed.
        f.serverPush(u"postgres_changes"_s, changePayload({11, 22}, u"DELETE"_s, R"({"id":1,"user_id":42,"status":"open"})"), false);
        QCOMPARE(changes.size(), 3);
        QCOMPARE(matched(2), (QList<int>{0, 1}));

        // The id matches but the event does not (servers before 2.73.7 do not filter by event).
        f.serverPush(u"postgres_changes"_s, changePayload({33}, u"UPDATE"_s, R"({"id":5})", u"trades"_s), false);
        QCOMPARE(changes.size(), 3);
        f.serverPush(u"postgres_changes"_s, changePayload({33}, u"INSERT"_s, R"({"id":5})", u"trades"_s), false);
        QCOMPARE(changes.size(), 4);
        QCOMPARE(matched(3), QList<int>{2});

        // Unknown ids and malformed payloads are ignored.
        f.serverPush(u"postgres_changes"_s, changePayload({99}, u"INSERT"_s, R"({"id":1,"user_id":42,"status":"open"})"), false);
        f.serverPush(u"postgres_changes"_s, obj(R"({"ids":[11]})"), false);
        f.serverPush(u"postgres_changes"_s, obj(R"({"ids":11,"data":{}})"), false);
        QCOMPARE(changes.size(), 4);
        QCOMPARE(f.channel->state(), State::Joined);
    }

    void postgresChangesIdsAsStrings()
    {
        // realtime-js's own tests use string ids; equal values must still match.
        ChannelConfig config = fastConfig();
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s)));
        Fixture f(config);
        f.channel->subscribe();
        f.reply(f.lastJoin(), u"ok"_s,
                obj(R"({"postgres_changes":[{"id":"38140712","event":"*","schema":"public","table":"items"}]})"));
        QSignalSpy changes(f.channel.get(), &RealtimeChannel::postgresChange);
        f.serverPush(u"postgres_changes"_s, changePayload({38140712}, u"INSERT"_s, R"({"id":1})"), false);
        QCOMPARE(changes.size(), 1);
    }

    void databaseBroadcastBecomesChange()
    {
        ChannelConfig config = fastConfig();
        config.databaseBroadcast = true;
        Fixture f(config);
        f.subscribeAndJoin();
        QSignalSpy changes(f.channel.get(), &RealtimeChannel::postgresChange);
        QSignalSpy broadcasts(f.channel.get(), &RealtimeChannel::broadcastReceived);
        f.serverPush(u"broadcast"_s, obj(R"({"type":"broadcast","event":"INSERT","payload":{"schema":"public","table":"trades","operation":"INSERT","record":{"id":9},"old_record":null}})"), false);
        QCOMPARE(broadcasts.size(), 1);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.at(0).at(0).value<PostgresChange>().table, u"trades"_s);
        QVERIFY(changes.at(0).at(1).value<QList<int>>().isEmpty());
        // An ordinary broadcast stays only a broadcast.
        f.serverPush(u"broadcast"_s, obj(R"({"type":"broadcast","event":"refresh","payload":{"item_id":7}})"), false);
        QCOMPARE(broadcasts.size(), 2);
        QCOMPARE(changes.size(), 1);
    }

    // --- broadcast in ---

    void broadcastTextAndBinary()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy all(f.channel.get(), &RealtimeChannel::broadcastReceived);
        QSignalSpy bytes(f.channel.get(), &RealtimeChannel::broadcastBytesReceived);
        QList<QJsonValue> refreshes;
        QStringList everything;
        f.channel->onBroadcast(u"refresh"_s, this, [&](const QJsonValue &payload) { refreshes.append(payload); });
        f.channel->onBroadcast(u"*"_s, this, [&](const QString &event, const QJsonValue &, const QJsonObject &) {
            everything.append(event);
        });

        f.serverPush(u"broadcast"_s, obj(R"({"type":"broadcast","event":"REFRESH","payload":{"item_id":7}})"), false);

        // What a web client's broadcast looks like on a V2 socket: a kind-4 binary frame.
        const PhoenixCodec codec(SerializerVersion::V2);
        const auto json = codec.decodeBinary(PhoenixCodec::encodeUserBroadcast(Topic, u"refresh"_s, R"({"replayed":true,"id":"m1"})",
                                                                               QJsonObject{{u"item_id"_s, 9}}));
        QVERIFY(json.ok());
        f.channel->handleMessage(*json.message);
        const auto raw = codec.decodeBinary(PhoenixCodec::encodeUserBroadcastBytes(Topic, u"blob"_s, QByteArray(), QByteArray("\x01\x02", 2)));
        QVERIFY(raw.ok());
        f.channel->handleMessage(*raw.message);

        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(1).at(2).value<QJsonObject>().value(u"id"_s).toString(), u"m1"_s);
        QCOMPARE(refreshes.size(), 2); // case-insensitive
        QCOMPARE(refreshes.at(1).toObject().value(u"item_id"_s).toInt(), 9);
        QCOMPARE(everything, (QStringList{u"REFRESH"_s, u"refresh"_s}));
        QCOMPARE(bytes.size(), 1);
        QCOMPARE(bytes.at(0).at(1).toByteArray(), QByteArray("\x01\x02", 2));
    }

    // --- broadcast out ---

    void sendBroadcastV2IsBinaryKind3()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy finished(f.channel->sendBroadcast(u"refresh"_s, QJsonObject{{u"item_id"_s, 7}}), &Push::finished);
        QCOMPARE(f.transport.binaryFrames.size(), 1);
        const QByteArray frame = f.transport.binaryFrames.first();
        QCOMPARE(quint8(frame.at(0)), quint8(3));
        const auto decoded = PhoenixCodec(SerializerVersion::V2).decodeBinary(frame);
        QVERIFY(decoded.ok());
        QCOMPARE(decoded.message->joinRef, f.channel->joinRef());
        QCOMPARE(decoded.message->topic, Topic);
        QCOMPARE(decoded.message->payload.value(u"event"_s).toString(), u"refresh"_s);
        QCOMPARE(decoded.message->payload.value(u"payload"_s).toObject().value(u"item_id"_s).toInt(), 7);
        // Without ack: done once written, but never before the caller could connect.
        QCOMPARE(finished.size(), 0);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).value<Push::Status>(), Push::Status::Ok);

        f.channel->sendBroadcastBytes(u"blob"_s, QByteArray("raw"));
        QCOMPARE(f.transport.binaryFrames.size(), 2);
        QCOMPARE(PhoenixCodec(SerializerVersion::V2).decodeBinary(f.transport.binaryFrames.last()).message->binaryPayload,
                 QByteArray("raw"));
    }

    void sendBroadcastV1IsJson()
    {
        Fixture f(fastConfig(), SerializerVersion::V1);
        f.subscribeAndJoin();
        f.channel->sendBroadcast(u"refresh"_s, QJsonObject{{u"item_id"_s, 7}});
        QVERIFY(f.transport.binaryFrames.isEmpty());
        const QJsonObject frame = QJsonDocument::fromJson(f.transport.textFrames.last()).object();
        QCOMPARE(frame, obj(R"({"topic":"realtime:dashboard","event":"broadcast","ref":"2","join_ref":"1","payload":{"type":"broadcast","event":"refresh","payload":{"item_id":7}}})"));

        QSignalSpy failed(f.channel->sendBroadcastBytes(u"blob"_s, QByteArray("raw")), &Push::finished);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(0).value<Push::Status>(), Push::Status::Error);
    }

    void ackOkErrorAndTimeout()
    {
        ChannelConfig config = fastConfig();
        config.broadcastAck = true;
        config.tuning.pushTimeout = 100ms;
        config.tuning.joinTimeout = 5000ms;
        Fixture f(config, SerializerVersion::V1);
        f.subscribeAndJoin();

        QSignalSpy ok(f.channel->sendBroadcast(u"a"_s, 1), &Push::finished);
        f.reply(*f.transport.lastSent(u"broadcast"_s), u"ok"_s, QJsonObject());
        QCOMPARE(ok.size(), 1);
        QCOMPARE(ok.at(0).at(0).value<Push::Status>(), Push::Status::Ok);

        // §6.2: an oversized payload is refused with a bare string response.
        QPointer<Push> big = f.channel->sendBroadcast(u"b"_s, 2);
        QSignalSpy error(big.data(), &Push::finished);
        f.reply(*f.transport.lastSent(u"broadcast"_s), u"error"_s, u"payload_size_exceeded"_s);
        QCOMPARE(error.size(), 1);
        QCOMPARE(error.at(0).at(0).value<Push::Status>(), Push::Status::Error);
        QCOMPARE(error.at(0).at(1).value<QJsonValue>().toString(), u"payload_size_exceeded"_s);
        QCOMPARE(big->errorReason(), u"payload_size_exceeded"_s);
        // Resolves once: a duplicate reply changes nothing.
        f.reply(*f.transport.lastSent(u"broadcast"_s), u"ok"_s, QJsonObject());
        QCOMPARE(error.size(), 1);

        // A private channel without write permission never answers (§6.2): timeout.
        QSignalSpy timeout(f.channel->sendBroadcast(u"c"_s, 3), &Push::finished);
        QVERIFY(timeout.wait(5000));
        QCOMPARE(timeout.at(0).at(0).value<Push::Status>(), Push::Status::Timeout);
        QCOMPARE(f.channel->state(), State::Joined);
        QCOMPARE(f.channel->pendingReplyCount(), 0); // nothing left waiting for a reply that never comes
    }

    void pushesWhileJoiningAreBuffered()
    {
        ChannelConfig config = fastConfig();
        config.tuning.maxBufferedPushes = 2;
        Fixture f(config);
        QSignalSpy closedPush(f.channel->sendBroadcast(u"early"_s, 0), &Push::finished);
        QVERIFY(closedPush.wait(5000)); // not subscribed at all: refused
        QCOMPARE(closedPush.at(0).at(0).value<Push::Status>(), Push::Status::Error);

        f.channel->subscribe();
        QSignalSpy dropped(f.channel->sendBroadcast(u"one"_s, 1), &Push::finished);
        f.channel->sendBroadcast(u"two"_s, 2);
        f.channel->sendBroadcast(u"three"_s, 3);
        QCOMPARE(dropped.size(), 1); // the oldest made room
        QCOMPARE(dropped.at(0).at(0).value<Push::Status>(), Push::Status::Error);
        QVERIFY(f.transport.binaryFrames.isEmpty());

        f.joinOk();
        QCOMPARE(f.transport.binaryFrames.size(), 2);
        const PhoenixCodec codec(SerializerVersion::V2);
        QCOMPARE(codec.decodeBinary(f.transport.binaryFrames.at(0)).message->payload.value(u"event"_s).toString(), u"two"_s);
        QCOMPARE(codec.decodeBinary(f.transport.binaryFrames.at(1)).message->payload.value(u"event"_s).toString(), u"three"_s);
        // Flushed pushes carry the new join ref.
        QCOMPARE(codec.decodeBinary(f.transport.binaryFrames.at(1)).message->joinRef, f.channel->joinRef());
    }

    void sharedBudgetDelaysButDeliversEverything()
    {
        tf::RateLimiter limiter(50.0, 1); // 20 ms per token: the loop below outruns it
        Fixture f;
        f.channel->setRateLimiter(&limiter);
        f.subscribeAndJoin();
        for (int i = 0; i < 4; ++i)
            f.channel->sendBroadcast(u"tick"_s, i);
        QVERIFY(f.transport.binaryFrames.size() < 4);
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.binaryFrames.size(), 4, 5000);
        const PhoenixCodec codec(SerializerVersion::V2);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(codec.decodeBinary(f.transport.binaryFrames.at(i)).message->payload.value(u"payload"_s).toInt(), i);
    }

    // --- access token ---

    void accessTokenPushedOnlyWhenJoinedAndChanged()
    {
        Fixture f;
        f.channel->setAccessToken(u"t1"_s);
        f.channel->subscribe();
        QCOMPARE(f.lastJoin().payload.value(u"access_token"_s).toString(), u"t1"_s);
        f.channel->setAccessToken(u"t2"_s); // while joining: stored, not pushed yet
        QVERIFY(f.transport.sentEvents(u"access_token"_s).isEmpty());
        f.joinOk();
        // The join carried t1, so t2 follows right after the join.
        QCOMPARE(f.transport.sentEvents(u"access_token"_s).size(), 1);
        QCOMPARE(f.transport.lastSent(u"access_token"_s)->payload.value(u"access_token"_s).toString(), u"t2"_s);

        f.channel->setAccessToken(u"t2"_s);
        QCOMPARE(f.transport.sentEvents(u"access_token"_s).size(), 1);
        f.channel->setAccessToken(u"t3"_s);
        const auto push = f.transport.lastSent(u"access_token"_s);
        QCOMPARE(f.transport.sentEvents(u"access_token"_s).size(), 2);
        QCOMPARE(push->joinRef, f.channel->joinRef());
        QVERIFY(!push->ref.isEmpty());
        // No reply ever comes (§1.6); the channel must not be waiting for one. A reply-shaped
        // message for that ref is simply unknown.
        f.reply(*push, u"ok"_s);
        QCOMPARE(f.channel->state(), State::Joined);

        // A rejoin carries the newest token in the join itself.
        f.channel->handleTransportClosed(u"network"_s);
        f.channel->setAccessToken(u"t4"_s);
        QCOMPARE(f.transport.sentEvents(u"access_token"_s).size(), 2);
        f.channel->handleTransportOpened();
        QCOMPARE(f.lastJoin().payload.value(u"access_token"_s).toString(), u"t4"_s);
    }

    // --- the connection ---

    void transportLossAndReturn()
    {
        ChannelConfig config = fastConfig();
        config.broadcastAck = true;
        Fixture f(config);
        f.subscribeAndJoin();
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        QSignalSpy pending(f.channel->sendBroadcast(u"x"_s, 1), &Push::finished);

        f.transport.connected = false;
        f.channel->handleTransportClosed(u"heartbeat timeout"_s);
        QCOMPARE(f.channel->state(), State::Errored);
        QCOMPARE(status.at(0).at(0).value<Status>(), Status::ChannelError);
        QVERIFY(status.at(0).at(1).toString().contains(u"heartbeat timeout"_s));
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.at(0).at(0).value<Push::Status>(), Push::Status::Error);

        // Made while down: buffered, sent after the rejoin.
        f.channel->sendBroadcast(u"later"_s, 2);
        f.transport.connected = true;
        f.channel->handleTransportOpened();
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 2); // at once, no backoff
        QCOMPARE(f.channel->state(), State::Joining);
        f.joinOk();
        QCOMPARE(f.transport.lastSent(u"broadcast"_s)->payload.value(u"event"_s).toString(), u"later"_s);
    }

    void subscribeWhileDisconnectedWaits()
    {
        Fixture f;
        f.transport.connected = false;
        f.channel->subscribe();
        QCOMPARE(f.channel->state(), State::Joining);
        QVERIFY(f.transport.sent.isEmpty());
        f.transport.connected = true;
        f.channel->handleTransportOpened();
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 1);
        f.joinOk();
    }

    void unsubscribeLeaves()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy status(f.channel.get(), &RealtimeChannel::subscribeStatusChanged);
        f.channel->unsubscribe();
        QCOMPARE(f.channel->state(), State::Leaving);
        const PhoenixMessage leave = *f.transport.lastSent(u"phx_leave"_s);
        QCOMPARE(leave.joinRef, f.channel->joinRef());
        f.reply(leave, u"ok"_s);
        QCOMPARE(f.channel->state(), State::Closed);
        QCOMPARE(status.last().at(0).value<Status>(), Status::Closed);
        // The phx_close that follows the leave is ignored quietly.
        f.phxClose();
        QCOMPARE(f.channel->state(), State::Closed);
        QCOMPARE(f.transport.sentEvents(u"phx_join"_s).size(), 1);
    }

    void unsubscribeTimeoutAndNoConnection()
    {
        ChannelConfig config = fastConfig();
        config.tuning.pushTimeout = 50ms;
        Fixture f(config);
        f.subscribeAndJoin();
        f.channel->unsubscribe();
        QTRY_COMPARE_WITH_TIMEOUT(f.channel->state(), State::Closed, 5000);

        Fixture g;
        g.subscribeAndJoin();
        g.transport.connected = false;
        g.channel->unsubscribe();
        QCOMPARE(g.channel->state(), State::Closed);
    }

    // --- presence ---

    void presenceStateAndDiffReachPresence()
    {
        ChannelConfig config = fastConfig();
        config.presenceEnabled = true;
        Fixture f(config);
        f.channel->subscribe();
        // A diff before the state of this join waits for it.
        f.serverPush(u"presence_diff"_s, obj(R"({"joins":{"u2":{"metas":[{"phx_ref":"b","n":2}]}},"leaves":{}})"), false);
        f.joinOk();
        QVERIFY(f.channel->presence()->isEmpty());
        f.serverPush(u"presence_state"_s, obj(R"({"u1":{"metas":[{"phx_ref":"a","n":1}]}})"));
        QCOMPARE(f.channel->presence()->keys(), (QStringList{u"u1"_s, u"u2"_s}));
        QCOMPARE(f.channel->presence()->list().first().metas.first().toObject().value(u"presence_ref"_s).toString(), u"a"_s);

        // Closing the channel empties the presence list.
        f.channel->unsubscribe();
        f.reply(*f.transport.lastSent(u"phx_leave"_s), u"ok"_s);
        QVERIFY(f.channel->presence()->isEmpty());
    }

    void trackIsCoalescedUnderTheLimit()
    {
        ChannelConfig config = fastConfig();
        config.tuning.presenceMaxCalls = 2;
        config.tuning.presenceWindow = 200ms;
        Fixture f(config);
        f.subscribeAndJoin();
        const auto presencePushes = [&f] { return f.transport.sentEvents(u"presence"_s); };

        QSignalSpy first(f.channel->track(QJsonObject{{u"view"_s, u"a"_s}}), &Push::finished);
        QCOMPARE(presencePushes().size(), 1);
        QCOMPARE(presencePushes().last().payload, obj(R"({"type":"presence","event":"track","payload":{"view":"a"}})"));
        f.reply(presencePushes().last(), u"ok"_s);
        QCOMPARE(first.size(), 1);

        f.channel->track(QJsonObject{{u"view"_s, u"b"_s}});
        f.reply(presencePushes().last(), u"ok"_s);
        QCOMPARE(presencePushes().size(), 2);

        // The window is full: these wait, and only the latest state is sent.
        QSignalSpy third(f.channel->track(QJsonObject{{u"view"_s, u"c"_s}}), &Push::finished);
        QSignalSpy fourth(f.channel->track(QJsonObject{{u"view"_s, u"d"_s}}), &Push::finished);
        QCOMPARE(presencePushes().size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(presencePushes().size(), 3, 5000);
        QCOMPARE(presencePushes().last().payload.value(u"payload"_s).toObject().value(u"view"_s).toString(), u"d"_s);
        QCOMPARE(third.size(), 0);
        f.reply(presencePushes().last(), u"ok"_s);
        QCOMPARE(third.size(), 1); // coalesced calls share the outcome of the send
        QCOMPARE(fourth.size(), 1);
        QCOMPARE(third.at(0).at(0).value<Push::Status>(), Push::Status::Ok);
    }

    void trackedStateIsRestoredAfterRejoin()
    {
        Fixture f;
        f.subscribeAndJoin();
        f.channel->track(QJsonObject{{u"view"_s, u"a"_s}});
        f.reply(*f.transport.lastSent(u"presence"_s), u"ok"_s);
        f.channel->handleMessage(PhoenixMessage{f.channel->joinRef(), f.channel->joinRef(), Topic, u"phx_error"_s, {}, std::nullopt});
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 2, 5000);
        f.joinOk();
        QCOMPARE(f.transport.sentEvents(u"presence"_s).size(), 2);
        const PhoenixMessage again = *f.transport.lastSent(u"presence"_s);
        QCOMPARE(again.joinRef, f.channel->joinRef());
        QCOMPARE(again.payload.value(u"payload"_s).toObject().value(u"view"_s).toString(), u"a"_s);

        // After untrack there is nothing to restore.
        f.reply(again, u"ok"_s);
        f.channel->untrack();
        QCOMPARE(f.transport.lastSent(u"presence"_s)->payload, obj(R"({"type":"presence","event":"untrack"})"));
        f.reply(*f.transport.lastSent(u"presence"_s), u"ok"_s);
        f.phxClose();
        QTRY_COMPARE_WITH_TIMEOUT(f.transport.sentEvents(u"phx_join"_s).size(), 3, 5000);
        f.joinOk();
        QCOMPARE(f.transport.sentEvents(u"presence"_s).size(), 3);
    }

    // --- robustness ---

    void unknownEventIsIgnored()
    {
        Fixture f;
        f.subscribeAndJoin();
        QSignalSpy states(f.channel.get(), &RealtimeChannel::stateChanged);
        QSignalSpy errors(f.channel.get(), &RealtimeChannel::errorOccurred);
        f.serverPush(u"mystery"_s, obj(R"({"x":1})"));
        f.serverPush(u"INSERT"_s, obj(R"({"record":{}})"), false); // the legacy topic API
        QCOMPARE(states.size(), 0);
        QCOMPARE(errors.size(), 0);
        QCOMPARE(f.channel->state(), State::Joined);
    }

    void malformedPayloadsDoNotDisturb()
    {
        ChannelConfig config = fastConfig();
        config.presenceEnabled = true;
        QVERIFY(config.addPostgresChanges(binding(u"*"_s, u"items"_s)));
        Fixture f(config);
        f.subscribeAndJoin({5});
        f.serverPush(u"presence_state"_s, obj(R"({"u1":{"metas":[{"phx_ref":"a"}]}})"));
        QSignalSpy states(f.channel.get(), &RealtimeChannel::stateChanged);
        QSignalSpy broadcasts(f.channel.get(), &RealtimeChannel::broadcastReceived);
        QSignalSpy changes(f.channel.get(), &RealtimeChannel::postgresChange);

        f.serverPush(u"broadcast"_s, obj(R"({"type":"broadcast","payload":{}})"), false);            // no event
        f.serverPush(u"broadcast"_s, obj(R"({"type":"broadcast","event":7})"), false);                 // event not a string
        f.serverPush(u"postgres_changes"_s, obj(R"({"ids":[5],"data":{"type":"INSERT"}})"), false);  // no schema/table
        f.serverPush(u"postgres_changes"_s, obj(R"({"data":{}})"), false);                             // no ids
        f.serverPush(u"presence_diff"_s, obj(R"({"joins":5,"leaves":[]})"), false);
        f.serverPush(u"presence_state"_s, obj(R"({"u1":"x"})"));                                       // unusable entry skipped
        f.serverPush(u"system"_s, QJsonObject());
        f.channel->handleMessage(PhoenixMessage{f.channel->joinRef(), QString(), Topic, u"phx_reply"_s, obj(R"({"status":"ok"})"), std::nullopt});
        f.channel->handleMessage(PhoenixMessage{f.channel->joinRef(), u"999"_s, Topic, u"phx_reply"_s, obj(R"({"status":"ok","response":{}})"), std::nullopt});
        f.channel->handleMessage(PhoenixMessage{f.channel->joinRef(), f.channel->joinRef(), Topic, u"phx_reply"_s, QJsonObject(), std::nullopt});

        QCOMPARE(states.size(), 0);
        QCOMPARE(broadcasts.size(), 0);
        QCOMPARE(changes.size(), 0);
        QCOMPARE(f.channel->state(), State::Joined);
        QCOMPARE(f.channel->postgresChangesIds().size(), 1);

        // Still fully working afterwards.
        f.serverPush(u"postgres_changes"_s, changePayload({5}, u"INSERT"_s, R"({"id":1})"), false);
        f.serverPush(u"broadcast"_s, obj(R"({"type":"broadcast","event":"ok","payload":1})"), false);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(broadcasts.size(), 1);
    }

    void closedChannelIgnoresTraffic()
    {
        Fixture f;
        QSignalSpy broadcasts(f.channel.get(), &RealtimeChannel::broadcastReceived);
        f.serverPush(u"broadcast"_s, obj(R"({"type":"broadcast","event":"x","payload":1})"), false);
        f.channel->handleMessage(PhoenixMessage{u"1"_s, u"1"_s, Topic, u"phx_reply"_s, obj(R"({"status":"ok","response":{}})"), std::nullopt});
        QCOMPARE(broadcasts.size(), 0);
        QCOMPARE(f.channel->state(), State::Closed);
    }
};

QTEST_GUILESS_MAIN(TestRealtimeChannel)
#include "tst_realtimechannel.moc"
