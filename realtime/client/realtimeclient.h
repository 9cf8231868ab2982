#pragma once

#include "channelconfig.h"
#include "channelmanager.h"
#include "channeltransport.h"
#include "connectionmetrics.h"
#include "errorclass.h"
#include "realtimesocket.h"
#include "tokenexpiry.h"

#include <QDateTime>
#include <QList>
#include <QObject>

#include <chrono>

namespace tf {

class RealtimeChannel;

// Everything a RealtimeClient needs: the socket's settings (projectUrl, apiKey, vsn, heartbeat
// interval and timeout, connect timeout, reconnect policy with its maxAttempts, maxFrameBytes,
// network watching) plus what concerns channels and tokens. Defaults: docs/realtime.md.
struct RealtimeOptions : SocketOptions {
    // accessTokenRequired() fires this long before the access token's exp.
    std::chrono::milliseconds tokenRefreshMargin{60000};
    // The server refuses more than 100 channels per connection (§10.1); beyond this the channel
    // manager evicts by priority.
    int maxChannels = 100;
    // Tuning (join timeout, push timeout, rejoin backoff…) of channels whose config starts from
    // defaultChannelConfig(), as channel(name) does.
    ChannelTuning channelDefaults;
    // How many recent errors recentErrors() keeps for a diagnostics panel.
    int maxRecentErrors = 50;
};

// One failure as the diagnostics panel lists it.
struct RealtimeErrorRecord {
    QDateTime at;    // UTC
    QString source;  // "socket" or "channel <name>"
    ClientError error;
};

// The realtime connection of a Qt application, used like realtime-js's RealtimeClient:
//
//   tf::RealtimeClient client(options);
//   client.setAccessToken(session.accessToken());
//   auto *desk = client.channel(QStringLiteral("desk"), config);
//   connect(desk, &tf::RealtimeChannel::postgresChange, …);
//   client.connectToServer();
//
// It owns the socket (heartbeat, reconnect, network awareness) and the channel manager (ref
// counting, limits, lazy joins), routes each message to its channel by topic, and tells every
// channel when the connection opens or closes: after EVERY reconnect each wanted channel sends a
// full phx_join carrying the newest access token. It watches the token's exp and asks for a new
// one (accessTokenRequired) before it runs out and whenever the server rejects it; the owner
// answers with setAccessToken(), which is pushed to every joined channel.
class RealtimeClient : public QObject, public ChannelTransport
{
    Q_OBJECT
    Q_PROPERTY(tf::RealtimeSocket::State state READ state NOTIFY stateChanged)
    Q_PROPERTY(tf::ConnectionMetrics *metrics READ metrics CONSTANT)

public:
    explicit RealtimeClient(const RealtimeOptions &options, QObject *parent = nullptr);
    ~RealtimeClient() override;

    const RealtimeOptions &options() const { return m_options; }
    RealtimeSocket *socket() const { return m_socket; }
    ConnectionMetrics *metrics() const { return m_socket->metrics(); }
    ChannelManager *channels() const { return m_channels; }
    RealtimeSocket::State state() const { return m_socket->state(); }

    // A channel configured with options().channelDefaults and nothing else yet: start here,
    // add bindings, pass it to channel().
    ChannelConfig defaultChannelConfig() const;
    // Acquires (ref-counted) and subscribes the channel `name`; release it with releaseChannel().
    // nullptr when the channel limit refuses it (the reason is in channels()->lastError()).
    RealtimeChannel *channel(const QString &name, const ChannelConfig &config,
                             ChannelManager::Priority priority = ChannelManager::Priority::Normal);
    RealtimeChannel *channel(const QString &name) { return channel(name, defaultChannelConfig()); }
    void releaseChannel(const QString &name);

    // The user's access token (JWT) for joins; empty = the API key's role (§1.5).
    QString accessToken() const { return m_accessToken; }
    void setAccessToken(const QString &token);
    // When accessTokenRequired() will fire for the current token; invalid when not scheduled.
    QDateTime accessTokenRefreshAt() const { return m_tokenExpiry.refreshAt(); }

    // The latest failures, oldest first, at most options().maxRecentErrors.
    QList<RealtimeErrorRecord> recentErrors() const { return m_recentErrors; }

    // ChannelTransport
    bool isConnected() const override { return m_socket->isConnected(); }
    SerializerVersion serializerVersion() const override { return m_socket->serializerVersion(); }
    QString makeRef() override { return m_socket->makeRef(); }
    bool sendMessage(const PhoenixMessage &message) override { return m_socket->sendMessage(message); }
    bool sendBinary(const QByteArray &frame) override { return m_socket->sendBinary(frame); }

public Q_SLOTS:
    void connectToServer();
    void disconnectFromServer();
    // For applications that know better than the OS: the user came back, the network changed…
    void notifyAppActivated();

Q_SIGNALS:
    void stateChanged(tf::RealtimeSocket::State state, const QString &reason);
    // Get a fresh access token and call setAccessToken(). Said once until the next
    // setAccessToken(): before the token's exp (tokenRefreshMargin), or when the server rejects
    // it (the affected channels wait for the new one, then rejoin).
    void accessTokenRequired(const QString &reason);
    // Every failure, classified, as it is recorded in recentErrors().
    void errorOccurred(const tf::ClientError &error, const QString &source);

private:
    void watchChannel(const QString &name);
    void recordError(const ClientError &error, const QString &source);
    void requestAccessToken(const QString &reason);

    RealtimeOptions m_options;
    RealtimeSocket *m_socket;
    ChannelManager *m_channels;
    TokenExpiry m_tokenExpiry;
    QString m_accessToken;
    bool m_tokenRequested = false; // accessTokenRequired() said since the last setAccessToken()
    QList<RealtimeErrorRecord> m_recentErrors;
};

} // namespace tf

Q_DECLARE_METATYPE(tf::RealtimeErrorRecord)
