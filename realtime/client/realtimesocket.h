#pragma once

#include "backoff.h"
#include "errorclass.h"
#include "networkmonitor.h"
#include "phoenixcodec.h"

#include <QAbstractSocket>
#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocketProtocol>

#include <chrono>

class QWebSocket;
class QSslError;

namespace tf {

class ConnectionMetrics;

// Everything one RealtimeSocket needs to reach a project. Defaults follow realtime-js where the
// protocol doc gives a number (heartbeat 25 s, §8) and tf::BackoffPolicy otherwise.
struct SocketOptions {
    QUrl projectUrl;  // http(s)://<ref>.supabase.co; ws(s):// is accepted as is
    QString apiKey;   // anon/publishable key, sent as the apikey query parameter (§1.2)
    SerializerVersion vsn = SerializerVersion::V2;
    QString logLevel; // optional server log_level for this socket: info, warning or error

    std::chrono::milliseconds heartbeatInterval{25000};
    // No reply within this long means the link is dead (a half-open TCP connection never says so
    // itself). 0 = the interval, as realtime-js does.
    std::chrono::milliseconds heartbeatTimeout{0};
    // A handshake that neither succeeds nor fails within this long is abandoned and retried.
    std::chrono::milliseconds connectTimeout{10000};
    BackoffPolicy reconnect; // reconnect.maxAttempts: 0 = never give up

    // Frames larger than this are counted, logged and skipped. Qt itself refuses to buffer
    // messages beyond twice this size and closes the connection (code 1009), which we then retry.
    qsizetype maxFrameBytes = PhoenixCodec::DefaultMaxFrameBytes;

    NetworkWatchOptions network;
    std::chrono::milliseconds metricsInterval{1000}; // how often traffic figures are published
};

// One WebSocket connection to Supabase Realtime, kept alive for as long as it is wanted.
//
// It owns the QWebSocket and the codec: frames in, PhoenixMessage out (text and V2 binary
// broadcasts alike); a heartbeat on its own timer; reconnects with backoff after any close it did
// not ask for; pauses while the network is down and comes back at once when it returns, when the
// machine wakes up or when the application is activated. It knows nothing about channels: the
// RealtimeClient routes messageReceived() to them and tells them about opened()/closed().
class RealtimeSocket : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateReason READ stateReason NOTIFY stateChanged)

public:
    enum class State {
        Disconnected, // not wanted: initially and after disconnectFromServer()
        Connecting,   // handshake in progress
        Connected,    // open; heartbeats running
        Reconnecting, // lost or failed; a retry is scheduled (or waits for the network)
        GaveUp,       // the retry limit was reached; a network/wake/activation event retries
    };
    Q_ENUM(State)

    explicit RealtimeSocket(const SocketOptions &options, QObject *parent = nullptr);
    ~RealtimeSocket() override;

    const SocketOptions &options() const { return m_options; }
    // The endpoint of §1.1: <project>/realtime/v1/websocket?apikey=…[&log_level=…]&vsn=…
    // It contains the key: log redactedUrl() instead.
    static QUrl endpointUrl(const SocketOptions &options);
    QString redactedUrl() const;

    State state() const { return m_state; }
    QString stateReason() const { return m_stateReason; }
    bool isConnected() const;
    SerializerVersion serializerVersion() const { return m_codec.version(); }

    // A ref unique for the whole life of this object, shared by heartbeats and channel pushes
    // (§2.5). It is not reset on reconnect, so a late reply can never match a newer push.
    QString makeRef();
    // Send one frame; false (and nothing sent) unless connected.
    bool sendMessage(const PhoenixMessage &message);
    bool sendBinary(const QByteArray &frame);
    // Writes queued frames to the network now (before an exit, say).
    bool flush();

    // Reconnect countdown for the UI. reconnectInMs() is -1 when no retry is scheduled (also
    // while waiting for the network).
    int reconnectAttempt() const { return m_backoff.attempts(); }
    QDateTime nextReconnectAt() const;
    qint64 reconnectInMs() const;
    bool isWaitingForNetwork() const { return m_waitingForNetwork; }

    // The server told us to slow down (e.g. join error "Too many joins per second", which closes
    // the socket too): the next reconnect waits at least the policy's rate-limit floor.
    void penalizeNextReconnect() { m_nextReconnectRateLimited = true; }

    ConnectionMetrics *metrics() const { return m_metrics; }
    NetworkMonitor *networkMonitor() const { return m_network; }

    // The HTTP status of a refused upgrade, read from QWebSocket's error text (Qt does not expose
    // it otherwise); 0 when the text names none. Best effort, also for translated Qt messages.
    static int httpStatusFromHandshakeError(const QString &errorText);

    // Frames redacted for logs: access_token/user_token/apikey values replaced (tokens never leak).
    static QByteArray redactFrame(QByteArrayView frame);

public Q_SLOTS:
    // Wants the connection from now on: connects (now, with a fresh attempt count) and keeps it
    // up until disconnectFromServer(). Invalid options end in Disconnected with a validation error.
    void connectToServer();
    // Stops wanting it: closes with 1000 and cancels any retry.
    void disconnectFromServer();
    // Reconnect now if a connection is wanted but not up (resetting the attempt count); if it is
    // up, send a heartbeat at once to prove the link still works.
    void reconnectNow(const QString &reason);
    // Sends a heartbeat now unless one is in flight; the timeout applies as usual.
    void probe();

Q_SIGNALS:
    void stateChanged(tf::RealtimeSocket::State state, const QString &reason);
    // A connection is open; channels should (re)join now.
    void opened();
    // An open connection ended (not emitted for attempts that never opened).
    void closed(const QString &reason);
    void messageReceived(const tf::PhoenixMessage &message);
    void heartbeatReplied(qint64 roundTripMs);
    void reconnectScheduled(int attempt, qint64 delayMs, bool rateLimited);
    void errorOccurred(const tf::ClientError &error);

private:
    void openConnection(const QString &reason);
    void handleConnected(quint64 generation);
    void handleDisconnected(quint64 generation);
    void handleSocketError(quint64 generation, QAbstractSocket::SocketError error);
    void handleSslErrors(quint64 generation, const QList<QSslError> &errors);
    void handleText(const QString &text);
    void handleBinary(const QByteArray &frame);
    void handleDecoded(DecodeResult &&result, QByteArrayView raw, bool binary);
    void handleHeartbeatReply(const PhoenixMessage &message);
    void sendHeartbeat();
    void handleHeartbeatTimeout();
    void handleConnectTimeout();
    void handleNetworkOnline(bool online);

    // Ends the current attempt or connection for a reason we did not ask for, then retries.
    // closeReason goes into the close frame (an open connection is closed, not just dropped).
    void fail(const ClientError &error, const QString &reason, const QString &closeReason = QString());
    // Lets go of the QWebSocket of the current attempt: its late signals are ignored from now on.
    // An open one is closed politely with code 1000 and deleted once closed (or after a grace
    // period, for a peer that never answers); anything else is aborted.
    void releaseWebSocket(const QString &closeReason);
    void stopConnectionTimers();
    void scheduleReconnect(const QString &cause, bool rateLimited);
    void setState(State state, const QString &reason);
    bool networkBlocksRetries() const;

    SocketOptions m_options;
    QUrl m_url;
    PhoenixCodec m_codec;
    Backoff m_backoff;
    QWebSocket *m_ws = nullptr;
    quint64 m_generation = 0; // bumped per attempt; signals of older QWebSockets are ignored
    State m_state = State::Disconnected;
    QString m_stateReason;
    bool m_wanted = false;
    bool m_waitingForNetwork = false;
    bool m_nextReconnectRateLimited = false;
    quint64 m_nextRef = 0;
    QString m_pendingSocketError; // the error text of this attempt, for the close reason

    QTimer m_connectTimer;
    QTimer m_reconnectTimer;
    qint64 m_reconnectDueMs = 0; // epoch ms of the scheduled retry
    QTimer m_heartbeatTimer;
    QTimer m_heartbeatTimeoutTimer;
    QString m_pendingHeartbeatRef;
    QElapsedTimer m_heartbeatClock;
    bool m_heartbeatGraceUsed = false;

    qint64 m_droppedThisConnection = 0;
    ConnectionMetrics *m_metrics = nullptr;
    NetworkMonitor *m_network = nullptr;
};

QString socketStateName(RealtimeSocket::State state);

} // namespace tf
