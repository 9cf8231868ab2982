#include "fakesupabase.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QMetaEnum>

QByteArray RecordedRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

FakeSupabase::FakeSupabase(QObject *parent)
    : QObject(parent)
{
    m_handler = [](const RecordedRequest &) { return FakeResponse::json(500, R"({"message":"no handler"})"); };
    const auto respond = [this](const QString &, const QHttpServerRequest &request) {
        const FakeResponse fake = answer(request);
        QHttpServerResponse response(QByteArrayLiteral("application/json"), fake.body,
                                     QHttpServerResponder::StatusCode(fake.status));
        for (const auto &[name, value] : fake.headers)
            response.addHeader(name, value);
        return response;
    };
    m_server.route(QStringLiteral("/rest/v1/<arg>"), respond);
    m_server.route(QStringLiteral("/auth/v1/<arg>"), respond);
}

bool FakeSupabase::start()
{
    m_tcp = new QTcpServer(this);
    if (!m_tcp->listen(QHostAddress::LocalHost, 0))
        return false;
    m_server.bind(m_tcp);
    return true;
}

QUrl FakeSupabase::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_tcp ? m_tcp->serverPort() : 0);
    return url;
}

QList<RecordedRequest> FakeSupabase::requestsTo(const QString &path) const
{
    QList<RecordedRequest> matching;
    for (const RecordedRequest &request : m_requests) {
        if (request.path == path)
            matching << request;
    }
    return matching;
}

FakeResponse FakeSupabase::answer(const QHttpServerRequest &request)
{
    RecordedRequest recorded;
    const char *method = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(request.method()));
    recorded.method = QByteArray(method).toUpper();
    recorded.path = request.url().path();
    recorded.query = request.url().query(QUrl::FullyEncoded).toLatin1();
    recorded.headers = request.headers();
    recorded.body = request.body();
    m_requests << recorded;
    Q_EMIT requestReceived(recorded.path);
    return m_handler(recorded);
}
