#pragma once

#include "errorclass.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <chrono>

class QLoggingCategory;
class QNetworkReply;

namespace tf {

// One logical HTTP call to PostgREST or GoTrue. It finishes exactly once: finished() is emitted
// with either isOk() or a classified error(). Like QNetworkReply, the caller owns it once it has
// finished (call deleteLater() in the slot); the client that created it is its parent, so
// replies nobody deletes go away with the client.
class RestReply : public QObject
{
    Q_OBJECT

public:
    ~RestReply() override;

    bool isFinished() const { return m_finished; }
    bool isOk() const { return m_finished && !m_failed; }
    // Meaningful once finished() was emitted and isOk() is false.
    const ClientError &error() const { return m_error; }
    // HTTP status of the last response; 0 when no response arrived (network failure, timeout).
    int httpStatus() const { return m_status; }
    // The raw body of the last response (may hold secrets for GoTrue: never log it).
    QByteArray body() const { return m_body; }
    QByteArray rawHeader(const QByteArray &name) const;

    // Cancels the call; finished() follows with a Network-class error unless it already finished.
    void abort();

Q_SIGNALS:
    void finished();

protected:
    using CategoryFunction = const QLoggingCategory &(*)();
    RestReply(CategoryFunction category, QObject *parent);

    // Watches one network exchange; handleResponse() runs when an HTTP response arrived, network
    // failures (refused, DNS, TLS, timeout) finish the reply here with a Network error.
    void track(QNetworkReply *reply, std::chrono::milliseconds timeout);
    // A complete HTTP response (any status) is available through httpStatus()/body()/rawHeader().
    virtual void handleResponse() = 0;

    void finishOk();
    void finishWithError(const ClientError &error);
    // For requests refused before sending: finishes on the next event-loop pass so the caller has
    // time to connect to finished().
    void finishWithErrorLater(const ClientError &error);

    const QLoggingCategory &category() const { return m_category(); }

private:
    void onNetworkFinished();
    void finish(bool failed, const ClientError &error);

    CategoryFunction m_category;
    QPointer<QNetworkReply> m_reply;
    std::chrono::milliseconds m_timeout{0};
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    QStringList m_sslErrors;
    ClientError m_error;
    int m_status = 0;
    bool m_finished = false;
    bool m_failed = false;
    bool m_aborted = false;
};

} // namespace tf
