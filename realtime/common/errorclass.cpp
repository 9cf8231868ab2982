#include "errorclass.h"

#include <QStringList>

namespace tf {

Recovery recoveryFor(ErrorClass errorClass)
{
    switch (errorClass) {
    case ErrorClass::Network:
        return Recovery::WaitForNetwork;
    case ErrorClass::Auth:
        return Recovery::RefreshToken;
    case ErrorClass::RateLimit:
        return Recovery::LongBackoff;
    case ErrorClass::Server:
        return Recovery::Retry;
    case ErrorClass::Protocol:
        return Recovery::LogAndSkip;
    case ErrorClass::Validation:
        return Recovery::Fail;
    }
    return Recovery::Retry;
}

QString errorClassName(ErrorClass errorClass)
{
    switch (errorClass) {
    case ErrorClass::Network:
        return QStringLiteral("network");
    case ErrorClass::Auth:
        return QStringLiteral("auth");
    case ErrorClass::RateLimit:
        return QStringLiteral("rate-limit");
    case ErrorClass::Server:
        return QStringLiteral("server");
    case ErrorClass::Protocol:
        return QStringLiteral("protocol");
    case ErrorClass::Validation:
        return QStringLiteral("validation");
    }
    return QStringLiteral("unknown");
}

QString recoveryName(Recovery recovery)
{
    switch (recovery) {
    case Recovery::WaitForNetwork:
        return QStringLiteral("wait-for-network");
    case Recovery::RefreshToken:
        return QStringLiteral("refresh-token");
    case Recovery::LongBackoff:
        return QStringLiteral("long-backoff");
    case Recovery::Retry:
        return QStringLiteral("retry");
    case Recovery::LogAndSkip:
        return QStringLiteral("log-and-skip");
    case Recovery::Fail:
        return QStringLiteral("fail");
    }
    return QStringLiteral("unknown");
}

QString ClientError::toString() const
{
    QString text = errorClassName(errorClass);
    if (httpStatus)
        text += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    if (!code.isEmpty())
        text += QStringLiteral(" [%1]").arg(code);
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    return text;
}

ErrorClass classifyHttpStatus(int status)
{
    if (status == 401 || status == 403)
        return ErrorClass::Auth;
    if (status == 429)
        return ErrorClass::RateLimit;
    if (status >= 500 || status == 408)
        return ErrorClass::Server;
    if (status >= 400)
        return ErrorClass::Validation;
    return ErrorClass::Network; // 0 or a non-HTTP failure
}

ClientError classifyRealtimeReason(const QString &reason)
{
    ClientError error;
    error.message = reason;
    const qsizetype colon = reason.indexOf(QStringLiteral(": "));
    const QString prefix = colon > 0 ? reason.left(colon) : QString();
    // A code prefix is one CamelCase word (e.g. "InvalidJWTToken"); anything else is message text.
    if (!prefix.isEmpty() && !prefix.contains(u' '))
        error.code = prefix;

    static const QStringList authMarkers{
        QStringLiteral("InvalidJWTToken"), QStringLiteral("MalformedJWT"), QStringLiteral("JwtSignatureError"),
        QStringLiteral("JwtSignerError"), QStringLiteral("Unauthorized"), QStringLiteral("Token has expired"),
        QStringLiteral("not a valid JWT"), QStringLiteral("are required in JWT"), QStringLiteral("permission"),
        QStringLiteral("Token expiration time is invalid")};
    static const QStringList rateMarkers{
        QStringLiteral("RateLimitReached"), QStringLiteral("Too many"), QStringLiteral("rate limit"),
        QStringLiteral("Track message size exceeded")};
    static const QStringList protocolMarkers{
        QStringLiteral("unmatched topic"), QStringLiteral("TopicNameRequired"), QStringLiteral("PrivateOnly"),
        QStringLiteral("UnableToReplayMessages: Replay is not allowed"),
        QStringLiteral("UnableToReplayMessages: Replay params are not valid"), QStringLiteral("mismatch between server and client bindings")};

    const auto containsAny = [&reason](const QStringList &markers) {
        for (const QString &marker : markers) {
            if (reason.contains(marker, Qt::CaseInsensitive))
                return true;
        }
        return false;
    };
    if (containsAny(rateMarkers))
        error.errorClass = ErrorClass::RateLimit;
    else if (containsAny(authMarkers))
        error.errorClass = ErrorClass::Auth;
    else if (containsAny(protocolMarkers))
        error.errorClass = ErrorClass::Protocol;
    else
        error.errorClass = ErrorClass::Server; // database initialising, restarting, RPC timeouts, unknown
    return error;
}

} // namespace tf
