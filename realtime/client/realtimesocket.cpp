#include "realtimesocket.h"

#include "connectionmetrics.h"
#include "logging.h"

#include <QRegularExpression>
#include <QSslError>
#include <QWebSocket>

#include <utility>

namespace tf {

namespace {

constexpr std::chrono::milliseconds CloseGracePeriod{5000};
// A heartbeat timeout that fires this much later than it was due means our own event loop was
// held up (frozen UI, suspended process); the reply may then be sitting unread in the socket.
constexpr qint64 HeartbeatStallToleranceMs = 250;
constexpr std::chrono::milliseconds HeartbeatStallGrace{1000};
// Drops of one connection that are each logged; after that only every thousandth, so a server
// spewing garbage cannot flood the log.
constexpr qint64 DropsLoggedInFull = 20;
constexpr qint64 DropLogEvery = 1000;

QString percentEncoded(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QString describeBinary(QByteArrayView frame)
{
    if (frame.isEmpty())
        return QStringLiteral("<empty binary frame>");
    return QStringLiteral("<binary kind %1, %2 bytes>").arg(quint8(frame[0])).arg(frame.size());
}

} // namespace

QString socketStateName(RealtimeSocket::State state)
{
    switch (state) {
    case RealtimeSocket::State::Disconnected:
        return QStringLiteral("disconnected");
    case RealtimeSocket::State::Connecting:
        return QStringLiteral("connecting");
    case RealtimeSocket::State::Connected:
        return QStringLiteral("connected");
    case RealtimeSocket::State::Reconnecting:
        return QStringLiteral("reconnecting");
    case RealtimeSocket::State::GaveUp:
        return QStringLiteral("gave-up");
    }
    return QStringLiteral("unknown");
}

RealtimeSocket::RealtimeSocket(const SocketOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_url(endpointUrl(options))
    , m_codec(options.vsn, options.maxFrameBytes)
    , m_backoff(options.reconnect)
{
    if (m_options.heartbeatTimeout.count() <= 0)
        m_options.heartbeatTimeout = m_options.heartbeatInterval;

    m_metrics = new ConnectionMetrics(this);
    m_metrics->setPublishInterval(m_options.metricsInterval);

    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &RealtimeSocket::handleConnectTimeout);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        openConnection(QStringLiteral("reconnect attempt %1").arg(m_backoff.attempts()));
    });
    // The heartbeat runs on its own clock, whatever else arrives: traffic proves the server can
    // send, not that it still hears us.
    m_heartbeatTimer.setInterval(m_options.heartbeatInterval);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &RealtimeSocket::sendHeartbeat);
    m_heartbeatTimeoutTimer.setSingleShot(true);
    // Precise, so that lateness really means a stalled event loop (see handleHeartbeatTimeout).
    m_heartbeatTimeoutTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_heartbeatTimeoutTimer, &QTimer::timeout, this, &RealtimeSocket::handleHeartbeatTimeout);

    m_network = new NetworkMonitor(m_options.network, this);
    m_metrics->setNetworkOnline(m_network->isOnline());
    connect(m_network, &NetworkMonitor::onlineChanged, this, &RealtimeSocket::handleNetworkOnline);
    connect(m_network, &NetworkMonitor::wokeUp, this, [this](qint64 gapMs) {
        reconnectNow(QStringLiteral("woke up after %1 s").arg(gapMs / 1000));
    });
    connect(m_network, &NetworkMonitor::appActivated, this,
            [this] { reconnectNow(QStringLiteral("application activated")); });
    connect(m_network, &NetworkMonitor::networkChanged, this,
            [this] { reconnectNow(QStringLiteral("network changed")); });
}

RealtimeSocket::~RealtimeSocket()
{
    if (m_ws)
        disconnect(m_ws, nullptr, this, nullptr);
}

QUrl RealtimeSocket::endpointUrl(const SocketOptions &options)
{
    QUrl url = options.projectUrl;
    const QString scheme = url.scheme().toLower();
    if (scheme == u"https")
        url.setScheme(QStringLiteral("wss"));
    else if (scheme == u"http")
        url.setScheme(QStringLiteral("ws"));
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + QStringLiteral("/realtime/v1/websocket"));
    // vsn goes last, as realtime-js does; values are percent-encoded by hand because QUrlQuery
    // would leave '+' alone and the server decodes it as a space.
    QString query = QStringLiteral("apikey=") + percentEncoded(options.apiKey);
    if (!options.logLevel.isEmpty())
        query += QStringLiteral("&log_level=") + percentEncoded(options.logLevel);
    query += QStringLiteral("&vsn=") + vsnString(options.vsn);
    url.setQuery(query);
    url.setFragment(QString());
    return url;
}

QString RealtimeSocket::redactedUrl() const
{
    QString text = m_url.toString(QUrl::RemoveQuery);
    text += QStringLiteral("?apikey=") + redactToken(m_options.apiKey);
    if (!m_options.logLevel.isEmpty())
        text += QStringLiteral("&log_level=") + m_options.logLevel;
    return text + QStringLiteral("&vsn=") + vsnString(m_options.vsn);
}

QByteArray RealtimeSocket::redactFrame(QByteArrayView frame)
{
    static const QRegularExpression secret(
        QStringLiteral("(\"(?:access_token|user_token|apikey)\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)\""));
    const QString text = QString::fromUtf8(frame);
    QString result;
    result.reserve(text.size());
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = secret.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        result += QStringView(text).sliced(last, match.capturedEnd(1) - last);
        result += redactToken(match.captured(2));
        result += u'"';
        last = match.capturedEnd(0);
    }
    result += QStringView(text).sliced(last);
    return result.toUtf8();
}

int RealtimeSocket::httpStatusFromHandshakeError(const QString &errorText)
{
    // "…processHandshake: Unhandled http status code: 429 (Too Many Requests)." — translations
    // keep the "%1 (%2)." shape, so the number before " (" is the status when the English words
    // are missing. Newer Qt answers a 401 itself and reports it in words.
    static const QRegularExpression english(QStringLiteral("status code:? (\\d{3})"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression shape(QStringLiteral("(?:^|\\D)([1-5]\\d{2}) \\("));
    static const QRegularExpression authentication(QStringLiteral("requires authentication|WWW-Authenticate"),
                                                   QRegularExpression::CaseInsensitiveOption);
    if (const QRegularExpressionMatch match = english.match(errorText); match.hasMatch())
        return match.captured(1).toInt();
    if (!errorText.contains(u"processHandshake"))
        return 0;
    if (const QRegularExpressionMatch match = shape.match(errorText); match.hasMatch())
        return match.captured(1).toInt();
    return authentication.match(errorText).hasMatch() ? 401 : 0;
}

bool RealtimeSocket::isConnected() const
{
    return m_state == State::Connected && m_ws;
}

QString RealtimeSocket::makeRef()
{
    return QString::number(++m_nextRef);
}

bool RealtimeSocket::sendMessage(const PhoenixMessage &message)
{
    if (!isConnected())
        return false;
    const QByteArray frame = m_codec.encodeText(message);
    if (lcProtocol().isDebugEnabled())
        qCDebug(lcProtocol).noquote() << ">>" << redactFrame(frame);
    return m_ws->sendTextMessage(QString::fromUtf8(frame)) >= 0;
}

bool RealtimeSocket::sendBinary(const QByteArray &frame)
{
    if (!isConnected())
        return false;
    if (m_codec.version() != SerializerVersion::V2) {
        qCWarning(lcProtocol) << "binary frames need vsn 2.0.0; not sent";
        return false;
    }
    if (lcProtocol().isDebugEnabled())
        qCDebug(lcProtocol).noquote() << ">>" << describeBinary(frame);
    return m_ws->sendBinaryMessage(frame) >= 0;
}

bool RealtimeSocket::flush()
{
    return m_ws && m_ws->flush();
}

QDateTime RealtimeSocket::nextReconnectAt() const
{
    return m_reconnectTimer.isActive() ? QDateTime::fromMSecsSinceEpoch(m_reconnectDueMs) : QDateTime();
}

qint64 RealtimeSocket::reconnectInMs() const
{
    return m_reconnectTimer.isActive() ? qint64(m_reconnectTimer.remainingTime()) : -1;
}

void RealtimeSocket::connectToServer()
{
    if (m_state == State::Connecting || m_state == State::Connected)
        return;
    QString problem;
    if (!m_url.isValid() || m_url.host().isEmpty() || (m_url.scheme() != u"ws" && m_url.scheme() != u"wss"))
        problem = QStringLiteral("the project URL must be http(s)://host or ws(s)://host");
    else if (m_options.apiKey.isEmpty())
        problem = QStringLiteral("an API key is required (apikey)");
    if (!problem.isEmpty()) {
        Q_EMIT errorOccurred(ClientError{ErrorClass::Validation, problem, 0, QString()});
        setState(State::Disconnected, problem);
        return;
    }
    m_wanted = true;
    m_reconnectTimer.stop();
    m_waitingForNetwork = false;
    m_backoff.reset();
    openConnection(QStringLiteral("connect requested"));
}

void RealtimeSocket::disconnectFromServer()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    m_waitingForNetwork = false;
    m_nextReconnectRateLimited = false;
    stopConnectionTimers();
    const bool wasConnected = m_state == State::Connected;
    releaseWebSocket(QStringLiteral("client disconnect"));
    m_backoff.reset();
    if (wasConnected)
        m_metrics->recordConnectionClosed(false);
    m_metrics->setReconnect(0, QDateTime());
    const QString reason = QStringLiteral("disconnect requested");
    setState(State::Disconnected, reason);
    if (wasConnected)
        Q_EMIT closed(reason);
}

void RealtimeSocket::reconnectNow(const QString &reason)
{
    if (!m_wanted)
        return;
    switch (m_state) {
    case State::Connected:
        probe();
        return;
    case State::Reconnecting:
    case State::GaveUp:
        qCInfo(lcSocket) << "reconnecting now:" << reason;
        m_reconnectTimer.stop();
        m_waitingForNetwork = false;
        m_backoff.reset();
        openConnection(reason);
        return;
    case State::Connecting:
    case State::Disconnected:
        return;
    }
}

void RealtimeSocket::probe()
{
    if (!isConnected() || !m_pendingHeartbeatRef.isEmpty())
        return;
    sendHeartbeat();
    m_heartbeatTimer.start(); // the regular cadence continues from this beat
}

void RealtimeSocket::openConnection(const QString &reason)
{
    releaseWebSocket(QString());
    stopConnectionTimers();
    const quint64 generation = ++m_generation;
    m_pendingSocketError.clear();
    m_droppedThisConnection = 0;

    m_ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    // Frames up to the codec's limit are decoded; up to twice that, they reach the codec to be
    // counted and skipped; beyond, Qt refuses to buffer them at all (close 1009, then retry).
    const quint64 hardLimit = quint64(m_options.maxFrameBytes) * 2;
    m_ws->setMaxAllowedIncomingMessageSize(hardLimit);
    m_ws->setMaxAllowedIncomingFrameSize(hardLimit);

    connect(m_ws, &QWebSocket::connected, this, [this, generation] { handleConnected(generation); });
    connect(m_ws, &QWebSocket::disconnected, this, [this, generation] { handleDisconnected(generation); });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(m_ws, &QWebSocket::errorOccurred, this,
            [this, generation](QAbstractSocket::SocketError error) { handleSocketError(generation, error); });
#else
    connect(m_ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, generation](QAbstractSocket::SocketError error) { handleSocketError(generation, error); });
#endif
    connect(m_ws, &QWebSocket::sslErrors, this,
            [this, generation](const QList<QSslError> &errors) { handleSslErrors(generation, errors); });
    connect(m_ws, &QWebSocket::textMessageReceived, this, &RealtimeSocket::handleText);
    connect(m_ws, &QWebSocket::binaryMessageReceived, this, &RealtimeSocket::handleBinary);

    setState(State::Connecting, reason);
    qCInfo(lcSocket).noquote() << "connecting to" << redactedUrl();
    m_connectTimer.start(m_options.connectTimeout);
    m_ws->open(m_url);
}

void RealtimeSocket::handleConnected(quint64 generation)
{
    if (generation != m_generation)
        return;
    m_connectTimer.stop();
    m_pendingHeartbeatRef.clear();
    m_metrics->recordConnected();
    m_metrics->setReconnect(m_backoff.attempts(), QDateTime());
    setState(State::Connected, QStringLiteral("connected"));
    m_heartbeatTimer.start();
    Q_EMIT opened();
}

void RealtimeSocket::handleDisconnected(quint64 generation)
{
    if (generation != m_generation || !m_ws)
        return;
    const int code = int(m_ws->closeCode());
    const QString closeReason = m_ws->closeReason();
    ClientError error;
    QString reason;
    if (m_state == State::Connecting) {
        if (m_pendingSocketError.isEmpty() && m_ws->error() != QAbstractSocket::UnknownSocketError)
            m_pendingSocketError = m_ws->errorString();
        const int status = httpStatusFromHandshakeError(m_pendingSocketError);
        error.errorClass = status ? classifyHttpStatus(status) : ErrorClass::Network;
        error.httpStatus = status;
        reason = QStringLiteral("connection failed: ")
            + (m_pendingSocketError.isEmpty() ? QStringLiteral("closed during the handshake") : m_pendingSocketError);
    } else {
        if (code == QWebSocketProtocol::CloseCodeTooMuchData)
            error.errorClass = ErrorClass::Protocol;
        else if (code == QWebSocketProtocol::CloseCodeAbnormalDisconnection || !m_pendingSocketError.isEmpty())
            error.errorClass = ErrorClass::Network;
        else
            error.errorClass = ErrorClass::Server; // 1000/1001/1012…: the server closed it; retry
        reason = QStringLiteral("connection closed (code %1%2)")
                     .arg(code)
                     .arg(closeReason.isEmpty() ? QString() : QStringLiteral(": ") + closeReason);
        if (!m_pendingSocketError.isEmpty())
            reason += QStringLiteral(" after ") + m_pendingSocketError;
    }
    error.message = reason;
    fail(error, reason);
}

void RealtimeSocket::handleSocketError(quint64 generation, QAbstractSocket::SocketError error)
{
    if (generation != m_generation || !m_ws)
        return;
    m_pendingSocketError = m_ws->errorString();
    qCDebug(lcSocket) << "socket error" << error << m_pendingSocketError;
    if (m_state == State::Connecting) {
        // A failed handshake: refused, unreachable, TLS, or an HTTP error instead of the upgrade.
        const int status = httpStatusFromHandshakeError(m_pendingSocketError);
        ClientError clientError{status ? classifyHttpStatus(status) : ErrorClass::Network, m_pendingSocketError,
                                status, QString()};
        fail(clientError, QStringLiteral("connection failed: ") + m_pendingSocketError);
        return;
    }
    // On an open connection the close (with its code) usually follows at once; if it does not,
    // this error ends the connection by itself.
    QMetaObject::invokeMethod(
        this, [this, generation] { handleDisconnected(generation); }, Qt::QueuedConnection);
}

void RealtimeSocket::handleSslErrors(quint64 generation, const QList<QSslError> &errors)
{
    if (generation != m_generation)
        return;
    // Never ignored: a desk that cannot verify the server must not talk to it.
    QStringList texts;
    for (const QSslError &error : errors)
        texts << error.errorString();
    const QString reason = QStringLiteral("TLS verification failed: ") + texts.join(QStringLiteral("; "));
    qCWarning(lcSocket).noquote() << reason;
    fail(ClientError{ErrorClass::Network, reason, 0, QString()}, reason);
}

void RealtimeSocket::handleText(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    handleDecoded(m_codec.decodeText(utf8), utf8, false);
}

void RealtimeSocket::handleBinary(const QByteArray &frame)
{
    handleDecoded(m_codec.decodeBinary(frame), frame, true);
}

void RealtimeSocket::handleDecoded(DecodeResult &&result, QByteArrayView raw, bool binary)
{
    if (lcProtocol().isDebugEnabled())
        qCDebug(lcProtocol).noquote() << "<<" << (binary ? describeBinary(raw).toUtf8() : redactFrame(raw));
    if (!result.ok()) {
        m_metrics->recordDroppedFrame(raw.size());
        ++m_droppedThisConnection;
        if (m_droppedThisConnection <= DropsLoggedInFull || m_droppedThisConnection % DropLogEvery == 0) {
            const QString text = QStringLiteral("dropped frame (%1, %2 bytes): %3")
                                     .arg(decodeErrorName(result.error))
                                     .arg(raw.size())
                                     .arg(result.reason);
            qCWarning(lcProtocol).noquote() << text << QStringLiteral("[%1 on this connection]").arg(m_droppedThisConnection);
            Q_EMIT errorOccurred(ClientError{ErrorClass::Protocol, text, 0, decodeErrorName(result.error)});
        }
        return;
    }
    m_metrics->recordMessage(raw.size());
    const PhoenixMessage &message = *result.message;
    // Topic "phoenix" carries only heartbeat replies; they are the socket's business.
    if (message.topic == u"phoenix") {
        handleHeartbeatReply(message);
        return;
    }
    Q_EMIT messageReceived(message);
}

void RealtimeSocket::sendHeartbeat()
{
    if (!isConnected() || !m_pendingHeartbeatRef.isEmpty())
        return; // the timeout timer judges the beat in flight
    const QString ref = makeRef();
    const PhoenixMessage heartbeat{QString(), ref, QStringLiteral("phoenix"), QStringLiteral("heartbeat"),
                                   QJsonObject(), std::nullopt};
    if (!sendMessage(heartbeat))
        return;
    m_pendingHeartbeatRef = ref;
    m_heartbeatGraceUsed = false;
    m_heartbeatClock.start();
    m_heartbeatTimeoutTimer.start(m_options.heartbeatTimeout);
}

void RealtimeSocket::handleHeartbeatReply(const PhoenixMessage &message)
{
    if (message.event != u"phx_reply" || message.ref.isEmpty() || message.ref != m_pendingHeartbeatRef) {
        qCDebug(lcSocket) << "ignoring" << message.event << "on topic phoenix, ref" << message.ref;
        return;
    }
    const qint64 roundTrip = m_heartbeatClock.elapsed();
    m_pendingHeartbeatRef.clear();
    m_heartbeatTimeoutTimer.stop();
    const QString status = message.payload.value(QStringLiteral("status")).toString();
    if (status != u"ok")
        qCWarning(lcSocket) << "heartbeat answered with status" << status; // reported, not acted upon (§8)
    // A round trip proves the link works both ways: from now on a failure starts a fresh backoff.
    m_backoff.reset();
    m_nextReconnectRateLimited = false;
    m_metrics->recordLatency(roundTrip);
    m_metrics->setReconnect(0, QDateTime());
    Q_EMIT heartbeatReplied(roundTrip);
}

void RealtimeSocket::handleHeartbeatTimeout()
{
    const qint64 late = m_heartbeatClock.elapsed() - m_options.heartbeatTimeout.count();
    if (late > HeartbeatStallToleranceMs && !m_heartbeatGraceUsed) {
        // Not the link's fault: this thread did not run for a while, and the timer may simply be
        // dispatched before the reply that arrived meanwhile. One short grace to read it.
        m_heartbeatGraceUsed = true;
        qCInfo(lcSocket) << "heartbeat timeout ran" << late << "ms late (event loop stalled); waiting briefly for the reply";
        m_heartbeatTimeoutTimer.start(std::min(m_options.heartbeatTimeout, HeartbeatStallGrace));
        return;
    }
    const QString reason =
        QStringLiteral("heartbeat timeout: no reply within %1 ms").arg(m_options.heartbeatTimeout.count());
    fail(ClientError{ErrorClass::Network, reason, 0, QString()}, reason, QStringLiteral("heartbeat timeout"));
}

void RealtimeSocket::handleConnectTimeout()
{
    const QString reason =
        QStringLiteral("connect timeout: no handshake within %1 ms").arg(m_options.connectTimeout.count());
    fail(ClientError{ErrorClass::Network, reason, 0, QString()}, reason);
}

void RealtimeSocket::handleNetworkOnline(bool online)
{
    m_metrics->setNetworkOnline(online);
    if (online) {
        reconnectNow(QStringLiteral("network back online"));
        return;
    }
    if (m_state == State::Connected) {
        probe(); // maybe only one interface went away; the heartbeat will tell
    } else if (m_state == State::Reconnecting && m_reconnectTimer.isActive()) {
        // Retrying into a dead network only burns attempts.
        m_reconnectTimer.stop();
        m_waitingForNetwork = true;
        m_metrics->setReconnect(m_backoff.attempts(), QDateTime());
        setState(State::Reconnecting, QStringLiteral("network offline; waiting for it to return"));
    }
}

void RealtimeSocket::fail(const ClientError &error, const QString &reason, const QString &closeReason)
{
    const bool wasConnected = m_state == State::Connected;
    stopConnectionTimers();
    releaseWebSocket(closeReason);
    if (wasConnected)
        m_metrics->recordConnectionClosed(true);
    qCWarning(lcSocket).noquote() << reason;
    Q_EMIT errorOccurred(error);
    scheduleReconnect(reason, error.errorClass == ErrorClass::RateLimit || m_nextReconnectRateLimited);
    if (wasConnected)
        Q_EMIT closed(reason);
}

void RealtimeSocket::releaseWebSocket(const QString &closeReason)
{
    QWebSocket *ws = std::exchange(m_ws, nullptr);
    if (!ws)
        return;
    disconnect(ws, nullptr, this, nullptr);
    if (ws->state() == QAbstractSocket::ConnectedState) {
        connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
        QTimer::singleShot(CloseGracePeriod, ws, &QObject::deleteLater);
        ws->close(QWebSocketProtocol::CloseCodeNormal, closeReason.left(100));
        ws->flush(); // hand the close frame (and anything queued before it) to the OS now
    } else {
        ws->abort();
        ws->deleteLater();
    }
}

void RealtimeSocket::stopConnectionTimers()
{
    m_connectTimer.stop();
    m_heartbeatTimer.stop();
    m_heartbeatTimeoutTimer.stop();
    m_pendingHeartbeatRef.clear();
}

void RealtimeSocket::scheduleReconnect(const QString &cause, bool rateLimited)
{
    if (!m_wanted) {
        setState(State::Disconnected, cause);
        return;
    }
    m_nextReconnectRateLimited = false;
    if (networkBlocksRetries()) {
        m_waitingForNetwork = true;
        m_metrics->setReconnect(m_backoff.attempts(), QDateTime());
        setState(State::Reconnecting, cause + QStringLiteral("; network offline, waiting for it to return"));
        return;
    }
    if (m_backoff.exhausted()) {
        m_metrics->setReconnect(m_backoff.attempts(), QDateTime());
        setState(State::GaveUp, QStringLiteral("gave up after %1 attempts: %2").arg(m_backoff.attempts()).arg(cause));
        return;
    }
    const std::chrono::milliseconds delay = m_backoff.next(rateLimited);
    m_reconnectDueMs = QDateTime::currentMSecsSinceEpoch() + delay.count();
    m_reconnectTimer.start(delay);
    m_metrics->setReconnect(m_backoff.attempts(), QDateTime::fromMSecsSinceEpoch(m_reconnectDueMs));
    Q_EMIT reconnectScheduled(m_backoff.attempts(), delay.count(), rateLimited);
    setState(State::Reconnecting, QStringLiteral("%1; retry %2 in %3 ms%4")
                                      .arg(cause)
                                      .arg(m_backoff.attempts())
                                      .arg(delay.count())
                                      .arg(rateLimited ? QStringLiteral(" (rate limited)") : QString()));
}

void RealtimeSocket::setState(State state, const QString &reason)
{
    if (state == m_state && reason == m_stateReason)
        return;
    m_state = state;
    m_stateReason = reason;
    qCInfo(lcSocket).noquote() << "state" << socketStateName(state) << "—" << reason;
    m_metrics->setState(state, reason);
    Q_EMIT stateChanged(state, reason);
}

bool RealtimeSocket::networkBlocksRetries() const
{
    return !m_network->isOnline();
}

} // namespace tf
