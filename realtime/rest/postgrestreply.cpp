#include "postgrestreply.h"

#include "accesstokenprovider.h"
#include "logging.h"
#include "postgrestclient.h"
#include "restsupport.h"
#include "resterrors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace tf {

PostgrestReply::PostgrestReply(PostgrestClient *client, Request request)
    : RestReply(&lcRest, client)
    , m_client(client)
    , m_request(std::move(request))
{
}

QString PostgrestReply::description() const
{
    return QString::fromLatin1(m_request.verb) + u' ' + m_request.url.path(QUrl::FullyEncoded)
        + (m_request.url.hasQuery() ? u'?' + m_request.url.query(QUrl::FullyEncoded) : QString());
}

std::optional<QJsonArray> PostgrestReply::parseRows(const QByteArray &body, QString *error)
{
    const QByteArray payload = body.trimmed();
    if (payload.isEmpty())
        return QJsonArray();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("malformed JSON from PostgREST: %1 at offset %2")
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    // Rows come as an array; a single object (Accept: vnd.pgrst.object) is one row.
    const QJsonArray rows = document.isArray() ? document.array() : QJsonArray{document.object()};
    for (qsizetype i = 0; i < rows.size(); ++i) {
        // A row that is not an object has no primary key: refuse the reply rather than feed a
        // keyless row to a model.
        if (!rows.at(i).isObject()) {
            *error = QStringLiteral("malformed reply from PostgREST: row %1 is not a JSON object").arg(i);
            return std::nullopt;
        }
    }
    return rows;
}

void PostgrestReply::send()
{
    if (!m_client) {
        finishWithError({ErrorClass::Network, QStringLiteral("the PostgREST client was destroyed"), 0, {}});
        return;
    }
    ++m_attempts;
    m_usedToken = m_client->currentToken();
    QNetworkRequest request = detail::apiRequest(m_request.url, m_client->apiKey(), m_usedToken,
                                                 m_client->transferTimeout());
    if (!m_request.prefer.isEmpty())
        request.setRawHeader("Prefer", m_request.prefer);
    if (!m_request.schema.isEmpty())
        request.setRawHeader(m_request.profileHeader, m_request.schema.toUtf8());
    qCDebug(lcRest) << "->" << description() << "attempt" << m_attempts << "as"
                    << (m_usedToken.isEmpty() ? "anon key" : "user");
    track(m_client->network()->sendCustomRequest(request, m_request.verb, m_request.body),
          m_client->transferTimeout());
}

void PostgrestReply::handleResponse()
{
    const int status = httpStatus();
    if (status >= 200 && status < 300) {
        QString problem;
        const auto rows = parseRows(body(), &problem);
        if (!rows) {
            const ClientError error{ErrorClass::Protocol, problem, status, {}};
            qCWarning(lcRest) << description() << error.toString();
            finishWithError(error);
            return;
        }
        m_rows = *rows;
        qCDebug(lcRest) << "<-" << description() << status << m_rows.size() << "rows";
        finishOk();
        return;
    }

    ClientError error;
    if (status < 400) {
        error = {ErrorClass::Protocol, QStringLiteral("unexpected HTTP %1 from PostgREST").arg(status), status, {}};
    } else {
        error = postgrestError(status, body());
        const QJsonObject object = QJsonDocument::fromJson(body()).object();
        m_details = object.value(QLatin1String("details")).toString();
        m_hint = object.value(QLatin1String("hint")).toString();
    }
    if (isTokenRejection(error, rawHeader("WWW-Authenticate"))) {
        if (m_client)
            Q_EMIT m_client->accessTokenRejected(error);
        if (m_attempts == 1) {
            retryWithFreshToken(error);
            return;
        }
    }
    qCWarning(lcRest) << description() << "failed:" << error.toString();
    finishWithError(error);
}

void PostgrestReply::retryWithFreshToken(const ClientError &rejection)
{
    AccessTokenProvider *provider = m_client ? m_client->tokenProvider() : nullptr;
    const QString current = provider ? provider->accessToken() : QString();
    if (provider && !current.isEmpty() && current != m_usedToken) {
        // Someone refreshed while this request was under way: the new token is already here.
        qCInfo(lcRest) << description() << "token rejected; replaying with the newer token";
        send();
        return;
    }
    if (!provider || m_usedToken.isEmpty()) {
        // No way to get another token (or only the project key was sent): nothing to replay.
        qCWarning(lcRest) << description() << "failed:" << rejection.toString();
        finishWithError(rejection);
        return;
    }
    qCInfo(lcRest) << description() << "token rejected (" << rejection.code << "); refreshing, then replaying once";
    QPointer<PostgrestReply> self(this);
    provider->refreshAccessToken(QStringLiteral("PostgREST rejected the token (%1)").arg(rejection.code),
                                 [self, rejection](bool ok) {
        if (!self || self->isFinished())
            return; // aborted or deleted while the token was being refreshed
        const QString fresh = self->m_client && self->m_client->tokenProvider()
            ? self->m_client->tokenProvider()->accessToken() : QString();
        // Trust the provider's ok even if the string is unchanged (a refresh within the same
        // second can mint an identical JWT); attempts() caps this at one replay.
        if (ok && !fresh.isEmpty()) {
            self->send();
            return;
        }
        qCWarning(lcRest) << self->description() << "failed, no fresh token:" << rejection.toString();
        self->finishWithError(rejection);
    });
}

} // namespace tf
