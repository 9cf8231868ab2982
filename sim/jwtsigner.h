#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace tf::sim {

// Why a token was refused. The messages are the Realtime server's wording (protocol doc §1.4,
// §10.2); REST and auth handlers translate the kind into PostgREST/GoTrue shapes themselves.
enum class JwtError {
    None,
    Malformed,      // not three base64url parts of JSON
    BadSignature,   // wrong algorithm or signature
    MissingClaims,  // `role` or `exp` absent
    InvalidExpiry,  // `exp` not a number
    Expired,
};

struct JwtVerification {
    JwtError error = JwtError::None;
    QJsonObject claims;          // filled whenever the payload decoded, even if expired
    qint64 expiredSecondsAgo = 0; // only for Expired

    bool ok() const { return error == JwtError::None; }
    // "Token has expired 12 seconds ago", "The token provided is not a valid JWT", ...
    QString message() const;
    // Realtime's join error reason: "<Code>: <message>", e.g. "InvalidJWTToken: Token has expired 3 seconds ago".
    QString joinErrorReason() const;
};

// Signs and verifies HS256 JSON Web Tokens with one shared secret, as a Supabase project does
// with its JWT secret. Verification takes "now" as an argument so tests can pin the clock.
class JwtSigner {
public:
    explicit JwtSigner(QByteArray secret);

    QString sign(const QJsonObject &claims) const;
    // Checks structure and signature, then the presence of `role` and `exp`, then `exp` > now.
    JwtVerification verify(QStringView token, qint64 nowSeconds) const;

    // Decodes the payload without checking anything (for logs and the expiry fault).
    static QJsonObject unverifiedClaims(QStringView token);

    static QByteArray base64Url(const QByteArray &bytes);

private:
    QByteArray signature(const QByteArray &signingInput) const;

    QByteArray m_secret;
};

} // namespace tf::sim
