#pragma once

// Client-side helpers for the simulator tests: plain QNetworkAccessManager requests and a raw
// QWebSocket Phoenix client. They speak the wire protocol directly (with the shared codec) and
// deliberately do not use the realtime client library.
#include "phoenixcodec.h"
#include "simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QWebSocket>

#include <functional>
#include <memory>

namespace tf::simtest {

// A config for tests: short timings, no market ticking or trader churn unless a test wants them.
sim::SimConfig fastConfig();

struct HttpResult {
    int status = 0;                  // 0: no HTTP answer (connection dropped)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const;
    QJsonValue json() const;
    QJsonArray array() const { return json().toArray(); }
    QJsonObject object() const { return json().toObject(); }
};

// Synchronous HTTP against a simulator: each call waits (event loop running) for the reply.
class Http {
public:
    explicit Http(QUrl base, QString apiKey);

    // `pathAndQuery` is appended verbatim (percent-encoding is the caller's job).
    HttpResult request(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                       const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 10000);
    HttpResult get(const QString &pathAndQuery, const QString &bearer = {});
    HttpResult post(const QString &pathAndQuery, const QJsonValue &body, const QString &bearer = {},
                    const QByteArray &prefer = {});
    HttpResult patch(const QString &pathAndQuery, const QJsonObject &body, const QString &bearer = {},
                     const QByteArray &prefer = {});
    HttpResult del(const QString &pathAndQuery, const QString &bearer = {}, const QByteArray &prefer = {});

    // Password grant; returns the session object (empty on failure).
    QJsonObject signIn(const QString &email, const QString &password);
    void setApiKey(const QString &key) { m_apiKey = key; }
    QNetworkAccessManager &manager() { return m_manager; }

private:
    QList<QPair<QByteArray, QByteArray>> authHeaders(const QString &bearer) const;

    QUrl m_base;
    QString m_apiKey;
    QNetworkAccessManager m_manager;
};

// One received frame, decoded.
struct Frame {
    PhoenixMessage message;
    bool binary = false;
    QByteArray raw;
};

// A raw Phoenix client over QWebSocket with both serializers.
class Socket : public QObject {
    Q_OBJECT

public:
    Socket(SerializerVersion version, QObject *parent = nullptr);

    // ws://127.0.0.1:<port>/realtime/v1/websocket?apikey=<key>&vsn=<vsn>; waits until open.
    bool open(const QUrl &httpBase, const QString &apiKey);
    bool openUrl(const QUrl &wsUrl);
    bool isOpen() const;
    SerializerVersion version() const { return m_codec.version(); }
    QWebSocket &socket() { return m_socket; }

    QString nextRef() { return QString::number(++m_ref); }
    // Sends a text frame; returns its ref.
    QString push(const QString &topic, const QString &event, const QJsonObject &payload, const QString &joinRef = {});
    void sendBinary(const QByteArray &frame);

    // Joins and returns the join ref (= ref of the phx_join). Does not wait.
    QString join(const QString &topic, const QJsonObject &config, const QString &accessToken = {});
    // Waits for the phx_reply to `ref` and returns its payload ({status, response}).
    std::optional<QJsonObject> waitReply(const QString &ref, int timeoutMs = 5000);
    // Joins and waits for an ok reply; returns the join ref or a null string.
    QString joinOk(const QString &topic, const QJsonObject &config, const QString &accessToken = {});

    // Waits for a frame matching `predicate` received since the last take (frames before it stay).
    std::optional<Frame> waitFor(const std::function<bool(const Frame &)> &predicate, int timeoutMs = 5000);
    std::optional<Frame> waitEvent(const QString &topic, const QString &event, int timeoutMs = 5000);
    // Frames received so far and not yet consumed by waitFor.
    QList<Frame> frames() const { return m_frames; }
    bool hasEvent(const QString &topic, const QString &event) const;
    void clearFrames() { m_frames.clear(); }
    bool waitDisconnected(int timeoutMs = 5000);

Q_SIGNALS:
    void frameReceived();

private:
    QWebSocket m_socket;
    PhoenixCodec m_codec;
    QList<Frame> m_frames;
    int m_ref = 0;
};

// A broadcast/config helper: {"broadcast":{...},"presence":{...},"postgres_changes":[...],"private":b}
QJsonObject channelConfig(const QJsonArray &postgresChanges = {}, bool self = false, bool ack = false,
                          bool presenceEnabled = false, const QString &presenceKey = {}, bool isPrivate = false);
QJsonObject binding(const QString &event, const QString &table, const QString &filter = {});

} // namespace tf::simtest
