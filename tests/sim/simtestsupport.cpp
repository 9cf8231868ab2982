#include "simtestsupport.h"

#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

namespace tf::simtest {

sim::SimConfig fastConfig()
{
    sim::SimConfig config;
    config.tickHz = 0; // tests step the market by hand
    config.realtime.joinErrorDelay = std::chrono::milliseconds(50);
    config.realtime.postgresSubscribeDelay = std::chrono::milliseconds(50);
    config.traderChurnInterval = std::chrono::milliseconds(0);
    config.restartDowntime = std::chrono::milliseconds(50);
    return config;
}

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonValue HttpResult::json() const
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isArray())
        return doc.array();
    if (doc.isObject())
        return doc.object();
    return {};
}

Http::Http(QUrl base, QString apiKey)
    : m_base(std::move(base))
    , m_apiKey(std::move(apiKey))
{
}

QList<QPair<QByteArray, QByteArray>> Http::authHeaders(const QString &bearer) const
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!m_apiKey.isEmpty())
        headers.append({QByteArrayLiteral("apikey"), m_apiKey.toLatin1()});
    if (!bearer.isEmpty())
        headers.append({QByteArrayLiteral("Authorization"), QByteArray("Bearer " + bearer.toLatin1())});
    return headers;
}

HttpResult Http::request(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                         const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs)
{
    QNetworkRequest request(QUrl(m_base.toString() + pathAndQuery, QUrl::StrictMode));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    if (!reply->isFinished() && !finished.wait(timeoutMs)) {
        reply->abort();
        reply->deleteLater();
        result.error = QNetworkReply::TimeoutError;
        return result;
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return result;
}

HttpResult Http::get(const QString &pathAndQuery, const QString &bearer)
{
    return request("GET", pathAndQuery, {}, authHeaders(bearer));
}

HttpResult Http::post(const QString &pathAndQuery, const QJsonValue &body, const QString &bearer, const QByteArray &prefer)
{
    auto headers = authHeaders(bearer);
    if (!prefer.isEmpty())
        headers.append({QByteArrayLiteral("Prefer"), prefer});
    const QByteArray bytes = body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                                            : QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    return request("POST", pathAndQuery, bytes, headers);
}

HttpResult Http::patch(const QString &pathAndQuery, const QJsonObject &body, const QString &bearer, const QByteArray &prefer)
{
    auto headers = authHeaders(bearer);
    if (!prefer.isEmpty())
        headers.append({QByteArrayLiteral("Prefer"), prefer});
    return request("PATCH", pathAndQuery, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}

HttpResult Http::del(const QString &pathAndQuery, const QString &bearer, const QByteArray &prefer)
{
    auto headers = authHeaders(bearer);
    if (!prefer.isEmpty())
        headers.append({QByteArrayLiteral("Prefer"), prefer});
    return request("DELETE", pathAndQuery, {}, headers);
}

QJsonObject Http::signIn(const QString &email, const QString &password)
{
    const HttpResult result = post(QStringLiteral("/auth/v1/token?grant_type=password"),
                                   QJsonObject{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
    return result.status == 200 ? result.object() : QJsonObject();
}

Socket::Socket(SerializerVersion version, QObject *parent)
    : QObject(parent)
    , m_codec(version, 10 * 1024 * 1024)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const DecodeResult result = m_codec.decodeText(text.toUtf8());
        if (result.ok()) {
            m_frames.append(Frame{*result.message, false, text.toUtf8()});
            Q_EMIT frameReceived();
        }
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) {
        const DecodeResult result = m_codec.decodeBinary(bytes);
        Frame frame;
        frame.binary = true;
        frame.raw = bytes;
        if (result.ok())
            frame.message = *result.message;
        m_frames.append(frame);
        Q_EMIT frameReceived();
    });
}

bool Socket::open(const QUrl &httpBase, const QString &apiKey)
{
    QUrl url = httpBase;
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/realtime/v1/websocket"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("apikey"), apiKey);
    query.addQueryItem(QStringLiteral("vsn"), vsnString(m_codec.version()));
    url.setQuery(query);
    return openUrl(url);
}

bool Socket::openUrl(const QUrl &wsUrl)
{
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    m_socket.open(wsUrl);
    return QTest::qWaitFor([&] { return connected.size() > 0 || disconnected.size() > 0; }, 5000)
        && connected.size() > 0;
}

bool Socket::isOpen() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

QString Socket::push(const QString &topic, const QString &event, const QJsonObject &payload, const QString &joinRef)
{
    const QString ref = nextRef();
    m_socket.sendTextMessage(QString::fromUtf8(
        m_codec.encodeText(PhoenixMessage{joinRef, ref, topic, event, payload, std::nullopt})));
    return ref;
}

void Socket::sendBinary(const QByteArray &frame)
{
    m_socket.sendBinaryMessage(frame);
}

QString Socket::join(const QString &topic, const QJsonObject &config, const QString &accessToken)
{
    QJsonObject payload{{QStringLiteral("config"), config}};
    if (!accessToken.isEmpty())
        payload.insert(QStringLiteral("access_token"), accessToken);
    const QString ref = nextRef();
    m_socket.sendTextMessage(QString::fromUtf8(
        m_codec.encodeText(PhoenixMessage{ref, ref, topic, QStringLiteral("phx_join"), payload, std::nullopt})));
    return ref;
}

std::optional<QJsonObject> Socket::waitReply(const QString &ref, int timeoutMs)
{
    const auto frame = waitFor([&](const Frame &f) {
        return f.message.event == u"phx_reply" && f.message.ref == ref;
    }, timeoutMs);
    if (!frame)
        return std::nullopt;
    return frame->message.payload;
}

QString Socket::joinOk(const QString &topic, const QJsonObject &config, const QString &accessToken)
{
    const QString ref = join(topic, config, accessToken);
    const auto reply = waitReply(ref);
    if (!reply || reply->value(QStringLiteral("status")).toString() != u"ok")
        return {};
    return ref;
}

std::optional<Frame> Socket::waitFor(const std::function<bool(const Frame &)> &predicate, int timeoutMs)
{
    std::optional<Frame> found;
    const auto scan = [&] {
        for (qsizetype i = 0; i < m_frames.size(); ++i) {
            if (predicate(m_frames.at(i))) {
                found = m_frames.takeAt(i);
                return true;
            }
        }
        return false;
    };
    if (scan())
        return found;
    (void)QTest::qWaitFor(scan, timeoutMs);
    return found;
}

std::optional<Frame> Socket::waitEvent(const QString &topic, const QString &event, int timeoutMs)
{
    return waitFor([&](const Frame &f) { return f.message.topic == topic && f.message.event == event; }, timeoutMs);
}

bool Socket::hasEvent(const QString &topic, const QString &event) const
{
    return std::any_of(m_frames.cbegin(), m_frames.cend(), [&](const Frame &f) {
        return f.message.topic == topic && f.message.event == event;
    });
}

bool Socket::waitDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

QJsonObject channelConfig(const QJsonArray &postgresChanges, bool self, bool ack, bool presenceEnabled,
                          const QString &presenceKey, bool isPrivate)
{
    return QJsonObject{
        {QStringLiteral("broadcast"), QJsonObject{{QStringLiteral("self"), self}, {QStringLiteral("ack"), ack}}},
        {QStringLiteral("presence"), QJsonObject{{QStringLiteral("enabled"), presenceEnabled},
                                                 {QStringLiteral("key"), presenceKey}}},
        {QStringLiteral("postgres_changes"), postgresChanges},
        {QStringLiteral("private"), isPrivate},
    };
}

QJsonObject binding(const QString &event, const QString &table, const QString &filter)
{
    QJsonObject entry{{QStringLiteral("event"), event}, {QStringLiteral("schema"), QStringLiteral("public")},
                      {QStringLiteral("table"), table}};
    if (!filter.isEmpty())
        entry.insert(QStringLiteral("filter"), filter);
    return entry;
}

} // namespace tf::simtest
