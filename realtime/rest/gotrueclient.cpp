#include "gotrueclient.h"

#include "logging.h"
#include "resterrors.h"
#include "restsupport.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace tf {

GoTrueReply::GoTrueReply(bool expectsSession, QObject *parent)
    : RestReply(&lcAuth, parent)
    , m_expectsSession(expectsSession)
{
}

void GoTrueReply::handleResponse()
{
    const int status = httpStatus();
    if (status < 200 || status >= 300) {
        ClientError error = status < 400
            ? ClientError{ErrorClass::Protocol, QStringLiteral("unexpected HTTP %1 from GoTrue").arg(status), status, {}}
            : goTrueError(status, body(), rawHeader("x-sb-error-code"));
        qCWarning(lcAuth) << "GoTrue refused:" << error.toString();
        finishWithError(error);
        return;
    }
    if (!m_expectsSession) {
        finishOk();
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body(), &parseError);
    QString problem;
    std::optional<AuthTokens> tokens;
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        problem = QStringLiteral("malformed JSON from GoTrue: %1").arg(parseError.errorString());
    else
        tokens = AuthTokens::fromJson(document.object(), &problem);
    if (!tokens) {
        qCWarning(lcAuth) << problem;
        finishWithError({ErrorClass::Protocol, problem, status, {}});
        return;
    }
    m_tokens = *tokens;
    finishOk();
}

GoTrueClient::GoTrueClient(const QUrl &projectUrl, const QString &apiKey, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_projectUrl(projectUrl.adjusted(QUrl::StripTrailingSlash))
    , m_baseUrl(detail::endpointUrl(projectUrl, QStringLiteral("/auth/v1")))
    , m_apiKey(apiKey)
    , m_network(network ? network : new QNetworkAccessManager(this))
{
    if (detail::isInsecureRemote(m_baseUrl))
        qCWarning(lcAuth) << "GoTrue at" << m_baseUrl.host() << "over plain http: passwords and tokens travel unencrypted";
}

GoTrueReply *GoTrueClient::signInWithPassword(const QString &email, const QString &password)
{
    const QJsonObject body{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
    qCInfo(lcAuth) << "signing in" << email;
    return post(QStringLiteral("/token"), "grant_type=password", QJsonDocument(body).toJson(QJsonDocument::Compact), {}, true);
}

GoTrueReply *GoTrueClient::refreshSession(const QString &refreshToken)
{
    const QJsonObject body{{QStringLiteral("refresh_token"), refreshToken}};
    qCDebug(lcAuth) << "refreshing session with refresh token" << redactToken(refreshToken);
    return post(QStringLiteral("/token"), "grant_type=refresh_token", QJsonDocument(body).toJson(QJsonDocument::Compact),
                {}, true);
}

GoTrueReply *GoTrueClient::signOut(const QString &accessToken, SignOutScope scope)
{
    const QByteArray query = scope == SignOutScope::Global ? "scope=global"
        : scope == SignOutScope::Others                    ? "scope=others"
                                                           : "scope=local";
    return post(QStringLiteral("/logout"), query, {}, accessToken, false);
}

GoTrueReply *GoTrueClient::post(const QString &path, const QByteArray &query, const QByteArray &body,
                                const QString &bearer, bool expectsSession)
{
    QUrl url = m_baseUrl;
    url.setPath(url.path() + path);
    url.setQuery(QString::fromLatin1(query));
    QNetworkRequest request = detail::apiRequest(url, m_apiKey, bearer, m_timeout);
    // Pins the error shape to {code, message} (§11.9); older shapes are still understood.
    request.setRawHeader("X-Supabase-Api-Version", "2024-01-01");
    auto *reply = new GoTrueReply(expectsSession, this);
    reply->track(m_network->post(request, body), m_timeout);
    return reply;
}

} // namespace tf
