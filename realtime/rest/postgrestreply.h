#pragma once

#include "restreply.h"

#include <QJsonArray>
#include <QPointer>
#include <QUrl>

#include <optional>

namespace tf {

class PostgrestClient;

// The outcome of one PostgREST call. On success rows() holds the returned rows (empty for
// return=minimal, and for an idempotent insert whose rows all existed already: that is success).
// If PostgREST rejects the token (401 PGRST301/303) the reply asks the client's token provider
// for a new one and replays the request once; attempts() says whether that happened.
class PostgrestReply : public RestReply
{
    Q_OBJECT

public:
    QJsonArray rows() const { return m_rows; }
    // PostgREST's `details` and `hint` of a failed call (error() holds code and message).
    QString errorDetails() const { return m_details; }
    QString errorHint() const { return m_hint; }
    int attempts() const { return m_attempts; }
    // Method and path with query, for logs and diagnostics (no headers, no body).
    QString description() const;

    // The rows of a 2xx body: a JSON array of row objects, one object (Accept: vnd.pgrst.object)
    // as one row, nothing (return=minimal) as none. nullopt and *error for anything else
    // (malformed JSON, a row that is not an object). Pure.
    static std::optional<QJsonArray> parseRows(const QByteArray &body, QString *error);

private:
    friend class PostgrestClient;
    struct Request {
        QByteArray verb;
        QUrl url;
        QByteArray body;
        QByteArray prefer;
        QByteArray profileHeader; // Accept-Profile or Content-Profile
        QString schema;
    };
    PostgrestReply(PostgrestClient *client, Request request);

    void send();
    void handleResponse() override;
    void retryWithFreshToken(const ClientError &rejection);

    QPointer<PostgrestClient> m_client;
    Request m_request;
    QString m_usedToken;
    QJsonArray m_rows;
    QString m_details;
    QString m_hint;
    int m_attempts = 0;
};

} // namespace tf
