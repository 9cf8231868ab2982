// RealtimeClient end to end against the in-test server: the connection's life with channels on
// it — rejoin of every channel with a full join and the newest token after restarts and heartbeat
// timeouts, access-token refresh and rejection, rate-limit backoff, giving up, and coming back on
// network/activation events.
#include "clienttestsupport.h"

#include <QSignalSpy>

using namespace tf;
using namespace tf::test;
using State = RealtimeSocket::State;
using ChannelState = RealtimeChannel::State;

class TestRealtimeClientIntegration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinsWithConfigAndTokenThenDeliversChanges()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        const QString token = jwtExpiringIn(3600);
        client.setAccessToken(token);
        RealtimeChannel *desk = client.channel(str("desk"), itemsConfig(client));
        QVERIFY(desk);
        QSignalSpy live(desk, &RealtimeChannel::postgresChangesLive);
        QSignalSpy changes(desk, &RealtimeChannel::postgresChange);
        client.connectToServer();
        QVERIFY(live.wait(WaitMs));
        QCOMPARE(desk->state(), ChannelState::Joined);

        const QList<PhoenixMessage> joins = server.messages(str("phx_join"));
        QCOMPARE(joins.size(), 1);
        const PhoenixMessage &join = joins.constFirst();
        QCOMPARE(join.topic, str("realtime:desk"));
        QCOMPARE(join.joinRef, join.ref);
        QCOMPARE(join.payload.value(str("access_token")).toString(), token);
        const QJsonArray bindings =
            join.payload.value(str("config")).toObject().value(str("postgres_changes")).toArray();
        QCOMPARE(bindings.size(), 1);
        QCOMPARE(bindings.at(0).toObject().value(str("table")).toString(), str("items"));
        QCOMPARE(bindings.at(0).toObject().value(str("filter")).toString(), str("user_id=eq.42"));

        server.sendPostgresChange(str("realtime:desk"),
                                  QJsonObject{{str("schema"), str("public")},
                                              {str("table"), str("items")},
                                              {str("type"), str("INSERT")},
                                              {str("commit_timestamp"), str("2026-08-21T10:16:00.004Z")},
                                              {str("record"), QJsonObject{{str("id"), 8}, {str("user_id"), 42}}},
                                              {str("errors"), QJsonValue()}});
        QVERIFY(changes.wait(WaitMs));
        const auto change = changes.at(0).at(0).value<PostgresChange>();
        QCOMPARE(change.table, str("items"));
        QCOMPARE(change.type, PostgresChange::Type::Insert);
        QCOMPARE(change.newRecord.value(str("id")).toInt(), 8);
    }

    void serverRestartRejoinsEveryChannelWithAFullJoinAndTheNewestToken()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        client.setAccessToken(jwtExpiringIn(3600, str("first")));
        ChannelConfig presenceConfig = client.defaultChannelConfig();
        presenceConfig.presenceEnabled = true;
        presenceConfig.presenceKey = str("ops-1");
        const QList<RealtimeChannel *> channels{client.channel(str("positions"), itemsConfig(client)),
                                                client.channel(str("floor"), presenceConfig),
                                                client.channel(str("orders"), itemsConfig(client, str("status=eq.open")))};
        client.connectToServer();
        for (RealtimeChannel *channel : channels)
            QTRY_COMPARE_WITH_TIMEOUT(channel->state(), ChannelState::Joined, WaitMs);
        QHash<QString, QString> oldJoinRefs;
        for (RealtimeChannel *channel : channels)
            oldJoinRefs.insert(channel->topic(), channel->joinRef());

        server.stopListening();
        server.closeAllConnections(QWebSocketProtocol::CloseCodeGoingAway, str("restarting"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, WaitMs);
        for (RealtimeChannel *channel : channels)
            QTRY_COMPARE_WITH_TIMEOUT(channel->state(), ChannelState::Errored, WaitMs);
        // A token refresh while the link is down must reach the rejoins.
        const QString newest = jwtExpiringIn(7200, str("second"));
        client.setAccessToken(newest);

        server.clearFrames();
        QVERIFY(server.listen(server.port()));
        for (RealtimeChannel *channel : channels)
            QTRY_COMPARE_WITH_TIMEOUT(channel->state(), ChannelState::Joined, WaitMs);

        const QList<PhoenixMessage> joins = server.messages(str("phx_join"));
        QCOMPARE(topicsOf(joins), (QStringList{str("realtime:floor"), str("realtime:orders"), str("realtime:positions")}));
        for (const PhoenixMessage &join : joins) {
            RealtimeChannel *channel = client.channels()->channelForTopic(join.topic);
            QVERIFY(channel);
            // A full join: the whole config again, with the newest token, under a new join ref.
            QCOMPARE(join.payload, channel->config().joinPayload(newest));
            QCOMPARE(join.joinRef, join.ref);
            QVERIFY(join.joinRef != oldJoinRefs.value(join.topic));
        }
        QVERIFY(server.messages(str("access_token")).isEmpty()); // nothing was pushed into the void
    }

    void heartbeatTimeoutRejoinsEveryChannelOnTheNewConnection()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        RealtimeChannel *a = client.channel(str("a"));
        RealtimeChannel *b = client.channel(str("b"), itemsConfig(client));
        QSignalSpy closed(client.socket(), &RealtimeSocket::closed);
        QSignalSpy aStatus(a, &RealtimeChannel::subscribeStatusChanged);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(a->state(), ChannelState::Joined, WaitMs);
        const int first = server.latestConnection();

        server.setHeartbeatReplies(false); // TCP stays up, the server goes silent
        QVERIFY(closed.wait(WaitMs));
        QVERIFY(closed.at(0).at(0).toString().contains(str("heartbeat timeout")));
        // Every channel heard of the loss.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(aStatus.cbegin(), aStatus.cend(), [](const QList<QVariant> &args) {
                                     return args.at(0).value<RealtimeChannel::SubscribeStatus>()
                                         == RealtimeChannel::SubscribeStatus::ChannelError;
                                 }),
                                 WaitMs);
        server.setHeartbeatReplies(true);
        QTRY_VERIFY_WITH_TIMEOUT(server.latestConnection() > first, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(a->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), ChannelState::Joined, WaitMs);
        QCOMPARE(topicsOf(messagesOn(server, server.latestConnection(), str("phx_join"))),
                 (QStringList{str("realtime:a"), str("realtime:b")}));
    }

    void tokenRefreshIsPushedToEveryJoinedChannel()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        client.setAccessToken(jwtExpiringIn(3600, str("old")));
        RealtimeChannel *a = client.channel(str("a"), itemsConfig(client));
        RealtimeChannel *b = client.channel(str("b"));
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(a->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), ChannelState::Joined, WaitMs);

        const QString fresh = jwtExpiringIn(3600, str("fresh"));
        client.setAccessToken(fresh);
        QTRY_COMPARE_WITH_TIMEOUT(server.messages(str("access_token")).size(), 2, WaitMs);
        for (const PhoenixMessage &push : server.messages(str("access_token"))) {
            QCOMPARE(push.payload.value(str("access_token")).toString(), fresh);
            QCOMPARE(push.joinRef, client.channels()->channelForTopic(push.topic)->joinRef());
        }
        QCOMPARE(topicsOf(server.messages(str("access_token"))), (QStringList{str("realtime:a"), str("realtime:b")}));
        QCOMPARE(client.accessToken(), fresh);
    }

    void accessTokenRequiredAMarginBeforeExp()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeOptions options = clientOptions(server.httpUrl());
        options.tokenRefreshMargin = 60s;
        RealtimeClient client(options);
        QSignalSpy required(&client, &RealtimeClient::accessTokenRequired);
        const qint64 exp = QDateTime::currentSecsSinceEpoch() + 61; // due within about a second
        client.setAccessToken(FakeRealtimeServer::makeJwt(exp));
        QCOMPARE(client.accessTokenRefreshAt(), QDateTime::fromSecsSinceEpoch(exp - 60).toUTC());
        QVERIFY(required.wait(WaitMs));
        QCOMPARE(required.count(), 1);
        QVERIFY2(required.at(0).at(0).toString().contains(str("expires in")), qPrintable(required.at(0).at(0).toString()));

        // Answered with a token that lives longer: nothing more to say for now.
        client.setAccessToken(jwtExpiringIn(3600));
        QVERIFY(client.accessTokenRefreshAt() > QDateTime::currentDateTimeUtc().addSecs(3000));
    }

    void expiredTokenShutdownAsksForATokenThenRejoinsWithIt()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        client.setAccessToken(jwtExpiringIn(3600, str("old")));
        RealtimeChannel *a = client.channel(str("a"), itemsConfig(client));
        RealtimeChannel *b = client.channel(str("b"));
        QSignalSpy required(&client, &RealtimeClient::accessTokenRequired);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(a->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), ChannelState::Joined, WaitMs);
        server.clearFrames();

        // §1.7: a system error about the token, then phx_close — on both channels at once.
        server.expireToken(str("realtime:a"));
        server.expireToken(str("realtime:b"), str("The token provided is not a valid JWT"));
        QVERIFY(required.wait(WaitMs));
        QTRY_VERIFY_WITH_TIMEOUT(a->isWaitingForAccessToken() && b->isWaitingForAccessToken(), WaitMs);
        QCOMPARE(required.count(), 1); // one request for both channels
        QVERIFY(required.at(0).at(0).toString().contains(str("rejected")));
        QVERIFY(server.messages(str("phx_join")).isEmpty()); // no rejoin with the stale token
        const auto errors = client.recentErrors();
        QVERIFY(std::any_of(errors.cbegin(), errors.cend(), [](const RealtimeErrorRecord &record) {
            return record.error.errorClass == ErrorClass::Auth && record.source == u"channel a";
        }));

        const QString fresh = jwtExpiringIn(3600, str("fresh"));
        client.setAccessToken(fresh);
        QTRY_COMPARE_WITH_TIMEOUT(a->state(), ChannelState::Joined, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(b->state(), ChannelState::Joined, WaitMs);
        const QList<PhoenixMessage> joins = server.messages(str("phx_join"));
        QCOMPARE(joins.size(), 2);
        for (const PhoenixMessage &join : joins)
            QCOMPARE(join.payload.value(str("access_token")).toString(), fresh);
    }

    void expiredTokenJoinErrorAsksForAToken()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setJoinError(str("realtime:desk"), str("InvalidJWTToken: Token has expired 12 seconds ago"));
        RealtimeClient client(clientOptions(server.httpUrl()));
        client.setAccessToken(jwtExpiringIn(-12, str("stale")));
        RealtimeChannel *desk = client.channel(str("desk"));
        QSignalSpy required(&client, &RealtimeClient::accessTokenRequired);
        client.connectToServer();
        QVERIFY(required.wait(WaitMs));
        QTRY_VERIFY_WITH_TIMEOUT(desk->isWaitingForAccessToken(), WaitMs);

        server.setJoinError(str("realtime:desk"), QString());
        const QString fresh = jwtExpiringIn(3600, str("fresh"));
        client.setAccessToken(fresh);
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
        QCOMPARE(server.messages(str("phx_join")).constLast().payload.value(str("access_token")).toString(), fresh);
    }

    void joinRateLimitClosingTheSocketWaitsTheLongFloor()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        // §10.2: the server refuses the join and disconnects the socket (1001).
        server.setJoinError(QString(), str("ClientJoinRateLimitReached: Too many joins per second"));
        server.setCloseAfterJoinError(1001);
        RealtimeClient client(clientOptions(server.httpUrl()));
        QSignalSpy scheduled(client.socket(), &RealtimeSocket::reconnectScheduled);
        client.channel(str("desk"));
        client.connectToServer();
        QVERIFY(scheduled.wait(WaitMs));
        QCOMPARE(scheduled.at(0).at(1).toLongLong(), RateLimitFloorMs); // not the 20 ms base
        QVERIFY(scheduled.at(0).at(2).toBool());
        QVERIFY(client.metrics()->reconnectInMs() > RateLimitFloorMs / 2);
        const auto errors = client.recentErrors();
        QVERIFY(std::any_of(errors.cbegin(), errors.cend(), [](const RealtimeErrorRecord &record) {
            return record.error.errorClass == ErrorClass::RateLimit && record.error.code == u"ClientJoinRateLimitReached";
        }));
    }

    void channelRateLimitRejoinWaitsTheLongFloor()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setJoinError(str("realtime:desk"), str("ChannelRateLimitReached: Too many channels"));
        RealtimeClient client(clientOptions(server.httpUrl()));
        RealtimeChannel *desk = client.channel(str("desk"));
        QSignalSpy rejoin(desk, &RealtimeChannel::rejoinScheduled);
        client.connectToServer();
        QVERIFY(rejoin.wait(WaitMs));
        QVERIFY(rejoin.at(0).at(1).toLongLong() >= RateLimitFloorMs);
        QCOMPARE(client.state(), State::Connected); // the socket itself is fine
    }

    void givesUpAfterMaxAttemptsThenActivationComesBack()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        const quint16 port = server.port();
        server.stopListening();
        RealtimeOptions options = clientOptions(server.httpUrl());
        options.reconnect.maxAttempts = 2;
        RealtimeClient client(options);
        RealtimeChannel *desk = client.channel(str("desk"));
        QSignalSpy states(&client, &RealtimeClient::stateChanged);
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::GaveUp, WaitMs);
        QVERIFY(states.constLast().at(1).toString().startsWith(str("gave up after 2 attempts")));
        QVERIFY(desk->state() != ChannelState::Joined);

        QVERIFY(server.listen(port));
        client.notifyAppActivated();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
        QCOMPARE(client.state(), State::Connected);
    }

    void offlineWaitsAndOnlineRejoinsAtOnce()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeOptions options = clientOptions(server.httpUrl());
        options.reconnect.base = 60s; // only the network event can bring it back in time
        options.reconnect.cap = 60s;
        RealtimeClient client(options);
        RealtimeChannel *desk = client.channel(str("desk"), itemsConfig(client));
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);

        NetworkMonitor *network = client.socket()->networkMonitor();
        network->setOnline(false);
        server.closeAllConnections();
        QTRY_VERIFY_WITH_TIMEOUT(client.socket()->isWaitingForNetwork(), WaitMs);
        QCOMPARE(client.metrics()->reconnectInMs(), -1);
        QVERIFY(!client.metrics()->isNetworkOnline());
        network->setOnline(true);
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
        QCOMPARE(server.totalConnectionCount(), 2);
    }

    void wakeWhileReconnectingComesBackAtOnce()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeOptions options = clientOptions(server.httpUrl());
        options.reconnect.base = 60s;
        options.reconnect.cap = 60s;
        RealtimeClient client(options);
        RealtimeChannel *desk = client.channel(str("desk"));
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
        server.closeAllConnections();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, WaitMs);
        QVERIFY(client.socket()->reconnectInMs() > 50000);
        client.socket()->networkMonitor()->notifyWake(90 * 60 * 1000);
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
    }

    void disconnectLeavesNoRetryBehind()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        RealtimeClient client(clientOptions(server.httpUrl()));
        RealtimeChannel *desk = client.channel(str("desk"));
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
        client.disconnectFromServer();
        QCOMPARE(client.state(), State::Disconnected);
        QCOMPARE(client.socket()->reconnectInMs(), -1);
        QVERIFY(!client.isConnected());
        QTRY_COMPARE_WITH_TIMEOUT(server.openConnectionCount(), 0, WaitMs);
        QCOMPARE(server.totalConnectionCount(), 1);
        // Connecting again rejoins the channel that is still wanted.
        client.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(desk->state(), ChannelState::Joined, WaitMs);
        QCOMPARE(server.totalConnectionCount(), 2);
    }
};

QTEST_GUILESS_MAIN(TestRealtimeClientIntegration)
#include "tst_realtimeclient_integration.moc"
