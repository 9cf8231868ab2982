// AuthSession + GoTrueClient against an in-test GoTrue that rotates refresh tokens like the real
// one (a used token is refused with refresh_token_already_used), plus PostgrestClient using the
// session as its token provider.
#include "authsession.h"
#include "fakesupabase.h"
#include "gotrueclient.h"
#include "logcapture.h"
#include "memorysecretbackend.h"
#include "postgrestclient.h"
#include "resterrors.h"
#include "tokenstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace tf;

namespace {

const QString kKey = QStringLiteral("anon-key-for-tests");
const QString kEmail = QStringLiteral("trader@example.com");
const QString kPassword = QStringLiteral("correct horse battery staple");
const QString kUserId = QStringLiteral("2f4f0c1e-7d7a-4c1b-9a43-5b8f2e9d1a01");

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// GoTrue's /token and /logout, with rotation: each refresh token works once.
class FakeGoTrue
{
public:
    int lifetime = 3600;
    QSet<QString> liveRefreshTokens;
    QList<FakeResponse> scriptedRefreshAnswers; // answered (in order) before the normal logic
    QStringList accessTokensIssued;
    QString lastRefreshToken;
    int counter = 0;

    FakeResponse handle(const RecordedRequest &request)
    {
        const QUrlQuery query(QString::fromLatin1(request.query));
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        if (request.path == QLatin1String("/auth/v1/logout"))
            return FakeResponse::json(204, QByteArray());
        if (request.path != QLatin1String("/auth/v1/token"))
            return FakeResponse::json(404, R"({"code":"not_found","message":"no route"})");
        const QString grant = query.queryItemValue(QStringLiteral("grant_type"));
        if (grant == QLatin1String("password")) {
            if (body.value(QLatin1String("email")).toString() != kEmail
                || body.value(QLatin1String("password")).toString() != kPassword)
                return FakeResponse{400, R"({"code":400,"error_code":"invalid_credentials","msg":"Invalid login credentials"})",
                                    {{"x-sb-error-code", "invalid_credentials"}}};
            return session();
        }
        if (grant == QLatin1String("refresh_token")) {
            if (!scriptedRefreshAnswers.isEmpty())
                return scriptedRefreshAnswers.takeFirst();
            const QString token = body.value(QLatin1String("refresh_token")).toString();
            if (!liveRefreshTokens.remove(token))
                return FakeResponse{400, R"({"code":"refresh_token_already_used","message":"Invalid Refresh Token: Already Used"})",
                                    {{"x-sb-error-code", "refresh_token_already_used"}}};
            return session();
        }
        return FakeResponse::json(400, R"({"code":"invalid_credentials","message":"unsupported_grant_type"})");
    }

    FakeResponse session()
    {
        ++counter;
        const qint64 exp = QDateTime::currentSecsSinceEpoch() + lifetime;
        const QJsonObject claims{{QStringLiteral("sub"), kUserId}, {QStringLiteral("exp"), exp},
                                 {QStringLiteral("role"), QStringLiteral("authenticated")}, {QStringLiteral("n"), counter}};
        const QString access = QString::fromLatin1(base64Url(R"({"alg":"HS256","typ":"JWT"})") + '.'
                                                   + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.'
                                                   + base64Url("signature-" + QByteArray::number(counter)));
        lastRefreshToken = QStringLiteral("refresh-%1-x7k2").arg(counter);
        liveRefreshTokens.insert(lastRefreshToken);
        accessTokensIssued << access;
        const QJsonObject user{{QStringLiteral("id"), kUserId}, {QStringLiteral("email"), kEmail},
                               {QStringLiteral("role"), QStringLiteral("authenticated")},
                               {QStringLiteral("aud"), QStringLiteral("authenticated")}};
        const QJsonObject response{{QStringLiteral("access_token"), access}, {QStringLiteral("token_type"), QStringLiteral("bearer")},
                                   {QStringLiteral("expires_in"), lifetime}, {QStringLiteral("expires_at"), exp},
                                   {QStringLiteral("refresh_token"), lastRefreshToken}, {QStringLiteral("user"), user}};
        return FakeResponse::json(200, QJsonDocument(response).toJson(QJsonDocument::Compact));
    }
};

} // namespace

class TestAuthSession : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeSupabase> m_server;
    FakeGoTrue m_gotrue;
    std::unique_ptr<GoTrueClient> m_client;
    MemorySecretBackend *m_keychain = nullptr;
    std::unique_ptr<TokenStore> m_store;
    std::unique_ptr<AuthSession> m_session;
    // PostgREST side: only the newest access token is accepted.
    int m_restCalls = 0;

    QString account() const { return m_session->accountFor(kEmail); }
    QString stored() const { return m_keychain->secret(m_store->service(), account()); }
    int refreshRequests() const
    {
        int count = 0;
        for (const RecordedRequest &request : m_server->requestsTo(QStringLiteral("/auth/v1/token")))
            count += request.query == "grant_type=refresh_token";
        return count;
    }

    bool signIn()
    {
        QSignalSpy signedIn(m_session.get(), &AuthSession::signedIn);
        m_session->signInWithPassword(kEmail, kPassword);
        return signedIn.wait(10000);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeSupabase>();
        QVERIFY(m_server->start());
        m_gotrue = FakeGoTrue();
        m_restCalls = 0;
        m_server->setHandler([this](const RecordedRequest &request) {
            if (request.path.startsWith(QLatin1String("/rest/v1/"))) {
                ++m_restCalls;
                if (request.header("Authorization") != "Bearer " + m_gotrue.accessTokensIssued.value(m_gotrue.accessTokensIssued.size() - 1).toUtf8())
                    return FakeResponse::json(401, R"({"code":"PGRST303","details":null,"hint":null,"message":"JWT expired"})");
                return FakeResponse::json(200, R"([{"id":1}])");
            }
            return m_gotrue.handle(request);
        });
        m_client = std::make_unique<GoTrueClient>(m_server->url(), kKey);
        m_keychain = new MemorySecretBackend;
        m_store = std::make_unique<TokenStore>(QStringLiteral("TradingFloorTest"), m_keychain, nullptr);
        m_session = std::make_unique<AuthSession>(m_client.get(), m_store.get());
        BackoffPolicy fast;
        fast.base = std::chrono::milliseconds(10);
        fast.cap = std::chrono::milliseconds(50);
        fast.rateLimitFloor = std::chrono::milliseconds(20);
        m_session->setRetryPolicy(fast);
    }

    void cleanup()
    {
        m_session.reset();
        m_store.reset();
        m_client.reset();
        m_server.reset();
    }

    void signInStoresTheRefreshTokenBeforeAnnouncing()
    {
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        QSignalSpy states(m_session.get(), &AuthSession::stateChanged);
        QString storedWhenAnnounced;
        connect(m_session.get(), &AuthSession::signedIn, this, [this, &storedWhenAnnounced] { storedWhenAnnounced = stored(); });
        QSignalSpy signedIn(m_session.get(), &AuthSession::signedIn);
        m_session->signInWithPassword(kEmail, kPassword);
        QCOMPARE(m_session->state(), AuthSession::State::SigningIn);
        QVERIFY(signedIn.wait());

        QCOMPARE(storedWhenAnnounced, m_gotrue.lastRefreshToken);
        QCOMPARE(signedIn.first().first().value<AuthUser>().id, kUserId);
        QCOMPARE(m_session->state(), AuthSession::State::SignedIn);
        QCOMPARE(m_session->userId(), kUserId);
        QCOMPARE(m_session->email(), kEmail);
        QCOMPARE(m_session->accessToken(), m_gotrue.accessTokensIssued.last());
        QVERIFY(m_session->expiresAt() > QDateTime::currentDateTimeUtc().addSecs(3000));
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens.first().first().toString(), m_gotrue.accessTokensIssued.last());
        QCOMPARE(states.size(), 2); // SigningIn, SignedIn
        QCOMPARE(account(), m_server->url().toString() + QStringLiteral("|trader@example.com"));

        const RecordedRequest &sent = m_server->requests().first();
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.path, QStringLiteral("/auth/v1/token"));
        QCOMPARE(sent.query, QByteArray("grant_type=password"));
        QCOMPARE(sent.header("apikey"), kKey.toUtf8());
        QCOMPARE(sent.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
        QCOMPARE(body.value(QLatin1String("email")).toString(), kEmail);
        QCOMPARE(body.value(QLatin1String("password")).toString(), kPassword);
    }

    void wrongPasswordIsAnAuthError()
    {
        QSignalSpy errors(m_session.get(), &AuthSession::sessionError);
        QSignalSpy signedIn(m_session.get(), &AuthSession::signedIn);
        m_session->signInWithPassword(kEmail, QStringLiteral("wrong"));
        QVERIFY(errors.wait());
        const ClientError error = errors.first().first().value<ClientError>();
        QCOMPARE(error.errorClass, ErrorClass::Auth);
        QCOMPARE(error.code, QStringLiteral("invalid_credentials"));
        QCOMPARE(error.message, QStringLiteral("Invalid login credentials"));
        QCOMPARE(error.httpStatus, 400);
        QCOMPARE(m_session->state(), AuthSession::State::SignedOut);
        QCOMPARE(signedIn.size(), 0);
        QVERIFY(m_keychain->isEmpty());
    }

    void missingCredentialsAreRefusedLocally()
    {
        QSignalSpy errors(m_session.get(), &AuthSession::sessionError);
        m_session->signInWithPassword(QStringLiteral("  "), kPassword);
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().first().value<ClientError>().errorClass, ErrorClass::Validation);
        QVERIFY(m_server->requests().isEmpty());
    }

    void goTrueErrorShapes_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("errorClass");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("legacy shape") << 400 << QByteArray(R"({"code":400,"error_code":"invalid_credentials","msg":"Invalid login credentials"})")
                                      << QByteArray() << int(ErrorClass::Auth) << QStringLiteral("invalid_credentials")
                                      << QStringLiteral("Invalid login credentials");
        QTest::newRow("2024-01-01 shape") << 400 << QByteArray(R"({"code":"refresh_token_not_found","message":"Invalid Refresh Token: Refresh Token Not Found"})")
                                          << QByteArray() << int(ErrorClass::Auth) << QStringLiteral("refresh_token_not_found")
                                          << QStringLiteral("Invalid Refresh Token: Refresh Token Not Found");
        QTest::newRow("header only") << 403 << QByteArray(R"({"message":"Email not confirmed"})") << QByteArray("email_not_confirmed")
                                     << int(ErrorClass::Auth) << QStringLiteral("email_not_confirmed") << QStringLiteral("Email not confirmed");
        QTest::newRow("oauth shape") << 400 << QByteArray(R"({"error":"invalid_grant","error_description":"Invalid Refresh Token"})")
                                     << QByteArray() << int(ErrorClass::Auth) << QStringLiteral("invalid_grant")
                                     << QStringLiteral("Invalid Refresh Token");
        QTest::newRow("rate limit") << 429 << QByteArray(R"({"code":"over_request_rate_limit","message":"Request rate limit reached"})")
                                    << QByteArray() << int(ErrorClass::RateLimit) << QStringLiteral("over_request_rate_limit")
                                    << QStringLiteral("Request rate limit reached");
        QTest::newRow("validation") << 400 << QByteArray(R"({"code":"validation_failed","message":"Refresh token is not valid"})")
                                    << QByteArray() << int(ErrorClass::Validation) << QStringLiteral("validation_failed")
                                    << QStringLiteral("Refresh token is not valid");
        QTest::newRow("server") << 500 << QByteArray(R"({"code":"unexpected_failure","message":"boom"})") << QByteArray()
                                << int(ErrorClass::Server) << QStringLiteral("unexpected_failure") << QStringLiteral("boom");
        QTest::newRow("not json") << 502 << QByteArray("Bad Gateway") << QByteArray() << int(ErrorClass::Server) << QString()
                                  << QStringLiteral("Bad Gateway");
    }

    void goTrueErrorShapes()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, header);
        QFETCH(int, errorClass);
        QFETCH(QString, code);
        QFETCH(QString, message);
        m_server->setHandler([&](const RecordedRequest &) {
            FakeResponse response = FakeResponse::json(status, body);
            if (!header.isEmpty())
                response.headers.append({"x-sb-error-code", header});
            return response;
        });
        std::unique_ptr<GoTrueReply> reply(m_client->signInWithPassword(kEmail, kPassword));
        QSignalSpy finished(reply.get(), &RestReply::finished);
        QVERIFY(finished.wait());
        QCOMPARE(int(reply->error().errorClass), errorClass);
        QCOMPARE(reply->error().code, code);
        QCOMPARE(reply->error().message, message);
        QCOMPARE(reply->error().httpStatus, status);
    }

    void malformedTokenResponseIsAProtocolError()
    {
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(200, R"({"access_token":"x"})"); });
        QSignalSpy errors(m_session.get(), &AuthSession::sessionError);
        m_session->signInWithPassword(kEmail, kPassword);
        QVERIFY(errors.wait());
        QCOMPARE(errors.first().first().value<ClientError>().errorClass, ErrorClass::Protocol);
        QCOMPARE(m_session->state(), AuthSession::State::SignedOut);
    }

    void refreshRotatesAndPersistsBeforeUse()
    {
        QVERIFY(signIn());
        const QString firstRefresh = m_gotrue.lastRefreshToken;
        QString storedWhenUsed;
        connect(m_session.get(), &AuthSession::accessTokenChanged, this, [this, &storedWhenUsed] { storedWhenUsed = stored(); });
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        QSignalSpy signedIn(m_session.get(), &AuthSession::signedIn);
        m_session->refreshNow(QStringLiteral("test"));
        QVERIFY(m_session->isRefreshing());
        QVERIFY(tokens.wait());

        QVERIFY(m_gotrue.lastRefreshToken != firstRefresh);
        QCOMPARE(storedWhenUsed, m_gotrue.lastRefreshToken); // the new one was on disk first
        QCOMPARE(tokens.first().first().toString(), m_gotrue.accessTokensIssued.last());
        QCOMPARE(m_session->accessToken(), m_gotrue.accessTokensIssued.last());
        QCOMPARE(signedIn.size(), 0); // a refresh is not a new sign-in
        QVERIFY(!m_session->isRefreshing());
        const QList<RecordedRequest> sent = m_server->requestsTo(QStringLiteral("/auth/v1/token"));
        QCOMPARE(sent.last().query, QByteArray("grant_type=refresh_token"));
        QCOMPARE(QJsonDocument::fromJson(sent.last().body).object().value(QLatin1String("refresh_token")).toString(), firstRefresh);
    }

    void alreadyUsedTokenAsksForSignInWithoutLooping()
    {
        QVERIFY(signIn());
        m_gotrue.liveRefreshTokens.clear(); // e.g. another process already rotated it
        QSignalSpy required(m_session.get(), &AuthSession::signInRequired);
        QSignalSpy signedOut(m_session.get(), &AuthSession::signedOut);
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        QSignalSpy errors(m_session.get(), &AuthSession::sessionError);
        m_session->refreshNow(QStringLiteral("test"));
        QVERIFY(required.wait());
        QCOMPARE(required.first().first().toString(), QStringLiteral("refresh_token_already_used"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().first().value<ClientError>().errorClass, ErrorClass::Auth);
        QCOMPARE(signedOut.size(), 1);
        QCOMPARE(tokens.size(), 1);
        QVERIFY(tokens.first().first().toString().isEmpty());
        QCOMPARE(m_session->state(), AuthSession::State::SignedOut);
        QVERIFY(m_session->accessToken().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(stored().isEmpty(), 5000); // the dead token is not kept

        // Nothing retries on its own; asking again does nothing either.
        m_session->refreshNow(QStringLiteral("again"));
        std::unique_ptr<GoTrueReply> barrier(m_client->signOut(QString()));
        QSignalSpy barrierDone(barrier.get(), &RestReply::finished);
        QVERIFY(barrierDone.wait());
        QCOMPARE(refreshRequests(), 1);
    }

    void refreshesOnScheduleBeforeExpiry()
    {
        m_gotrue.lifetime = 2; // seconds
        m_session->setRefreshMargin(std::chrono::milliseconds(1000));
        QVERIFY(signIn());
        QCOMPARE(refreshRequests(), 0);
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        QVERIFY(tokens.wait(10000)); // nobody asked: the expiry timer did
        QCOMPARE(refreshRequests(), 1);
        QCOMPARE(m_session->accessToken(), m_gotrue.accessTokensIssued.last());
        QCOMPARE(stored(), m_gotrue.lastRefreshToken);
    }

    void concurrentRequestsShareOneRefresh()
    {
        QVERIFY(signIn());
        int okCount = 0;
        int failCount = 0;
        const auto done = [&](bool ok) { ok ? ++okCount : ++failCount; };
        m_session->refreshNow(QStringLiteral("realtime said expired"));
        m_session->refreshAccessToken(QStringLiteral("PostgREST 1"), done);
        m_session->refreshNow(QStringLiteral("realtime again"));
        m_session->refreshAccessToken(QStringLiteral("PostgREST 2"), done);
        QTRY_COMPARE_WITH_TIMEOUT(okCount, 2, 5000);
        QCOMPARE(failCount, 0);
        // A REST round trip as a barrier: any duplicate refresh would have been sent by now.
        PostgrestClient rest(m_server->url(), kKey);
        rest.setTokenProvider(m_session.get());
        std::unique_ptr<PostgrestReply> reply(rest.select(QStringLiteral("positions")));
        QSignalSpy finished(reply.get(), &RestReply::finished);
        QVERIFY(finished.wait());
        QVERIFY(reply->isOk());
        QCOMPARE(refreshRequests(), 1);
    }

    void transientFailuresAreRetriedWithBackoff()
    {
        QVERIFY(signIn());
        m_gotrue.scriptedRefreshAnswers = {FakeResponse::json(503, R"({"message":"upstream unavailable"})"),
                                           FakeResponse::json(429, R"({"code":"over_request_rate_limit","message":"slow down"})")};
        QSignalSpy errors(m_session.get(), &AuthSession::sessionError);
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        QSignalSpy required(m_session.get(), &AuthSession::signInRequired);
        m_session->refreshNow(QStringLiteral("test"));
        QVERIFY(tokens.wait(10000));
        QCOMPARE(refreshRequests(), 3);
        QCOMPARE(errors.size(), 2);
        QCOMPARE(errors.at(0).first().value<ClientError>().errorClass, ErrorClass::Server);
        QCOMPARE(errors.at(1).first().value<ClientError>().errorClass, ErrorClass::RateLimit);
        QCOMPARE(required.size(), 0);
        QCOMPARE(m_session->state(), AuthSession::State::SignedIn);
    }

    void networkFailureIsRetried()
    {
        QVERIFY(signIn());
        // Point a second session at a port nobody listens on, with the stored token.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        QUrl dead = m_server->url();
        dead.setPort(probe.serverPort());
        probe.close();
        GoTrueClient deadClient(dead, kKey);
        AuthSession session(&deadClient, m_store.get());
        BackoffPolicy fast;
        fast.base = std::chrono::milliseconds(5);
        fast.cap = std::chrono::milliseconds(5);
        fast.maxAttempts = 3;
        session.setRetryPolicy(fast);
        QSignalSpy errors(&session, &AuthSession::sessionError);
        QSignalSpy required(&session, &AuthSession::signInRequired);
        m_keychain->put(m_store->service(), session.accountFor(kEmail), QStringLiteral("refresh-x"));
        session.restoreSession(kEmail);
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 4, 10000); // first try + 3 retries, then it stops
        for (const auto &args : errors)
            QCOMPARE(args.first().value<ClientError>().errorClass, ErrorClass::Network);
        QCOMPARE(required.size(), 0); // a network outage is no reason to throw the session away
        QCOMPARE(m_keychain->secret(m_store->service(), session.accountFor(kEmail)), QStringLiteral("refresh-x"));
        QCOMPARE(session.state(), AuthSession::State::SigningIn);
    }

    void signOutClearsEverythingEvenIfTheServerFails()
    {
        QVERIFY(signIn());
        const QString access = m_session->accessToken();
        QVERIFY(!stored().isEmpty());
        m_server->setHandler([this](const RecordedRequest &request) {
            if (request.path == QLatin1String("/auth/v1/logout"))
                return FakeResponse::json(500, R"({"code":"unexpected_failure","message":"db down"})");
            return m_gotrue.handle(request);
        });
        QSignalSpy signedOut(m_session.get(), &AuthSession::signedOut);
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        m_session->signOut();
        QCOMPARE(signedOut.size(), 1);
        QCOMPARE(tokens.size(), 1);
        QVERIFY(tokens.first().first().toString().isEmpty());
        QCOMPARE(m_session->state(), AuthSession::State::SignedOut);
        QVERIFY(m_session->accessToken().isEmpty());
        QVERIFY(m_session->userId().isEmpty());

        // Storage operations run in order, so a load issued now sees the removal.
        std::optional<SecretResult> loaded;
        m_store->load(account(), this, [&loaded](const SecretResult &r) { loaded = r; });
        QTRY_VERIFY_WITH_TIMEOUT(loaded.has_value(), 5000);
        QCOMPARE(loaded->status, SecretResult::Status::NotFound);

        QTRY_COMPARE_WITH_TIMEOUT(m_server->requestsTo(QStringLiteral("/auth/v1/logout")).size(), 1, 5000);
        const RecordedRequest logout = m_server->requestsTo(QStringLiteral("/auth/v1/logout")).first();
        QCOMPARE(logout.header("Authorization"), QByteArray("Bearer " + access.toUtf8()));
        QCOMPARE(logout.query, QByteArray("scope=local"));
    }

    void restoreUsesTheStoredRefreshToken()
    {
        QVERIFY(signIn());
        const QString storedToken = stored();
        // A new process: fresh client and session, same storage.
        GoTrueClient client(m_server->url(), kKey);
        AuthSession restored(&client, m_store.get());
        QSignalSpy signedIn(&restored, &AuthSession::signedIn);
        restored.restoreSession(QStringLiteral("  Trader@Example.com "));
        QCOMPARE(restored.state(), AuthSession::State::SigningIn);
        QVERIFY(signedIn.wait());
        QCOMPARE(restored.userId(), kUserId);
        QCOMPARE(restored.accessToken(), m_gotrue.accessTokensIssued.last());
        const RecordedRequest last = m_server->requestsTo(QStringLiteral("/auth/v1/token")).last();
        QCOMPARE(QJsonDocument::fromJson(last.body).object().value(QLatin1String("refresh_token")).toString(), storedToken);
        QCOMPARE(stored(), m_gotrue.lastRefreshToken); // rotated and persisted
    }

    void restoreWithoutStoredSessionAsksForSignIn()
    {
        QSignalSpy required(m_session.get(), &AuthSession::signInRequired);
        m_session->restoreSession(kEmail);
        QVERIFY(required.wait());
        QCOMPARE(required.first().first().toString(), QStringLiteral("no_stored_session"));
        QCOMPARE(m_session->state(), AuthSession::State::SignedOut);
        QVERIFY(m_server->requests().isEmpty());
    }

    void restoreWithRevokedTokenAsksForSignIn()
    {
        m_keychain->put(m_store->service(), account(), QStringLiteral("revoked-token"));
        m_gotrue.scriptedRefreshAnswers = {FakeResponse::json(
            400, R"({"code":"refresh_token_not_found","message":"Invalid Refresh Token: Refresh Token Not Found"})")};
        QSignalSpy required(m_session.get(), &AuthSession::signInRequired);
        QSignalSpy signedOut(m_session.get(), &AuthSession::signedOut);
        m_session->restoreSession(kEmail);
        QVERIFY(required.wait());
        QCOMPARE(required.first().first().toString(), QStringLiteral("refresh_token_not_found"));
        QCOMPARE(signedOut.size(), 0); // there never was a session in this process
        QTRY_VERIFY_WITH_TIMEOUT(stored().isEmpty(), 5000);
        QCOMPARE(refreshRequests(), 1);
    }

    void restWithExpiredTokenRefreshesAndRetries()
    {
        QVERIFY(signIn());
        PostgrestClient rest(m_server->url(), kKey);
        rest.setTokenProvider(m_session.get());
        // The server moves on (another desk's refresh revoked nothing, but our token expired):
        m_gotrue.accessTokensIssued << QStringLiteral("token-we-do-not-have");
        // Two requests fail at the same time; they share one refresh.
        std::unique_ptr<PostgrestReply> a(rest.select(QStringLiteral("positions")));
        std::unique_ptr<PostgrestReply> b(rest.select(QStringLiteral("trades")));
        QSignalSpy aDone(a.get(), &RestReply::finished);
        QSignalSpy bDone(b.get(), &RestReply::finished);
        QTRY_VERIFY_WITH_TIMEOUT(a->isFinished() && b->isFinished(), 10000);
        QVERIFY2(a->isOk(), qPrintable(a->error().toString()));
        QVERIFY2(b->isOk(), qPrintable(b->error().toString()));
        QCOMPARE(a->attempts(), 2);
        QCOMPARE(b->attempts(), 2);
        QCOMPARE(refreshRequests(), 1);
        QCOMPARE(m_restCalls, 4);
    }

    void restSecondRejectionIsFinal()
    {
        QVERIFY(signIn());
        m_server->setHandler([this](const RecordedRequest &request) {
            if (request.path.startsWith(QLatin1String("/rest/v1/"))) {
                ++m_restCalls;
                return FakeResponse::json(401, R"({"code":"PGRST301","message":"JWSError JWSInvalidSignature"})");
            }
            return m_gotrue.handle(request);
        });
        PostgrestClient rest(m_server->url(), kKey);
        rest.setTokenProvider(m_session.get());
        std::unique_ptr<PostgrestReply> reply(rest.select(QStringLiteral("positions")));
        QSignalSpy done(reply.get(), &RestReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->error().errorClass, ErrorClass::Auth);
        QCOMPARE(reply->error().code, QStringLiteral("PGRST301"));
        QCOMPARE(m_restCalls, 2);
        QCOMPARE(refreshRequests(), 1);
        QCOMPARE(m_session->state(), AuthSession::State::SignedIn); // the session itself is fine
    }

    void secretsNeverReachTheLog()
    {
        LogCapture logs;
        QVERIFY(signIn());
        m_session->refreshNow(QStringLiteral("test"));
        QSignalSpy tokens(m_session.get(), &AuthSession::accessTokenChanged);
        QVERIFY(tokens.wait());
        m_gotrue.liveRefreshTokens.clear();
        QSignalSpy required(m_session.get(), &AuthSession::signInRequired);
        m_session->refreshNow(QStringLiteral("test"));
        QVERIFY(required.wait());
        m_session->signInWithPassword(kEmail, QStringLiteral("wrong-pass-9"));
        QSignalSpy errors(m_session.get(), &AuthSession::sessionError);
        QVERIFY(errors.wait());

        const QString text = LogCapture::text();
        QVERIFY(LogCapture::count() > 5); // debug logging was on and things were said
        QVERIFY(!text.contains(kPassword));
        QVERIFY(!text.contains(QLatin1String("wrong-pass-9")));
        for (const QString &token : std::as_const(m_gotrue.accessTokensIssued))
            QVERIFY2(!text.contains(token), "an access token was logged");
        for (int n = 1; n <= m_gotrue.counter; ++n)
            QVERIFY2(!text.contains(QStringLiteral("refresh-%1-x7k2").arg(n)), "a refresh token was logged");
    }
};

QTEST_GUILESS_MAIN(TestAuthSession)
#include "tst_authsession.moc"
