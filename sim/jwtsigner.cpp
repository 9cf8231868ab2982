#include "jwtsigner.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace tf::sim {

namespace {

constexpr auto Base64UrlOptions = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

std::optional<QByteArray> fromBase64Url(const QByteArray &part)
{
    auto result = QByteArray::fromBase64Encoding(part, QByteArray::Base64UrlEncoding
                                                           | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

std::optional<QJsonObject> jsonObject(const QByteArray &part)
{
    const auto bytes = fromBase64Url(part);
    if (!bytes)
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// Constant-time comparison: the simulator is a test double, but it should not teach a bad habit.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= char(a.at(i) ^ b.at(i));
    return diff == 0;
}

} // namespace

QString JwtVerification::message() const
{
    switch (error) {
    case JwtError::None:
        return {};
    case JwtError::Malformed:
        return QStringLiteral("The token provided is not a valid JWT");
    case JwtError::BadSignature:
        return QStringLiteral("Failed to validate JWT signature");
    case JwtError::MissingClaims:
        return QStringLiteral("Fields `role` and `exp` are required in JWT");
    case JwtError::InvalidExpiry:
        return QStringLiteral("Token expiration time is invalid");
    case JwtError::Expired:
        return QStringLiteral("Token has expired %1 seconds ago").arg(expiredSecondsAgo);
    }
    return {};
}

QString JwtVerification::joinErrorReason() const
{
    switch (error) {
    case JwtError::None:
        return {};
    case JwtError::Malformed:
        return QStringLiteral("MalformedJWT: ") + message();
    case JwtError::BadSignature:
        return QStringLiteral("JwtSignatureError: ") + message();
    case JwtError::MissingClaims:
    case JwtError::InvalidExpiry:
    case JwtError::Expired:
        return QStringLiteral("InvalidJWTToken: ") + message();
    }
    return {};
}

JwtSigner::JwtSigner(QByteArray secret)
    : m_secret(std::move(secret))
{
}

QByteArray JwtSigner::base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(Base64UrlOptions);
}

QByteArray JwtSigner::signature(const QByteArray &signingInput) const
{
    return QMessageAuthenticationCode::hash(signingInput, m_secret, QCryptographicHash::Sha256);
}

QString JwtSigner::sign(const QJsonObject &claims) const
{
    static const QByteArray header = base64Url(QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})"));
    const QByteArray payload = base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signingInput = QByteArray(header + '.' + payload);
    return QString::fromLatin1(QByteArray(signingInput + '.' + base64Url(signature(signingInput))));
}

JwtVerification JwtSigner::verify(QStringView token, qint64 nowSeconds) const
{
    JwtVerification result;
    const QByteArray bytes = token.toLatin1();
    const QList<QByteArray> parts = bytes.split('.');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty()) {
        result.error = JwtError::Malformed;
        return result;
    }
    const auto header = jsonObject(parts.at(0));
    const auto claims = jsonObject(parts.at(1));
    const auto sig = fromBase64Url(parts.at(2));
    if (!header || !claims || !sig) {
        result.error = JwtError::Malformed;
        return result;
    }
    result.claims = *claims;
    const QByteArray signingInput = QByteArray(parts.at(0) + '.' + parts.at(1));
    if (header->value(QStringLiteral("alg")).toString() != u"HS256" || !sameBytes(*sig, signature(signingInput))) {
        result.error = JwtError::BadSignature;
        return result;
    }
    if (!claims->contains(QStringLiteral("role")) || !claims->contains(QStringLiteral("exp"))) {
        result.error = JwtError::MissingClaims;
        return result;
    }
    const QJsonValue exp = claims->value(QStringLiteral("exp"));
    if (!exp.isDouble()) {
        result.error = JwtError::InvalidExpiry;
        return result;
    }
    const qint64 expSeconds = exp.toInteger();
    if (expSeconds <= nowSeconds) {
        result.error = JwtError::Expired;
        result.expiredSecondsAgo = nowSeconds - expSeconds;
    }
    return result;
}

QJsonObject JwtSigner::unverifiedClaims(QStringView token)
{
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return {};
    return jsonObject(parts.at(1)).value_or(QJsonObject());
}

} // namespace tf::sim
