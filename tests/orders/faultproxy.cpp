#include "faultproxy.h"

#include <QHostAddress>

namespace tf::testing {

FaultProxy::FaultProxy(const QUrl &upstream, QObject *parent)
    : QObject(parent)
    , m_upstream(upstream)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::accept);
}

FaultProxy::~FaultProxy()
{
    // The sockets die with the server, after the table: they must not call back into it.
    for (const Connection &connection : std::as_const(m_connections)) {
        if (connection.client)
            connection.client->disconnect(this);
        if (connection.upstream)
            connection.upstream->disconnect(this);
    }
    m_connections.clear();
}

bool FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost);
}

QUrl FaultProxy::url() const
{
    QUrl url(QStringLiteral("http://127.0.0.1"));
    url.setPort(m_server.serverPort());
    return url;
}

QByteArray FaultProxy::jsonResponse(int status, const QByteArray &reason, const QByteArray &json,
                                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n"
        + "Content-Type: application/json; charset=utf-8\r\n"
        + "Content-Length: " + QByteArray::number(json.size()) + "\r\n";
    for (const auto &[name, value] : headers)
        response += name + ": " + value + "\r\n";
    return response + "\r\n" + json;
}

void FaultProxy::accept()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *upstream = new QTcpSocket(client); // dies with its client
        m_connections.insert(client, Connection{client, upstream, {}});
        connect(client, &QTcpSocket::readyRead, this, [this, client] { readClient(client); });
        connect(client, &QTcpSocket::disconnected, this, [this, client] { closePair(client); });
        connect(upstream, &QTcpSocket::readyRead, this, [client, upstream] {
            if (client->state() == QAbstractSocket::ConnectedState)
                client->write(upstream->readAll());
        });
        // The simulator aborting a connection (a drop fault) must reach the client as such.
        connect(upstream, &QTcpSocket::disconnected, this, [this, client] { closePair(client); });
        upstream->connectToHost(QHostAddress::LocalHost, quint16(m_upstream.port()));
    }
}

void FaultProxy::readClient(QTcpSocket *client)
{
    auto it = m_connections.find(client);
    if (it == m_connections.end())
        return;
    it->pending += client->readAll();
    // One request at a time: headers, then Content-Length bytes of body.
    while (true) {
        const qsizetype headerEnd = it->pending.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QByteArray head = it->pending.left(headerEnd);
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (it->pending.size() < headerEnd + 4 + length)
            return;
        const QByteArray raw = it->pending.left(headerEnd + 4 + length);
        it->pending.remove(0, raw.size());

        const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
        const ProxiedRequest request{requestLine.value(0), requestLine.value(1), raw.mid(headerEnd + 4)};
        const std::optional<QByteArray> answer = m_interceptor ? m_interceptor(request) : std::nullopt;
        if (answer) {
            ++m_intercepted;
            client->write(*answer);
            continue;
        }
        ++m_forwarded;
        if (it->upstream)
            it->upstream->write(raw); // buffered until connected
    }
}

void FaultProxy::closePair(QTcpSocket *client)
{
    const auto it = m_connections.find(client);
    if (it == m_connections.end())
        return;
    const Connection connection = *it;
    m_connections.erase(it);
    if (connection.upstream)
        connection.upstream->abort();
    if (connection.client) {
        connection.client->abort();
        connection.client->deleteLater();
    }
}

} // namespace tf::testing
