// RealtimeClient with the channels on the wire: join refusals and binding mismatches, the channel
// limit with priorities, malformed frames between good ones, binary kind-3/4 broadcasts on V2,
// presence, and a whole V1 session.
#include "clienttestsupport.h"
#include "presencestate.h"

#include <QSignalSpy>

using namespace tf;
using namespace tf::test;
using State = RealtimeSocket::State;
using ChannelState = RealtimeChannel::State;
using SubscribeStatus = RealtimeChannel::SubscribeStatus;

namespace {

QByteArray v2Broadcast(const char *topic, const char *event, int n)
{
    return QByteArray("[null,null,\"") + topic + "\",\"broadcast\",{\"type\":\"broadcast\",\"event\":\"" + event
        + "\",\"payload\":{\"n\":" + QByteArray::number(n) + "}}]";
}

bool hasStatus(const QSignalSpy &spy, SubscribeStatus status, const QString &reasonPart = QString())
{
    return std::any_of(spy.cbegin(), spy.cend(), [&](const QList<QVariant> &args) {
        return args.at(0).value<SubscribeStatus>() == status && args.at(1).toString().contains(reasonPart);
    });
}

} // namespace

class TestRealtimeClientChannels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinErrorReportsTheServersReason()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setJoinError(str("realtime:desk"), str("PrivateOnly: This project only allows private channels"));
        RealtimeClient client(clientOptions(server.httpUrl()));
        RealtimeChannel *desk = client.channel(str("desk"));
        RealtimeChannel *other = client.channel(str("other"));
        QSignalSpy status(desk, &RealtimeChannel::subscribeStatusChanged);
        QSignalSpy errors(&client, &RealtimeClient::errorOccurred);
        client.connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(hasStatus(status, SubscribeStatus::ChannelError, str("PrivateOnly")), WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(other->state(), ChannelState::Joined, WaitMs); // others are unaffected
        QCOMPARE(desk->state(), ChannelState::Errored);
        QVERIFY(!errors.isEmpty());
        QCOMPARE(errors.constFirst().at(1).toString(), str("channel desk"));
        const auto records = client.recentErrors();
        QVERIFY(!records.isEmpty());
        QCOMPARE(records.constLast().error.code, str("PrivateOnly"));
        QVERIFY(records.constLast().at.isValid());
        QCOMPARE(client.state(), State::Connected);
    }

    void bindingMismatchIsAChannelError()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setBindingMismatch(str("realtime:desk"), true);
        RealtimeClient client(clientOptions(server.httpUrl()));
        RealtimeChannel *desk = client.channel(str("desk"), itemsConfig(client));
        QSignalSpy status(desk, &RealtimeChannel::subscribeStatusChanged);
        client.connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(hasStatus(status, SubscribeStatus::ChannelError, str("mismatch")), WaitMs);
        QVERIFY(!hasStatus(status, SubscribeStatus::Subscribed));
        // It leaves the server channel it joined by mistake.
        QTRY_COMPARE_WITH_TIMEOUT(server.messages(str("phx_leave"), str("realtime:desk")).size(), 1, WaitMs);
        const auto errors = client.recentErrors();
        QVERIFY(std::any_of(errors.cbegin(), errors.cend(), [](const RealtimeErrorRecord &record) {
            return record.error.errorClass == ErrorClass::Protocol;
        }));
    }

    void channelLimitEvictsByPriority()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeOptions options = clientOptions(server.httpUrl());
        options.maxChannels = 2;
        RealtimeClient client(options);
        QSignalSpy evicted(client.channels(), &ChannelManager::channelEvicted);
        RealtimeChannel *low = client.channel(str("low"), client.defaultChannelConfig(), ChannelManager::Priority::Low);
        RealtimeChannel *high = client.channel(str("high"), client.defaultChannelConfig(), ChannelManager::Priority::High);
        QVERIFY(low && high);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(low->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(high->state(), ChannelState::Joined, WaitMs);

        RealtimeChannel *normal =
            client.channel(str("normal"), client.defaultChannelConfig(), ChannelManager::Priority::Normal);
        QVERIFY(normal);
        QCOMPARE(evicted.count(), 1);
        QCOMPARE(evicted.at(0).at(0).toString(), str("low"));
        QTRY_COMPARE_WITH_TIMEOUT(normal->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.messages(str("phx_leave"), str("realtime:low")).size(), 1, WaitMs);

        // Everything open outranks a new low-priority channel: refused, with a reason.
        QVERIFY(!client.channel(str("late"), client.defaultChannelConfig(), ChannelManager::Priority::Low));
        QCOMPARE(client.channels()->lastError().errorClass, ErrorClass::Validation);
        QCOMPARE(client.channels()->count(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(server.joinedTopics(), (QStringList{str("realtime:high"), str("realtime:normal")}), WaitMs);
    }

    void releasingTheLastUserLeaves()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        RealtimeChannel *first = client.channel(str("desk"));
        RealtimeChannel *second = client.channel(str("desk"));
        QCOMPARE(first, second);
        QCOMPARE(client.channels()->referenceCount(str("desk")), 2);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(first->state(), ChannelState::Joined, WaitMs);
        client.releaseChannel(str("desk"));
        QCOMPARE(client.channels()->referenceCount(str("desk")), 1);
        QVERIFY(server.messages(str("phx_leave")).isEmpty());
        client.releaseChannel(str("desk"));
        QTRY_COMPARE_WITH_TIMEOUT(server.messages(str("phx_leave"), str("realtime:desk")).size(), 1, WaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(server.joinedTopics().isEmpty(), WaitMs);
    }

    void malformedFramesAreSkippedAndGoodOnesStillArrive()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        RealtimeChannel *desk = client.channel(str("desk"));
        QSignalSpy broadcasts(desk, &RealtimeChannel::broadcastReceived);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);

        server.sendText(v2Broadcast("realtime:desk", "tick", 1));
        server.sendText("{{{ not json");
        server.sendText("[\"1\",null,\"realtime:desk\"]");
        server.sendBinary(QByteArray("\x04\x30\x00", 3)); // kind 4 whose topic overruns the frame
        server.sendText(v2Broadcast("realtime:nobody", "tick", 99)); // well formed, unknown topic
        server.sendText(v2Broadcast("realtime:desk", "tick", 2));
        QTRY_COMPARE_WITH_TIMEOUT(broadcasts.count(), 2, WaitMs);
        QCOMPARE(broadcasts.at(0).at(1).toJsonValue().toObject().value(str("n")).toInt(), 1);
        QCOMPARE(broadcasts.at(1).at(1).toJsonValue().toObject().value(str("n")).toInt(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(client.metrics()->framesDropped(), 3, WaitMs);
        QCOMPARE(client.state(), State::Connected);
        const auto errors = client.recentErrors();
        QCOMPARE(std::count_if(errors.cbegin(), errors.cend(),
                               [](const RealtimeErrorRecord &record) {
                                   return record.source == u"socket" && record.error.errorClass == ErrorClass::Protocol;
                               }),
                 3);
    }

    void binaryBroadcastsBothWaysOnV2()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        ChannelConfig config = client.defaultChannelConfig();
        config.broadcastAck = true;
        RealtimeChannel *desk = client.channel(str("desk"), config);
        QSignalSpy broadcasts(desk, &RealtimeChannel::broadcastReceived);
        QSignalSpy binaries(&server, &FakeRealtimeServer::binaryReceived);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);

        // What web clients send arrives as kind 4.
        server.sendUserBroadcast(str("realtime:desk"), str("refresh"), QJsonObject{{str("item_id"), 9}});
        QVERIFY(broadcasts.wait(WaitMs));
        QCOMPARE(broadcasts.at(0).at(0).toString(), str("refresh"));
        QCOMPARE(broadcasts.at(0).at(1).toJsonValue().toObject().value(str("item_id")).toInt(), 9);

        // What we send goes out as kind 3, and the ack resolves the push.
        Push *push = desk->sendBroadcast(str("ping"), QJsonObject{{str("n"), 1}});
        QSignalSpy finished(push, &Push::finished);
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(finished.at(0).at(0).value<Push::Status>(), Push::Status::Ok);
        QCOMPARE(binaries.count(), 1);
        QCOMPARE(quint8(binaries.at(0).at(0).toByteArray().at(0)), quint8(3));
    }

    void ackErrorFailsThePush()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setBroadcastAckError(str("payload_size_exceeded"));
        RealtimeClient client(clientOptions(server.httpUrl()));
        ChannelConfig config = client.defaultChannelConfig();
        config.broadcastAck = true;
        RealtimeChannel *desk = client.channel(str("desk"), config);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
        Push *push = desk->sendBroadcast(str("big"), QJsonObject{{str("n"), 1}});
        QSignalSpy finished(push, &Push::finished);
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(finished.at(0).at(0).value<Push::Status>(), Push::Status::Error);
        QCOMPARE(push->errorReason(), str("payload_size_exceeded"));
    }

    void presenceTrackIsSeenByEveryone()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient alice(clientOptions(server.httpUrl()));
        RealtimeClient bob(clientOptions(server.httpUrl()));
        ChannelConfig config = alice.defaultChannelConfig();
        config.presenceEnabled = true;
        config.presenceKey = str("alice");
        RealtimeChannel *aliceFloor = alice.channel(str("floor"), config);
        config.presenceKey = str("bob");
        RealtimeChannel *bobFloor = bob.channel(str("floor"), config);
        QSignalSpy bobSees(bobFloor->presence(), &PresenceState::join);
        alice.connectToServer();
        bob.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(aliceFloor->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(bobFloor->state(), ChannelState::Joined, WaitMs);

        Push *push = aliceFloor->track(QJsonObject{{str("desk"), str("fx")}});
        QSignalSpy tracked(push, &Push::finished);
        QVERIFY(tracked.wait(WaitMs));
        QTRY_COMPARE_WITH_TIMEOUT(bobSees.count(), 1, WaitMs);
        QCOMPARE(bobSees.at(0).at(0).toString(), str("alice"));
        QCOMPARE(bobFloor->presence()->keys(), QStringList{str("alice")});
        QCOMPARE(bobFloor->presence()->metas(str("alice")).at(0).toObject().value(str("desk")).toString(), str("fx"));
    }

    void v1SessionEndToEnd()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl(), SerializerVersion::V1));
        ChannelConfig config = itemsConfig(client);
        config.broadcastAck = true;
        RealtimeChannel *desk = client.channel(str("desk"), config);
        QSignalSpy live(desk, &RealtimeChannel::postgresChangesLive);
        QSignalSpy changes(desk, &RealtimeChannel::postgresChange);
        QSignalSpy broadcasts(desk, &RealtimeChannel::broadcastReceived);
        QSignalSpy heartbeats(client.socket(), &RealtimeSocket::heartbeatReplied);
        client.connectToServer();
        QVERIFY(live.wait(WaitMs));
        QVERIFY(server.requestUrls().constFirst().query().contains(str("vsn=1.0.0")));
        for (const ReceivedFrame &frame : server.frames()) {
            QVERIFY(!frame.binary);
            QVERIFY(frame.raw.startsWith('{')); // V1 objects only
        }

        server.sendPostgresChange(str("realtime:desk"),
                                  QJsonObject{{str("schema"), str("public")},
                                              {str("table"), str("items")},
                                              {str("type"), str("DELETE")},
                                              {str("commit_timestamp"), str("2026-08-21T10:16:00.004Z")},
                                              {str("old_record"), QJsonObject{{str("id"), 7}, {str("user_id"), 42}}}});
        QVERIFY(changes.wait(WaitMs));
        QCOMPARE(changes.at(0).at(0).value<PostgresChange>().type, PostgresChange::Type::Delete);

        server.sendUserBroadcast(str("realtime:desk"), str("refresh"), QJsonObject{{str("item_id"), 3}});
        QVERIFY(broadcasts.wait(WaitMs));
        QCOMPARE(broadcasts.at(0).at(0).toString(), str("refresh"));

        Push *push = desk->sendBroadcast(str("ping"), QJsonObject{{str("n"), 1}});
        QSignalSpy finished(push, &Push::finished);
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(finished.at(0).at(0).value<Push::Status>(), Push::Status::Ok);
        QCOMPARE(server.messages(str("broadcast"), str("realtime:desk")).size(), 1); // a JSON push
        QTRY_VERIFY_WITH_TIMEOUT(!heartbeats.isEmpty(), WaitMs);
        QCOMPARE(client.metrics()->framesDropped(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRealtimeClientChannels)
#include "tst_realtimeclient_channels.moc"
