#pragma once

#include "httpmessage.h"

#include <QAbstractHttpServer>
#include <QPointer>
#include <QTcpServer>

class QHttpServerResponder;

namespace tf::sim {

class FaultInjector;
class GoTrueHandler;
class PostgrestHandler;
class RealtimeEndpoint;

// The simulator's one loopback port, as Supabase serves everything behind one host:
//   /rest/v1/*                  -> PostgrestHandler
//   /auth/v1/*                  -> GoTrueHandler
//   /realtime/v1/websocket      -> WebSocket upgrade, handed to RealtimeEndpoint
// Refused upgrades are answered with the server's HTTP status and {"error": ...} body.
// Replies are held back while the "slow replies" fault is on (the responder is kept and
// answered from a timer), and a reply marked dropConnection aborts the TCP connection instead.
class HttpFrontend : public QAbstractHttpServer {
    Q_OBJECT

public:
    HttpFrontend(PostgrestHandler &rest, GoTrueHandler &auth, RealtimeEndpoint &realtime, FaultInjector &faults,
                 QObject *parent = nullptr);
    ~HttpFrontend() override;

    // Listens on 127.0.0.1 only; port 0 picks a free port. The port is kept for resumeListening().
    bool listenOnLoopback(quint16 port);
    // Stops accepting connections (new ones are refused by the OS); existing ones stay.
    void stopListening();
    // Listens again on the same port.
    bool resumeListening();
    bool isListening() const;
    quint16 port() const { return m_port; }

    // Aborts every plain HTTP connection, including idle keep-alive ones.
    void dropHttpConnections();

    // Routes one request (used by the server and by tests without sockets).
    HttpResponse route(const HttpRequest &request);

Q_SIGNALS:
    void listeningChanged(bool listening);
    // A REST/auth request was handled (its reply may still be held back by the delay fault).
    void requestHandled(const QByteArray &method, const QString &path, int status);

protected:
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#elif QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &&responder) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
#endif

private:
    void acceptWebSockets();
    bool isUpgrade(const QHttpServerRequest &request) const;
    HttpResponse upgradeRefusal(const QHttpServerRequest &request) const;
    void answer(QHttpServerResponder &&responder, const HttpResponse &response, QTcpSocket *socket);

    PostgrestHandler &m_rest;
    GoTrueHandler &m_auth;
    RealtimeEndpoint &m_realtime;
    FaultInjector &m_faults;
    QTcpServer *m_tcp = nullptr;
    quint16 m_port = 0;
};

} // namespace tf::sim
