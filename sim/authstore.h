#pragma once

#include "jwtsigner.h"

#include <QHash>
#include <QObject>

#include <chrono>
#include <optional>

namespace tf::sim {

struct SimUser {
    QString id; // uuid, the JWT `sub`
    QString email;
    QString password;
    qint64 createdAtMicros = 0;
};

// A GoTrue session as the token endpoint returns it (protocol doc §11.7).
struct AuthSession {
    QString accessToken;
    QString refreshToken;
    qint64 expiresAt = 0; // seconds since the epoch
    qint64 expiresIn = 0; // seconds
    QString sessionId;
    SimUser user;
};

// Why a grant failed; GoTrueHandler maps each to its error_code, message and status.
enum class AuthFailure {
    None,
    MissingCredentials,      // no email/password in the body
    InvalidCredentials,
    MissingRefreshToken,
    RefreshTokenNotFound,    // unknown, revoked by logout, or of a revoked session
    RefreshTokenAlreadyUsed, // rotation: an older token of the session was replayed
};

struct GrantResult {
    std::optional<AuthSession> session;
    AuthFailure failure = AuthFailure::None;
};

// The users, sessions and keys of the simulated project (GoTrue's state plus the JWT secret).
//
// Access tokens are HS256 JWTs with the claims a Supabase access token carries; the anon and
// service-role keys are long-lived JWTs like Supabase's legacy API keys. Refresh tokens rotate:
// each refresh returns a new one and replaying an old one fails and revokes the session, as
// GoTrue does with its default reuse interval of 0 s.
class AuthStore : public QObject {
    Q_OBJECT

public:
    explicit AuthStore(QByteArray jwtSecret, std::chrono::seconds tokenLifetime, QObject *parent = nullptr);

    // `iss` of issued access tokens, e.g. http://127.0.0.1:54321/auth/v1 (set once the port is known).
    void setIssuer(const QString &issuer);
    void setTokenLifetime(std::chrono::seconds lifetime);
    std::chrono::seconds tokenLifetime() const { return m_tokenLifetime; }

    QString anonKey() const { return m_anonKey; }
    QString serviceRoleKey() const { return m_serviceRoleKey; }

    SimUser addUser(const QString &id, const QString &email, const QString &password);
    std::optional<SimUser> userById(const QString &id) const;
    std::optional<SimUser> userByEmail(const QString &email) const;
    QList<SimUser> users() const;

    GrantResult signInWithPassword(const QString &email, const QString &password);
    GrantResult refresh(const QString &refreshToken);
    // scope: "global" (every session of the user), "local" (this session), "others".
    void logout(const QString &userId, const QString &sessionId, const QString &scope);
    // Issues a fresh session for a user without a password check (tests, seeding).
    AuthSession issueSession(const QString &userId);

    // Verifies a JWT against the secret and the clock, honouring expireAllTokens().
    JwtVerification verify(QStringView token) const;
    // When the token stops being valid (its `exp`, or earlier after expireAllTokens()).
    qint64 effectiveExpiry(QStringView token) const;

    // Fault: every user access token issued so far counts as expired from now on. API keys are
    // exempt (they are project keys, not sessions); refresh tokens keep working.
    void expireAllTokens();
    // Undoes expireAllTokens(): tokens are judged by their own `exp` again.
    void clearTokenExpiry();

    static qint64 nowSeconds();

Q_SIGNALS:
    // Emitted by expireAllTokens(): holders of tokens (realtime channels) must re-check them.
    void tokensExpired();

private:
    struct Session {
        QString userId;
        QString currentRefreshToken;
        bool revoked = false;
    };

    QString signAccessToken(const SimUser &user, const QString &sessionId, qint64 now);
    AuthSession makeSession(const SimUser &user, const QString &sessionId);
    QString newRefreshToken();

    JwtSigner m_signer;
    std::chrono::seconds m_tokenLifetime;
    QString m_issuer = QStringLiteral("http://127.0.0.1/auth/v1");
    QString m_anonKey;
    QString m_serviceRoleKey;
    QHash<QString, SimUser> m_users;            // by id
    QHash<QString, Session> m_sessions;         // by session id
    QHash<QString, QString> m_refreshTokens;    // token -> session id (current and used ones)
    // Issue order of access tokens (by signature), so the expiry fault can tell tokens issued
    // before it from tokens issued a millisecond later.
    QHash<QByteArray, quint64> m_issueSequence;
    quint64 m_nextSequence = 1;
    quint64 m_cutoffSequence = 0; // 0: no expiry fault active
    qint64 m_cutoffSeconds = 0;
};

} // namespace tf::sim
