// Error classification: every realtime reason of protocol doc §10 and the HTTP statuses land in
// the class whose recovery is right for them.
#include "errorclass.h"

#include <QTest>

using namespace tf;

class TestErrorClass : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realtimeReasons_data()
    {
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("code");
        const auto row = [](const char *reason, ErrorClass c, const char *code) {
            QTest::newRow(reason) << QString::fromUtf8(reason) << int(c) << QString::fromUtf8(code);
        };
        row("ChannelRateLimitReached: Too many channels", ErrorClass::RateLimit, "ChannelRateLimitReached");
        row("ClientJoinRateLimitReached: Too many joins per second", ErrorClass::RateLimit, "ClientJoinRateLimitReached");
        row("ConnectionRateLimitReached: Too many connected users", ErrorClass::RateLimit, "ConnectionRateLimitReached");
        row("Too many messages per second", ErrorClass::RateLimit, "");
        row("Client presence rate limit exceeded", ErrorClass::RateLimit, "");
        row("InvalidJWTToken: Token has expired 12 seconds ago", ErrorClass::Auth, "InvalidJWTToken");
        row("MalformedJWT: The token provided is not a valid JWT", ErrorClass::Auth, "MalformedJWT");
        row("JwtSignatureError: Failed to validate JWT signature", ErrorClass::Auth, "JwtSignatureError");
        row("Unauthorized: You do not have permissions to read from this Channel topic: dashboard", ErrorClass::Auth, "Unauthorized");
        row("Token has expired 3 seconds ago", ErrorClass::Auth, "");
        row("You no longer have permission to read from this Channel topic: x", ErrorClass::Auth, "");
        row("unmatched topic", ErrorClass::Protocol, "");
        row("TopicNameRequired: You must provide a topic name", ErrorClass::Protocol, "TopicNameRequired");
        row("PrivateOnly: This project only allows private channels", ErrorClass::Protocol, "PrivateOnly");
        row("InitializingProjectConnection: Connecting to the project database", ErrorClass::Server, "InitializingProjectConnection");
        row("RealtimeRestarting: Realtime is restarting, please standby", ErrorClass::Server, "RealtimeRestarting");
        row("Realtime was unable to connect to the project database", ErrorClass::Server, "");
        row("Unknown Error on Channel", ErrorClass::Server, "");
    }

    void realtimeReasons()
    {
        QFETCH(QString, reason);
        QFETCH(int, expected);
        QFETCH(QString, code);
        const ClientError error = classifyRealtimeReason(reason);
        QCOMPARE(int(error.errorClass), expected);
        QCOMPARE(error.code, code);
        QCOMPARE(error.message, reason);
    }

    void httpStatuses()
    {
        QCOMPARE(classifyHttpStatus(401), ErrorClass::Auth);
        QCOMPARE(classifyHttpStatus(403), ErrorClass::Auth);
        QCOMPARE(classifyHttpStatus(429), ErrorClass::RateLimit);
        QCOMPARE(classifyHttpStatus(500), ErrorClass::Server);
        QCOMPARE(classifyHttpStatus(503), ErrorClass::Server);
        QCOMPARE(classifyHttpStatus(400), ErrorClass::Validation);
        QCOMPARE(classifyHttpStatus(409), ErrorClass::Validation);
        QCOMPARE(classifyHttpStatus(0), ErrorClass::Network);
    }

    void recoveries()
    {
        QCOMPARE(recoveryFor(ErrorClass::Network), Recovery::WaitForNetwork);
        QCOMPARE(recoveryFor(ErrorClass::Auth), Recovery::RefreshToken);
        QCOMPARE(recoveryFor(ErrorClass::RateLimit), Recovery::LongBackoff);
        QCOMPARE(recoveryFor(ErrorClass::Server), Recovery::Retry);
        QCOMPARE(recoveryFor(ErrorClass::Protocol), Recovery::LogAndSkip);
        QCOMPARE(recoveryFor(ErrorClass::Validation), Recovery::Fail);
        const ClientError e{ErrorClass::Auth, QStringLiteral("JWT expired"), 401, QStringLiteral("PGRST303")};
        QCOMPARE(e.toString(), QStringLiteral("auth (HTTP 401) [PGRST303]: JWT expired"));
    }
};

QTEST_GUILESS_MAIN(TestErrorClass)
#include "tst_errorclass.moc"
