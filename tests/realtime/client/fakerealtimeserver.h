#pragma once

#include "phoenixcodec.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>
#include <QUrl>
#include <QWebSocketProtocol>

#include <optional>

class QWebSocket;
class QWebSocketServer;

namespace tf::test {

// One frame the fake server received, as it arrived.
struct ReceivedFrame {
    int connection = -1; // connection id (0, 1, 2… in order of arrival)
    bool binary = false;
    QByteArray raw;
    std::optional<PhoenixMessage> message; // decoded with the connection's vsn, if it decodes
};

// The server side of Supabase Realtime (protocol doc §1–§8), small enough to script from a test.
//
// It listens on 127.0.0.1 (port 0 = any), reads vsn from each connection's URL, answers joins
// (echoing postgres_changes bindings with integer ids, then "Subscribed to PostgreSQL"),
// heartbeats, leaves, acked broadcasts (relayed to the topic's other members as kind 4 on V2)
// and presence (state on join, diffs on track/untrack/leave). Everything it receives is recorded.
// Faults are scripted: join errors, mismatched bindings, silent heartbeats with TCP kept open,
// closes, restarts on the same port, and arbitrary (also malformed or binary) frames.
class FakeRealtimeServer : public QObject
{
    Q_OBJECT

public:
    explicit FakeRealtimeServer(QObject *parent = nullptr);
    ~FakeRealtimeServer() override;

    // Serve wss:// with this configuration (certificate and key); call before listen().
    void setSslConfiguration(const QSslConfiguration &configuration);
    bool listen(quint16 port = 0);
    // Stops accepting connections; open ones stay (close them with closeAllConnections()).
    void stopListening();
    // Closes every connection and listens again on the same port (a server restart).
    bool restart();
    bool isListening() const;
    quint16 port() const { return m_port; }
    QUrl httpUrl() const; // http(s)://127.0.0.1:<port>, what a client is configured with

    void closeAllConnections(QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeNormal,
                             const QString &reason = QString());
    void abortAllConnections();
    int openConnectionCount() const;
    int totalConnectionCount() const { return m_nextConnectionId; }
    QList<QUrl> requestUrls() const { return m_requestUrls; }
    // The newest open connection, or -1.
    int latestConnection() const;

    // --- script ---
    void setHeartbeatReplies(bool on) { m_heartbeatReplies = on; }
    void setAutoJoin(bool on) { m_autoJoin = on; } // off: joins get no reply at all
    // Every join of `topic` (empty = any topic) fails with this reason; empty reason clears it.
    void setJoinError(const QString &topic, const QString &reason);
    // After a join error the connection is closed with this code (the server does that for
    // ClientJoinRateLimitReached / TenantNotFound, §10.2); 0 = keep it open.
    void setCloseAfterJoinError(int closeCode) { m_closeAfterJoinError = closeCode; }
    // Joins of `topic` get a reply whose bindings differ from what the client sent.
    void setBindingMismatch(const QString &topic, bool on);
    void setSubscribedMessages(bool on) { m_subscribedMessages = on; }
    // Replies to acked broadcasts with this error response instead of ok (e.g. "payload_size_exceeded").
    void setBroadcastAckError(const QJsonValue &response) { m_broadcastAckError = response; }

    // --- sending (to every open connection unless one is given) ---
    void sendText(const QByteArray &frame, int connection = -1);
    void sendBinary(const QByteArray &frame, int connection = -1);
    // Encoded per connection with its own vsn.
    void sendMessage(const PhoenixMessage &message, int connection = -1);
    // A channel-process push (system, presence_state…): join_ref = the member's join ref.
    void pushToTopic(const QString &topic, const QString &event, const QJsonObject &payload);
    // Fan-out (postgres_changes, broadcast, presence_diff): join_ref null.
    void fanOut(const QString &topic, const QString &event, const QJsonObject &payload);
    // postgres_changes `data` for every member of the topic whose bindings match, with their ids.
    void sendPostgresChange(const QString &topic, const QJsonObject &data);
    // A user broadcast as another client's would arrive: kind 4 on V2, JSON on V1.
    void sendUserBroadcast(const QString &topic, const QString &event, const QJsonValue &payload);
    void sendSystem(const QString &topic, const QString &extension, const QString &status, const QString &message);
    // The channel is gone server-side: phx_close with the member's join ref in join_ref and ref.
    void sendPhxClose(const QString &topic);
    // §1.7: a system error about the token, then phx_close.
    void expireToken(const QString &topic, const QString &message = QStringLiteral("Token has expired 3 seconds ago"));

    // --- recording ---
    QList<ReceivedFrame> frames() const { return m_frames; }
    // Decoded messages received, optionally only those with `event` (and on `topic`).
    QList<PhoenixMessage> messages(const QString &event = QString(), const QString &topic = QString()) const;
    void clearFrames() { m_frames.clear(); }
    // How the client closed connection `connection`: the close code (-1 while open or when it
    // just dropped) and reason.
    int closeCodeOf(int connection) const { return m_closes.value(connection).first; }
    QString closeReasonOf(int connection) const { return m_closes.value(connection).second; }
    // Topics currently joined on any open connection.
    QStringList joinedTopics() const;
    // The postgres_changes id the server assigns to a binding (deterministic, like phash2).
    static qint64 bindingId(const QJsonObject &binding);
    // An unsigned JWT with these claims (exp in seconds since the epoch), as GoTrue would issue.
    static QString makeJwt(qint64 exp, const QString &subject = QStringLiteral("user-1"));

Q_SIGNALS:
    void clientConnected(int connection);
    void clientDisconnected(int connection);
    void messageReceived(const tf::PhoenixMessage &message);
    void binaryReceived(const QByteArray &frame);

private:
    struct Member {
        QString joinRef;
        QJsonObject config;
        QString presenceKey;
        QJsonObject presenceMeta; // the tracked meta (with phx_ref), empty when not tracking
    };
    struct Connection {
        int id = -1;
        QPointer<QWebSocket> socket;
        PhoenixCodec codec;
        QHash<QString, Member> members; // topic -> channel member
    };

    void handleNewConnection();
    void handleFrame(Connection *connection, const QByteArray &raw, bool binary);
    void handleMessage(Connection *connection, const PhoenixMessage &message, bool binary, const QByteArray &raw);
    void handleJoin(Connection *connection, const PhoenixMessage &message);
    void handleLeave(Connection *connection, const PhoenixMessage &message);
    void handleBroadcast(Connection *connection, const PhoenixMessage &message, bool binary, const QByteArray &raw);
    void handlePresence(Connection *connection, const PhoenixMessage &message);
    void handleDisconnected(int id);
    void reply(Connection *connection, const PhoenixMessage &request, const QString &status, const QJsonValue &response);
    void send(Connection *connection, const PhoenixMessage &message);
    void presenceLeave(Connection *connection, const QString &topic);
    void sendPresenceDiff(const QString &topic, const QJsonObject &joins, const QJsonObject &leaves);
    QJsonObject presenceState(const QString &topic) const;
    Connection *connectionById(int id) const;
    QList<Connection *> targets(int connection) const;

    QWebSocketServer *m_server = nullptr;
    std::optional<QSslConfiguration> m_ssl;
    quint16 m_port = 0;
    QList<Connection *> m_connections;
    int m_nextConnectionId = 0;
    QList<QUrl> m_requestUrls;
    QList<ReceivedFrame> m_frames;
    QHash<int, QPair<int, QString>> m_closes; // connection -> close code and reason

    bool m_heartbeatReplies = true;
    bool m_autoJoin = true;
    bool m_subscribedMessages = true;
    int m_closeAfterJoinError = 0;
    QHash<QString, QString> m_joinErrors; // topic ("" = any) -> reason
    QSet<QString> m_mismatchTopics;
    QJsonValue m_broadcastAckError;
    int m_nextPhxRef = 0;
};

} // namespace tf::test
