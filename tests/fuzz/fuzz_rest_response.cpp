// Fuzz target: the PostgREST and GoTrue response parsers (realtime/rest): the rows of a 2xx
// reply, PostgREST and GoTrue error bodies, the GoTrue token response and the JWT expiry the
// client reads from the access token in it.
//
// Input: two bytes of HTTP status, one byte selecting the x-sb-error-code header, then the body.
// Checks: every error names its status and has a message; a 42501 is never a "refresh the
// token" case, and from PostgREST always an auth refusal; rows are all objects; an accepted token
// response has both tokens, a user id and a valid expiry; a JWT expiry, when read, is a valid
// UTC time.
#include "fuzzsupport.h"

#include "authtypes.h"
#include "postgrestreply.h"
#include "resterrors.h"
#include "tokenexpiry.h"

#include <QJsonDocument>

using namespace tf;

namespace {

void checkError(const ClientError &error, int status, const QString &what)
{
    TF_FUZZ_CHECK(error.httpStatus == status, what);
    TF_FUZZ_CHECK(!error.message.isEmpty(), what + u" without a message");
    // 42501 is PostgreSQL's "insufficient privilege": a policy said no, so a new token cannot help.
    if (error.code == u"42501")
        TF_FUZZ_CHECK(!isTokenRejection(error, "invalid_token"), what);
    if (status != 401)
        TF_FUZZ_CHECK(!isTokenRejection(error, "Bearer error=\"invalid_token\""), what);
    (void)isTerminalRefreshError(error);
    (void)error.toString();
}

void checkExpiry(const QString &token)
{
    const std::optional<QDateTime> expiry = jwtExpiry(token);
    if (expiry)
        TF_FUZZ_CHECK(expiry->isValid() && expiry->offsetFromUtc() == 0, token);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::InputReader input(data, size);
    const int status = 100 + input.u16() % 500;
    const QByteArray header = input.byte() % 2 ? QByteArray("over_request_rate_limit") : QByteArray();
    const QByteArray body = input.rest();

    const ClientError postgrest = postgrestError(status, body);
    checkError(postgrest, status, QStringLiteral("PostgREST error"));
    if (postgrest.code == u"42501") // an RLS refusal is an auth error whatever the status (resterrors.h)
        TF_FUZZ_CHECK(postgrest.errorClass == ErrorClass::Auth, postgrest.toString());
    checkError(goTrueError(status, body, header), status, QStringLiteral("GoTrue error"));

    QString problem;
    if (const auto rows = PostgrestReply::parseRows(body, &problem)) {
        for (const QJsonValue &row : *rows)
            TF_FUZZ_CHECK(row.isObject(), QStringLiteral("a row that is not an object"));
    } else {
        TF_FUZZ_CHECK(!problem.isEmpty(), QStringLiteral("rows refused without a reason"));
    }

    const QJsonObject object = QJsonDocument::fromJson(body).object();
    problem.clear();
    if (const auto tokens = AuthTokens::fromJson(object, &problem)) {
        TF_FUZZ_CHECK(!tokens->accessToken.isEmpty() && !tokens->refreshToken.isEmpty(), QStringLiteral("tokens"));
        TF_FUZZ_CHECK(tokens->user.isValid() && tokens->expiresAt.isValid(), QStringLiteral("user/expiry"));
        checkExpiry(tokens->accessToken);
    } else {
        TF_FUZZ_CHECK(!problem.isEmpty(), QStringLiteral("token response refused without a reason"));
    }
    // The body as the claims of a JWT: a token's payload is server-shaped base64url JSON too.
    checkExpiry(QString::fromUtf8(body));
    checkExpiry(u"eyJhbGciOiJIUzI1NiJ9." + QString::fromLatin1(body.toBase64(QByteArray::Base64UrlEncoding
                                                                             | QByteArray::OmitTrailingEquals))
                + u".c2ln");
    return 0;
}
