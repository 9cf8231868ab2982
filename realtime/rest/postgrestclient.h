#pragma once

#include "errorclass.h"
#include "postgrestquery.h"
#include "postgrestreply.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;

namespace tf {

class AccessTokenProvider;

// What a write returns: nothing (PostgREST's default) or the written rows.
enum class Returning { Minimal, Representation };

// What an insert does with a row whose unique key already exists (§11.5).
enum class OnDuplicate {
    Fail,   // 409 with Postgres 23505, a Validation error
    Ignore, // resolution=ignore-duplicates: the existing row stays, it is left out of rows()
    Merge,  // resolution=merge-duplicates: upsert
};

struct InsertOptions {
    Returning returning = Returning::Representation;
    QStringList onConflict;               // the UNIQUE column(s); empty = the primary key
    OnDuplicate duplicates = OnDuplicate::Fail;

    // Safe to resend: a row whose `column` already exists is skipped, not duplicated or failed.
    static InsertOptions idempotent(const QString &column)
    {
        return {Returning::Representation, {column}, OnDuplicate::Ignore};
    }
    static InsertOptions upsert(const QString &column)
    {
        return {Returning::Representation, {column}, OnDuplicate::Merge};
    }
};

// Client for a project's PostgREST API (<project>/rest/v1). Every request carries `apikey` and
// `Authorization: Bearer <user token, or the key when signed out>`. Calls return a
// PostgrestReply (see RestReply for ownership). Bad input is refused before sending with a
// Validation error on the reply; nothing is thrown and nothing is dropped silently.
//
// Token refresh: with a token provider set, a 401 whose token was rejected (PGRST301/303) makes
// the reply ask the provider for a new token and replay itself once. A second rejection, or a
// 403/42501 (RLS said no with a valid token), reaches the caller as an Auth error and is final.
// Other failures are not retried here: the caller decides (ClientError::recovery()), because
// only it knows whether resending a write is safe (use InsertOptions::idempotent for that).
class PostgrestClient : public QObject
{
    Q_OBJECT

public:
    // `network` may be shared (the app's QNetworkAccessManager); without one the client owns its own.
    explicit PostgrestClient(const QUrl &projectUrl, const QString &apiKey,
                             QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);
    ~PostgrestClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    QString apiKey() const { return m_apiKey; }

    // Not owned; must outlive the client (or be reset to nullptr first).
    void setTokenProvider(AccessTokenProvider *provider) { m_provider = provider; }
    AccessTokenProvider *tokenProvider() const { return m_provider; }
    // A fixed user token for when there is no provider (e.g. the CLI's --token).
    void setAccessToken(const QString &token) { m_fixedToken = token; }

    // Schema other than "public" (Accept-Profile / Content-Profile headers).
    void setSchema(const QString &schema) { m_schema = schema; }
    QString schema() const { return m_schema; }

    // Abort a request when no data moved for this long. Default 30 s.
    void setTransferTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds transferTimeout() const { return m_timeout; }

    // GET /rest/v1/<table>?<query>; rows() is the JSON array PostgREST returned.
    PostgrestReply *select(const QString &table, const PostgrestQuery &query = {});
    // POST one row or a bulk array (all objects with the same keys). An empty array succeeds
    // at once without a request.
    PostgrestReply *insert(const QString &table, const QJsonObject &row, const InsertOptions &options = {});
    PostgrestReply *insert(const QString &table, const QJsonArray &rows, const InsertOptions &options = {});
    // PATCH / DELETE the rows matching `filters`. A write without any filter is refused: it would
    // touch every row the user can see (Supabase's safeupdate would refuse it anyway).
    PostgrestReply *update(const QString &table, const PostgrestQuery &filters, const QJsonObject &patch,
                           Returning returning = Returning::Representation);
    PostgrestReply *remove(const QString &table, const PostgrestQuery &filters,
                           Returning returning = Returning::Minimal);

Q_SIGNALS:
    // PostgREST rejected the bearer token. Emitted for every rejection, whether or not a provider
    // is set; without one, connect it to AuthSession::refreshNow.
    void accessTokenRejected(const tf::ClientError &error);

private:
    friend class PostgrestReply;
    PostgrestReply *start(const QByteArray &verb, const QString &table, const QByteArray &query,
                          const QByteArray &body, const QByteArray &prefer, bool write);
    PostgrestReply *refuse(const QString &message);
    QString currentToken() const;
    QNetworkAccessManager *network() const { return m_network; }

    QUrl m_baseUrl;
    QString m_apiKey;
    QString m_schema;
    QString m_fixedToken;
    QNetworkAccessManager *m_network = nullptr;
    AccessTokenProvider *m_provider = nullptr;
    std::chrono::milliseconds m_timeout{30000};
};

} // namespace tf
