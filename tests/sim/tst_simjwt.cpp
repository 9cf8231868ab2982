// JWT signing/verification and the AuthStore's sessions, rotation and the expiry fault.
#include "authstore.h"
#include "jwtsigner.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace tf::sim;

namespace {
const QByteArray Secret = QByteArrayLiteral("test-secret-with-at-least-32-characters!!");
QJsonObject claims(qint64 exp, const QString &role = QStringLiteral("authenticated"))
{
    return QJsonObject{{QStringLiteral("sub"), QStringLiteral("u1")}, {QStringLiteral("role"), role},
                       {QStringLiteral("exp"), exp}, {QStringLiteral("aud"), QStringLiteral("authenticated")}};
}
}

class TestSimJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signsAndVerifiesHs256()
    {
        const JwtSigner signer(Secret);
        const QString token = signer.sign(claims(2000));
        QCOMPARE(token.count(QLatin1Char('.')), 2);
        const QByteArray header = QByteArray::fromBase64(token.section(QLatin1Char('.'), 0, 0).toLatin1(),
                                                         QByteArray::Base64UrlEncoding);
        QCOMPARE(QJsonDocument::fromJson(header).object().value(QStringLiteral("alg")).toString(), QStringLiteral("HS256"));
        const JwtVerification result = signer.verify(token, 1000);
        QVERIFY(result.ok());
        QCOMPARE(result.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("u1"));
        QCOMPARE(JwtSigner::unverifiedClaims(token).value(QStringLiteral("exp")).toInteger(), 2000);
    }

    void rejectsTamperingAndOtherSecrets()
    {
        const JwtSigner signer(Secret);
        const QString token = signer.sign(claims(2000));
        const JwtSigner other(QByteArrayLiteral("another-secret-another-secret-another"));
        QCOMPARE(other.verify(token, 1000).error, JwtError::BadSignature);
        QCOMPARE(other.verify(token, 1000).message(), QStringLiteral("Failed to validate JWT signature"));

        // Same header and signature, payload swapped for one with role service_role.
        const QStringList parts = token.split(QLatin1Char('.'));
        const QString forged = parts.at(0) + QLatin1Char('.')
            + QString::fromLatin1(JwtSigner::base64Url(QJsonDocument(claims(2000, QStringLiteral("service_role"))).toJson(QJsonDocument::Compact)))
            + QLatin1Char('.') + parts.at(2);
        QCOMPARE(signer.verify(forged, 1000).error, JwtError::BadSignature);
    }

    void rejectsMalformedTokens_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("empty") << QString();
        QTest::newRow("one part") << QStringLiteral("abc");
        QTest::newRow("two parts") << QStringLiteral("abc.def");
        QTest::newRow("not base64 json") << QStringLiteral("!!!.###.$$$");
        QTest::newRow("anon opaque key") << QStringLiteral("sb_publishable_abcdef");
    }

    void rejectsMalformedTokens()
    {
        QFETCH(QString, token);
        const JwtVerification result = JwtSigner(Secret).verify(token, 1000);
        QCOMPARE(result.error, JwtError::Malformed);
        QCOMPARE(result.joinErrorReason(), QStringLiteral("MalformedJWT: The token provided is not a valid JWT"));
    }

    void requiresRoleAndExp()
    {
        const JwtSigner signer(Secret);
        QJsonObject noRole = claims(2000);
        noRole.remove(QStringLiteral("role"));
        const JwtVerification result = signer.verify(signer.sign(noRole), 1000);
        QCOMPARE(result.error, JwtError::MissingClaims);
        QCOMPARE(result.joinErrorReason(), QStringLiteral("InvalidJWTToken: Fields `role` and `exp` are required in JWT"));

        QJsonObject textExp = claims(2000);
        textExp.insert(QStringLiteral("exp"), QStringLiteral("soon"));
        QCOMPARE(signer.verify(signer.sign(textExp), 1000).error, JwtError::InvalidExpiry);
    }

    void expiresAtExp()
    {
        const JwtSigner signer(Secret);
        const QString token = signer.sign(claims(1000));
        QVERIFY(signer.verify(token, 999).ok());
        const JwtVerification atExp = signer.verify(token, 1000);
        QCOMPARE(atExp.error, JwtError::Expired);
        QCOMPARE(atExp.expiredSecondsAgo, 0);
        const JwtVerification later = signer.verify(token, 1012);
        QCOMPARE(later.message(), QStringLiteral("Token has expired 12 seconds ago"));
        QCOMPARE(later.joinErrorReason(), QStringLiteral("InvalidJWTToken: Token has expired 12 seconds ago"));
        QCOMPARE(later.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("u1")); // still decoded
    }

    void apiKeysAreLongLivedRoleJwts()
    {
        AuthStore auth(Secret, std::chrono::seconds(3600));
        const JwtVerification anon = auth.verify(auth.anonKey());
        QVERIFY(anon.ok());
        QCOMPARE(anon.claims.value(QStringLiteral("role")).toString(), QStringLiteral("anon"));
        QVERIFY(anon.claims.value(QStringLiteral("exp")).toInteger() > AuthStore::nowSeconds() + 365 * 86400);
        QCOMPARE(auth.verify(auth.serviceRoleKey()).claims.value(QStringLiteral("role")).toString(),
                 QStringLiteral("service_role"));
        // Deterministic for a given secret (the CLI prints the same key every run).
        QCOMPARE(AuthStore(Secret, std::chrono::seconds(60)).anonKey(), auth.anonKey());
    }

    void passwordGrantIssuesUserToken()
    {
        AuthStore auth(Secret, std::chrono::seconds(120));
        auth.addUser(QStringLiteral("11111111-1111-4111-8111-111111111111"), QStringLiteral("Ann@Example.com"),
                     QStringLiteral("pw"));
        QCOMPARE(auth.signInWithPassword(QStringLiteral("ann@example.com"), QStringLiteral("wrong")).failure,
                 AuthFailure::InvalidCredentials);
        QCOMPARE(auth.signInWithPassword(QStringLiteral("nobody@example.com"), QStringLiteral("pw")).failure,
                 AuthFailure::InvalidCredentials);
        const GrantResult grant = auth.signInWithPassword(QStringLiteral("ANN@example.com"), QStringLiteral("pw"));
        QVERIFY(grant.session);
        QCOMPARE(grant.session->expiresIn, 120);
        QCOMPARE(grant.session->refreshToken.size(), 12);
        const JwtVerification token = auth.verify(grant.session->accessToken);
        QVERIFY(token.ok());
        QCOMPARE(token.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("11111111-1111-4111-8111-111111111111"));
        QCOMPARE(token.claims.value(QStringLiteral("role")).toString(), QStringLiteral("authenticated"));
        QCOMPARE(token.claims.value(QStringLiteral("aud")).toString(), QStringLiteral("authenticated"));
        const qint64 iat = token.claims.value(QStringLiteral("iat")).toInteger();
        QCOMPARE(token.claims.value(QStringLiteral("exp")).toInteger(), iat + 120);
        QCOMPARE(grant.session->expiresAt, iat + 120);
    }

    void refreshTokensRotateAndReuseRevokesTheSession()
    {
        AuthStore auth(Secret, std::chrono::seconds(60));
        const SimUser user = auth.addUser(QStringLiteral("u"), QStringLiteral("u@example.com"), QStringLiteral("pw"));
        const AuthSession first = auth.issueSession(user.id);
        const GrantResult second = auth.refresh(first.refreshToken);
        QVERIFY(second.session);
        QVERIFY(second.session->refreshToken != first.refreshToken);
        QCOMPARE(second.session->sessionId, first.sessionId);

        // Replaying the parent token fails and takes the whole session down with it.
        QCOMPARE(auth.refresh(first.refreshToken).failure, AuthFailure::RefreshTokenAlreadyUsed);
        QCOMPARE(auth.refresh(second.session->refreshToken).failure, AuthFailure::RefreshTokenNotFound);
        QCOMPARE(auth.refresh(QStringLiteral("unknown12345")).failure, AuthFailure::RefreshTokenNotFound);
        QCOMPARE(auth.refresh(QString()).failure, AuthFailure::MissingRefreshToken);
    }

    void logoutScopes()
    {
        AuthStore auth(Secret, std::chrono::seconds(60));
        auth.addUser(QStringLiteral("u"), QStringLiteral("u@example.com"), QStringLiteral("pw"));
        const AuthSession a = auth.issueSession(QStringLiteral("u"));
        const AuthSession b = auth.issueSession(QStringLiteral("u"));
        auth.logout(QStringLiteral("u"), a.sessionId, QStringLiteral("local"));
        QCOMPARE(auth.refresh(a.refreshToken).failure, AuthFailure::RefreshTokenNotFound);
        const GrantResult stillThere = auth.refresh(b.refreshToken);
        QVERIFY(stillThere.session);
        auth.logout(QStringLiteral("u"), a.sessionId, QStringLiteral("global"));
        QCOMPARE(auth.refresh(stillThere.session->refreshToken).failure, AuthFailure::RefreshTokenNotFound);
    }

    void expireAllTokensSparesApiKeysAndNewTokens()
    {
        AuthStore auth(Secret, std::chrono::seconds(3600));
        auth.addUser(QStringLiteral("u"), QStringLiteral("u@example.com"), QStringLiteral("pw"));
        const AuthSession before = auth.issueSession(QStringLiteral("u"));
        QSignalSpy expired(&auth, &AuthStore::tokensExpired);
        auth.expireAllTokens();
        QCOMPARE(expired.size(), 1);

        const JwtVerification old = auth.verify(before.accessToken);
        QCOMPARE(old.error, JwtError::Expired);
        QVERIFY(old.message().startsWith(QStringLiteral("Token has expired ")));
        QVERIFY(auth.effectiveExpiry(before.accessToken) <= AuthStore::nowSeconds());
        QVERIFY(auth.verify(auth.anonKey()).ok());

        // The refresh token still works and its new access token is valid.
        const GrantResult refreshed = auth.refresh(before.refreshToken);
        QVERIFY(refreshed.session);
        QVERIFY(auth.verify(refreshed.session->accessToken).ok());

        auth.clearTokenExpiry();
        QVERIFY(auth.verify(before.accessToken).ok());
    }
};

QTEST_GUILESS_MAIN(TestSimJwt)
#include "tst_simjwt.moc"
