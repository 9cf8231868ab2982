#pragma once

// A scripted stand-in for PostgREST (/rest/v1/*) and GoTrue (/auth/v1/*) on 127.0.0.1, built on
// QHttpServer. Every request is recorded exactly as received; answers come from a handler the
// test installs, so each test states the server behaviour it relies on.

#include <QByteArray>
#include <QHttpServer>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <functional>

struct RecordedRequest {
    QByteArray method;   // "GET", "POST", "PATCH", "DELETE"
    QString path;        // "/rest/v1/positions"
    QByteArray query;    // fully encoded, as sent
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const;
};

struct FakeResponse {
    int status = 200;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    static FakeResponse json(int status, const QByteArray &body) { return {status, body, {}}; }
};

class FakeSupabase : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<FakeResponse(const RecordedRequest &)>;

    explicit FakeSupabase(QObject *parent = nullptr);

    bool start();          // listens on a free loopback port
    QUrl url() const;      // http://127.0.0.1:<port>
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    const QList<RecordedRequest> &requests() const { return m_requests; }
    QList<RecordedRequest> requestsTo(const QString &path) const;

Q_SIGNALS:
    void requestReceived(const QString &path);

private:
    FakeResponse answer(const QHttpServerRequest &request);

    QHttpServer m_server;
    QTcpServer *m_tcp = nullptr;
    Handler m_handler;
    QList<RecordedRequest> m_requests;
};
