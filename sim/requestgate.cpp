#include "requestgate.h"

#include "authstore.h"
#include "dberror.h"

namespace tf::sim {

RequestGate::RequestGate(const AuthStore &auth)
    : m_auth(auth)
{
}

QString RequestGate::apiKey(const HttpRequest &request)
{
    const QByteArray header = request.header("apikey");
    if (!header.isEmpty())
        return QString::fromLatin1(header);
    return request.queryItem(u"apikey");
}

QString RequestGate::bearerToken(const HttpRequest &request)
{
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.size() < 7 || authorization.left(7).compare("bearer ", Qt::CaseInsensitive) != 0)
        return {};
    return QString::fromLatin1(authorization.mid(7).trimmed());
}

std::optional<HttpResponse> RequestGate::checkApiKey(const HttpRequest &request) const
{
    const QString key = apiKey(request);
    if (key.isEmpty()) {
        return HttpResponse::json(401, QJsonObject{{QStringLiteral("message"), QStringLiteral("No API key found in request")},
                                                   {QStringLiteral("hint"), QStringLiteral("No `apikey` request header or url param was found.")}});
    }
    if (key != m_auth.anonKey() && key != m_auth.serviceRoleKey()) {
        return HttpResponse::json(401, QJsonObject{{QStringLiteral("message"), QStringLiteral("Invalid API key")},
                                                   {QStringLiteral("hint"), QStringLiteral("Double check your Supabase `anon` or `service_role` API key.")}});
    }
    return std::nullopt;
}

std::optional<HttpResponse> RequestGate::restCaller(const HttpRequest &request, Caller *caller) const
{
    QString token = bearerToken(request);
    if (token.isNull())
        token = apiKey(request);
    const JwtVerification verification = m_auth.verify(token);
    if (!verification.ok()) {
        DbError error{401, QStringLiteral("PGRST301"), {}, {}, {}};
        QByteArray description;
        switch (verification.error) {
        case JwtError::Expired:
            error.code = QStringLiteral("PGRST303");
            error.message = QStringLiteral("JWT expired");
            break;
        case JwtError::Malformed:
            error.message = QStringLiteral("Expected 3 parts in JWT; got %1").arg(token.count(QLatin1Char('.')) + 1);
            break;
        case JwtError::BadSignature:
            error.message = QStringLiteral("No suitable key or wrong key type");
            break;
        default:
            error.message = QStringLiteral("JWT validation failed: ") + verification.message();
            break;
        }
        description = error.message.toUtf8();
        return HttpResponse::json(error.httpStatus, error.toJson(),
                                  {{QByteArrayLiteral("WWW-Authenticate"),
                                    QByteArray("Bearer error=\"invalid_token\", error_description=\"" + description + '"')}});
    }
    caller->token = token;
    caller->claims = verification.claims;
    caller->access = AccessContext::fromClaims(verification.claims);
    return std::nullopt;
}

} // namespace tf::sim
