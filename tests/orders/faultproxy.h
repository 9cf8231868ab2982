#pragma once

// An HTTP/1.1 proxy between the desk's PostgrestClient and the simulator, for the answers the
// simulator does not give: a project's PostgREST rate limit (429) and the 4xx of the CHECK and
// FOREIGN KEY constraints the simulator does not model (docs/simulator.md, "deviations"). Every
// request is forwarded untouched unless the interceptor answers it. One upstream connection per
// client connection; responses are piped back byte for byte. Clients must not pipeline (Qt's
// QNetworkAccessManager does not), so a local answer never overtakes a forwarded one.

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>
#include <optional>

namespace tf::testing {

struct ProxiedRequest {
    QByteArray method;
    QByteArray target; // path and query, as sent
    QByteArray body;
};

class FaultProxy : public QObject
{
    Q_OBJECT

public:
    // Returns a full HTTP response to send instead of forwarding, or nullopt to forward.
    using Interceptor = std::function<std::optional<QByteArray>(const ProxiedRequest &request)>;

    explicit FaultProxy(const QUrl &upstream, QObject *parent = nullptr);
    ~FaultProxy() override;

    bool listen();
    QUrl url() const;
    void setInterceptor(Interceptor interceptor) { m_interceptor = std::move(interceptor); }

    int forwardedCount() const { return m_forwarded; }
    int interceptedCount() const { return m_intercepted; }

    // A response with a JSON body, e.g. PostgREST's {"code","message","details","hint"}.
    static QByteArray jsonResponse(int status, const QByteArray &reason, const QByteArray &json,
                                   const QList<QPair<QByteArray, QByteArray>> &headers = {});

private:
    struct Connection {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        QByteArray pending; // client bytes not yet parsed into a request
    };

    void accept();
    void readClient(QTcpSocket *client);
    void closePair(QTcpSocket *client);

    QUrl m_upstream;
    QTcpServer m_server;
    QHash<QTcpSocket *, Connection> m_connections; // by client socket
    Interceptor m_interceptor;
    int m_forwarded = 0;
    int m_intercepted = 0;
};

} // namespace tf::testing
