#include "httpfrontend.h"

#include "faultinjector.h"
#include "gotruehandler.h"
#include "postgresthandler.h"
#include "realtimeendpoint.h"
#include "simlogging.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#include <QHttpServerWebSocketUpgradeResponse>
#endif

namespace tf::sim {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put: return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete: return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post: return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head: return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options: return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch: return QByteArrayLiteral("PATCH");
    default: return QByteArrayLiteral("UNKNOWN");
    }
}

HttpRequest toHttpRequest(const QHttpServerRequest &request)
{
    HttpRequest converted;
    converted.method = methodName(request.method());
    converted.path = request.url().path();
    converted.rawQuery = request.url().query(QUrl::FullyEncoded).toLatin1();
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    for (const auto &[name, value] : request.headers().toListOfPairs())
        converted.headers.append({name, value});
#else
    converted.headers = request.headers();
#endif
    converted.body = request.body();
    return converted;
}

void writeResponse(QHttpServerResponder &responder, const HttpResponse &response)
{
    const auto status = static_cast<QHttpServerResponder::StatusCode>(response.status);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders headers;
    for (const auto &[name, value] : response.headers)
        headers.append(name, value);
    responder.write(response.body, headers, status);
#else
    responder.writeStatusLine(status);
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(response.body.size()));
    responder.writeBody(response.body); // also ends the header block when the body is empty
#endif
}

} // namespace

HttpFrontend::HttpFrontend(PostgrestHandler &rest, GoTrueHandler &auth, RealtimeEndpoint &realtime,
                           FaultInjector &faults, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_rest(rest)
    , m_auth(auth)
    , m_realtime(realtime)
    , m_faults(faults)
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &HttpFrontend::acceptWebSockets);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    // Since 6.8 an upgrade needs a verifier; refusals can carry the status, not the JSON body.
    addWebSocketUpgradeVerifier(this, [this](const QHttpServerRequest &request) {
        const auto refusal = m_realtime.checkConnect(request.url(), request.value(QByteArrayLiteral("x-api-key")));
        if (!refusal)
            return QHttpServerWebSocketUpgradeResponse::accept();
        // The message becomes the status line's reason phrase.
        return QHttpServerWebSocketUpgradeResponse::deny(refusal->httpStatus, refusal->error.toUtf8());
    });
#endif
}

HttpFrontend::~HttpFrontend() = default;

bool HttpFrontend::listenOnLoopback(quint16 port)
{
    if (!m_tcp)
        m_tcp = new QTcpServer(this);
    if (!m_tcp->listen(QHostAddress::LocalHost, port)) {
        qCWarning(lcSim) << "cannot listen on 127.0.0.1:" << port << m_tcp->errorString();
        return false;
    }
    m_port = m_tcp->serverPort();
    bind(m_tcp);
    qCInfo(lcSim) << "listening on 127.0.0.1:" << m_port;
    Q_EMIT listeningChanged(true);
    return true;
}

void HttpFrontend::stopListening()
{
    if (!m_tcp || !m_tcp->isListening())
        return;
    m_tcp->close();
    qCInfo(lcSim) << "stopped listening on port" << m_port;
    Q_EMIT listeningChanged(false);
}

bool HttpFrontend::resumeListening()
{
    if (!m_tcp)
        return false;
    if (m_tcp->isListening())
        return true;
    if (!m_tcp->listen(QHostAddress::LocalHost, m_port)) {
        qCWarning(lcSim) << "cannot listen again on port" << m_port << m_tcp->errorString();
        return false;
    }
    qCInfo(lcSim) << "listening again on port" << m_port;
    Q_EMIT listeningChanged(true);
    return true;
}

bool HttpFrontend::isListening() const
{
    return m_tcp && m_tcp->isListening();
}

void HttpFrontend::dropHttpConnections()
{
    if (!m_tcp)
        return;
    // Accepted sockets stay children of the QTcpServer; upgraded ones belong to the endpoint.
    for (QTcpSocket *socket : m_tcp->findChildren<QTcpSocket *>())
        socket->abort();
}

void HttpFrontend::acceptWebSockets()
{
    while (hasPendingWebSocketConnections())
        m_realtime.acceptSocket(nextPendingWebSocketConnection());
}

bool HttpFrontend::isUpgrade(const QHttpServerRequest &request) const
{
    return request.value(QByteArrayLiteral("upgrade")).compare("websocket", Qt::CaseInsensitive) == 0;
}

HttpResponse HttpFrontend::upgradeRefusal(const QHttpServerRequest &request) const
{
    const auto refusal = m_realtime.checkConnect(request.url(), request.value(QByteArrayLiteral("x-api-key")));
    if (!refusal)
        return HttpResponse::empty(101);
    return HttpResponse::json(refusal->httpStatus, QJsonObject{{QStringLiteral("error"), refusal->error}});
}

HttpResponse HttpFrontend::route(const HttpRequest &request)
{
    HttpResponse response;
    if (request.path.startsWith(u"/rest/v1/"))
        response = m_rest.handle(request);
    else if (request.path.startsWith(u"/auth/v1/"))
        response = m_auth.handle(request);
    else
        response = HttpResponse::json(404, QJsonObject{{QStringLiteral("message"), QStringLiteral("no Route matched with those values")}});
    qCDebug(lcSimHttp) << request.method << request.path << "->" << response.status;
    Q_EMIT requestHandled(request.method, request.path, response.status);
    return response;
}

void HttpFrontend::answer(QHttpServerResponder &&responder, const HttpResponse &response, QTcpSocket *socket)
{
    const QPointer<QTcpSocket> guard(socket);
    const auto deliver = [this, guard](QHttpServerResponder &r, const HttpResponse &resp) {
        if (resp.dropConnection) {
            if (guard)
                guard->abort();
            else
                dropHttpConnections(); // Qt >= 6.5 hides the socket: drop them all
            return;
        }
        if (guard && guard->state() != QAbstractSocket::ConnectedState)
            return; // the client went away meanwhile
        writeResponse(r, resp);
    };
    const std::chrono::milliseconds delay = m_faults.replyDelay();
    if (delay.count() <= 0) {
        deliver(responder, response);
        return;
    }
    // The responder only holds the socket, so it can outlive this call and answer later.
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    const bool hadSocket = socket != nullptr;
    QTimer::singleShot(delay, this, [held, response, guard, hadSocket, deliver] {
        if (hadSocket && !guard)
            return; // the client went away while we were slow
        deliver(*held, response);
    });
}

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (isUpgrade(request)) // true: Qt completes the handshake; false: missingHandler answers
        return upgradeRefusal(request).status == 101;
    answer(makeResponder(request, socket), route(toHttpRequest(request)), socket);
    return true;
}

void HttpFrontend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    writeResponse(responder, isUpgrade(request) ? upgradeRefusal(request) : route(toHttpRequest(request)));
}

#else

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    if (isUpgrade(request))
        return upgradeRefusal(request).status == 101;
    answer(std::move(responder), route(toHttpRequest(request)), nullptr);
    return true;
}

#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
void HttpFrontend::missingHandler(const QHttpServerRequest &request, QHttpServerResponder &&responder)
#else
void HttpFrontend::missingHandler(const QHttpServerRequest &request, QHttpServerResponder &responder)
#endif
{
    writeResponse(responder, isUpgrade(request) ? upgradeRefusal(request) : route(toHttpRequest(request)));
}

#endif

} // namespace tf::sim
