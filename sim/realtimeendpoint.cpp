#include "realtimeendpoint.h"

#include "authstore.h"
#include "endpointconnection.h"
#include "faultinjector.h"
#include "phoenixcodec.h"
#include "postgresbinding.h"
#include "rowsecurity.h"
#include "rowstore.h"
#include "simlogging.h"
#include "timestamps.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

namespace tf::sim {

namespace {

const QString TopicPrefix = QStringLiteral("realtime:");
const QString PrivateUserPrefix = QStringLiteral("user:");
constexpr qint64 MaxTokenRecheckMs = 5 * 60 * 1000; // the server re-checks at least every 5 minutes

QString topicKeyOf(bool isPrivate, const QString &subTopic)
{
    return (isPrivate ? QStringLiteral("private:") : QStringLiteral("public:")) + subTopic;
}

// The server's FlexibleBoolean: true/false or their strings in any case.
bool flexibleBool(const QJsonValue &value, bool fallback)
{
    if (value.isBool())
        return value.toBool();
    if (value.isString()) {
        const QString text = value.toString().toLower();
        if (text == u"true")
            return true;
        if (text == u"false")
            return false;
    }
    return fallback;
}

qsizetype jsonSize(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).size() - 2;
}

QJsonObject primaryKeyOnly(const TableDef &table, const QJsonObject &row)
{
    QJsonObject key;
    for (const QString &column : table.primaryKey)
        key.insert(column, row.value(column));
    return key;
}

} // namespace

struct RealtimeEndpoint::Channel {
    quint64 id = 0;
    EndpointConnection *connection = nullptr;
    QString topic;    // realtime:<name>
    QString subTopic; // <name>
    QString joinRef;
    bool isPrivate = false;
    QString token;
    QJsonObject claims;
    AccessContext access;
    bool broadcastSelf = false;
    bool broadcastAck = false;
    bool presenceEnabled = false;
    QString presenceKey;
    QList<QJsonObject> bindingEntries;
    QList<PostgresBinding> bindings;
    bool postgresLive = false;
    QTimer expiryTimer;
    QTimer subscribeTimer;
    QList<qint64> presenceCalls; // elapsed ms of recent presence pushes
    QElapsedTimer clock;

    QString topicKey() const { return topicKeyOf(isPrivate, subTopic); }
    QString tracker() const { return QStringLiteral("channel:%1").arg(id); }
};

RealtimeEndpoint::RealtimeEndpoint(RealtimeSettings settings, AuthStore &auth, RowStore &store,
                                   FaultInjector &faults, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_auth(auth)
    , m_store(store)
    , m_faults(faults)
{
    connect(&m_store, &RowStore::rowChanged, this, &RealtimeEndpoint::onRowChange);
}

RealtimeEndpoint::~RealtimeEndpoint()
{
    m_channels.clear();
    for (auto &[id, connection] : m_connections) {
        connection->disconnect(this);
        delete connection;
    }
}

std::optional<ConnectRefusal> RealtimeEndpoint::checkConnect(const QUrl &url, const QByteArray &xApiKey) const
{
    if (url.path() != SocketPath)
        return ConnectRefusal{404, QStringLiteral("Not found")};
    const QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("vsn"))
        && !serializerFromVsn(query.queryItemValue(QStringLiteral("vsn")))) {
        return ConnectRefusal{403, QStringLiteral("The client's requested transport version \"%1\" does not match server's version requirements of \"~> 1.0.0 or ~> 2.0.0\"")
                                       .arg(query.queryItemValue(QStringLiteral("vsn")))};
    }
    const QString key = !xApiKey.isEmpty() ? QString::fromLatin1(xApiKey)
                                           : query.queryItemValue(QStringLiteral("apikey"), QUrl::FullyDecoded);
    if (key.isEmpty())
        return ConnectRefusal{401, QStringLiteral("API key is missing")};
    const JwtVerification verification = m_auth.verify(key);
    if (verification.error == JwtError::Expired)
        return ConnectRefusal{401, QStringLiteral("Token has expired")};
    if (!verification.ok())
        return ConnectRefusal{401, verification.message()};
    return std::nullopt;
}

void RealtimeEndpoint::acceptSocket(std::unique_ptr<QWebSocket> socket)
{
    const QUrl url = socket->requestUrl();
    const QByteArray xApiKey = socket->request().rawHeader("x-api-key");
    if (const auto refusal = checkConnect(url, xApiKey)) {
        qCInfo(lcSimRealtime) << "refusing socket:" << refusal->error;
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, refusal->error);
        QWebSocket *raw = socket.release();
        connect(raw, &QWebSocket::disconnected, raw, &QObject::deleteLater);
        QTimer::singleShot(1000, raw, [raw] { raw->abort(); });
        return;
    }
    const QUrlQuery query(url);
    const SerializerVersion version = query.hasQueryItem(QStringLiteral("vsn"))
        ? *serializerFromVsn(query.queryItemValue(QStringLiteral("vsn")))
        : SerializerVersion::V1; // the server default when vsn is absent (§1.2)
    const QString tenantToken = !xApiKey.isEmpty() ? QString::fromLatin1(xApiKey)
                                                   : query.queryItemValue(QStringLiteral("apikey"), QUrl::FullyDecoded);
    const quint64 id = m_nextConnectionId++;
    auto *connection = new EndpointConnection(std::move(socket), version, tenantToken, id, &m_faults,
                                              m_settings.socketIdleTimeout, this);
    m_connections.emplace(id, connection);
    connect(connection, &EndpointConnection::messageReceived, this,
            [this, connection](const PhoenixMessage &message, bool binary) { onMessage(connection, message, binary); });
    connect(connection, &EndpointConnection::closed, this, [this, connection] { onConnectionClosed(connection); });
    qCInfo(lcSimRealtime) << "socket" << id << "open, vsn" << vsnString(version);
    Q_EMIT connectionOpened(id);
}

void RealtimeEndpoint::onConnectionClosed(EndpointConnection *connection)
{
    const quint64 id = connection->id();
    QList<Channel *> gone;
    for (auto &[channelId, channel] : m_channels) {
        if (channel->connection == connection)
            gone.append(channel.get());
    }
    for (Channel *channel : gone)
        removeChannel(channel, false);
    m_connections.erase(id);
    connection->deleteLater();
    qCInfo(lcSimRealtime) << "socket" << id << "closed";
    Q_EMIT connectionClosed(id);
}

RealtimeEndpoint::Channel *RealtimeEndpoint::findChannel(const EndpointConnection *connection, const QString &topic) const
{
    for (const auto &[id, channel] : m_channels) {
        if (channel->connection == connection && channel->topic == topic)
            return channel.get();
    }
    return nullptr;
}

QList<RealtimeEndpoint::Channel *> RealtimeEndpoint::channelsOn(const QString &topicKey) const
{
    QList<Channel *> result;
    for (const auto &[id, channel] : m_channels) {
        if (channel->topicKey() == topicKey)
            result.append(channel.get());
    }
    return result;
}

void RealtimeEndpoint::reply(EndpointConnection *connection, const PhoenixMessage &to, const QString &joinRef,
                             const QString &status, const QJsonValue &response)
{
    connection->send(PhoenixMessage{joinRef, to.ref, to.topic, QStringLiteral("phx_reply"),
                                    QJsonObject{{QStringLiteral("status"), status}, {QStringLiteral("response"), response}},
                                    std::nullopt});
}

void RealtimeEndpoint::pushSystem(Channel *channel, const QString &extension, const QString &status,
                                  const QString &message)
{
    channel->connection->send(PhoenixMessage{channel->joinRef, QString(), channel->topic, QStringLiteral("system"),
                                             QJsonObject{{QStringLiteral("extension"), extension},
                                                         {QStringLiteral("status"), status},
                                                         {QStringLiteral("message"), message},
                                                         {QStringLiteral("channel"), channel->subTopic}},
                                             std::nullopt});
}

void RealtimeEndpoint::onMessage(EndpointConnection *connection, const PhoenixMessage &message, bool binaryFrame)
{
    if (message.topic == u"phoenix") {
        if (message.event == u"heartbeat" && !m_faults.heartbeatsSilenced())
            reply(connection, message, QString(), QStringLiteral("ok"), QJsonObject());
        return;
    }
    if (message.event == u"phx_join") {
        handleJoin(connection, message);
        return;
    }
    Channel *channel = findChannel(connection, message.topic);
    if (!channel) {
        // Phoenix answers a leave of an unknown channel with ok and anything else with an error.
        if (message.event == u"phx_leave")
            reply(connection, message, message.joinRef, QStringLiteral("ok"), QJsonObject());
        else
            reply(connection, message, message.joinRef, QStringLiteral("error"),
                  QJsonObject{{QStringLiteral("reason"), QStringLiteral("unmatched topic")}});
        return;
    }
    if (message.event == u"phx_leave") {
        reply(connection, message, channel->joinRef, QStringLiteral("ok"), QJsonObject());
        removeChannel(channel, true);
    } else if (message.event == u"access_token") {
        handleAccessToken(channel, message);
    } else if (message.event == u"broadcast") {
        handleBroadcast(channel, message, binaryFrame);
    } else if (message.event == u"presence") {
        handlePresence(channel, message);
    } else {
        qCDebug(lcSimRealtime) << "ignoring event" << message.event << "on" << message.topic;
    }
}

bool RealtimeEndpoint::mayRead(const QString &subTopic, bool isPrivate, const QJsonObject &claims) const
{
    if (!isPrivate)
        return true;
    // The project's only realtime.messages policy: a user reads and writes user:<own id>.
    const AccessContext access = AccessContext::fromClaims(claims);
    if (access.role == DbRole::ServiceRole)
        return true;
    return access.role == DbRole::Authenticated && subTopic == PrivateUserPrefix + access.userId;
}

QString RealtimeEndpoint::joinRefusal(EndpointConnection *connection, const QString &subTopic, bool isPrivate,
                                      const QString &token, bool *disconnect) const
{
    *disconnect = false;
    if (m_faults.rateLimited()) {
        *disconnect = true;
        return QStringLiteral("ClientJoinRateLimitReached: Too many joins per second");
    }
    if (!m_faults.joinError().isEmpty())
        return m_faults.joinError();
    if (subTopic.isEmpty())
        return QStringLiteral("TopicNameRequired: You must provide a topic name");
    const JwtVerification verification = m_auth.verify(token);
    if (!verification.ok())
        return verification.joinErrorReason();
    if (!mayRead(subTopic, isPrivate, verification.claims))
        return QStringLiteral("Unauthorized: You do not have permissions to read from this Channel topic: ") + subTopic;
    int channels = 0;
    for (const auto &[id, channel] : m_channels)
        channels += channel->connection == connection ? 1 : 0;
    if (channels >= m_settings.maxChannelsPerClient)
        return QStringLiteral("ChannelRateLimitReached: Too many channels");
    return {};
}

void RealtimeEndpoint::handleJoin(EndpointConnection *connection, const PhoenixMessage &message)
{
    const QString joinRef = message.joinRef.isNull() ? message.ref : message.joinRef;
    if (!message.topic.startsWith(TopicPrefix)) {
        reply(connection, message, joinRef, QStringLiteral("error"),
              QJsonObject{{QStringLiteral("reason"), QStringLiteral("unmatched topic")}});
        return;
    }
    // A second join of a topic replaces the first: the old channel is closed (§3.1).
    if (Channel *old = findChannel(connection, message.topic))
        removeChannel(old, true);

    const QJsonObject config = message.payload.value(QStringLiteral("config")).toObject();
    const QString subTopic = message.topic.mid(TopicPrefix.size());
    const bool isPrivate = flexibleBool(config.value(QStringLiteral("private")), false);
    QString token = connection->tenantToken();
    for (const auto field : {u"user_token", u"access_token"}) {
        const QJsonValue value = message.payload.value(QStringView(field));
        if (value.isString() && !value.toString().startsWith(u"sb_")) {
            token = value.toString();
            break;
        }
    }

    bool disconnect = false;
    const QString refusal = joinRefusal(connection, subTopic, isPrivate, token, &disconnect);
    if (!refusal.isEmpty()) {
        qCInfo(lcSimRealtime) << "join of" << message.topic << "refused:" << refusal;
        // Join errors are answered late on purpose, like the server's CHANNEL_ERROR_BACKOFF_MS.
        QTimer::singleShot(m_settings.joinErrorDelay, connection, [this, connection, message, joinRef, refusal, disconnect] {
            reply(connection, message, joinRef, QStringLiteral("error"), QJsonObject{{QStringLiteral("reason"), refusal}});
            if (disconnect)
                connection->close(QWebSocketProtocol::CloseCodeGoingAway);
        });
        return;
    }

    auto channel = std::make_unique<Channel>();
    Channel *ch = channel.get();
    ch->id = m_nextChannelId++;
    ch->connection = connection;
    ch->topic = message.topic;
    ch->subTopic = subTopic;
    ch->joinRef = joinRef;
    ch->isPrivate = isPrivate;
    ch->token = token;
    ch->claims = m_auth.verify(token).claims;
    ch->access = AccessContext::fromClaims(ch->claims);
    ch->clock.start();
    const QJsonObject broadcast = config.value(QStringLiteral("broadcast")).toObject();
    ch->broadcastSelf = flexibleBool(broadcast.value(QStringLiteral("self")), false);
    ch->broadcastAck = flexibleBool(broadcast.value(QStringLiteral("ack")), false);
    const QJsonObject presence = config.value(QStringLiteral("presence")).toObject();
    ch->presenceEnabled = flexibleBool(presence.value(QStringLiteral("enabled")), false);
    const QJsonValue key = presence.value(QStringLiteral("key"));
    ch->presenceKey = key.isString() ? key.toString()
                    : key.isDouble() ? QString::number(key.toDouble(), 'g', 17)
                                     : QString();
    if (ch->presenceKey.isEmpty())
        ch->presenceKey = QUuid::createUuid().toString(QUuid::WithoutBraces);

    QJsonArray replyBindings;
    for (const QJsonValue &entry : config.value(QStringLiteral("postgres_changes")).toArray()) {
        if (!entry.isObject())
            continue; // null entries are dropped (§3.2)
        QJsonObject echoed = entry.toObject();
        ch->bindingEntries.append(echoed);
        echoed.insert(QStringLiteral("id"), PostgresBinding::bindingId(entry.toObject()));
        replyBindings.append(echoed);
    }

    ch->subscribeTimer.setSingleShot(true);
    connect(&ch->subscribeTimer, &QTimer::timeout, this, [this, id = ch->id] { subscribePostgres(id); });
    ch->expiryTimer.setSingleShot(true);
    connect(&ch->expiryTimer, &QTimer::timeout, this, [this, id = ch->id] { checkExpiry(id); });
    m_channels.emplace(ch->id, std::move(channel));

    reply(connection, message, joinRef, QStringLiteral("ok"),
          QJsonObject{{QStringLiteral("postgres_changes"), replyBindings}});
    if (ch->presenceEnabled) {
        connection->send(PhoenixMessage{joinRef, QString(), ch->topic, QStringLiteral("presence_state"),
                                        m_presence.state(ch->topicKey()), std::nullopt});
    }
    if (!ch->bindingEntries.isEmpty())
        ch->subscribeTimer.start(m_settings.postgresSubscribeDelay);
    armExpiry(ch);
    qCInfo(lcSimRealtime) << "socket" << connection->id() << "joined" << ch->topic << (isPrivate ? "(private)" : "");
    Q_EMIT channelJoined(ch->topic);
}

void RealtimeEndpoint::subscribePostgres(quint64 channelId)
{
    const auto it = m_channels.find(channelId);
    if (it == m_channels.end())
        return;
    Channel *ch = it->second.get();
    QList<PostgresBinding> bindings;
    for (const QJsonObject &entry : std::as_const(ch->bindingEntries)) {
        QString error;
        const auto binding = PostgresBinding::create(entry, m_store, &error);
        if (!binding) {
            qCInfo(lcSimRealtime) << "postgres_changes subscription of" << ch->topic << "failed:" << error;
            pushSystem(ch, QStringLiteral("postgres_changes"), QStringLiteral("error"), error);
            return;
        }
        bindings.append(*binding);
    }
    ch->bindings = bindings;
    ch->postgresLive = true;
    pushSystem(ch, QStringLiteral("postgres_changes"), QStringLiteral("ok"), QStringLiteral("Subscribed to PostgreSQL"));
}

void RealtimeEndpoint::armExpiry(Channel *channel)
{
    const qint64 expiresMs = m_auth.effectiveExpiry(channel->token) * 1000;
    const qint64 wait = std::clamp<qint64>(expiresMs - QDateTime::currentMSecsSinceEpoch(), 0, MaxTokenRecheckMs);
    channel->expiryTimer.start(std::chrono::milliseconds(wait));
}

void RealtimeEndpoint::checkExpiry(quint64 channelId)
{
    const auto it = m_channels.find(channelId);
    if (it == m_channels.end())
        return;
    Channel *ch = it->second.get();
    const JwtVerification verification = m_auth.verify(ch->token);
    if (!verification.ok()) {
        qCInfo(lcSimRealtime) << "token of" << ch->topic << "no longer valid:" << verification.message();
        shutdown(ch, verification.message());
        return;
    }
    armExpiry(ch);
}

void RealtimeEndpoint::recheckTokens()
{
    QList<quint64> ids;
    for (const auto &[id, channel] : m_channels)
        ids.append(id);
    for (quint64 id : ids)
        checkExpiry(id);
}

void RealtimeEndpoint::handleAccessToken(Channel *ch, const PhoenixMessage &message)
{
    // Never answered (§1.6). null, sb_ keys and the current token are ignored.
    const QJsonValue value = message.payload.value(QStringLiteral("access_token"));
    if (!value.isString())
        return;
    const QString token = value.toString();
    if (token.startsWith(u"sb_") || token == ch->token)
        return;
    const JwtVerification verification = m_auth.verify(token);
    if (!verification.ok()) {
        shutdown(ch, verification.message());
        return;
    }
    if (!mayRead(ch->subTopic, ch->isPrivate, verification.claims)) {
        shutdown(ch, QStringLiteral("You no longer have permission to read from this Channel topic: ") + ch->subTopic);
        return;
    }
    ch->token = token;
    ch->claims = verification.claims;
    ch->access = AccessContext::fromClaims(verification.claims);
    armExpiry(ch);
    if (!ch->bindingEntries.isEmpty()) {
        // The subscriptions are re-created with the new claims; nothing flows until they exist.
        ch->postgresLive = false;
        ch->subscribeTimer.start(m_settings.postgresSubscribeDelay);
    }
    qCDebug(lcSimRealtime) << "token of" << ch->topic << "refreshed";
}

void RealtimeEndpoint::handleBroadcast(Channel *ch, const PhoenixMessage &message, bool binaryFrame)
{
    const QString event = message.payload.value(QStringLiteral("event")).toString();
    const QJsonValue payload = message.payload.value(QStringLiteral("payload"));
    const qsizetype size = message.binaryPayload ? message.binaryPayload->size() : jsonSize(payload);
    if (size > m_settings.maxPayloadBytes) {
        qCInfo(lcSimRealtime) << "broadcast on" << ch->topic << "dropped:" << size << "bytes";
        if (ch->broadcastAck)
            reply(ch->connection, message, ch->joinRef, QStringLiteral("error"), QStringLiteral("payload_size_exceeded"));
        return;
    }
    fanOutBroadcast(ch->topicKey(), ch->topic, event, payload, message.binaryPayload, binaryFrame, ch);
    if (ch->broadcastAck)
        reply(ch->connection, message, ch->joinRef, QStringLiteral("ok"), QJsonObject());
}

void RealtimeEndpoint::fanOutBroadcast(const QString &topicKey, const QString &topic, const QString &event,
                                       const QJsonValue &payload, const std::optional<QByteArray> &rawPayload,
                                       bool binaryOrigin, const Channel *sender)
{
    QByteArray binary;
    if (binaryOrigin) {
        binary = rawPayload ? PhoenixCodec::encodeUserBroadcastBytes(topic, event, QByteArray(), *rawPayload)
                            : PhoenixCodec::encodeUserBroadcast(topic, event, QByteArray(), payload);
    }
    const PhoenixMessage text{QString(), QString(), topic, QStringLiteral("broadcast"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("broadcast")},
                                          {QStringLiteral("event"), event},
                                          {QStringLiteral("payload"), payload}},
                              std::nullopt};
    for (Channel *receiver : channelsOn(topicKey)) {
        if (receiver == sender && !sender->broadcastSelf)
            continue;
        EndpointConnection *connection = receiver->connection;
        if (connection->version() == SerializerVersion::V2 && binaryOrigin && !binary.isEmpty())
            connection->sendBinary(binary);
        else if (!rawPayload)
            connection->send(text); // V1 cannot carry binary payloads: those are not delivered (§2.1)
    }
}

void RealtimeEndpoint::handlePresence(Channel *ch, const PhoenixMessage &message)
{
    const qint64 now = ch->clock.elapsed();
    const qint64 windowStart = now - m_settings.presenceWindow.count();
    ch->presenceCalls.removeIf([windowStart](qint64 at) { return at <= windowStart; });
    if (ch->presenceCalls.size() >= m_settings.presenceMaxCalls) {
        shutdown(ch, QStringLiteral("Client presence rate limit exceeded"));
        return;
    }
    ch->presenceCalls.append(now);

    const QString event = message.payload.value(QStringLiteral("event")).toString().toLower();
    PresenceDiff diff;
    if (event == u"track") {
        const QJsonValue payload = message.payload.value(QStringLiteral("payload"));
        if (!payload.isObject()) {
            reply(ch->connection, message, ch->joinRef, QStringLiteral("error"),
                  QJsonObject{{QStringLiteral("reason"), QStringLiteral("Presence track payload must be a map")}});
            return;
        }
        if (jsonSize(payload) > m_settings.maxPayloadBytes) {
            shutdown(ch, QStringLiteral("Track message size exceeded"));
            return;
        }
        ch->presenceEnabled = true; // tracking enables presence for the channel (§7.1)
        diff = m_presence.track(ch->topicKey(), ch->tracker(), ch->presenceKey, payload.toObject());
    } else if (event == u"untrack") {
        diff = m_presence.untrack(ch->topicKey(), ch->tracker());
    } else {
        reply(ch->connection, message, ch->joinRef, QStringLiteral("error"),
              QJsonObject{{QStringLiteral("reason"), QStringLiteral("Unknown presence event")}});
        return;
    }
    reply(ch->connection, message, ch->joinRef, QStringLiteral("ok"), QJsonObject());
    fanOutPresence(ch->topicKey(), diff);
}

void RealtimeEndpoint::fanOutPresence(const QString &topicKey, const PresenceDiff &diff)
{
    if (diff.isEmpty())
        return;
    const QJsonObject payload = diff.toJson();
    for (Channel *receiver : channelsOn(topicKey)) {
        receiver->connection->send(PhoenixMessage{QString(), QString(), receiver->topic,
                                                  QStringLiteral("presence_diff"), payload, std::nullopt});
    }
}

void RealtimeEndpoint::shutdown(Channel *ch, const QString &message)
{
    pushSystem(ch, QStringLiteral("system"), QStringLiteral("error"), message);
    removeChannel(ch, true);
}

void RealtimeEndpoint::removeChannel(Channel *ch, bool sendClose)
{
    const QString topic = ch->topic;
    const QString topicKey = ch->topicKey();
    const QString tracker = ch->tracker();
    if (sendClose) {
        ch->connection->send(PhoenixMessage{ch->joinRef, ch->joinRef, ch->topic, QStringLiteral("phx_close"),
                                            QJsonObject(), std::nullopt});
    }
    const quint64 id = ch->id;
    m_channels.erase(id); // ch is gone from here on
    fanOutPresence(topicKey, m_presence.untrack(topicKey, tracker));
    qCInfo(lcSimRealtime) << "channel" << topic << "closed";
    Q_EMIT channelClosed(topic);
}

void RealtimeEndpoint::onRowChange(const RowChange &change)
{
    const TableDef *table = m_store.table(change.table);
    if (!table)
        return;
    const bool fullIdentity = m_settings.replicaIdentityFull.contains(change.table);
    const QJsonObject oldKey = primaryKeyOnly(*table, change.oldRecord);
    const QJsonObject filterImage = change.type == ChangeType::Delete ? (fullIdentity ? change.oldRecord : oldKey)
                                                                      : change.record;
    QJsonObject data{{QStringLiteral("schema"), change.schema},
                     {QStringLiteral("table"), change.table},
                     {QStringLiteral("commit_timestamp"), Timestamps::formatCommitTimestamp(change.commitMicros)},
                     {QStringLiteral("type"), changeTypeName(change.type)},
                     {QStringLiteral("errors"), QJsonValue(QJsonValue::Null)}};
    QJsonArray columns;
    for (const ColumnDef &column : table->columns)
        columns.append(QJsonObject{{QStringLiteral("name"), column.name}, {QStringLiteral("type"), column.pgTypeName()}});
    data.insert(QStringLiteral("columns"), columns);
    if (change.type != ChangeType::Delete)
        data.insert(QStringLiteral("record"), change.record);
    if (change.type == ChangeType::Update)
        data.insert(QStringLiteral("old_record"), fullIdentity ? change.oldRecord : oldKey);
    if (change.type == ChangeType::Delete)
        data.insert(QStringLiteral("old_record"), oldKey); // RLS tables: PK only even when FULL (§5.3)

    for (const auto &[id, channel] : m_channels) {
        if (!channel->postgresLive)
            continue;
        QJsonArray ids;
        for (const PostgresBinding &binding : std::as_const(channel->bindings)) {
            if (binding.matches(change, filterImage) && !ids.contains(binding.id()))
                ids.append(binding.id());
        }
        if (ids.isEmpty())
            continue;
        // DELETE is not RLS-checked (§5.3); INSERT/UPDATE reach only who may select the row.
        if (change.type != ChangeType::Delete && !RowSecurity::canRead(*table, channel->access, change.record))
            continue;
        channel->connection->send(PhoenixMessage{QString(), QString(), channel->topic, QStringLiteral("postgres_changes"),
                                                 QJsonObject{{QStringLiteral("ids"), ids}, {QStringLiteral("data"), data}},
                                                 std::nullopt});
    }

    // Broadcast from the database (§6.5): a trigger publishes every change of a user's row on
    // the private channel user:<owner>.
    if (!table->ownerColumn.isEmpty()) {
        const QJsonObject &ownerRow = change.type == ChangeType::Delete ? change.oldRecord : change.record;
        const QString owner = ownerRow.value(table->ownerColumn).toString();
        if (!owner.isEmpty()) {
            const QJsonObject payload{
                {QStringLiteral("schema"), change.schema},
                {QStringLiteral("table"), change.table},
                {QStringLiteral("operation"), changeTypeName(change.type)},
                {QStringLiteral("record"), change.type == ChangeType::Delete ? QJsonValue(QJsonValue::Null) : QJsonValue(change.record)},
                {QStringLiteral("old_record"), change.type == ChangeType::Insert ? QJsonValue(QJsonValue::Null) : QJsonValue(change.oldRecord)},
            };
            const QString subTopic = PrivateUserPrefix + owner;
            fanOutBroadcast(topicKeyOf(true, subTopic), TopicPrefix + subTopic, changeTypeName(change.type), payload,
                            std::nullopt, false, nullptr);
        }
    }
}

void RealtimeEndpoint::broadcast(const QString &subTopic, const QString &event, const QJsonValue &payload,
                                 bool privateChannel)
{
    fanOutBroadcast(topicKeyOf(privateChannel, subTopic), TopicPrefix + subTopic, event, payload, std::nullopt, true,
                    nullptr);
}

void RealtimeEndpoint::trackServerPresence(const QString &subTopic, const QString &key, const QJsonObject &payload)
{
    const QString topicKey = topicKeyOf(false, subTopic);
    fanOutPresence(topicKey, m_presence.track(topicKey, QStringLiteral("server:") + key, key, payload));
}

void RealtimeEndpoint::untrackServerPresence(const QString &subTopic, const QString &key)
{
    const QString topicKey = topicKeyOf(false, subTopic);
    fanOutPresence(topicKey, m_presence.untrack(topicKey, QStringLiteral("server:") + key));
}

void RealtimeEndpoint::dropAllConnections()
{
    qCInfo(lcSimRealtime) << "aborting" << m_connections.size() << "socket(s)";
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections)
        connection->abort();
}

void RealtimeEndpoint::shutdownAllChannels(const QString &message)
{
    QList<quint64> ids;
    for (const auto &[id, channel] : m_channels)
        ids.append(id);
    for (quint64 id : ids) {
        const auto it = m_channels.find(id);
        if (it != m_channels.end())
            shutdown(it->second.get(), message);
    }
}

void RealtimeEndpoint::reset()
{
    m_channels.clear();
    for (auto &[id, connection] : m_connections) {
        connection->disconnect(this);
        connection->abort();
        connection->deleteLater();
        Q_EMIT connectionClosed(id);
    }
    m_connections.clear();
    m_presence.clear();
}

int RealtimeEndpoint::connectionCount() const
{
    return int(m_connections.size());
}

int RealtimeEndpoint::channelCount() const
{
    return int(m_channels.size());
}

QStringList RealtimeEndpoint::joinedTopics() const
{
    QStringList topics;
    for (const auto &[id, channel] : m_channels)
        topics.append(channel->topic);
    topics.sort();
    return topics;
}

} // namespace tf::sim
