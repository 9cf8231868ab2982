#pragma once

#include "phoenixcodec.h"

#include <QElapsedTimer>
#include <QObject>
#include <QQueue>
#include <QTimer>
#include <QWebSocket>

#include <chrono>
#include <memory>

namespace tf::sim {

class FaultInjector;

// The transport half of one realtime socket: decodes inbound frames with the socket's
// serializer, encodes outbound ones (a V1 server frame never carries join_ref), closes the socket
// after a stretch of inbound silence (Phoenix's 60 s websocket timeout), and holds outbound frames
// back while the "slow replies" fault is on. What the frames mean is RealtimeEndpoint's business.
class EndpointConnection : public QObject {
    Q_OBJECT

public:
    EndpointConnection(std::unique_ptr<QWebSocket> socket, SerializerVersion version, QString tenantToken,
                       quint64 id, const FaultInjector *faults, std::chrono::milliseconds idleTimeout,
                       QObject *parent = nullptr);
    ~EndpointConnection() override;

    quint64 id() const { return m_id; }
    SerializerVersion version() const { return m_codec.version(); }
    // The token of the connect URL (`apikey`): channels without their own token run with it.
    QString tenantToken() const { return m_tenantToken; }
    bool isOpen() const;

    void send(PhoenixMessage message);
    void sendBinary(const QByteArray &frame); // V2 only; ignored on V1 sockets
    // Close handshake with a code; pending delayed frames are sent first.
    void close(QWebSocketProtocol::CloseCode code, const QString &reason = {});
    // Drop the TCP connection without a close frame (the "drop" fault).
    void abort();

Q_SIGNALS:
    // binaryFrame: the message came as a kind-3 binary user broadcast (§2.3).
    void messageReceived(const tf::PhoenixMessage &message, bool binaryFrame);
    void closed(); // once, when the socket is gone for whatever reason

private:
    struct Outbound {
        QByteArray data;
        bool binary = false;
        qint64 dueMs = 0;
    };
    void enqueue(QByteArray data, bool binary);
    void flush();
    void write(const Outbound &frame);
    void onText(const QString &text);
    void onBinary(const QByteArray &frame);
    void onDisconnected();

    std::unique_ptr<QWebSocket> m_socket;
    PhoenixCodec m_codec;
    QString m_tenantToken;
    quint64 m_id;
    const FaultInjector *m_faults;
    QTimer m_idleTimer;
    QTimer m_flushTimer;
    QElapsedTimer m_clock;
    QQueue<Outbound> m_outbound;
    bool m_closeAfterFlush = false;
    QWebSocketProtocol::CloseCode m_closeCode = QWebSocketProtocol::CloseCodeNormal;
    QString m_closeReason;
    bool m_closedEmitted = false;
};

} // namespace tf::sim
