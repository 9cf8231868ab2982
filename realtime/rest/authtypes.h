#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tf {

// The signed-in user as GoTrue describes it.
struct AuthUser {
    QString id;    // the JWT `sub`; what RLS policies compare with auth.uid()
    QString email;
    QString role;  // "authenticated"
    QJsonObject raw; // the whole user object (metadata, timestamps)

    bool isValid() const { return !id.isEmpty(); }
};

// A GoTrue token response (§11.7): the secrets of a session. Never log or print it.
struct AuthTokens {
    QString accessToken;
    QString refreshToken;
    qint64 expiresIn = 0;  // seconds, as the server said
    QDateTime expiresAt;   // the server's expires_at, or now + expires_in when absent
    AuthUser user;

    // Reads a token response; on failure returns nullopt and says why in *error (no secrets in it).
    static std::optional<AuthTokens> fromJson(const QJsonObject &object, QString *error);
};

} // namespace tf
