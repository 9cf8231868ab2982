#include "authtypes.h"

namespace tf {

std::optional<AuthTokens> AuthTokens::fromJson(const QJsonObject &object, QString *error)
{
    AuthTokens tokens;
    tokens.accessToken = object.value(QLatin1String("access_token")).toString();
    tokens.refreshToken = object.value(QLatin1String("refresh_token")).toString();
    const QJsonObject user = object.value(QLatin1String("user")).toObject();
    tokens.user.id = user.value(QLatin1String("id")).toString();
    tokens.user.email = user.value(QLatin1String("email")).toString();
    tokens.user.role = user.value(QLatin1String("role")).toString();
    tokens.user.raw = user;
    tokens.expiresIn = object.value(QLatin1String("expires_in")).toInteger();
    const qint64 expiresAt = object.value(QLatin1String("expires_at")).toInteger();
    if (expiresAt > 0)
        tokens.expiresAt = QDateTime::fromSecsSinceEpoch(expiresAt, Qt::UTC);
    else if (tokens.expiresIn > 0)
        tokens.expiresAt = QDateTime::currentDateTimeUtc().addSecs(tokens.expiresIn);

    QString missing;
    if (tokens.accessToken.isEmpty())
        missing = QStringLiteral("access_token");
    else if (tokens.refreshToken.isEmpty())
        missing = QStringLiteral("refresh_token");
    else if (!tokens.user.isValid())
        missing = QStringLiteral("user.id");
    else if (!tokens.expiresAt.isValid())
        missing = QStringLiteral("expires_in/expires_at");
    if (!missing.isEmpty()) {
        if (error)
            *error = QStringLiteral("GoTrue token response without %1").arg(missing);
        return std::nullopt;
    }
    return tokens;
}

} // namespace tf
