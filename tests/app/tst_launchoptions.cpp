// Launch options: command line over saved settings over the demo default, and a clear error for
// every bad value instead of a half-configured app.
#include "launchoptions.h"

#include <QTemporaryDir>
#include <QTest>

using tf::FeedMode;
using tf::parseLaunchOptions;

class TestLaunchOptions : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QSettings *freshSettings()
    {
        static int n = 0;
        auto *settings = new QSettings(m_dir.filePath(QStringLiteral("s%1.ini").arg(++n)), QSettings::IniFormat, this);
        return settings;
    }

    static QStringList args(const QStringList &rest) { return QStringList{QStringLiteral("trading-floor")} + rest; }

private Q_SLOTS:
    void demoByDefault()
    {
        const auto result = parseLaunchOptions(args({}), *freshSettings());
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(result.options->server.demo);
        QCOMPARE(result.options->server.feed, FeedMode::PostgresChanges);
        QVERIFY(!result.options->quitAfterSeconds);
    }

    void commandLineServer()
    {
        const auto result = parseLaunchOptions(
            args({QStringLiteral("--url"), QStringLiteral("https://abcd.supabase.co"), QStringLiteral("--key"),
                  QStringLiteral("anon"), QStringLiteral("--email"), QStringLiteral("ops@example.com"),
                  QStringLiteral("--feed"), QStringLiteral("broadcast")}),
            *freshSettings());
        QVERIFY2(result.ok(), qPrintable(result.error));
        const tf::ServerSettings &server = result.options->server;
        QVERIFY(!server.demo);
        QCOMPARE(server.url, QUrl(QStringLiteral("https://abcd.supabase.co")));
        QCOMPARE(server.anonKey, QStringLiteral("anon"));
        QCOMPARE(server.email, QStringLiteral("ops@example.com"));
        QCOMPARE(server.feed, FeedMode::DatabaseBroadcast);
    }

    void savedSettingsUsedAndOverridden()
    {
        QSettings *settings = freshSettings();
        settings->setValue(QLatin1String(tf::SettingsKeys::Demo), false);
        settings->setValue(QLatin1String(tf::SettingsKeys::Url), QStringLiteral("https://saved.supabase.co"));
        settings->setValue(QLatin1String(tf::SettingsKeys::AnonKey), QStringLiteral("saved-key"));
        auto result = parseLaunchOptions(args({}), *settings);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(!result.options->server.demo);
        QCOMPARE(result.options->server.url.host(), QStringLiteral("saved.supabase.co"));

        result = parseLaunchOptions(args({QStringLiteral("--demo")}), *settings);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(result.options->server.demo);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("errorContains");
        QTest::newRow("http remote") << QStringList{QStringLiteral("--url"), QStringLiteral("http://abcd.supabase.co"), QStringLiteral("--key"), QStringLiteral("k")} << QStringLiteral("only allowed for a server on this machine");
        QTest::newRow("ftp") << QStringList{QStringLiteral("--url"), QStringLiteral("ftp://x.y"), QStringLiteral("--key"), QStringLiteral("k")} << QStringLiteral("https://");
        QTest::newRow("no host") << QStringList{QStringLiteral("--url"), QStringLiteral("https://"), QStringLiteral("--key"), QStringLiteral("k")} << QStringLiteral("not a valid URL");
        QTest::newRow("no key") << QStringList{QStringLiteral("--url"), QStringLiteral("https://abcd.supabase.co")} << QStringLiteral("anon key");
        QTest::newRow("demo and url") << QStringList{QStringLiteral("--demo"), QStringLiteral("--url"), QStringLiteral("https://a.b")} << QStringLiteral("exclude");
        QTest::newRow("bad feed") << QStringList{QStringLiteral("--feed"), QStringLiteral("smoke")} << QStringLiteral("--feed");
        QTest::newRow("bad quit-after") << QStringList{QStringLiteral("--quit-after"), QStringLiteral("soon")} << QStringLiteral("--quit-after");
        QTest::newRow("negative quit-after") << QStringList{QStringLiteral("--quit-after"), QStringLiteral("-1")} << QStringLiteral("--quit-after");
        QTest::newRow("screenshot alone") << QStringList{QStringLiteral("--screenshot"), QStringLiteral("a.png")} << QStringLiteral("--screenshot needs");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")} << QStringLiteral("unexpected argument");
    }

    void badInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, errorContains);
        const auto result = parseLaunchOptions(args(arguments), *freshSettings());
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(errorContains), qPrintable(result.error));
    }

    // Saved settings are input too (a hand-edited or stale config file): a bad saved value gets
    // the same clear refusal as on the command line, and the command line can override it.
    void badSavedSettings_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("errorContains");
        QTest::newRow("plain http remote url") << QString::fromLatin1(tf::SettingsKeys::Url)
            << QVariant(QStringLiteral("http://abcd.supabase.co")) << QStringLiteral("only allowed for a server on this machine");
        QTest::newRow("url that is not a url") << QString::fromLatin1(tf::SettingsKeys::Url)
            << QVariant(QStringLiteral("not a url at all")) << QStringLiteral("not a valid URL");
        QTest::newRow("empty anon key") << QString::fromLatin1(tf::SettingsKeys::AnonKey) << QVariant(QString())
            << QStringLiteral("anon key");
        QTest::newRow("unknown feed") << QString::fromLatin1(tf::SettingsKeys::Feed) << QVariant(QStringLiteral("smoke"))
            << QStringLiteral("\"smoke\"");
    }

    void badSavedSettings()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        QFETCH(QString, errorContains);
        QSettings *settings = freshSettings();
        settings->setValue(QLatin1String(tf::SettingsKeys::Demo), false);
        settings->setValue(QLatin1String(tf::SettingsKeys::Url), QStringLiteral("https://saved.supabase.co"));
        settings->setValue(QLatin1String(tf::SettingsKeys::AnonKey), QStringLiteral("saved-key"));
        settings->setValue(key, value);
        const auto result = parseLaunchOptions(args({}), *settings);
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(errorContains), qPrintable(result.error));

        // The command line wins over the bad saved value.
        QStringList override = key == QLatin1String(tf::SettingsKeys::Feed)
            ? QStringList{QStringLiteral("--feed"), QStringLiteral("broadcast")}
            : QStringList{QStringLiteral("--url"), QStringLiteral("https://ok.supabase.co"), QStringLiteral("--key"), QStringLiteral("k")};
        const auto fixed = parseLaunchOptions(args(override), *settings);
        QVERIFY2(fixed.ok(), qPrintable(fixed.error));
    }

    void loopbackHttpAllowed()
    {
        QVERIFY(tf::validateServerUrl(QUrl(QStringLiteral("http://127.0.0.1:54321"))).isEmpty());
        QVERIFY(tf::validateServerUrl(QUrl(QStringLiteral("http://localhost:54321"))).isEmpty());
        QVERIFY(tf::validateServerUrl(QUrl(QStringLiteral("http://[::1]:54321"))).isEmpty());
        QVERIFY(!tf::validateServerUrl(QUrl(QStringLiteral("http://10.0.0.5"))).isEmpty());
    }

    void scriptedCheckOptions()
    {
        const auto result = parseLaunchOptions(
            args({QStringLiteral("--screenshot"), QStringLiteral("a.png"), QStringLiteral("--quit-after"),
                  QStringLiteral("2.5"), QStringLiteral("--dump-state"), QStringLiteral("s.json"), QStringLiteral("--queue"),
                  QStringLiteral("/tmp/q.sqlite")}),
            *freshSettings());
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.options->screenshotPath, QStringLiteral("a.png"));
        QCOMPARE(result.options->quitAfterSeconds.value_or(-1), 2.5);
        QCOMPARE(result.options->dumpStatePath, QStringLiteral("s.json"));
        QCOMPARE(result.options->queuePath, QStringLiteral("/tmp/q.sqlite"));
    }
};

QTEST_GUILESS_MAIN(TestLaunchOptions)
#include "tst_launchoptions.moc"
