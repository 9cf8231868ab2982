// ChannelManager: reference counting, lazy join, the last release leaving, the channel limit
// with priority eviction and refusal, routing by topic (leaving channels included), and the
// forwarding of token, connection events and token rejections.
#include "channelmanager.h"
#include "fakechanneltransport.h"
#include "ratelimiter.h"
#include "realtimechannel.h"

#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using tf::ChannelManager;
using tf::ClientError;
using tf::ErrorClass;
using tf::PhoenixMessage;
using tf::RealtimeChannel;
using tf::test::FakeChannelTransport;
using Priority = ChannelManager::Priority;
using State = RealtimeChannel::State;

namespace {

// The server's reply to the last `event` push on `topic`, routed through the manager.
void replyOk(ChannelManager &manager, const FakeChannelTransport &transport, const QString &topic, const QString &event)
{
    for (qsizetype i = transport.sent.size() - 1; i >= 0; --i) {
        const PhoenixMessage &push = transport.sent.at(i);
        if (push.topic == topic && push.event == event) {
            QJsonObject response;
            if (event == u"phx_join")
                response.insert(u"postgres_changes"_s, QJsonArray());
            manager.route(PhoenixMessage{push.joinRef, push.ref, topic, u"phx_reply"_s,
                                         QJsonObject{{u"status"_s, u"ok"_s}, {u"response"_s, response}}, std::nullopt});
            return;
        }
    }
    QFAIL(qPrintable(u"no %1 sent on %2"_s.arg(event, topic)));
}

int countSent(const FakeChannelTransport &transport, const QString &topic, const QString &event)
{
    int n = 0;
    for (const PhoenixMessage &message : transport.sent)
        n += message.topic == topic && message.event == event;
    return n;
}

QStringList names(const QList<QVariantList> &spy)
{
    QStringList out;
    for (const QVariantList &args : spy)
        out.append(args.at(0).toString());
    return out;
}

} // namespace

class TestChannelManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceCountingAndLazyJoin()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        QSignalSpy added(&manager, &ChannelManager::channelAdded);
        QSignalSpy removed(&manager, &ChannelManager::channelRemoved);
        QVERIFY(transport.sent.isEmpty()); // nothing joins before someone needs it

        RealtimeChannel *first = manager.acquire(u"prices"_s);
        QVERIFY(first);
        QCOMPARE(first->topic(), u"realtime:prices"_s);
        QCOMPARE(added.size(), 1);
        QCOMPARE(countSent(transport, u"realtime:prices"_s, u"phx_join"_s), 1);

        RealtimeChannel *second = manager.acquire(u"prices"_s);
        QCOMPARE(second, first);
        QCOMPARE(manager.referenceCount(u"prices"_s), 2);
        QCOMPARE(countSent(transport, u"realtime:prices"_s, u"phx_join"_s), 1); // one join for both users
        replyOk(manager, transport, u"realtime:prices"_s, u"phx_join"_s);
        QCOMPARE(first->state(), State::Joined);

        manager.release(u"prices"_s);
        QCOMPARE(manager.referenceCount(u"prices"_s), 1);
        QCOMPARE(countSent(transport, u"realtime:prices"_s, u"phx_leave"_s), 0);
        QCOMPARE(removed.size(), 0);

        QPointer<RealtimeChannel> guard(first);
        manager.release(u"prices"_s);
        QCOMPARE(countSent(transport, u"realtime:prices"_s, u"phx_leave"_s), 1);
        QCOMPARE(removed.size(), 1);
        QVERIFY(!manager.channel(u"prices"_s));
        QCOMPARE(manager.count(), 0);
        QCOMPARE(guard->state(), State::Leaving);
        // The leave reply still reaches the leaving channel, which then goes away.
        replyOk(manager, transport, u"realtime:prices"_s, u"phx_leave"_s);
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 5000);

        manager.release(u"prices"_s); // one release too many: ignored
        QCOMPARE(manager.count(), 0);
    }

    void reacquireWhileLeavingGetsAFreshChannel()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        RealtimeChannel *old = manager.acquire(u"desk"_s);
        replyOk(manager, transport, u"realtime:desk"_s, u"phx_join"_s);
        QPointer<RealtimeChannel> oldGuard(old);
        manager.release(u"desk"_s);

        RealtimeChannel *fresh = manager.acquire(u"desk"_s);
        QVERIFY(fresh != old);
        QCOMPARE(manager.channelForTopic(u"realtime:desk"_s), fresh);
        replyOk(manager, transport, u"realtime:desk"_s, u"phx_join"_s);
        QCOMPARE(fresh->state(), State::Joined);
        // The old channel's leave reply (routed by topic) finishes only the old channel.
        for (const PhoenixMessage &push : transport.sentEvents(u"phx_leave"_s)) {
            manager.route(PhoenixMessage{push.joinRef, push.ref, push.topic, u"phx_reply"_s,
                                         QJsonObject{{u"status"_s, u"ok"_s}, {u"response"_s, QJsonObject()}}, std::nullopt});
        }
        QTRY_VERIFY_WITH_TIMEOUT(oldGuard.isNull(), 5000);
        QCOMPARE(fresh->state(), State::Joined);
    }

    void evictionByPriorityThenRecency()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        manager.setMaxChannels(3);
        QSignalSpy evicted(&manager, &ChannelManager::channelEvicted);
        QSignalSpy removed(&manager, &ChannelManager::channelRemoved);

        QVERIFY(manager.acquire(u"a"_s));
        QVERIFY(manager.acquire(u"b"_s, {}, Priority::Low));
        QVERIFY(manager.acquire(u"c"_s));
        QVERIFY(manager.acquire(u"d"_s)); // full: the low-priority one goes first
        QCOMPARE(names(evicted), QStringList{u"b"_s});
        QCOMPARE(names(removed), QStringList{u"b"_s});
        QCOMPARE(countSent(transport, u"realtime:b"_s, u"phx_leave"_s), 1);

        QVERIFY(manager.acquire(u"a"_s)); // a is now the most recently acquired
        QVERIFY(manager.acquire(u"e"_s)); // among equals, the least recently acquired goes: c
        QCOMPARE(names(evicted), (QStringList{u"b"_s, u"c"_s}));
        QCOMPARE(manager.count(), 3);
        QVERIFY(manager.channel(u"a"_s) && manager.channel(u"d"_s) && manager.channel(u"e"_s));
    }

    void refusedWhenEveryChannelOutranksTheNewOne()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        manager.setMaxChannels(2);
        QSignalSpy evicted(&manager, &ChannelManager::channelEvicted);
        QVERIFY(manager.acquire(u"x"_s, {}, Priority::High));
        QVERIFY(manager.acquire(u"y"_s, {}, Priority::High));

        QVERIFY(!manager.acquire(u"z"_s, {}, Priority::Normal));
        QCOMPARE(manager.lastError().errorClass, ErrorClass::Validation);
        QVERIFY2(manager.lastError().message.contains(u"limit of 2 channels"_s), qPrintable(manager.lastError().message));
        QCOMPARE(evicted.size(), 0);
        QCOMPARE(countSent(transport, u"realtime:z"_s, u"phx_join"_s), 0);

        // Acquiring an existing channel raises its priority.
        QVERIFY(manager.acquire(u"w"_s, {}, Priority::High)); // evicts x (least recent High)
        QCOMPARE(names(evicted), QStringList{u"x"_s});
        manager.setMaxChannels(1); // lowering the limit evicts at once
        QCOMPARE(manager.count(), 1);
        QVERIFY(manager.channel(u"w"_s));

        QVERIFY(!manager.acquire(QString()));
        QVERIFY(manager.lastError().message.contains(u"empty"_s));
    }

    void priorityIsRaisedByLaterAcquire()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        manager.setMaxChannels(2);
        QVERIFY(manager.acquire(u"low"_s, {}, Priority::Low));
        QVERIFY(manager.acquire(u"other"_s, {}, Priority::Normal));
        QVERIFY(manager.acquire(u"low"_s, {}, Priority::High)); // now High
        QSignalSpy evicted(&manager, &ChannelManager::channelEvicted);
        QVERIFY(manager.acquire(u"new"_s, {}, Priority::Normal));
        QCOMPARE(names(evicted), QStringList{u"other"_s});
    }

    void routingByTopic()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        RealtimeChannel *a = manager.acquire(u"a"_s);
        RealtimeChannel *b = manager.acquire(u"room:42"_s);
        QCOMPARE(manager.channelForTopic(u"realtime:room:42"_s), b);
        QVERIFY(!manager.channelForTopic(u"room:42"_s));
        QVERIFY(!manager.channelForTopic(u"phoenix"_s));
        QCOMPARE(manager.channels().size(), 2);

        replyOk(manager, transport, u"realtime:room:42"_s, u"phx_join"_s);
        QCOMPARE(b->state(), State::Joined);
        QCOMPARE(a->state(), State::Joining);

        QSignalSpy aBroadcasts(a, &RealtimeChannel::broadcastReceived);
        QSignalSpy bBroadcasts(b, &RealtimeChannel::broadcastReceived);
        manager.route(PhoenixMessage{QString(), QString(), u"realtime:room:42"_s, u"broadcast"_s,
                                     QJsonObject{{u"type"_s, u"broadcast"_s}, {u"event"_s, u"x"_s}, {u"payload"_s, 1}}, std::nullopt});
        QCOMPARE(bBroadcasts.size(), 1);
        QCOMPARE(aBroadcasts.size(), 0);
        // Unknown topics are ignored without harm.
        manager.route(PhoenixMessage{QString(), QString(), u"realtime:nobody"_s, u"broadcast"_s, {}, std::nullopt});
        QCOMPARE(manager.count(), 2);
    }

    void tokenForwarding()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        manager.setAccessToken(u"t1"_s);
        manager.acquire(u"a"_s);
        manager.acquire(u"b"_s);
        QCOMPARE(transport.lastSent(u"phx_join"_s)->payload.value(u"access_token"_s).toString(), u"t1"_s);
        replyOk(manager, transport, u"realtime:a"_s, u"phx_join"_s);
        replyOk(manager, transport, u"realtime:b"_s, u"phx_join"_s);

        manager.setAccessToken(u"t2"_s);
        const QList<PhoenixMessage> pushes = transport.sentEvents(u"access_token"_s);
        QCOMPARE(pushes.size(), 2); // every joined channel
        QStringList topics{pushes.at(0).topic, pushes.at(1).topic};
        topics.sort();
        QCOMPARE(topics, (QStringList{u"realtime:a"_s, u"realtime:b"_s}));
        QCOMPARE(pushes.at(0).payload.value(u"access_token"_s).toString(), u"t2"_s);
    }

    void tokenRejectionIsForwarded()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        QSignalSpy rejected(&manager, &ChannelManager::accessTokenRejected);
        manager.setAccessToken(u"old"_s);
        manager.acquire(u"a"_s);
        const PhoenixMessage join = *transport.lastSent(u"phx_join"_s);
        manager.route(PhoenixMessage{join.joinRef, join.ref, join.topic, u"phx_reply"_s,
                                     QJsonObject{{u"status"_s, u"error"_s},
                                                 {u"response"_s, QJsonObject{{u"reason"_s, u"InvalidJWTToken: Token has expired 1 seconds ago"_s}}}},
                                     std::nullopt});
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(0).value<ClientError>().errorClass, ErrorClass::Auth);
        manager.setAccessToken(u"new"_s); // the fix: the channel rejoins with it
        QCOMPARE(transport.lastSent(u"phx_join"_s)->payload.value(u"access_token"_s).toString(), u"new"_s);
    }

    void connectionEventsReachEveryChannel()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        RealtimeChannel *a = manager.acquire(u"a"_s);
        RealtimeChannel *b = manager.acquire(u"b"_s);
        replyOk(manager, transport, u"realtime:a"_s, u"phx_join"_s);
        replyOk(manager, transport, u"realtime:b"_s, u"phx_join"_s);

        transport.connected = false;
        manager.handleTransportClosed(u"network down"_s);
        QCOMPARE(a->state(), State::Errored);
        QCOMPARE(b->state(), State::Errored);
        transport.connected = true;
        manager.handleTransportOpened();
        QCOMPARE(countSent(transport, u"realtime:a"_s, u"phx_join"_s), 2);
        QCOMPARE(countSent(transport, u"realtime:b"_s, u"phx_join"_s), 2);
    }

    void channelsShareOneOutgoingBudget()
    {
        FakeChannelTransport transport;
        ChannelManager manager(&transport);
        manager.rateLimiter()->setRate(50.0, 1); // one token now, the next in 20 ms
        RealtimeChannel *a = manager.acquire(u"a"_s);
        RealtimeChannel *b = manager.acquire(u"b"_s);
        replyOk(manager, transport, u"realtime:a"_s, u"phx_join"_s);
        replyOk(manager, transport, u"realtime:b"_s, u"phx_join"_s);
        a->sendBroadcast(u"x"_s, 1);
        b->sendBroadcast(u"x"_s, 2);
        QCOMPARE(transport.binaryFrames.size(), 1); // b waits for a token a used
        QTRY_COMPARE_WITH_TIMEOUT(transport.binaryFrames.size(), 2, 5000);
    }
};

QTEST_GUILESS_MAIN(TestChannelManager)
#include "tst_channelmanager.moc"
