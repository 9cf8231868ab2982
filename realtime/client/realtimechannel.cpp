#include "realtimechannel.h"

#include "logging.h"
#include "phoenixcodec.h"
#include "presencestate.h"
#include "ratelimiter.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace tf {

namespace {

using Clock = std::chrono::steady_clock;

const QString EventJoin = u"phx_join"_s;
const QString EventLeave = u"phx_leave"_s;
const QString EventReply = u"phx_reply"_s;
const QString EventError = u"phx_error"_s;
const QString EventClose = u"phx_close"_s;
const QString EventBroadcast = u"broadcast"_s;
const QString EventPresence = u"presence"_s;

QJsonObject reasonObject(const QString &reason)
{
    return QJsonObject{{u"reason"_s, reason}};
}

// The text of an error reply: {"reason": …}, a bare string, or (like realtime-js) the
// response's values joined by ", ".
QString replyReason(const QJsonValue &response)
{
    if (response.isString())
        return response.toString();
    const QJsonObject object = response.toObject();
    if (object.value(u"reason"_s).isString())
        return object.value(u"reason"_s).toString();
    QStringList parts;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isString())
            parts.append(it.value().toString());
    }
    return parts.isEmpty() ? u"join refused without a reason"_s : parts.join(u", "_s);
}

// Server ids are integers (§4.2); strings are tolerated. Compared as values, never as doubles
// turned into text with exponents.
bool sameId(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    const auto text = [](const QJsonValue &v) { return v.isDouble() ? QString::number(v.toInteger()) : v.toString(); };
    return !text(a).isEmpty() && text(a) == text(b);
}

bool sameOptionalString(const QJsonValue &a, const QJsonValue &b)
{
    const bool aMissing = a.isUndefined() || a.isNull();
    const bool bMissing = b.isUndefined() || b.isNull();
    if (aMissing || bMissing)
        return aMissing == bMissing;
    return a.isString() && b.isString() && a.toString() == b.toString();
}

// postgres_changes subscription errors the server does not retry: the parameters are wrong.
bool isPermanentSubscriptionError(const QString &message)
{
    static const QStringList markers{u"Unable to subscribe to changes"_s, u"Error parsing `filter`"_s,
                                     u"No subscription params"_s, u"Column selection is not supported"_s,
                                     u"too many values for `in`"_s, u"invalid column for filter"_s};
    for (const QString &marker : markers) {
        if (message.contains(marker, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

std::chrono::milliseconds ceilMs(Clock::duration d)
{
    return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(d));
}

} // namespace

RealtimeChannel::RealtimeChannel(const QString &name, const ChannelConfig &config, ChannelTransport *transport,
                                 QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_topic(u"realtime:"_s + name)
    , m_config(config)
    , m_transport(transport)
    , m_presence(new PresenceState(this))
    , m_backoff(config.tuning.rejoinBackoff)
{
    Q_ASSERT(transport);
    m_rejoinTimer.setSingleShot(true);
    connect(&m_rejoinTimer, &QTimer::timeout, this, &RealtimeChannel::rejoinNow);
    m_presenceTimer.setSingleShot(true);
    connect(&m_presenceTimer, &QTimer::timeout, this, &RealtimeChannel::pumpPresence);
}

RealtimeChannel::~RealtimeChannel() = default;

void RealtimeChannel::setRateLimiter(RateLimiter *limiter)
{
    m_rateLimiter = limiter;
}

bool RealtimeChannel::broadcastEventMatches(const QString &pattern, const QString &event)
{
    return pattern == u"*" || pattern.compare(event, Qt::CaseInsensitive) == 0;
}

void RealtimeChannel::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcChannel) << m_topic << m_state << "->" << state;
    m_state = state;
    Q_EMIT stateChanged(state);
}

// --- joining and leaving ---------------------------------------------------------------------

void RealtimeChannel::subscribe()
{
    if (m_wanted && (m_state == State::Joining || m_state == State::Joined))
        return;
    m_wanted = true;
    if (m_state == State::Leaving) {
        // Changed our mind mid-leave: forget the leave, join again (the server replaces the old
        // channel when the same topic is joined again, §3.1).
        if (m_leavePush) {
            m_sentPushes.remove(m_leavePush->ref());
            m_leavePush->disconnect(this);
            m_leavePush->deleteLater();
            m_leavePush = nullptr;
        }
        setState(State::Closed);
    }
    m_backoff.reset();
    rejoinNow();
}

void RealtimeChannel::unsubscribe()
{
    m_wanted = false;
    m_waitingForToken = false;
    m_rejoinTimer.stop();
    m_rejoinNotBefore = {};

    switch (m_state) {
    case State::Closed:
    case State::Leaving:
        return;
    case State::Errored:
        finishClosed(u"unsubscribed"_s);
        return;
    case State::Joining:
        if (!m_joinPush) {
            finishClosed(u"unsubscribed"_s);
            return;
        }
        break;
    case State::Joined:
        break;
    }
    if (!m_transport->isConnected()) {
        // Phoenix treats a leave without a connection as done: the server drops the channel with it.
        finishClosed(u"unsubscribed (no connection)"_s);
        return;
    }

    abandonJoin();
    failBufferedPushes(u"channel unsubscribed"_s);
    setState(State::Leaving);
    const QString ref = m_transport->makeRef();
    auto *leave = new Push(EventLeave, {}, m_config.tuning.pushTimeout, this);
    leave->setRef(ref);
    m_leavePush = leave;
    connect(leave, &Push::finished, this, [this, leave](Push::Status status) {
        leave->deleteLater();
        if (leave != m_leavePush)
            return;
        m_sentPushes.remove(leave->ref());
        m_leavePush = nullptr;
        // ok or timeout: either way the channel is gone for us (§4.6).
        finishClosed(status == Push::Status::Timeout ? u"left (leave timed out)"_s : u"left"_s);
    });
    qCInfo(lcChannel, "leaving %s", qPrintable(m_topic));
    if (!m_transport->sendMessage(PhoenixMessage{m_joinRef, ref, m_topic, EventLeave, {}, std::nullopt})) {
        finishClosed(u"unsubscribed (no connection)"_s);
        return;
    }
    m_sentPushes.insert(ref, leave);
    leave->startTimeout();
}

void RealtimeChannel::rejoinNow()
{
    m_rejoinTimer.stop();
    if (!m_wanted || m_waitingForToken || m_state == State::Joined || m_state == State::Leaving)
        return;
    if (m_state == State::Joining && m_joinPush)
        return;
    if (!m_transport->isConnected()) {
        qCDebug(lcChannel, "%s waits for the connection before joining", qPrintable(m_topic));
        if (m_state == State::Closed)
            setState(State::Joining);
        return;
    }
    sendJoin();
}

void RealtimeChannel::sendJoin()
{
    abandonJoin();
    m_pendingShutdown.reset();
    m_postgresLive = false;
    m_serverIds.clear();

    // The join ref is the join's own ref (§2.5); every later push of this join carries it.
    const QString ref = m_transport->makeRef();
    m_joinRef = ref;
    m_serverToken = m_accessToken;
    const QJsonObject payload = m_config.joinPayload(m_accessToken);
    auto *join = new Push(EventJoin, payload, m_config.tuning.joinTimeout, this);
    join->setRef(ref);
    m_joinPush = join;
    connect(join, &Push::finished, this,
            [this, join](Push::Status status, const QJsonValue &response) { onJoinFinished(join, status, response); });
    setState(State::Joining);

    qCInfo(lcChannel, "joining %s (join ref %s, %d postgres_changes entries, token %s)", qPrintable(m_topic),
           qPrintable(ref), int(m_config.postgresChangesPayload().size()), qPrintable(redactToken(m_accessToken)));
    if (!m_transport->sendMessage(PhoenixMessage{ref, ref, m_topic, EventJoin, payload, std::nullopt})) {
        qCDebug(lcChannel, "%s: connection not ready, the join waits for it", qPrintable(m_topic));
        abandonJoin();
        return;
    }
    m_sentPushes.insert(ref, join);
    join->startTimeout();
}

void RealtimeChannel::abandonJoin()
{
    if (!m_joinPush)
        return;
    m_sentPushes.remove(m_joinPush->ref());
    m_joinPush->disconnect(this);
    m_joinPush->deleteLater();
    m_joinPush = nullptr;
}

void RealtimeChannel::onJoinFinished(Push *join, Push::Status status, const QJsonValue &response)
{
    if (join != m_joinPush)
        return;
    m_sentPushes.remove(join->ref());
    m_joinPush = nullptr;
    join->deleteLater();

    switch (status) {
    case Push::Status::Ok: {
        if (!matchBindings(response.toObject())) {
            const QString reason = u"mismatch between server and client bindings for postgres changes"_s;
            qCWarning(lcChannel, "%s: %s; leaving", qPrintable(m_topic), qPrintable(reason));
            // A retry would send the same bindings: leave the joined server channel and stop, loudly.
            m_wanted = false;
            if (m_transport->isConnected()) {
                m_transport->sendMessage(
                    PhoenixMessage{m_joinRef, m_transport->makeRef(), m_topic, EventLeave, {}, std::nullopt});
            }
            Q_EMIT errorOccurred(classifyRealtimeReason(reason));
            Q_EMIT subscribeStatusChanged(SubscribeStatus::ChannelError, reason);
            if (!m_wanted && m_state == State::Joining && !m_joinPush)
                finishClosed(reason);
            return;
        }
        m_backoff.reset();
        m_rejoinNotBefore = {};
        setState(State::Joined);
        qCInfo(lcChannel, "joined %s (join ref %s)", qPrintable(m_topic), qPrintable(m_joinRef));
        if (!m_accessToken.isEmpty() && m_accessToken != m_serverToken) {
            // The token changed while the join was in flight.
            m_serverToken = m_accessToken;
            m_transport->sendMessage(PhoenixMessage{m_joinRef, m_transport->makeRef(), m_topic, u"access_token"_s,
                                                    QJsonObject{{u"access_token"_s, m_accessToken}}, std::nullopt});
        }
        Q_EMIT subscribeStatusChanged(SubscribeStatus::Subscribed, QString());
        if (m_state != State::Joined)
            return; // a handler unsubscribed
        flushBuffer();
        // A new join has no presence of ours on the server: track again what we track.
        m_presenceDirty = m_presenceDirty || m_trackedPayload.has_value();
        pumpPresence();
        return;
    }
    case Push::Status::Error: {
        const QString reason = replyReason(response);
        joinFailed(classifyRealtimeReason(reason), reason);
        return;
    }
    case Push::Status::Timeout: {
        const QString reason = u"join timed out after %1 ms"_s.arg(m_config.tuning.joinTimeout.count());
        qCWarning(lcChannel, "%s: %s", qPrintable(m_topic), qPrintable(reason));
        // Leave the timed-out join so a late success does not leave a channel behind (§9).
        if (m_transport->isConnected()) {
            m_transport->sendMessage(
                PhoenixMessage{m_joinRef, m_transport->makeRef(), m_topic, EventLeave, {}, std::nullopt});
        }
        setState(State::Errored);
        Q_EMIT errorOccurred(ClientError{ErrorClass::Network, reason, 0, QString()});
        Q_EMIT subscribeStatusChanged(SubscribeStatus::TimedOut, reason);
        scheduleRejoin(false);
        return;
    }
    case Push::Status::Pending:
        return;
    }
}

bool RealtimeChannel::matchBindings(const QJsonObject &response)
{
    const QJsonArray &wire = m_config.postgresChangesPayload();
    m_serverIds.clear();
    if (wire.isEmpty())
        return true;
    const QJsonValue serverValue = response.value(u"postgres_changes"_s);
    if (!serverValue.isArray()) {
        qCWarning(lcChannel, "%s: join reply has no postgres_changes for %d bindings", qPrintable(m_topic),
                  int(wire.size()));
        return false;
    }
    const QJsonArray server = serverValue.toArray();
    if (server.size() != wire.size()) {
        qCWarning(lcChannel, "%s: server echoed %d postgres_changes entries, we sent %d", qPrintable(m_topic),
                  int(server.size()), int(wire.size()));
        return false;
    }
    QList<QJsonValue> ids;
    for (qsizetype i = 0; i < wire.size(); ++i) {
        const QJsonObject ours = wire.at(i).toObject();
        const QJsonObject theirs = server.at(i).toObject();
        const QJsonValue id = theirs.value(u"id"_s);
        const bool same = theirs.value(u"event"_s).toString().compare(ours.value(u"event"_s).toString(), Qt::CaseInsensitive) == 0
            && sameOptionalString(theirs.value(u"schema"_s), ours.value(u"schema"_s))
            && sameOptionalString(theirs.value(u"table"_s), ours.value(u"table"_s))
            && sameOptionalString(theirs.value(u"filter"_s), ours.value(u"filter"_s));
        if (!same || !(id.isDouble() || id.isString())) {
            qCWarning(lcChannel, "%s: postgres_changes entry %d differs from what we sent or has no id",
                      qPrintable(m_topic), int(i));
            return false;
        }
        ids.append(id);
    }
    m_serverIds = ids;
    return true;
}

void RealtimeChannel::joinFailed(const ClientError &error, const QString &reason)
{
    qCWarning(lcChannel, "%s: join refused: %s", qPrintable(m_topic), qPrintable(error.toString()));
    // Decide before telling anyone, so a handler that reacts (e.g. sets a token) finds the
    // channel already in its waiting state.
    const bool auth = error.errorClass == ErrorClass::Auth;
    if (auth)
        m_waitingForToken = true;
    setState(State::Errored);
    Q_EMIT errorOccurred(error);
    Q_EMIT subscribeStatusChanged(SubscribeStatus::ChannelError, reason);
    if (m_state != State::Errored || !m_wanted)
        return;
    switch (error.errorClass) {
    case ErrorClass::Auth:
        if (m_waitingForToken) {
            qCInfo(lcChannel, "%s waits for a fresh access token before rejoining", qPrintable(m_topic));
            Q_EMIT accessTokenRejected(error);
        }
        return;
    case ErrorClass::Protocol:
    case ErrorClass::Validation:
        // Same payload, same refusal: retrying cannot help.
        qCWarning(lcChannel, "%s: not retrying (%s)", qPrintable(m_topic), qPrintable(recoveryName(error.recovery())));
        return;
    case ErrorClass::RateLimit:
        scheduleRejoin(true);
        return;
    case ErrorClass::Network:
    case ErrorClass::Server:
        scheduleRejoin(false);
        return;
    }
}

void RealtimeChannel::scheduleRejoin(bool rateLimited)
{
    if (!m_wanted || m_waitingForToken)
        return;
    if (m_backoff.exhausted()) {
        qCWarning(lcChannel, "%s: giving up after %d rejoin attempts", qPrintable(m_topic), m_backoff.attempts());
        return;
    }
    const std::chrono::milliseconds delay = m_backoff.next(rateLimited);
    if (rateLimited)
        m_rejoinNotBefore = Clock::now() + delay;
    m_rejoinTimer.start(delay);
    qCInfo(lcChannel, "%s: rejoin attempt %d in %lld ms%s", qPrintable(m_topic), m_backoff.attempts(),
           qlonglong(delay.count()), rateLimited ? " (rate limited)" : "");
    Q_EMIT rejoinScheduled(m_backoff.attempts(), delay.count());
}

void RealtimeChannel::finishClosed(const QString &reason)
{
    abandonJoin();
    if (m_leavePush) {
        m_sentPushes.remove(m_leavePush->ref());
        m_leavePush->disconnect(this);
        m_leavePush->deleteLater();
        m_leavePush = nullptr;
    }
    m_rejoinTimer.stop();
    m_presenceTimer.stop();
    m_postgresLive = false;
    m_pendingShutdown.reset();
    m_serverIds.clear();
    m_trackedPayload.reset();
    m_presenceDirty = false;
    failSentPushes(u"channel closed"_s);
    failBufferedPushes(u"channel closed"_s);
    for (const QPointer<Push> &waiter : std::exchange(m_presenceWaiters, {})) {
        if (waiter)
            waiter->resolve(Push::Status::Error, reasonObject(u"channel closed"_s));
    }
    const bool changed = m_state != State::Closed;
    setState(State::Closed);
    m_presence->clear();
    if (changed) {
        qCInfo(lcChannel, "%s closed: %s", qPrintable(m_topic), qPrintable(reason));
        Q_EMIT subscribeStatusChanged(SubscribeStatus::Closed, reason);
    }
}

void RealtimeChannel::failSentPushes(const QString &reason)
{
    QList<QPointer<Push>> failed;
    for (auto it = m_sentPushes.begin(); it != m_sentPushes.end();) {
        if (it.value() && (it.value() == m_joinPush || it.value() == m_leavePush)) {
            ++it;
            continue;
        }
        failed.append(it.value());
        it = m_sentPushes.erase(it);
    }
    for (const QPointer<Push> &push : std::as_const(failed)) {
        if (push)
            push->resolve(Push::Status::Error, reasonObject(reason));
    }
}

void RealtimeChannel::failBufferedPushes(const QString &reason)
{
    for (const QPointer<Push> &push : std::exchange(m_buffer, {})) {
        if (push)
            push->resolve(Push::Status::Error, reasonObject(reason));
    }
}

// --- the connection --------------------------------------------------------------------------

void RealtimeChannel::handleTransportOpened()
{
    if (!m_wanted || m_waitingForToken || m_state == State::Joined || m_state == State::Leaving)
        return;
    if (m_state == State::Joining && m_joinPush)
        return;
    m_backoff.reset();
    const auto now = Clock::now();
    if (m_rejoinNotBefore > now) {
        // A rate-limit wait is not cut short by a reconnect: that is exactly what trips it again.
        const auto wait = ceilMs(m_rejoinNotBefore - now);
        qCInfo(lcChannel, "%s: connection back, rejoin held %lld ms by the rate limit", qPrintable(m_topic),
               qlonglong(wait.count()));
        m_rejoinTimer.start(wait);
        return;
    }
    sendJoin();
}

void RealtimeChannel::handleTransportClosed(const QString &reason)
{
    m_rejoinTimer.stop();
    m_presenceTimer.stop();
    const QString why = reason.isEmpty() ? u"connection lost"_s : u"connection lost: "_s + reason;
    switch (m_state) {
    case State::Leaving:
        finishClosed(u"left (connection closed)"_s);
        return;
    case State::Joined:
    case State::Joining:
        abandonJoin();
        m_postgresLive = false;
        m_pendingShutdown.reset();
        setState(State::Errored);
        failSentPushes(why);
        qCInfo(lcChannel, "%s: %s; rejoining when it is back", qPrintable(m_topic), qPrintable(why));
        Q_EMIT subscribeStatusChanged(SubscribeStatus::ChannelError, why);
        return;
    case State::Errored:
    case State::Closed:
        return;
    }
}

void RealtimeChannel::setAccessToken(const QString &token)
{
    if (token == m_accessToken) {
        if (m_waitingForToken)
            qCInfo(lcChannel, "%s: same access token set again; still waiting for a fresh one", qPrintable(m_topic));
        return;
    }
    m_accessToken = token;
    qCDebug(lcChannel, "%s: access token now %s", qPrintable(m_topic), qPrintable(redactToken(token)));
    if (m_state == State::Joined && !token.isEmpty() && token != m_serverToken) {
        // §1.6: no reply ever comes, so nothing waits for one.
        m_serverToken = token;
        m_transport->sendMessage(PhoenixMessage{m_joinRef, m_transport->makeRef(), m_topic, u"access_token"_s,
                                                QJsonObject{{u"access_token"_s, token}}, std::nullopt});
    }
    if (m_waitingForToken) {
        m_waitingForToken = false;
        m_backoff.reset();
        qCInfo(lcChannel, "%s: fresh access token, rejoining", qPrintable(m_topic));
        rejoinNow();
    }
}

// --- inbound ---------------------------------------------------------------------------------

void RealtimeChannel::handleMessage(const PhoenixMessage &message)
{
    if (message.topic != m_topic) {
        qCDebug(lcChannel, "%s: ignoring a message for %s", qPrintable(m_topic), qPrintable(message.topic));
        return;
    }
    if (m_state == State::Closed) {
        qCDebug(lcChannel, "%s is closed: ignoring %s", qPrintable(m_topic), qPrintable(message.event));
        return;
    }
    // §2.2/§2.5: a non-null join_ref of another join is an outdated message; phx_close and
    // phx_error also carry the join ref in `ref` (the only hint a V1 server gives).
    if (!message.joinRef.isNull() && message.joinRef != m_joinRef) {
        qCDebug(lcChannel, "%s: dropping %s of stale join ref %s (current %s)", qPrintable(m_topic),
                qPrintable(message.event), qPrintable(message.joinRef), qPrintable(m_joinRef));
        return;
    }
    const QString &event = message.event;
    if ((event == EventClose || event == EventError) && !message.ref.isNull() && message.ref != m_joinRef) {
        qCDebug(lcChannel, "%s: dropping %s for stale ref %s", qPrintable(m_topic), qPrintable(event),
                qPrintable(message.ref));
        return;
    }

    if (event == EventReply)
        handleReply(message);
    else if (event == u"postgres_changes")
        handlePostgresChanges(message.payload);
    else if (event == EventBroadcast)
        handleBroadcast(message);
    else if (event == u"presence_state")
        m_presence->handleState(message.payload, m_joinRef);
    else if (event == u"presence_diff")
        m_presence->handleDiff(message.payload, m_joinRef);
    else if (event == u"system")
        handleSystem(message.payload);
    else if (event == EventError)
        handlePhxError();
    else if (event == EventClose)
        handlePhxClose();
    else
        qCInfo(lcChannel, "%s: ignoring unknown event %s", qPrintable(m_topic), qPrintable(event));
}

void RealtimeChannel::handleReply(const PhoenixMessage &message)
{
    if (message.ref.isNull()) {
        qCDebug(lcChannel, "%s: reply without ref ignored", qPrintable(m_topic));
        return;
    }
    const QPointer<Push> push = m_sentPushes.take(message.ref);
    if (!push) {
        qCDebug(lcChannel, "%s: reply for unknown ref %s ignored", qPrintable(m_topic), qPrintable(message.ref));
        return;
    }
    const bool isJoin = push == m_joinPush;
    const bool ok = message.payload.value(u"status"_s).toString() == u"ok";
    const bool unmatched = !ok && replyReason(message.payload.value(u"response"_s)) == u"unmatched topic";
    push->resolveFromReply(message.payload);

    if (unmatched && !isJoin && m_state == State::Joined) {
        // §4.7: the server no longer has this channel (we missed its close): join it again.
        const QString reason = u"unmatched topic: the server no longer has this channel"_s;
        qCWarning(lcChannel, "%s: %s", qPrintable(m_topic), qPrintable(reason));
        setState(State::Errored);
        failSentPushes(reason);
        Q_EMIT subscribeStatusChanged(SubscribeStatus::ChannelError, reason);
        scheduleRejoin(false);
    }
}

void RealtimeChannel::handlePhxError()
{
    if (m_state == State::Leaving) {
        finishClosed(u"left"_s);
        return;
    }
    const QString reason = u"channel error on the server"_s;
    qCWarning(lcChannel, "%s: %s", qPrintable(m_topic), qPrintable(reason));
    abandonJoin();
    m_postgresLive = false;
    setState(State::Errored);
    failSentPushes(reason);
    Q_EMIT errorOccurred(ClientError{ErrorClass::Server, reason, 0, QString()});
    Q_EMIT subscribeStatusChanged(SubscribeStatus::ChannelError, reason);
    if (m_state == State::Errored && m_transport->isConnected())
        scheduleRejoin(false);
}

void RealtimeChannel::handlePhxClose()
{
    if (m_state == State::Leaving) {
        finishClosed(u"left"_s);
        return;
    }
    abandonJoin();
    m_postgresLive = false;
    const std::optional<ClientError> shutdown = std::exchange(m_pendingShutdown, std::nullopt);
    const QString reason = shutdown ? shutdown->message : u"closed by the server"_s;
    const bool auth = shutdown && shutdown->errorClass == ErrorClass::Auth;
    if (auth)
        m_waitingForToken = true; // before anyone hears of it, see joinFailed()
    setState(State::Errored);
    failSentPushes(reason);

    if (!shutdown) {
        // A plain server close of a channel its owner still wants (e.g. a newer join of the same
        // topic elsewhere replaced it, or an operator action): report CLOSED, then come back.
        qCInfo(lcChannel, "%s closed by the server; rejoining", qPrintable(m_topic));
        Q_EMIT subscribeStatusChanged(SubscribeStatus::Closed, reason);
        if (m_state == State::Errored)
            scheduleRejoin(false);
        return;
    }

    qCWarning(lcChannel, "%s shut down by the server: %s", qPrintable(m_topic), qPrintable(shutdown->toString()));
    Q_EMIT subscribeStatusChanged(SubscribeStatus::ChannelError, reason);
    if (m_state != State::Errored)
        return;
    switch (shutdown->errorClass) {
    case ErrorClass::Auth:
        // §1.7: the official client stays closed here; we rejoin once a fresh token is set.
        if (m_waitingForToken)
            Q_EMIT accessTokenRejected(*shutdown);
        return;
    case ErrorClass::Protocol:
    case ErrorClass::Validation:
        return;
    case ErrorClass::RateLimit:
        scheduleRejoin(true);
        return;
    case ErrorClass::Network:
    case ErrorClass::Server:
        scheduleRejoin(false);
        return;
    }
}

void RealtimeChannel::handleSystem(const QJsonObject &payload)
{
    Q_EMIT systemMessage(payload);
    const QString extension = payload.value(u"extension"_s).toString();
    const QString status = payload.value(u"status"_s).toString();
    const QString message = payload.value(u"message"_s).toString();

    if (status == u"ok") {
        if (extension == u"postgres_changes"
            && message.compare(u"Subscribed to PostgreSQL"_s, Qt::CaseInsensitive) == 0) {
            m_postgresLive = true;
            qCInfo(lcChannel, "%s: postgres_changes live", qPrintable(m_topic));
            Q_EMIT postgresChangesLive();
        } else {
            qCInfo(lcChannel, "%s: system: %s", qPrintable(m_topic), qPrintable(message));
        }
        return;
    }
    if (status != u"error") {
        qCInfo(lcChannel, "%s: system message with status '%s' ignored", qPrintable(m_topic), qPrintable(status));
        return;
    }

    ClientError error = classifyRealtimeReason(message);
    if (extension == u"postgres_changes") {
        // The channel stays joined; only the database subscription failed (§4.3). The server
        // retries transient failures itself and sends "Subscribed to PostgreSQL" later.
        if (isPermanentSubscriptionError(message))
            error.errorClass = ErrorClass::Validation;
        m_postgresLive = false;
        qCWarning(lcChannel, "%s: postgres_changes subscription failed: %s", qPrintable(m_topic),
                  qPrintable(error.toString()));
        Q_EMIT errorOccurred(error);
        return;
    }
    // Any other error is a shutdown and is always followed by phx_close (§4.3, §10.3).
    m_pendingShutdown = error;
    qCWarning(lcChannel, "%s: server shutdown notice: %s", qPrintable(m_topic), qPrintable(error.toString()));
    Q_EMIT errorOccurred(error);
}

void RealtimeChannel::handlePostgresChanges(const QJsonObject &payload)
{
    if (m_state != State::Joined || m_serverIds.isEmpty()) {
        qCDebug(lcChannel, "%s: postgres_changes before the bindings are matched, dropped", qPrintable(m_topic));
        return;
    }
    if (!payload.value(u"ids"_s).isArray()) {
        qCWarning(lcProtocol, "%s: postgres_changes without ids ignored", qPrintable(m_topic));
        return;
    }
    QString why;
    const std::optional<PostgresChange> change = PostgresChange::fromPostgresChangesPayload(payload, &why);
    if (!change) {
        qCWarning(lcProtocol, "%s: malformed postgres_changes ignored: %s", qPrintable(m_topic), qPrintable(why));
        return;
    }
    if (!change->errors.isEmpty()) {
        qCWarning(lcChannel, "%s: change on %s.%s carries errors: %s", qPrintable(m_topic), qPrintable(change->schema),
                  qPrintable(change->table), qPrintable(change->errors.join(u"; "_s)));
    }

    const QJsonArray ids = payload.value(u"ids"_s).toArray();
    const auto hasId = [&ids](const QJsonValue &id) {
        for (const QJsonValue &candidate : ids) {
            if (sameId(candidate, id))
                return true;
        }
        return false;
    };
    const QString type = changeTypeName(change->type);
    const QList<PostgresChangesBinding> &bindings = m_config.postgresChanges();
    QList<int> matched;
    for (qsizetype i = 0; i < bindings.size(); ++i) {
        const QJsonValue id = m_serverIds.value(m_config.wireIndexFor(i));
        // §5.2: the server id AND the event; older servers do not filter by event themselves.
        if (!hasId(id) || (bindings.at(i).event != u"*" && bindings.at(i).event != type))
            continue;
        // Records are absent on 400/401 errors: deliver those unfiltered so the error is seen.
        if (change->errors.isEmpty() && !m_config.filterFor(i).matchesClientConditions(change->record()))
            continue;
        matched.append(int(i));
    }
    if (matched.isEmpty()) {
        qCDebug(lcChannel, "%s: %s on %s.%s matched no binding", qPrintable(m_topic), qPrintable(type),
                qPrintable(change->schema), qPrintable(change->table));
        return;
    }
    Q_EMIT postgresChange(*change, matched);
}

void RealtimeChannel::handleBroadcast(const PhoenixMessage &message)
{
    const QJsonValue eventValue = message.payload.value(u"event"_s);
    if (!eventValue.isString()) {
        qCWarning(lcProtocol, "%s: broadcast without an event name ignored", qPrintable(m_topic));
        return;
    }
    const QString event = eventValue.toString();
    const QJsonObject meta = message.payload.value(u"meta"_s).toObject();
    if (message.binaryPayload) {
        Q_EMIT broadcastBytesReceived(event, *message.binaryPayload, meta);
        return;
    }
    const QJsonValue payload = message.payload.value(u"payload"_s);
    Q_EMIT broadcastReceived(event, payload, meta);
    if (m_config.databaseBroadcast) {
        QString why;
        if (const auto change = PostgresChange::fromDatabaseBroadcast(event, payload, &why))
            Q_EMIT postgresChange(*change, {});
        else
            qCDebug(lcChannel, "%s: broadcast %s is not a database change: %s", qPrintable(m_topic), qPrintable(event),
                    qPrintable(why));
    }
}

// --- outbound --------------------------------------------------------------------------------

Push *RealtimeChannel::newUserPush(const QString &event, const QJsonObject &payload)
{
    auto *push = new Push(event, payload, m_config.tuning.pushTimeout, this);
    connect(push, &Push::finished, push, &QObject::deleteLater);
    // Like Phoenix, the timeout runs from the call, buffered or not: a push does not wait forever.
    push->startTimeout();
    return push;
}

Push *RealtimeChannel::sendBroadcast(const QString &event, const QJsonValue &payload)
{
    Push *push = newUserPush(EventBroadcast, QJsonObject{{u"type"_s, EventBroadcast}, {u"event"_s, event},
                                                         {u"payload"_s, payload}});
    if (event.isEmpty()) {
        push->resolveLater(Push::Status::Error, reasonObject(u"broadcast event name is empty"_s));
        return push;
    }
    enqueuePush(push);
    return push;
}

Push *RealtimeChannel::sendBroadcastBytes(const QString &event, const QByteArray &payload)
{
    Push *push = newUserPush(EventBroadcast, QJsonObject{{u"type"_s, EventBroadcast}, {u"event"_s, event}});
    push->setBinaryPayload(payload);
    if (event.isEmpty()) {
        push->resolveLater(Push::Status::Error, reasonObject(u"broadcast event name is empty"_s));
        return push;
    }
    if (m_transport->serializerVersion() != SerializerVersion::V2) {
        push->resolveLater(Push::Status::Error, reasonObject(u"binary payloads need vsn 2.0.0"_s));
        return push;
    }
    enqueuePush(push);
    return push;
}

void RealtimeChannel::enqueuePush(Push *push)
{
    switch (m_state) {
    case State::Closed:
    case State::Leaving:
        qCInfo(lcChannel, "%s: %s refused, the channel is not subscribed", qPrintable(m_topic), qPrintable(push->eventName()));
        push->resolveLater(Push::Status::Error, reasonObject(u"channel is not subscribed"_s));
        return;
    case State::Joining:
    case State::Errored:
        bufferPush(push);
        return;
    case State::Joined:
        submitLimited([this, guard = QPointer<Push>(push)] {
            if (!guard || guard->isFinished())
                return;
            if (m_state != State::Joined) {
                bufferPush(guard);
                return;
            }
            sendPushNow(guard);
        });
        return;
    }
}

void RealtimeChannel::bufferPush(Push *push, bool atFront)
{
    m_buffer.removeIf([](const QPointer<Push> &p) { return !p || p->isFinished(); });
    const int max = std::max(1, m_config.tuning.maxBufferedPushes);
    while (m_buffer.size() >= max) {
        const QPointer<Push> oldest = m_buffer.takeFirst();
        qCWarning(lcChannel, "%s: push buffer full (%d): dropping the oldest %s", qPrintable(m_topic), max,
                  oldest ? qPrintable(oldest->eventName()) : "push");
        if (oldest)
            oldest->resolve(Push::Status::Error, reasonObject(u"dropped: push buffer full"_s));
    }
    if (atFront)
        m_buffer.prepend(push);
    else
        m_buffer.append(push);
}

void RealtimeChannel::flushBuffer()
{
    const QList<QPointer<Push>> pending = std::exchange(m_buffer, {});
    if (!pending.isEmpty())
        qCDebug(lcChannel, "%s: flushing %d buffered pushes", qPrintable(m_topic), int(pending.size()));
    for (const QPointer<Push> &push : pending) {
        if (push && !push->isFinished())
            enqueuePush(push);
    }
}

void RealtimeChannel::submitLimited(std::function<void()> send)
{
    if (m_rateLimiter)
        m_rateLimiter->submit(this, std::move(send));
    else
        send();
}

bool RealtimeChannel::expectsReply(const Push *push) const
{
    // Without ack the server never answers a broadcast (§6.2).
    return push->eventName() != EventBroadcast || m_config.broadcastAck;
}

void RealtimeChannel::sendPushNow(Push *push)
{
    const QString ref = m_transport->makeRef();
    push->setRef(ref);
    const bool binary = push->binaryPayload().has_value();
    bool sent = false;
    if (push->eventName() == EventBroadcast && m_transport->serializerVersion() == SerializerVersion::V2) {
        // What realtime-js ≥ 2.91 sends: the binary kind-3 user broadcast (§2.3).
        const QString userEvent = push->payload().value(u"event"_s).toString();
        const QByteArray frame = binary
            ? PhoenixCodec::encodeUserBroadcastPushBytes(m_joinRef, ref, m_topic, userEvent, *push->binaryPayload())
            : PhoenixCodec::encodeUserBroadcastPush(m_joinRef, ref, m_topic, userEvent, push->payload().value(u"payload"_s));
        if (!frame.isEmpty()) {
            sent = m_transport->sendBinary(frame);
        } else if (binary) {
            push->resolve(Push::Status::Error, reasonObject(u"topic or event longer than 255 bytes"_s));
            return;
        } else {
            qCDebug(lcChannel, "%s: header too long for a binary frame, sending JSON", qPrintable(m_topic));
            sent = m_transport->sendMessage(PhoenixMessage{m_joinRef, ref, m_topic, push->eventName(), push->payload(), std::nullopt});
        }
    } else if (binary) {
        push->resolve(Push::Status::Error, reasonObject(u"binary payloads need vsn 2.0.0"_s));
        return;
    } else {
        sent = m_transport->sendMessage(PhoenixMessage{m_joinRef, ref, m_topic, push->eventName(), push->payload(), std::nullopt});
    }

    if (!sent) {
        if (push->eventName() == EventPresence) {
            // Presence is re-sent from the desired state after the rejoin; do not queue a copy.
            push->resolve(Push::Status::Error, reasonObject(u"connection not ready"_s));
            return;
        }
        qCDebug(lcChannel, "%s: connection not ready, %s waits", qPrintable(m_topic), qPrintable(push->eventName()));
        bufferPush(push, true);
        return;
    }
    if (expectsReply(push)) {
        m_sentPushes.insert(ref, push);
        // A push that times out never gets its reply: forget its ref then, not never.
        connect(push, &Push::finished, this, [this, push, ref] {
            const auto it = m_sentPushes.constFind(ref);
            if (it != m_sentPushes.cend() && it.value() == push)
                m_sentPushes.erase(it);
        });
    } else
        push->resolveLater(Push::Status::Ok, QJsonObject()); // the caller may not have connected yet
}

// --- presence --------------------------------------------------------------------------------

Push *RealtimeChannel::track(const QJsonObject &payload)
{
    return requestPresence(payload);
}

Push *RealtimeChannel::untrack()
{
    return requestPresence(std::nullopt);
}

Push *RealtimeChannel::requestPresence(std::optional<QJsonObject> payload)
{
    QJsonObject body{{u"type"_s, EventPresence}, {u"event"_s, payload ? u"track"_s : u"untrack"_s}};
    if (payload)
        body.insert(u"payload"_s, *payload);
    // A handle only: it resolves with the wire push that carries this (or a later) state.
    auto *handle = new Push(EventPresence, body, std::chrono::milliseconds(0), this);
    connect(handle, &Push::finished, handle, &QObject::deleteLater);
    if (m_state == State::Closed || m_state == State::Leaving) {
        handle->resolveLater(Push::Status::Error, reasonObject(u"channel is not subscribed"_s));
        return handle;
    }
    m_trackedPayload = payload;
    m_presenceWaiters.append(handle);
    m_presenceDirty = true;
    pumpPresence();
    return handle;
}

void RealtimeChannel::pumpPresence()
{
    if (m_state != State::Joined || !m_presenceDirty || m_presenceInFlight || m_presenceQueued)
        return;
    const auto now = Clock::now();
    const auto window = m_config.tuning.presenceWindow;
    while (!m_presenceSends.empty() && now - m_presenceSends.front() >= window)
        m_presenceSends.pop_front();
    if (int(m_presenceSends.size()) >= m_config.tuning.presenceMaxCalls) {
        if (!m_presenceTimer.isActive()) {
            const auto wait = ceilMs(m_presenceSends.front() + window - now);
            qCInfo(lcPresence, "%s: presence limit (%d per %lld ms) reached; coalescing, sending the latest state in %lld ms",
                   qPrintable(m_topic), m_config.tuning.presenceMaxCalls, qlonglong(window.count()),
                   qlonglong(wait.count()));
            m_presenceTimer.start(wait);
        }
        return;
    }
    m_presenceSends.push_back(now);
    m_presenceQueued = true;
    submitLimited([this] {
        m_presenceQueued = false;
        sendPresenceNow();
    });
}

void RealtimeChannel::sendPresenceNow()
{
    if (m_state != State::Joined || !m_presenceDirty)
        return;
    QJsonObject body{{u"type"_s, EventPresence}, {u"event"_s, m_trackedPayload ? u"track"_s : u"untrack"_s}};
    if (m_trackedPayload)
        body.insert(u"payload"_s, *m_trackedPayload);
    auto *push = new Push(EventPresence, body, m_config.tuning.pushTimeout, this);
    const QList<QPointer<Push>> waiters = std::exchange(m_presenceWaiters, {});
    m_presenceDirty = false;
    m_presenceInFlight = push;
    connect(push, &Push::finished, this, [this, push, waiters](Push::Status status, const QJsonValue &response) {
        push->deleteLater();
        if (m_presenceInFlight == push)
            m_presenceInFlight = nullptr;
        if (status != Push::Status::Ok) {
            qCWarning(lcPresence, "%s: presence %s failed: %s", qPrintable(m_topic),
                      qPrintable(push->payload().value(u"event"_s).toString()),
                      qPrintable(status == Push::Status::Timeout ? u"timeout"_s : push->errorReason()));
        }
        for (const QPointer<Push> &waiter : waiters) {
            if (waiter)
                waiter->resolve(status, response);
        }
        pumpPresence();
    });
    push->startTimeout();
    sendPushNow(push);
}

} // namespace tf
