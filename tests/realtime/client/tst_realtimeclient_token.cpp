// Access-token expiry: reading exp from JWTs (and refusing what is not one), and TokenExpiry
// announcing the refresh a margin before exp, once per token, also after a sleep.
#include "tokenexpiry.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using tf::TokenExpiry;

namespace {

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

QByteArray b64url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString jwt(const QJsonObject &claims)
{
    const QByteArray header = b64url(QByteArrayLiteral("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
    const QByteArray body = b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return QString::fromLatin1(header + '.' + body + '.' + b64url("signature"));
}

} // namespace

class TestTokenExpiry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsExp_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<qint64>("exp"); // -1 = none
        QTest::newRow("jwt") << jwt({{str("exp"), 1755774930}, {str("role"), str("authenticated")}}) << qint64(1755774930);
        QTest::newRow("payload needing padding") << jwt({{str("exp"), 2000000000}, {str("sub"), str("ab")}})
                                                 << qint64(2000000000);
        QTest::newRow("no exp") << jwt({{str("role"), str("anon")}}) << qint64(-1);
        QTest::newRow("exp not a number") << jwt({{str("exp"), str("soon")}}) << qint64(-1);
        QTest::newRow("publishable key") << str("sb_publishable_abc123") << qint64(-1);
        QTest::newRow("two parts") << str("abc.def") << qint64(-1);
        QTest::newRow("not base64") << str("a.%%%.c") << qint64(-1);
        QTest::newRow("not json") << QString::fromLatin1("a." + b64url("hello") + ".c") << qint64(-1);
        QTest::newRow("empty") << QString() << qint64(-1);
        // Found by fuzzing (tests/fuzz/corpus/rest_response): out-of-range exp values were cast to
        // qint64 unchecked, which is undefined behaviour. They are not a usable expiry.
        QTest::newRow("exp 1e300") << jwt({{str("exp"), 1e300}}) << qint64(-1);
        QTest::newRow("exp -1e300") << jwt({{str("exp"), -1e300}}) << qint64(-1);
        QTest::newRow("exp after year 9999") << jwt({{str("exp"), 253402300800.0}}) << qint64(-1);
        QTest::newRow("exp year 9999") << jwt({{str("exp"), 253402300799.0}}) << qint64(253402300799);
    }

    void readsExp()
    {
        QFETCH(QString, token);
        QFETCH(qint64, exp);
        const auto expiry = tf::jwtExpiry(token);
        if (exp < 0) {
            QVERIFY(!expiry);
        } else {
            QVERIFY(expiry);
            QCOMPARE(expiry->toSecsSinceEpoch(), exp);
        }
    }

    void announcesAMarginBeforeExp()
    {
        TokenExpiry expiry(60s);
        qint64 now = 1'700'000'000'000;
        expiry.setWallClock([&now] { return now; });
        QSignalSpy due(&expiry, &TokenExpiry::refreshDue);
        expiry.setToken(jwt({{str("exp"), 1'700'000'000 + 3600}}));
        QCOMPARE(expiry.refreshAt().toMSecsSinceEpoch(), now + (3600 - 60) * 1000);

        now += 3000 * 1000; // still 9 minutes to the refresh point
        expiry.recheck();
        QCOMPARE(due.count(), 0);
        now += 541 * 1000; // 59 s before exp
        expiry.recheck();
        QCOMPARE(due.count(), 1);
        QVERIFY2(due.at(0).at(0).toString().contains(str("expires in 59 s")), qPrintable(due.at(0).at(0).toString()));
        expiry.recheck(); // once per token
        QCOMPARE(due.count(), 1);
        QVERIFY(!expiry.refreshAt().isValid());

        expiry.setToken(jwt({{str("exp"), now / 1000 + 3600}}));
        QCOMPARE(due.count(), 1);
        QVERIFY(expiry.refreshAt().isValid());
    }

    void anAlreadyExpiredTokenIsAnnouncedFromTheEventLoop()
    {
        TokenExpiry expiry(60s);
        QSignalSpy due(&expiry, &TokenExpiry::refreshDue);
        const qint64 past = QDateTime::currentSecsSinceEpoch() - 30;
        expiry.setToken(jwt({{str("exp"), past}}));
        QCOMPARE(due.count(), 0); // not synchronously inside setToken()
        QVERIFY(due.wait(2000));
        QVERIFY(due.at(0).at(0).toString().contains(str("expired")));
    }

    void firesByItsOwnTimer()
    {
        TokenExpiry expiry(std::chrono::milliseconds(1000 * 3600 - 200)); // due 200 ms from now
        QSignalSpy due(&expiry, &TokenExpiry::refreshDue);
        expiry.setToken(jwt({{str("exp"), QDateTime::currentSecsSinceEpoch() + 3600}}));
        QVERIFY(due.wait(5000));
        QCOMPARE(due.count(), 1);
    }

    void tokensWithoutExpAreNotWatched()
    {
        TokenExpiry expiry(60s);
        QSignalSpy due(&expiry, &TokenExpiry::refreshDue);
        expiry.setToken(str("sb_publishable_abc"));
        QVERIFY(!expiry.expiresAt());
        QVERIFY(!expiry.refreshAt().isValid());
        expiry.recheck();
        QCOMPARE(due.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTokenExpiry)
#include "tst_realtimeclient_token.moc"
