#include "resterrors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace tf {

namespace {

// The first line of a non-JSON body (a gateway's HTML page, plain text), kept short.
QString snippet(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(200)).simplified();
    return text.isEmpty() ? QString() : text;
}

QString stringOrNumber(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

} // namespace

ClientError postgrestError(int httpStatus, const QByteArray &body)
{
    ClientError error;
    error.httpStatus = httpStatus;
    error.errorClass = classifyHttpStatus(httpStatus);

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject()) {
        const QJsonObject object = document.object();
        error.code = stringOrNumber(object.value(QLatin1String("code")));
        error.message = object.value(QLatin1String("message")).toString();
    } else {
        error.message = snippet(body);
    }
    if (error.message.isEmpty())
        error.message = QStringLiteral("HTTP %1 without an error message").arg(httpStatus);
    if (error.code == QLatin1String("42501"))
        error.errorClass = ErrorClass::Auth;
    return error;
}

ClientError goTrueError(int httpStatus, const QByteArray &body, const QByteArray &errorCodeHeader)
{
    ClientError error;
    error.httpStatus = httpStatus;
    error.errorClass = classifyHttpStatus(httpStatus);

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject()) {
        const QJsonObject object = document.object();
        // Old shape: {"code": 400, "error_code": "...", "msg": "..."}; new: {"code": "...", "message": "..."}.
        error.code = object.value(QLatin1String("error_code")).toString();
        if (error.code.isEmpty() && object.value(QLatin1String("code")).isString())
            error.code = object.value(QLatin1String("code")).toString();
        if (error.code.isEmpty())
            error.code = object.value(QLatin1String("error")).toString(); // OAuth-style
        for (const char *key : {"msg", "message", "error_description"}) {
            error.message = object.value(QLatin1String(key)).toString();
            if (!error.message.isEmpty())
                break;
        }
    } else {
        error.message = snippet(body);
    }
    if (error.code.isEmpty())
        error.code = QString::fromLatin1(errorCodeHeader);
    if (error.message.isEmpty())
        error.message = error.code.isEmpty() ? QStringLiteral("HTTP %1 without an error message").arg(httpStatus)
                                             : error.code;

    static const QSet<QString> authCodes{
        QStringLiteral("invalid_credentials"), QStringLiteral("email_not_confirmed"),
        QStringLiteral("phone_not_confirmed"), QStringLiteral("user_banned"),
        QStringLiteral("user_not_found"), QStringLiteral("refresh_token_not_found"),
        QStringLiteral("refresh_token_already_used"), QStringLiteral("session_expired"),
        QStringLiteral("session_not_found"), QStringLiteral("bad_jwt"), QStringLiteral("no_authorization"),
        QStringLiteral("invalid_grant")};
    if (authCodes.contains(error.code))
        error.errorClass = ErrorClass::Auth;
    else if (error.code.startsWith(QLatin1String("over_")) && error.code.endsWith(QLatin1String("rate_limit")))
        error.errorClass = ErrorClass::RateLimit;
    else if (error.code == QLatin1String("validation_failed"))
        error.errorClass = ErrorClass::Validation;
    return error;
}

bool isTokenRejection(const ClientError &error, const QByteArray &wwwAuthenticate)
{
    if (error.httpStatus != 401 || error.code == QLatin1String("42501"))
        return false;
    if (error.code == QLatin1String("PGRST301") || error.code == QLatin1String("PGRST302")
        || error.code == QLatin1String("PGRST303"))
        return true;
    return wwwAuthenticate.contains("invalid_token");
}

bool isTerminalRefreshError(const ClientError &error)
{
    // Anything the server refused on its merits (not network, 5xx or rate limits) will be
    // refused again with the same refresh token.
    return error.errorClass == ErrorClass::Auth || error.errorClass == ErrorClass::Validation;
}

} // namespace tf
