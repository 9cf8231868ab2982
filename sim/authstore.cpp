#include "authstore.h"

#include "simlogging.h"
#include "timestamps.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QUuid>

namespace tf::sim {

namespace {

// The same fixed window as Supabase's well-known local-development keys: issued 2022-01-09,
// valid until 2032-11-12. Deterministic, so a given secret always yields the same keys.
constexpr qint64 ApiKeyIssuedAt = 1641769200;
constexpr qint64 ApiKeyExpiresAt = 1983812996;

QByteArray signaturePart(QStringView token)
{
    const qsizetype dot = token.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QByteArray() : token.mid(dot + 1).toLatin1();
}

} // namespace

AuthStore::AuthStore(QByteArray jwtSecret, std::chrono::seconds tokenLifetime, QObject *parent)
    : QObject(parent)
    , m_signer(std::move(jwtSecret))
    , m_tokenLifetime(tokenLifetime)
{
    const auto apiKey = [this](const QString &role) {
        return m_signer.sign(QJsonObject{{QStringLiteral("iss"), QStringLiteral("supabase-demo")},
                                         {QStringLiteral("role"), role},
                                         {QStringLiteral("iat"), ApiKeyIssuedAt},
                                         {QStringLiteral("exp"), ApiKeyExpiresAt}});
    };
    m_anonKey = apiKey(QStringLiteral("anon"));
    m_serviceRoleKey = apiKey(QStringLiteral("service_role"));
}

void AuthStore::setIssuer(const QString &issuer)
{
    m_issuer = issuer;
}

void AuthStore::setTokenLifetime(std::chrono::seconds lifetime)
{
    m_tokenLifetime = lifetime;
}

qint64 AuthStore::nowSeconds()
{
    return QDateTime::currentSecsSinceEpoch();
}

SimUser AuthStore::addUser(const QString &id, const QString &email, const QString &password)
{
    SimUser user{id, email.toLower(), password, Timestamps::nowMicros()};
    m_users.insert(id, user);
    return user;
}

std::optional<SimUser> AuthStore::userById(const QString &id) const
{
    const auto it = m_users.constFind(id);
    if (it == m_users.cend())
        return std::nullopt;
    return *it;
}

std::optional<SimUser> AuthStore::userByEmail(const QString &email) const
{
    const QString wanted = email.trimmed().toLower();
    for (const SimUser &user : m_users) {
        if (user.email == wanted)
            return user;
    }
    return std::nullopt;
}

QList<SimUser> AuthStore::users() const
{
    QList<SimUser> list = m_users.values();
    std::sort(list.begin(), list.end(), [](const SimUser &a, const SimUser &b) { return a.email < b.email; });
    return list;
}

QString AuthStore::newRefreshToken()
{
    // Legacy GoTrue refresh tokens: 12 lowercase alphanumerics. Not from the seeded market
    // generator: tokens must not be predictable from the seed.
    static constexpr char Alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString token;
    do {
        token.clear();
        for (int i = 0; i < 12; ++i)
            token += QLatin1Char(Alphabet[QRandomGenerator::system()->bounded(36)]);
    } while (m_refreshTokens.contains(token));
    return token;
}

QString AuthStore::signAccessToken(const SimUser &user, const QString &sessionId, qint64 now)
{
    const QJsonObject claims{
        {QStringLiteral("iss"), m_issuer},
        {QStringLiteral("sub"), user.id},
        {QStringLiteral("aud"), QStringLiteral("authenticated")},
        {QStringLiteral("exp"), now + m_tokenLifetime.count()},
        {QStringLiteral("iat"), now},
        {QStringLiteral("email"), user.email},
        {QStringLiteral("phone"), QString()},
        {QStringLiteral("app_metadata"),
         QJsonObject{{QStringLiteral("provider"), QStringLiteral("email")},
                     {QStringLiteral("providers"), QJsonArray{QStringLiteral("email")}}}},
        {QStringLiteral("user_metadata"), QJsonObject()},
        {QStringLiteral("role"), QStringLiteral("authenticated")},
        {QStringLiteral("aal"), QStringLiteral("aal1")},
        {QStringLiteral("amr"), QJsonArray{QJsonObject{{QStringLiteral("method"), QStringLiteral("password")},
                                                      {QStringLiteral("timestamp"), now}}}},
        {QStringLiteral("session_id"), sessionId},
        {QStringLiteral("is_anonymous"), false},
    };
    const QString token = m_signer.sign(claims);
    m_issueSequence.insert(signaturePart(token), m_nextSequence++);
    return token;
}

AuthSession AuthStore::makeSession(const SimUser &user, const QString &sessionId)
{
    const qint64 now = nowSeconds();
    AuthSession session;
    session.accessToken = signAccessToken(user, sessionId, now);
    session.refreshToken = newRefreshToken();
    session.expiresIn = m_tokenLifetime.count();
    session.expiresAt = now + session.expiresIn;
    session.sessionId = sessionId;
    session.user = user;
    m_sessions[sessionId].currentRefreshToken = session.refreshToken;
    m_refreshTokens.insert(session.refreshToken, sessionId);
    return session;
}

AuthSession AuthStore::issueSession(const QString &userId)
{
    const SimUser user = m_users.value(userId);
    const QString sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_sessions.insert(sessionId, Session{userId, QString(), false});
    return makeSession(user, sessionId);
}

GrantResult AuthStore::signInWithPassword(const QString &email, const QString &password)
{
    GrantResult result;
    if (email.trimmed().isEmpty() || password.isEmpty()) {
        result.failure = AuthFailure::MissingCredentials;
        return result;
    }
    const auto user = userByEmail(email);
    if (!user || user->password != password) {
        qCInfo(lcSimHttp) << "password sign-in refused";
        result.failure = AuthFailure::InvalidCredentials;
        return result;
    }
    result.session = issueSession(user->id);
    qCInfo(lcSimHttp) << "signed in user" << user->id;
    return result;
}

GrantResult AuthStore::refresh(const QString &refreshToken)
{
    GrantResult result;
    if (refreshToken.isEmpty()) {
        result.failure = AuthFailure::MissingRefreshToken;
        return result;
    }
    const auto tokenIt = m_refreshTokens.constFind(refreshToken);
    if (tokenIt == m_refreshTokens.cend()) {
        result.failure = AuthFailure::RefreshTokenNotFound;
        return result;
    }
    const QString sessionId = *tokenIt;
    Session &session = m_sessions[sessionId];
    if (session.revoked) {
        result.failure = AuthFailure::RefreshTokenNotFound;
        return result;
    }
    if (session.currentRefreshToken != refreshToken) {
        // Reuse detection: a replayed parent token revokes the whole token family.
        session.revoked = true;
        qCInfo(lcSimHttp) << "refresh token reuse detected; session revoked" << sessionId;
        result.failure = AuthFailure::RefreshTokenAlreadyUsed;
        return result;
    }
    result.session = makeSession(m_users.value(session.userId), sessionId);
    return result;
}

void AuthStore::logout(const QString &userId, const QString &sessionId, const QString &scope)
{
    for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
        if (it->userId != userId)
            continue;
        const bool isThis = it.key() == sessionId;
        if (scope == u"local" ? isThis : scope == u"others" ? !isThis : true)
            it->revoked = true;
    }
}

JwtVerification AuthStore::verify(QStringView token) const
{
    JwtVerification result = m_signer.verify(token, nowSeconds());
    if (!result.ok() || m_cutoffSequence == 0)
        return result;
    const qint64 effective = effectiveExpiry(token);
    if (effective <= nowSeconds()) {
        result.error = JwtError::Expired;
        result.expiredSecondsAgo = nowSeconds() - effective;
    }
    return result;
}

qint64 AuthStore::effectiveExpiry(QStringView token) const
{
    const QJsonObject claims = JwtSigner::unverifiedClaims(token);
    const qint64 exp = claims.value(QStringLiteral("exp")).toInteger();
    if (m_cutoffSequence == 0 || claims.value(QStringLiteral("role")).toString() != u"authenticated")
        return exp;
    const auto issued = m_issueSequence.constFind(signaturePart(token));
    const bool before = issued != m_issueSequence.cend()
        ? *issued <= m_cutoffSequence
        : claims.value(QStringLiteral("iat")).toInteger() <= m_cutoffSeconds; // not issued here
    return before ? std::min(exp, m_cutoffSeconds) : exp;
}

void AuthStore::clearTokenExpiry()
{
    m_cutoffSequence = 0;
}

void AuthStore::expireAllTokens()
{
    m_cutoffSequence = m_nextSequence - 1;
    m_cutoffSeconds = nowSeconds();
    if (m_cutoffSequence == 0)
        m_cutoffSequence = m_nextSequence++; // nothing issued yet: still mark the fault active
    qCInfo(lcSimFaults) << "all user access tokens issued so far are now expired";
    Q_EMIT tokensExpired();
}

} // namespace tf::sim
