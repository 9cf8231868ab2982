// GoTrue endpoints over real HTTP: password and refresh grants, rotation, error shapes and
// headers, logout, /user, and the configured token lifetime.
#include "authstore.h"
#include "simtestsupport.h"

#include <QTest>

using namespace tf::sim;
using namespace tf::simtest;
using namespace Qt::StringLiterals;

class TestSimAuth : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimServer> m_server;
    std::unique_ptr<Http> m_http;

    HttpResult token(const QString &grant, const QJsonObject &body, const QList<QPair<QByteArray, QByteArray>> &extra = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"apikey", m_server->anonKey().toLatin1()}};
        headers.append(extra);
        return m_http->request("POST", u"/auth/v1/token?grant_type="_s + grant, QJsonDocument(body).toJson(), headers);
    }
    static void verifyGoTrueError(const HttpResult &result, int status, const QString &code, const QString &message)
    {
        QCOMPARE(result.status, status);
        QCOMPARE(result.header("x-sb-error-code"), code.toLatin1());
        const QJsonObject body = result.object();
        QCOMPARE(body.value(u"code"_s).toInt(), status);
        QCOMPARE(body.value(u"error_code"_s).toString(), code);
        QCOMPARE(body.value(u"msg"_s).toString(), message);
    }
    QJsonObject password() { return QJsonObject{{u"email"_s, u"trader@example.com"_s}, {u"password"_s, u"trading-floor-demo"_s}}; }

private Q_SLOTS:
    void initTestCase()
    {
        SimConfig config = fastConfig();
        config.tokenLifetime = std::chrono::seconds(900);
        m_server = std::make_unique<SimServer>(config);
        QVERIFY(m_server->start());
        m_http = std::make_unique<Http>(m_server->url(), m_server->anonKey());
    }

    void passwordGrant()
    {
        const HttpResult result = token(u"password"_s, password());
        QCOMPARE(result.status, 200);
        const QJsonObject session = result.object();
        QCOMPARE(session.value(u"token_type"_s).toString(), u"bearer"_s);
        QCOMPARE(session.value(u"expires_in"_s).toInt(), 900);
        const qint64 expiresAt = session.value(u"expires_at"_s).toInteger();
        QVERIFY(qAbs(expiresAt - (QDateTime::currentSecsSinceEpoch() + 900)) <= 2);
        QVERIFY(!session.value(u"refresh_token"_s).toString().isEmpty());
        const QJsonObject user = session.value(u"user"_s).toObject();
        QCOMPARE(user.value(u"id"_s).toString(), m_server->demoTrader().userId);
        QCOMPARE(user.value(u"email"_s).toString(), u"trader@example.com"_s);
        QCOMPARE(user.value(u"aud"_s).toString(), u"authenticated"_s);
        QCOMPARE(user.value(u"role"_s).toString(), u"authenticated"_s);
        QCOMPARE(user.value(u"app_metadata"_s).toObject().value(u"provider"_s).toString(), u"email"_s);
        QCOMPARE(user.value(u"is_anonymous"_s).toBool(true), false);

        const JwtVerification jwt = m_server->auth().verify(session.value(u"access_token"_s).toString());
        QVERIFY(jwt.ok());
        QCOMPARE(jwt.claims.value(u"exp"_s).toInteger(), expiresAt);
        QCOMPARE(jwt.claims.value(u"sub"_s).toString(), m_server->demoTrader().userId);
        QCOMPARE(jwt.claims.value(u"role"_s).toString(), u"authenticated"_s);
        QCOMPARE(jwt.claims.value(u"iss"_s).toString(), m_server->url().toString() + u"/auth/v1"_s);
    }

    void passwordGrantErrors()
    {
        verifyGoTrueError(token(u"password"_s, QJsonObject{{u"email"_s, u"trader@example.com"_s}, {u"password"_s, u"nope"_s}}),
                          400, u"invalid_credentials"_s, u"Invalid login credentials"_s);
        verifyGoTrueError(token(u"password"_s, QJsonObject{{u"email"_s, u"ghost@example.com"_s}, {u"password"_s, u"x"_s}}),
                          400, u"invalid_credentials"_s, u"Invalid login credentials"_s);
        verifyGoTrueError(token(u"password"_s, QJsonObject{{u"password"_s, u"x"_s}}),
                          400, u"validation_failed"_s, u"missing email or phone"_s);
        verifyGoTrueError(token(u"magic"_s, password()), 400, u"invalid_credentials"_s, u"unsupported_grant_type"_s);
        const HttpResult badJson = m_http->request("POST", u"/auth/v1/token?grant_type=password"_s, "{",
                                                   {{"apikey", m_server->anonKey().toLatin1()}});
        QCOMPARE(badJson.status, 400);
        QCOMPARE(badJson.header("x-sb-error-code"), QByteArray("bad_json"));

        // The 2024-01-01 API version answers with {code, message}.
        const HttpResult versioned = token(u"password"_s, QJsonObject{{u"email"_s, u"trader@example.com"_s}, {u"password"_s, u"no"_s}},
                                           {{"X-Supabase-Api-Version", "2024-01-01"}});
        QCOMPARE(versioned.status, 400);
        QCOMPARE(versioned.object(), (QJsonObject{{u"code"_s, u"invalid_credentials"_s}, {u"message"_s, u"Invalid login credentials"_s}}));
        QCOMPARE(versioned.header("x-sb-error-code"), QByteArray("invalid_credentials"));

        Http noKey(m_server->url(), QString());
        QCOMPARE(noKey.post(u"/auth/v1/token?grant_type=password"_s, password()).status, 401);
    }

    void refreshRotates()
    {
        const QJsonObject first = token(u"password"_s, password()).object();
        const QString refresh1 = first.value(u"refresh_token"_s).toString();
        const HttpResult second = token(u"refresh_token"_s, QJsonObject{{u"refresh_token"_s, refresh1}});
        QCOMPARE(second.status, 200);
        const QString refresh2 = second.object().value(u"refresh_token"_s).toString();
        QVERIFY(refresh2 != refresh1);
        QVERIFY(m_server->auth().verify(second.object().value(u"access_token"_s).toString()).ok());
        QCOMPARE(second.object().value(u"user"_s).toObject().value(u"email"_s).toString(), u"trader@example.com"_s);

        verifyGoTrueError(token(u"refresh_token"_s, QJsonObject{{u"refresh_token"_s, refresh1}}),
                          400, u"refresh_token_already_used"_s, u"Invalid Refresh Token: Already Used"_s);
        // Reuse revoked the session: the newest token is gone too.
        verifyGoTrueError(token(u"refresh_token"_s, QJsonObject{{u"refresh_token"_s, refresh2}}),
                          400, u"refresh_token_not_found"_s, u"Invalid Refresh Token: Refresh Token Not Found"_s);
        verifyGoTrueError(token(u"refresh_token"_s, QJsonObject{{u"refresh_token"_s, u"abcdefghijkl"_s}}),
                          400, u"refresh_token_not_found"_s, u"Invalid Refresh Token: Refresh Token Not Found"_s);
        verifyGoTrueError(token(u"refresh_token"_s, QJsonObject()), 400, u"validation_failed"_s, u"Refresh token is not valid"_s);
    }

    void userAndLogout()
    {
        const QJsonObject session = token(u"password"_s, password()).object();
        const QString access = session.value(u"access_token"_s).toString();
        const HttpResult user = m_http->get(u"/auth/v1/user"_s, access);
        QCOMPARE(user.status, 200);
        QCOMPARE(user.object().value(u"id"_s).toString(), m_server->demoTrader().userId);

        verifyGoTrueError(m_http->post(u"/auth/v1/logout"_s, QJsonObject()), 401, u"no_authorization"_s,
                          u"This endpoint requires a valid Bearer token"_s);
        QCOMPARE(m_http->get(u"/auth/v1/user"_s, u"garbage"_s).status, 403);

        const HttpResult out = m_http->post(u"/auth/v1/logout?scope=local"_s, QJsonObject(), access);
        QCOMPARE(out.status, 204);
        verifyGoTrueError(token(u"refresh_token"_s, QJsonObject{{u"refresh_token"_s, session.value(u"refresh_token"_s)}}),
                          400, u"refresh_token_not_found"_s, u"Invalid Refresh Token: Refresh Token Not Found"_s);
        QCOMPARE(m_http->post(u"/auth/v1/logout?scope=everywhere"_s, QJsonObject(), access).status, 400);
        QCOMPARE(m_http->get(u"/auth/v1/health"_s).status, 200);
        QCOMPARE(m_http->get(u"/auth/v1/nothing"_s).status, 404);
    }

    void expiredAccessTokenOnAuthEndpoints()
    {
        SimConfig config = fastConfig();
        config.tokenLifetime = std::chrono::seconds(1);
        SimServer shortLived(config);
        QVERIFY(shortLived.start());
        Http http(shortLived.url(), shortLived.anonKey());
        const QJsonObject session = http.signIn(u"trader@example.com"_s, u"trading-floor-demo"_s);
        QCOMPARE(session.value(u"expires_in"_s).toInt(), 1);
        const QString access = session.value(u"access_token"_s).toString();
        QTRY_VERIFY_WITH_TIMEOUT(!shortLived.auth().verify(access).ok(), 5000);
        const HttpResult user = http.get(u"/auth/v1/user"_s, access);
        QCOMPARE(user.status, 403);
        QCOMPARE(user.header("x-sb-error-code"), QByteArray("bad_jwt"));
        QCOMPARE(http.get(u"/rest/v1/positions"_s, access).object().value(u"code"_s).toString(), u"PGRST303"_s);
        // The refresh token still gets a fresh access token.
        const HttpResult refreshed = http.post(u"/auth/v1/token?grant_type=refresh_token"_s,
                                               QJsonObject{{u"refresh_token"_s, session.value(u"refresh_token"_s)}});
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(http.get(u"/rest/v1/positions"_s, refreshed.object().value(u"access_token"_s).toString()).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestSimAuth)
#include "tst_simauth.moc"
