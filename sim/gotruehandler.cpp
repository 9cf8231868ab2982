#include "gotruehandler.h"

#include "authstore.h"
#include "simlogging.h"
#include "timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tf::sim {

namespace {

const QString AuthPrefix = QStringLiteral("/auth/v1");

HttpResponse gotrueError(const HttpRequest &request, int status, const QString &errorCode, const QString &message)
{
    const bool newShape = request.header("x-supabase-api-version") == "2024-01-01";
    const QJsonObject body = newShape
        ? QJsonObject{{QStringLiteral("code"), errorCode}, {QStringLiteral("message"), message}}
        : QJsonObject{{QStringLiteral("code"), status}, {QStringLiteral("error_code"), errorCode},
                      {QStringLiteral("msg"), message}};
    return HttpResponse::json(status, body, {{QByteArrayLiteral("x-sb-error-code"), errorCode.toLatin1()}});
}

QJsonObject userJson(const SimUser &user)
{
    const QString created = Timestamps::formatTimestamptz(user.createdAtMicros);
    return QJsonObject{
        {QStringLiteral("id"), user.id},
        {QStringLiteral("aud"), QStringLiteral("authenticated")},
        {QStringLiteral("role"), QStringLiteral("authenticated")},
        {QStringLiteral("email"), user.email},
        {QStringLiteral("email_confirmed_at"), created},
        {QStringLiteral("phone"), QString()},
        {QStringLiteral("confirmed_at"), created},
        {QStringLiteral("last_sign_in_at"), Timestamps::formatTimestamptz(Timestamps::nowMicros())},
        {QStringLiteral("app_metadata"), QJsonObject{{QStringLiteral("provider"), QStringLiteral("email")},
                                                     {QStringLiteral("providers"), QJsonArray{QStringLiteral("email")}}}},
        {QStringLiteral("user_metadata"), QJsonObject()},
        {QStringLiteral("identities"), QJsonArray()},
        {QStringLiteral("created_at"), created},
        {QStringLiteral("updated_at"), created},
        {QStringLiteral("is_anonymous"), false},
    };
}

QJsonObject sessionJson(const AuthSession &session)
{
    return QJsonObject{{QStringLiteral("access_token"), session.accessToken},
                       {QStringLiteral("token_type"), QStringLiteral("bearer")},
                       {QStringLiteral("expires_in"), session.expiresIn},
                       {QStringLiteral("expires_at"), session.expiresAt},
                       {QStringLiteral("refresh_token"), session.refreshToken},
                       {QStringLiteral("user"), userJson(session.user)}};
}

} // namespace

GoTrueHandler::GoTrueHandler(AuthStore &auth)
    : m_auth(auth)
    , m_gate(auth)
{
}

HttpResponse GoTrueHandler::handle(const HttpRequest &request)
{
    if (auto refused = m_gate.checkApiKey(request))
        return *refused;
    const QString route = request.path.mid(AuthPrefix.size());
    const QByteArray method = request.method.toUpper();
    if (route == u"/token" && method == "POST")
        return token(request);
    if (route == u"/logout" && method == "POST")
        return logout(request);
    if (route == u"/user" && method == "GET")
        return user(request);
    if (route == u"/health" && method == "GET") {
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("version"), QStringLiteral("tradefloor-sim")},
                                                   {QStringLiteral("name"), QStringLiteral("GoTrue")},
                                                   {QStringLiteral("description"), QStringLiteral("simulated GoTrue subset")}});
    }
    return gotrueError(request, 404, QStringLiteral("not_found"), QStringLiteral("Not found"));
}

HttpResponse GoTrueHandler::token(const HttpRequest &request)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        return gotrueError(request, 400, QStringLiteral("bad_json"),
                           QStringLiteral("Could not parse request body as JSON: ") + parseError.errorString());
    }
    const QJsonObject body = doc.object();
    const QString grantType = request.queryItem(u"grant_type");

    GrantResult result;
    if (grantType == u"password") {
        const QString email = body.value(QStringLiteral("email")).toString();
        const QString phone = body.value(QStringLiteral("phone")).toString();
        if (!email.isEmpty() && !phone.isEmpty()) {
            return gotrueError(request, 400, QStringLiteral("validation_failed"),
                               QStringLiteral("Only an email address or phone number should be provided on login."));
        }
        if (email.isEmpty()) {
            return gotrueError(request, 400, QStringLiteral("validation_failed"),
                               QStringLiteral("missing email or phone"));
        }
        result = m_auth.signInWithPassword(email, body.value(QStringLiteral("password")).toString());
    } else if (grantType == u"refresh_token") {
        result = m_auth.refresh(body.value(QStringLiteral("refresh_token")).toString());
    } else {
        return gotrueError(request, 400, QStringLiteral("invalid_credentials"), QStringLiteral("unsupported_grant_type"));
    }

    switch (result.failure) {
    case AuthFailure::None:
        return HttpResponse::json(200, sessionJson(*result.session));
    case AuthFailure::MissingCredentials:
    case AuthFailure::InvalidCredentials:
        return gotrueError(request, 400, QStringLiteral("invalid_credentials"), QStringLiteral("Invalid login credentials"));
    case AuthFailure::MissingRefreshToken:
        return gotrueError(request, 400, QStringLiteral("validation_failed"), QStringLiteral("Refresh token is not valid"));
    case AuthFailure::RefreshTokenNotFound:
        return gotrueError(request, 400, QStringLiteral("refresh_token_not_found"),
                           QStringLiteral("Invalid Refresh Token: Refresh Token Not Found"));
    case AuthFailure::RefreshTokenAlreadyUsed:
        return gotrueError(request, 400, QStringLiteral("refresh_token_already_used"),
                           QStringLiteral("Invalid Refresh Token: Already Used"));
    }
    return gotrueError(request, 500, QStringLiteral("unexpected_failure"), QStringLiteral("Unexpected failure"));
}

std::optional<HttpResponse> GoTrueHandler::bearerClaims(const HttpRequest &request, QJsonObject *claims) const
{
    const QString token = RequestGate::bearerToken(request);
    if (token.isEmpty()) {
        return gotrueError(request, 401, QStringLiteral("no_authorization"),
                           QStringLiteral("This endpoint requires a valid Bearer token"));
    }
    const JwtVerification verification = m_auth.verify(token);
    if (!verification.ok()) {
        const QString why = verification.error == JwtError::Expired
            ? QStringLiteral("invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired")
            : QStringLiteral("invalid JWT: unable to parse or verify signature, ") + verification.message();
        return gotrueError(request, 403, QStringLiteral("bad_jwt"), why);
    }
    if (verification.claims.value(QStringLiteral("role")).toString() != u"authenticated") {
        return gotrueError(request, 403, QStringLiteral("bad_jwt"),
                           QStringLiteral("invalid claim: missing sub claim"));
    }
    *claims = verification.claims;
    return std::nullopt;
}

HttpResponse GoTrueHandler::logout(const HttpRequest &request)
{
    QJsonObject claims;
    if (auto refused = bearerClaims(request, &claims))
        return *refused;
    QString scope = request.queryItem(u"scope");
    if (scope.isEmpty())
        scope = QStringLiteral("global");
    if (scope != u"global" && scope != u"local" && scope != u"others") {
        return gotrueError(request, 400, QStringLiteral("validation_failed"),
                           QStringLiteral("Unsupported logout scope \"%1\"").arg(scope));
    }
    m_auth.logout(claims.value(QStringLiteral("sub")).toString(), claims.value(QStringLiteral("session_id")).toString(),
                  scope);
    qCInfo(lcSimHttp) << "logout" << scope;
    return HttpResponse::empty(204);
}

HttpResponse GoTrueHandler::user(const HttpRequest &request)
{
    QJsonObject claims;
    if (auto refused = bearerClaims(request, &claims))
        return *refused;
    const auto found = m_auth.userById(claims.value(QStringLiteral("sub")).toString());
    if (!found)
        return gotrueError(request, 404, QStringLiteral("user_not_found"), QStringLiteral("User from sub claim in JWT does not exist"));
    return HttpResponse::json(200, userJson(*found));
}

} // namespace tf::sim
