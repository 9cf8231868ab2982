#pragma once

#include "phoenixmessage.h"
#include "presenceregistry.h"

#include <QObject>
#include <QSet>
#include <QUrl>
#include <QWebSocket>

#include <chrono>
#include <map>
#include <memory>
#include <optional>

namespace tf::sim {

class AuthStore;
class EndpointConnection;
class FaultInjector;
class RowStore;
struct RowChange;

// Timings and limits of the realtime server; defaults are the real server's (protocol doc §9, §10),
// tests shorten them.
struct RealtimeSettings {
    std::chrono::milliseconds joinErrorDelay{5000};          // CHANNEL_ERROR_BACKOFF_MS
    std::chrono::milliseconds postgresSubscribeDelay{300};   // join reply -> "Subscribed to PostgreSQL"
    std::chrono::milliseconds socketIdleTimeout{60000};      // Phoenix websocket timeout
    int presenceMaxCalls = 5;                                // CLIENT_PRESENCE_MAX_CALLS
    std::chrono::milliseconds presenceWindow{30000};         // CLIENT_PRESENCE_WINDOW_MS
    qsizetype maxPayloadBytes = 3000 * 1000;                 // max_payload_size_in_kb
    int maxChannelsPerClient = 100;
    QSet<QString> replicaIdentityFull;                       // tables with REPLICA IDENTITY FULL
};

// Why a WebSocket upgrade is refused (§1.4): HTTP status and the server's `error` text.
struct ConnectRefusal {
    int httpStatus = 401;
    QString error;
};

// The Realtime server at /realtime/v1/websocket: Phoenix channels with postgres_changes (fed by
// the RowStore's change feed, filtered per binding and by row level security), broadcast (text,
// binary kinds 3/4, self/ack, broadcast-from-database on private `user:<id>` channels), presence,
// token handling (access_token pushes, expiry), heartbeats and the error/shutdown texts of §10.
class RealtimeEndpoint : public QObject {
    Q_OBJECT

public:
    static inline const QString SocketPath = QStringLiteral("/realtime/v1/websocket");

    RealtimeEndpoint(RealtimeSettings settings, AuthStore &auth, RowStore &store, FaultInjector &faults,
                     QObject *parent = nullptr);
    ~RealtimeEndpoint() override;

    const RealtimeSettings &settings() const { return m_settings; }
    void setSettings(const RealtimeSettings &settings) { m_settings = settings; }

    // Checks an upgrade request: path, `vsn`, and the `apikey` JWT (x-api-key header wins).
    std::optional<ConnectRefusal> checkConnect(const QUrl &url, const QByteArray &xApiKey) const;
    // Takes over an upgraded socket (re-checks it and closes it with 1008 if refused).
    void acceptSocket(std::unique_ptr<QWebSocket> socket);

    // Server-originated broadcast on channel `subTopic` (without "realtime:"), delivered like the
    // REST single-message API does: binary kind 4 to vsn 2.0.0 sockets, JSON to 1.0.0 sockets.
    void broadcast(const QString &subTopic, const QString &event, const QJsonValue &payload,
                   bool privateChannel = false);
    // Presence held by the server itself (simulated traders), under `key` on a public channel.
    void trackServerPresence(const QString &subTopic, const QString &key, const QJsonObject &payload);
    void untrackServerPresence(const QString &subTopic, const QString &key);

    // Faults and lifecycle.
    void dropAllConnections();                        // abort sockets, no close frame
    void shutdownAllChannels(const QString &message); // system error + phx_close on every channel
    void recheckTokens();                             // after the token-expiry fault
    void reset();                                     // forget every connection, channel, presence

    int connectionCount() const;
    int channelCount() const;
    QStringList joinedTopics() const; // "realtime:<name>" of every joined channel, sorted

Q_SIGNALS:
    void connectionOpened(quint64 connectionId);
    void connectionClosed(quint64 connectionId);
    void channelJoined(const QString &topic);
    void channelClosed(const QString &topic);

private:
    struct Channel;

    void onMessage(EndpointConnection *connection, const PhoenixMessage &message, bool binaryFrame);
    void onConnectionClosed(EndpointConnection *connection);
    void onRowChange(const RowChange &change);

    void handleJoin(EndpointConnection *connection, const PhoenixMessage &message);
    void handleAccessToken(Channel *channel, const PhoenixMessage &message);
    void handleBroadcast(Channel *channel, const PhoenixMessage &message, bool binaryFrame);
    void handlePresence(Channel *channel, const PhoenixMessage &message);

    QString joinRefusal(EndpointConnection *connection, const QString &subTopic, bool isPrivate,
                        const QString &token, bool *disconnect) const;
    bool mayRead(const QString &subTopic, bool isPrivate, const QJsonObject &claims) const;
    void subscribePostgres(quint64 channelId);
    void armExpiry(Channel *channel);
    void checkExpiry(quint64 channelId);

    void reply(EndpointConnection *connection, const PhoenixMessage &to, const QString &joinRef,
               const QString &status, const QJsonValue &response);
    void pushSystem(Channel *channel, const QString &extension, const QString &status, const QString &message);
    void shutdown(Channel *channel, const QString &message);
    void removeChannel(Channel *channel, bool sendClose);
    void fanOutBroadcast(const QString &topicKey, const QString &topic, const QString &event,
                         const QJsonValue &payload, const std::optional<QByteArray> &rawPayload,
                         bool binaryOrigin, const Channel *sender);
    void fanOutPresence(const QString &topicKey, const PresenceDiff &diff);

    Channel *findChannel(const EndpointConnection *connection, const QString &topic) const;
    QList<Channel *> channelsOn(const QString &topicKey) const;

    RealtimeSettings m_settings;
    AuthStore &m_auth;
    RowStore &m_store;
    FaultInjector &m_faults;
    PresenceRegistry m_presence;
    std::map<quint64, EndpointConnection *> m_connections;
    std::map<quint64, std::unique_ptr<Channel>> m_channels;
    quint64 m_nextConnectionId = 1;
    quint64 m_nextChannelId = 1;
};

} // namespace tf::sim
