#include "endpointconnection.h"

#include "faultinjector.h"
#include "simlogging.h"

namespace tf::sim {

EndpointConnection::EndpointConnection(std::unique_ptr<QWebSocket> socket, SerializerVersion version,
                                       QString tenantToken, quint64 id, const FaultInjector *faults,
                                       std::chrono::milliseconds idleTimeout, QObject *parent)
    : QObject(parent)
    , m_socket(std::move(socket))
    , m_codec(version, 5'000'000) // the server's max_frame_size (§2.4)
    , m_tenantToken(std::move(tenantToken))
    , m_id(id)
    , m_faults(faults)
{
    m_clock.start();
    m_socket->setParent(nullptr);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &EndpointConnection::onText);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, &EndpointConnection::onBinary);
    connect(m_socket.get(), &QWebSocket::disconnected, this, &EndpointConnection::onDisconnected);

    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(idleTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcSimRealtime) << "socket" << m_id << "silent for" << m_idleTimer.interval() << "ms; closing";
        close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("timeout"));
    });
    m_idleTimer.start();

    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &EndpointConnection::flush);
}

EndpointConnection::~EndpointConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

bool EndpointConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void EndpointConnection::send(PhoenixMessage message)
{
    if (m_codec.version() == SerializerVersion::V1)
        message.joinRef = QString(); // V1 server frames never carry join_ref (§2.1)
    enqueue(m_codec.encodeText(message), false);
}

void EndpointConnection::sendBinary(const QByteArray &frame)
{
    if (m_codec.version() == SerializerVersion::V2)
        enqueue(frame, true);
}

void EndpointConnection::enqueue(QByteArray data, bool binary)
{
    if (!isOpen() || m_closeAfterFlush)
        return;
    const qint64 delay = m_faults ? m_faults->replyDelay().count() : 0;
    if (delay <= 0 && m_outbound.isEmpty()) {
        write(Outbound{std::move(data), binary, 0});
        return;
    }
    // Frames keep their order even when the delay changes while some are waiting.
    qint64 due = m_clock.elapsed() + delay;
    if (!m_outbound.isEmpty())
        due = std::max(due, m_outbound.last().dueMs);
    m_outbound.enqueue(Outbound{std::move(data), binary, due});
    if (!m_flushTimer.isActive())
        m_flushTimer.start(std::max<qint64>(0, m_outbound.head().dueMs - m_clock.elapsed()));
}

void EndpointConnection::flush()
{
    while (!m_outbound.isEmpty() && m_outbound.head().dueMs <= m_clock.elapsed())
        write(m_outbound.dequeue());
    if (!m_outbound.isEmpty()) {
        m_flushTimer.start(std::max<qint64>(0, m_outbound.head().dueMs - m_clock.elapsed()));
    } else if (m_closeAfterFlush && m_socket) {
        m_socket->close(m_closeCode, m_closeReason);
    }
}

void EndpointConnection::write(const Outbound &frame)
{
    if (!isOpen())
        return;
    if (frame.binary)
        m_socket->sendBinaryMessage(frame.data);
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame.data));
}

void EndpointConnection::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (!m_socket || m_closeAfterFlush)
        return;
    m_idleTimer.stop();
    if (!m_outbound.isEmpty()) {
        m_closeAfterFlush = true;
        m_closeCode = code;
        m_closeReason = reason;
        return;
    }
    m_socket->close(code, reason);
}

void EndpointConnection::abort()
{
    m_outbound.clear();
    m_flushTimer.stop();
    if (m_socket)
        m_socket->abort();
}

void EndpointConnection::onText(const QString &text)
{
    m_idleTimer.start();
    const DecodeResult result = m_codec.decodeText(text.toUtf8());
    if (!result.ok()) {
        // The server logs MalformedWebSocketMessage and keeps the connection (§2.1).
        qCWarning(lcSimRealtime) << "socket" << m_id << "dropped a malformed frame:" << result.reason;
        return;
    }
    Q_EMIT messageReceived(*result.message, false);
}

void EndpointConnection::onBinary(const QByteArray &frame)
{
    m_idleTimer.start();
    const DecodeResult result = m_codec.decodeBinary(frame);
    if (!result.ok()) {
        qCWarning(lcSimRealtime) << "socket" << m_id << "dropped a binary frame:" << result.reason;
        return;
    }
    Q_EMIT messageReceived(*result.message, true);
}

void EndpointConnection::onDisconnected()
{
    m_idleTimer.stop();
    m_flushTimer.stop();
    m_outbound.clear();
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    Q_EMIT closed();
}

} // namespace tf::sim
