#include "fakerealtimeserver.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstring>

namespace tf::test {

namespace {

QString str(const char *text)
{
    return QString::fromLatin1(text);
}

bool flag(const QJsonValue &value)
{
    // The server's FlexibleBoolean: true or "true" (any case).
    return value.toBool() || value.toString().compare(str("true"), Qt::CaseInsensitive) == 0;
}

QJsonObject metasEntry(const QJsonArray &metas)
{
    return QJsonObject{{str("metas"), metas}};
}

} // namespace

FakeRealtimeServer::FakeRealtimeServer(QObject *parent)
    : QObject(parent)
{
}

FakeRealtimeServer::~FakeRealtimeServer()
{
    for (Connection *connection : std::as_const(m_connections)) {
        if (connection->socket) {
            disconnect(connection->socket, nullptr, this, nullptr);
            connection->socket->abort();
        }
        delete connection;
    }
}

void FakeRealtimeServer::setSslConfiguration(const QSslConfiguration &configuration)
{
    m_ssl = configuration;
}

bool FakeRealtimeServer::listen(quint16 port)
{
    if (!m_server) {
        m_server = new QWebSocketServer(str("fake-realtime"),
                                        m_ssl ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this);
        if (m_ssl)
            m_server->setSslConfiguration(*m_ssl);
        connect(m_server, &QWebSocketServer::newConnection, this, &FakeRealtimeServer::handleNewConnection);
    }
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server->serverPort();
    return true;
}

void FakeRealtimeServer::stopListening()
{
    if (m_server)
        m_server->close();
}

bool FakeRealtimeServer::restart()
{
    closeAllConnections(QWebSocketProtocol::CloseCodeGoingAway, str("restarting"));
    stopListening();
    return listen(m_port);
}

bool FakeRealtimeServer::isListening() const
{
    return m_server && m_server->isListening();
}

QUrl FakeRealtimeServer::httpUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(m_ssl ? str("https") : str("http")).arg(m_port));
}

void FakeRealtimeServer::closeAllConnections(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    for (Connection *connection : std::as_const(m_connections)) {
        if (connection->socket)
            connection->socket->close(code, reason);
    }
}

void FakeRealtimeServer::abortAllConnections()
{
    for (Connection *connection : std::as_const(m_connections)) {
        if (connection->socket)
            connection->socket->abort();
    }
}

int FakeRealtimeServer::openConnectionCount() const
{
    int count = 0;
    for (const Connection *connection : m_connections)
        count += connection->socket && connection->socket->state() == QAbstractSocket::ConnectedState;
    return count;
}

int FakeRealtimeServer::latestConnection() const
{
    for (auto it = m_connections.crbegin(); it != m_connections.crend(); ++it) {
        if ((*it)->socket && (*it)->socket->state() == QAbstractSocket::ConnectedState)
            return (*it)->id;
    }
    return -1;
}

void FakeRealtimeServer::setJoinError(const QString &topic, const QString &reason)
{
    if (reason.isEmpty())
        m_joinErrors.remove(topic);
    else
        m_joinErrors.insert(topic, reason);
}

void FakeRealtimeServer::setBindingMismatch(const QString &topic, bool on)
{
    if (on)
        m_mismatchTopics.insert(topic);
    else
        m_mismatchTopics.remove(topic);
}

qint64 FakeRealtimeServer::bindingId(const QJsonObject &binding)
{
    return qint64(qHash(QJsonDocument(binding).toJson(QJsonDocument::Compact), 0) & 0x7fffffff);
}

QString FakeRealtimeServer::makeJwt(qint64 exp, const QString &subject)
{
    const auto encode = [](const QByteArray &bytes) {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QJsonObject claims{{str("sub"), subject}, {str("role"), str("authenticated")}, {str("exp"), exp}};
    return QString::fromLatin1(encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + '.'
                               + encode(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' + encode("sig"));
}

QList<PhoenixMessage> FakeRealtimeServer::messages(const QString &event, const QString &topic) const
{
    QList<PhoenixMessage> result;
    for (const ReceivedFrame &frame : m_frames) {
        if (!frame.message)
            continue;
        if (!event.isEmpty() && frame.message->event != event)
            continue;
        if (!topic.isEmpty() && frame.message->topic != topic)
            continue;
        result.append(*frame.message);
    }
    return result;
}

QStringList FakeRealtimeServer::joinedTopics() const
{
    QStringList topics;
    for (const Connection *connection : m_connections) {
        if (!connection->socket)
            continue;
        for (auto it = connection->members.cbegin(); it != connection->members.cend(); ++it)
            topics.append(it.key());
    }
    topics.sort();
    return topics;
}

// --- sending -------------------------------------------------------------------------------------

QList<FakeRealtimeServer::Connection *> FakeRealtimeServer::targets(int connection) const
{
    QList<Connection *> result;
    for (Connection *candidate : m_connections) {
        if (candidate->socket && (connection < 0 || candidate->id == connection))
            result.append(candidate);
    }
    return result;
}

FakeRealtimeServer::Connection *FakeRealtimeServer::connectionById(int id) const
{
    for (Connection *connection : m_connections) {
        if (connection->id == id)
            return connection;
    }
    return nullptr;
}

void FakeRealtimeServer::sendText(const QByteArray &frame, int connection)
{
    for (Connection *target : targets(connection))
        target->socket->sendTextMessage(QString::fromUtf8(frame));
}

void FakeRealtimeServer::sendBinary(const QByteArray &frame, int connection)
{
    for (Connection *target : targets(connection))
        target->socket->sendBinaryMessage(frame);
}

void FakeRealtimeServer::sendMessage(const PhoenixMessage &message, int connection)
{
    for (Connection *target : targets(connection))
        send(target, message);
}

void FakeRealtimeServer::send(Connection *connection, const PhoenixMessage &message)
{
    if (!connection->socket)
        return;
    PhoenixMessage copy = message;
    // V1 server frames never carry join_ref (§2.1).
    if (connection->codec.version() == SerializerVersion::V1)
        copy.joinRef = QString();
    connection->socket->sendTextMessage(QString::fromUtf8(connection->codec.encodeText(copy)));
}

void FakeRealtimeServer::pushToTopic(const QString &topic, const QString &event, const QJsonObject &payload)
{
    for (Connection *connection : targets(-1)) {
        const auto member = connection->members.constFind(topic);
        if (member != connection->members.cend())
            send(connection, PhoenixMessage{member->joinRef, QString(), topic, event, payload, std::nullopt});
    }
}

void FakeRealtimeServer::fanOut(const QString &topic, const QString &event, const QJsonObject &payload)
{
    for (Connection *connection : targets(-1)) {
        if (connection->members.contains(topic))
            send(connection, PhoenixMessage{QString(), QString(), topic, event, payload, std::nullopt});
    }
}

void FakeRealtimeServer::sendPostgresChange(const QString &topic, const QJsonObject &data)
{
    const QString type = data.value(str("type")).toString();
    for (Connection *connection : targets(-1)) {
        const auto member = connection->members.constFind(topic);
        if (member == connection->members.cend())
            continue;
        QJsonArray ids;
        const QJsonArray bindings = member->config.value(str("postgres_changes")).toArray();
        for (const QJsonValue &value : bindings) {
            const QJsonObject binding = value.toObject();
            const QString event = binding.value(str("event")).toString();
            const QString schema = binding.value(str("schema")).toString();
            const QString table = binding.value(str("table")).toString();
            const bool eventMatches = event == u"*" || event.compare(type, Qt::CaseInsensitive) == 0;
            const bool schemaMatches = schema == u"*" || schema == data.value(str("schema")).toString();
            const bool tableMatches = table == u"*" || table == data.value(str("table")).toString();
            if (eventMatches && schemaMatches && tableMatches)
                ids.append(bindingId(binding));
        }
        if (!ids.isEmpty()) {
            send(connection, PhoenixMessage{QString(), QString(), topic, str("postgres_changes"),
                                            QJsonObject{{str("ids"), ids}, {str("data"), data}}, std::nullopt});
        }
    }
}

void FakeRealtimeServer::sendUserBroadcast(const QString &topic, const QString &event, const QJsonValue &payload)
{
    for (Connection *connection : targets(-1)) {
        if (!connection->members.contains(topic))
            continue;
        if (connection->codec.version() == SerializerVersion::V2) {
            connection->socket->sendBinaryMessage(PhoenixCodec::encodeUserBroadcast(topic, event, QByteArray(), payload));
        } else {
            send(connection, PhoenixMessage{QString(), QString(), topic, str("broadcast"),
                                            QJsonObject{{str("type"), str("broadcast")},
                                                        {str("event"), event},
                                                        {str("payload"), payload}},
                                            std::nullopt});
        }
    }
}

void FakeRealtimeServer::sendSystem(const QString &topic, const QString &extension, const QString &status,
                                    const QString &message)
{
    pushToTopic(topic, str("system"),
                QJsonObject{{str("extension"), extension},
                            {str("status"), status},
                            {str("message"), message},
                            {str("channel"), topic.mid(qsizetype(strlen("realtime:")))}});
}

void FakeRealtimeServer::sendPhxClose(const QString &topic)
{
    for (Connection *connection : targets(-1)) {
        const auto member = connection->members.constFind(topic);
        if (member == connection->members.cend())
            continue;
        const QString joinRef = member->joinRef;
        presenceLeave(connection, topic);
        connection->members.remove(topic);
        send(connection, PhoenixMessage{joinRef, joinRef, topic, str("phx_close"), QJsonObject(), std::nullopt});
    }
}

void FakeRealtimeServer::expireToken(const QString &topic, const QString &message)
{
    sendSystem(topic, str("system"), str("error"), message);
    sendPhxClose(topic);
}

// --- receiving -----------------------------------------------------------------------------------

void FakeRealtimeServer::handleNewConnection()
{
    while (m_server->hasPendingConnections()) {
        QWebSocket *socket = m_server->nextPendingConnection();
        socket->setParent(this);
        auto *connection = new Connection;
        connection->id = m_nextConnectionId++;
        connection->socket = socket;
        const QUrl url = socket->requestUrl();
        m_requestUrls.append(url);
        // The server's default without vsn is 1.0.0 (§1.2).
        const QString vsn = QUrlQuery(url).queryItemValue(str("vsn"));
        connection->codec = PhoenixCodec(serializerFromVsn(vsn).value_or(SerializerVersion::V1));
        m_connections.append(connection);

        const int id = connection->id;
        connect(socket, &QWebSocket::textMessageReceived, this, [this, id](const QString &text) {
            if (Connection *c = connectionById(id))
                handleFrame(c, text.toUtf8(), false);
        });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, id](const QByteArray &frame) {
            if (Connection *c = connectionById(id))
                handleFrame(c, frame, true);
        });
        connect(socket, &QWebSocket::disconnected, this, [this, id] { handleDisconnected(id); });
        Q_EMIT clientConnected(id);
    }
}

void FakeRealtimeServer::handleDisconnected(int id)
{
    Connection *connection = connectionById(id);
    if (!connection)
        return;
    const QStringList topics = connection->members.keys();
    for (const QString &topic : topics)
        presenceLeave(connection, topic);
    connection->members.clear();
    if (connection->socket) {
        m_closes.insert(id, {int(connection->socket->closeCode()), connection->socket->closeReason()});
        connection->socket->deleteLater();
    }
    connection->socket = nullptr;
    Q_EMIT clientDisconnected(id);
}

void FakeRealtimeServer::handleFrame(Connection *connection, const QByteArray &raw, bool binary)
{
    const DecodeResult decoded = binary ? connection->codec.decodeBinary(raw) : connection->codec.decodeText(raw);
    m_frames.append(ReceivedFrame{connection->id, binary, raw, decoded.message});
    if (!decoded.ok())
        return; // the real server logs and drops it too; the connection stays open
    if (binary)
        Q_EMIT binaryReceived(raw);
    Q_EMIT messageReceived(*decoded.message);
    handleMessage(connection, *decoded.message, binary, raw);
}

void FakeRealtimeServer::handleMessage(Connection *connection, const PhoenixMessage &message, bool binary,
                                       const QByteArray &raw)
{
    if (message.topic == u"phoenix") {
        if (message.event == u"heartbeat" && m_heartbeatReplies)
            reply(connection, message, str("ok"), QJsonObject());
        return;
    }
    if (message.event == u"phx_join") {
        handleJoin(connection, message);
        return;
    }
    if (!connection->members.contains(message.topic)) {
        reply(connection, message, str("error"), QJsonObject{{str("reason"), str("unmatched topic")}});
        return;
    }
    if (message.event == u"phx_leave")
        handleLeave(connection, message);
    else if (message.event == u"broadcast")
        handleBroadcast(connection, message, binary, raw);
    else if (message.event == u"presence")
        handlePresence(connection, message);
    // access_token and anything else: recorded, never answered (§1.6).
}

void FakeRealtimeServer::reply(Connection *connection, const PhoenixMessage &request, const QString &status,
                               const QJsonValue &response)
{
    send(connection, PhoenixMessage{request.topic == u"phoenix" ? QString() : request.joinRef, request.ref,
                                    request.topic, str("phx_reply"),
                                    QJsonObject{{str("status"), status}, {str("response"), response}}, std::nullopt});
}

void FakeRealtimeServer::handleJoin(Connection *connection, const PhoenixMessage &message)
{
    if (!m_autoJoin)
        return;
    const QString &topic = message.topic;
    QString reason = m_joinErrors.value(topic, m_joinErrors.value(QString()));
    if (!topic.startsWith(u"realtime:"))
        reason = str("unmatched topic");
    if (!reason.isEmpty()) {
        reply(connection, message, str("error"), QJsonObject{{str("reason"), reason}});
        if (m_closeAfterJoinError && connection->socket)
            connection->socket->close(QWebSocketProtocol::CloseCode(m_closeAfterJoinError), reason.left(100));
        return;
    }
    // Joining a topic twice: the server closes the old channel first (§3.1).
    if (connection->members.contains(topic)) {
        const QString oldRef = connection->members.value(topic).joinRef;
        presenceLeave(connection, topic);
        connection->members.remove(topic);
        send(connection, PhoenixMessage{oldRef, oldRef, topic, str("phx_close"), QJsonObject(), std::nullopt});
    }

    const QJsonObject config = message.payload.value(str("config")).toObject();
    QJsonArray echoed;
    const QJsonArray bindings = config.value(str("postgres_changes")).toArray();
    for (const QJsonValue &value : bindings) {
        if (!value.isObject())
            continue;
        QJsonObject entry = value.toObject();
        entry.insert(str("id"), bindingId(value.toObject()));
        if (m_mismatchTopics.contains(topic) && echoed.isEmpty())
            entry.insert(str("table"), QString(entry.value(str("table")).toString() + str("_other")));
        echoed.append(entry);
    }

    Member member;
    member.joinRef = message.joinRef.isNull() ? message.ref : message.joinRef;
    member.config = config;
    member.presenceKey = config.value(str("presence")).toObject().value(str("key")).toString();
    if (member.presenceKey.isEmpty())
        member.presenceKey = QStringLiteral("key-%1-%2").arg(connection->id).arg(++m_nextPhxRef);
    connection->members.insert(topic, member);

    reply(connection, message, str("ok"), QJsonObject{{str("postgres_changes"), echoed}});
    if (flag(config.value(str("presence")).toObject().value(str("enabled")))) {
        send(connection, PhoenixMessage{member.joinRef, QString(), topic, str("presence_state"), presenceState(topic),
                                        std::nullopt});
    }
    if (!echoed.isEmpty() && m_subscribedMessages) {
        send(connection, PhoenixMessage{member.joinRef, QString(), topic, str("system"),
                                        QJsonObject{{str("extension"), str("postgres_changes")},
                                                    {str("status"), str("ok")},
                                                    {str("message"), str("Subscribed to PostgreSQL")},
                                                    {str("channel"), topic.mid(qsizetype(strlen("realtime:")))}},
                                        std::nullopt});
    }
}

void FakeRealtimeServer::handleLeave(Connection *connection, const PhoenixMessage &message)
{
    const QString joinRef = connection->members.value(message.topic).joinRef;
    reply(connection, message, str("ok"), QJsonObject());
    presenceLeave(connection, message.topic);
    connection->members.remove(message.topic);
    send(connection, PhoenixMessage{joinRef, joinRef, message.topic, str("phx_close"), QJsonObject(), std::nullopt});
}

void FakeRealtimeServer::handleBroadcast(Connection *connection, const PhoenixMessage &message, bool binary,
                                         const QByteArray &raw)
{
    Q_UNUSED(raw)
    const Member sender = connection->members.value(message.topic);
    const QJsonObject broadcastConfig = sender.config.value(str("broadcast")).toObject();
    if (flag(broadcastConfig.value(str("ack")))) {
        if (m_broadcastAckError.isUndefined() || m_broadcastAckError.isNull())
            reply(connection, message, str("ok"), QJsonObject());
        else
            reply(connection, message, str("error"), m_broadcastAckError);
        if (!m_broadcastAckError.isUndefined() && !m_broadcastAckError.isNull())
            return; // refused: not delivered
    }
    const bool self = flag(broadcastConfig.value(str("self")));
    const QString userEvent = message.payload.value(str("event")).toString();
    const QJsonValue userPayload = message.payload.value(str("payload"));
    for (Connection *target : targets(-1)) {
        if (!target->members.contains(message.topic) || (target == connection && !self))
            continue;
        if (binary && target->codec.version() == SerializerVersion::V2) {
            target->socket->sendBinaryMessage(
                PhoenixCodec::encodeUserBroadcast(message.topic, userEvent, QByteArray(), userPayload));
        } else {
            send(target, PhoenixMessage{QString(), QString(), message.topic, str("broadcast"),
                                        QJsonObject{{str("type"), str("broadcast")},
                                                    {str("event"), userEvent},
                                                    {str("payload"), userPayload}},
                                        std::nullopt});
        }
    }
}

void FakeRealtimeServer::handlePresence(Connection *connection, const PhoenixMessage &message)
{
    const QString event = message.payload.value(str("event")).toString().toLower();
    Member &member = connection->members[message.topic];
    if (event == u"track") {
        const QJsonValue payload = message.payload.value(str("payload"));
        if (!payload.isObject()) {
            reply(connection, message, str("error"),
                  QJsonObject{{str("reason"), str("Presence track payload must be a map")}});
            return;
        }
        reply(connection, message, str("ok"), QJsonObject());
        QJsonObject meta = payload.toObject();
        meta.insert(str("phx_ref"), QStringLiteral("ref-%1").arg(++m_nextPhxRef));
        QJsonObject leaves;
        if (!member.presenceMeta.isEmpty()) {
            meta.insert(str("phx_ref_prev"), member.presenceMeta.value(str("phx_ref")));
            leaves.insert(member.presenceKey, metasEntry(QJsonArray{member.presenceMeta}));
        }
        member.presenceMeta = meta;
        sendPresenceDiff(message.topic, QJsonObject{{member.presenceKey, metasEntry(QJsonArray{meta})}}, leaves);
    } else if (event == u"untrack") {
        reply(connection, message, str("ok"), QJsonObject());
        presenceLeave(connection, message.topic);
    } else {
        reply(connection, message, str("error"), QJsonObject{{str("reason"), str("unknown presence event")}});
    }
}

void FakeRealtimeServer::presenceLeave(Connection *connection, const QString &topic)
{
    auto member = connection->members.find(topic);
    if (member == connection->members.end() || member->presenceMeta.isEmpty())
        return;
    const QJsonObject meta = std::exchange(member->presenceMeta, QJsonObject());
    sendPresenceDiff(topic, QJsonObject(), QJsonObject{{member->presenceKey, metasEntry(QJsonArray{meta})}});
}

void FakeRealtimeServer::sendPresenceDiff(const QString &topic, const QJsonObject &joins, const QJsonObject &leaves)
{
    fanOut(topic, str("presence_diff"), QJsonObject{{str("joins"), joins}, {str("leaves"), leaves}});
}

QJsonObject FakeRealtimeServer::presenceState(const QString &topic) const
{
    QHash<QString, QJsonArray> byKey;
    for (const Connection *connection : m_connections) {
        if (!connection->socket)
            continue;
        const auto member = connection->members.constFind(topic);
        if (member != connection->members.cend() && !member->presenceMeta.isEmpty())
            byKey[member->presenceKey].append(member->presenceMeta);
    }
    QJsonObject state;
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
        state.insert(it.key(), metasEntry(it.value()));
    return state;
}

} // namespace tf::test
