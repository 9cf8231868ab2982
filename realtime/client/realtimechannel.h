#pragma once

#include "backoff.h"
#include "channelconfig.h"
#include "channeltransport.h"
#include "errorclass.h"
#include "phoenixmessage.h"
#include "postgreschange.h"
#include "push.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>
#include <deque>
#include <optional>
#include <type_traits>

namespace tf {

class PresenceState;
class RateLimiter;

// One Supabase Realtime channel (topic "realtime:<name>") on a shared connection.
//
// The channel is a state machine driven by three inputs: what its owner wants (subscribe(),
// unsubscribe(), setAccessToken(), pushes), what the server says (handleMessage() with every
// message for its topic) and what the connection does (handleTransportOpened/Closed()). It never
// touches the socket: it sends through a ChannelTransport, which must outlive it.
//
// Recovery, in short (details in docs/realtime-channels.md):
//  * A channel that is wanted (subscribe() called, no unsubscribe() since) comes back by itself:
//    after phx_error, a join timeout, a server-side close, a lost connection, "unmatched topic".
//    Rejoins are spaced by tf::Backoff; rate-limit errors wait at least the long floor.
//  * Auth failures (a join refused for the token, or a `system` error + phx_close when the token
//    expired) emit accessTokenRejected() and wait for setAccessToken(): no loop with a stale token.
//  * Errors that a retry cannot fix (binding mismatch, "PrivateOnly", bad replay params) stop
//    the channel with ChannelError and a reason.
// Every transition reports a reason through subscribeStatusChanged()/errorOccurred().
class RealtimeChannel : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)

public:
    enum class State { Closed, Joining, Joined, Leaving, Errored };
    Q_ENUM(State)
    // What realtime-js reports to subscribe callbacks (§9), with a reason on every one.
    enum class SubscribeStatus { Subscribed, TimedOut, Closed, ChannelError };
    Q_ENUM(SubscribeStatus)

    RealtimeChannel(const QString &name, const ChannelConfig &config, ChannelTransport *transport,
                    QObject *parent = nullptr);
    ~RealtimeChannel() override;

    QString name() const { return m_name; }   // without the "realtime:" prefix
    QString topic() const { return m_topic; } // "realtime:" + name
    State state() const { return m_state; }
    QString joinRef() const { return m_joinRef; } // ref of the latest phx_join; null before one
    const ChannelConfig &config() const { return m_config; }
    bool isWanted() const { return m_wanted; }
    // True between the server's "Subscribed to PostgreSQL" and the next rejoin/close.
    bool isPostgresChangesLive() const { return m_postgresLive; }
    bool isWaitingForAccessToken() const { return m_waitingForToken; }
    // Server ids of the postgres_changes wire entries after a successful join (§4.2), in
    // ChannelConfig::postgresChangesPayload() order; empty before.
    QList<QJsonValue> postgresChangesIds() const { return m_serverIds; }
    PresenceState *presence() const { return m_presence; }
    // Pushes sent and still waiting for their reply (join and leave included); for diagnostics.
    int pendingReplyCount() const { return int(m_sentPushes.size()); }
    // Outgoing broadcasts and presence pushes go through this shared budget (may be null).
    void setRateLimiter(RateLimiter *limiter);

    void subscribe();
    void unsubscribe();

    void handleMessage(const PhoenixMessage &message);
    void handleTransportOpened();
    void handleTransportClosed(const QString &reason);

    // Kept for every future join; pushed as `access_token` when joined and different from what
    // the server has (§1.6, no reply expected). Also ends a wait for a fresh token.
    void setAccessToken(const QString &token);

    // Broadcasts a user event. V2 sends the binary kind-3 frame (like realtime-js ≥ 2.91), V1 a
    // JSON push. Without broadcast.ack the push is Ok once written; with it, on the server's
    // reply. Made while joining (or recovering) it waits in a buffer of maxBufferedPushes.
    Push *sendBroadcast(const QString &event, const QJsonValue &payload);
    // Raw bytes (encoding 0). Needs vsn 2.0.0: on V1 the push fails.
    Push *sendBroadcastBytes(const QString &event, const QByteArray &payload);
    // Presence. The server closes channels that send more than presenceMaxCalls in presenceWindow,
    // so calls beyond that are coalesced: the latest state is sent when the window allows and
    // every coalesced push resolves with that send's result. The tracked payload is tracked
    // again after each rejoin.
    Push *track(const QJsonObject &payload);
    Push *untrack();

    // Connects `functor` to broadcasts whose event matches `event` (case-insensitive; "*" = all).
    // The functor takes (event, payload, meta), (payload, meta) or (payload).
    template <typename Functor>
    QMetaObject::Connection onBroadcast(const QString &event, const QObject *context, Functor functor);
    static bool broadcastEventMatches(const QString &pattern, const QString &event);

Q_SIGNALS:
    void stateChanged(tf::RealtimeChannel::State state);
    void subscribeStatusChanged(tf::RealtimeChannel::SubscribeStatus status, const QString &reason);
    // The server's "Subscribed to PostgreSQL": changes flow from now on (§4.3). Run the REST
    // catch-up here, not on Subscribed. Emitted again after token refreshes and rejoins.
    void postgresChangesLive();
    // A change that matched at least one binding: server id, event and the client-side part of
    // its filter. `bindings` are indexes into config().postgresChanges(); empty for database
    // broadcasts (ChannelConfig::databaseBroadcast).
    void postgresChange(const tf::PostgresChange &change, const QList<int> &bindings);
    void broadcastReceived(const QString &event, const QJsonValue &payload, const QJsonObject &meta);
    // A binary broadcast with a raw (non-JSON) payload.
    void broadcastBytesReceived(const QString &event, const QByteArray &payload, const QJsonObject &meta);
    void errorOccurred(const tf::ClientError &error);
    // The server refused our token. Call setAccessToken() with a fresh one to rejoin.
    void accessTokenRejected(const tf::ClientError &error);
    void systemMessage(const QJsonObject &payload);
    // A rejoin is planned: attempt number and delay, for the UI ("retrying in 4 s").
    void rejoinScheduled(int attempt, qint64 delayMs);

private:
    void setState(State state);
    void sendJoin();
    void abandonJoin();
    void scheduleRejoin(bool rateLimited);
    void rejoinNow();
    void onJoinFinished(Push *push, Push::Status status, const QJsonValue &response);
    bool matchBindings(const QJsonObject &response);
    void joinFailed(const ClientError &error, const QString &reason);
    void finishClosed(const QString &reason);
    void failSentPushes(const QString &reason);
    void failBufferedPushes(const QString &reason);

    void handleReply(const PhoenixMessage &message);
    void handlePhxError();
    void handlePhxClose();
    void handleSystem(const QJsonObject &payload);
    void handlePostgresChanges(const QJsonObject &payload);
    void handleBroadcast(const PhoenixMessage &message);

    Push *newUserPush(const QString &event, const QJsonObject &payload);
    void enqueuePush(Push *push);
    void bufferPush(Push *push, bool atFront = false);
    void flushBuffer();
    void submitLimited(std::function<void()> send);
    void sendPushNow(Push *push);
    bool expectsReply(const Push *push) const;

    Push *requestPresence(std::optional<QJsonObject> payload);
    void pumpPresence();
    void sendPresenceNow();

    QString m_name;
    QString m_topic;
    ChannelConfig m_config;
    ChannelTransport *m_transport;
    QPointer<RateLimiter> m_rateLimiter;
    PresenceState *m_presence;

    State m_state = State::Closed;
    bool m_wanted = false;
    bool m_waitingForToken = false;
    bool m_postgresLive = false;
    QString m_joinRef;
    QPointer<Push> m_joinPush;
    QPointer<Push> m_leavePush;
    QString m_accessToken;
    QString m_serverToken; // the token the server has for the current join
    QList<QJsonValue> m_serverIds;
    std::optional<ClientError> m_pendingShutdown; // a system error waiting for its phx_close

    Backoff m_backoff;
    QTimer m_rejoinTimer;
    std::chrono::steady_clock::time_point m_rejoinNotBefore; // rate-limit floor survives reconnects

    QHash<QString, QPointer<Push>> m_sentPushes; // ref -> push awaiting a reply
    QList<QPointer<Push>> m_buffer;              // made while not joined, oldest first

    // Presence: the desired state and who waits for it to reach the server.
    std::optional<QJsonObject> m_trackedPayload; // nullopt = untracked
    bool m_presenceDirty = false;
    bool m_presenceQueued = false; // waiting in the rate limiter
    QPointer<Push> m_presenceInFlight;
    QList<QPointer<Push>> m_presenceWaiters;
    std::deque<std::chrono::steady_clock::time_point> m_presenceSends;
    QTimer m_presenceTimer;
};

template <typename Functor>
QMetaObject::Connection RealtimeChannel::onBroadcast(const QString &event, const QObject *context, Functor functor)
{
    return connect(this, &RealtimeChannel::broadcastReceived, context,
                   [event, functor](const QString &received, const QJsonValue &payload, const QJsonObject &meta) mutable {
                       if (!broadcastEventMatches(event, received))
                           return;
                       if constexpr (std::is_invocable_v<Functor &, const QString &, const QJsonValue &, const QJsonObject &>)
                           functor(received, payload, meta);
                       else if constexpr (std::is_invocable_v<Functor &, const QJsonValue &, const QJsonObject &>)
                           functor(payload, meta);
                       else
                           functor(payload);
                   });
}

} // namespace tf
