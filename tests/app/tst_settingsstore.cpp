// SettingsStore: every preference survives a restart (a new store on the same file), defaults
// are the safe ones (demo, postgres_changes, confirm orders), bad values are refused, and a write
// that changes nothing emits nothing.
#include "launchoptions.h"
#include "settingsstore.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestSettingsStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString file(const QString &name) const { return m_dir.filePath(name + QStringLiteral(".ini")); }

private Q_SLOTS:
    void defaults()
    {
        QSettings settings(file(QStringLiteral("defaults")), QSettings::IniFormat);
        tf::SettingsStore store(&settings);
        QVERIFY(store.demo());
        QCOMPARE(store.feedMode(), QStringLiteral("postgres_changes"));
        QVERIFY(store.confirmOrders());
        QVERIFY(store.serverUrl().isEmpty());
        QVERIFY(store.anonKey().isEmpty());
        QVERIFY(store.email().isEmpty());
    }

    void everyValuePersists()
    {
        const QString path = file(QStringLiteral("persist"));
        {
            QSettings settings(path, QSettings::IniFormat);
            tf::SettingsStore store(&settings);
            store.setServerUrl(QStringLiteral("  https://abcd.supabase.co "));
            store.setAnonKey(QStringLiteral("anon-key"));
            store.setEmail(QStringLiteral("ops@example.com"));
            store.setDemo(false);
            store.setFeedMode(QStringLiteral("broadcast"));
            store.setConfirmOrders(false);
        }
        QSettings settings(path, QSettings::IniFormat);
        tf::SettingsStore reopened(&settings);
        QCOMPARE(reopened.serverUrl(), QStringLiteral("https://abcd.supabase.co"));
        QCOMPARE(reopened.anonKey(), QStringLiteral("anon-key"));
        QCOMPARE(reopened.email(), QStringLiteral("ops@example.com"));
        QVERIFY(!reopened.demo());
        QCOMPARE(reopened.feedMode(), QStringLiteral("broadcast"));
        QVERIFY(!reopened.confirmOrders());
    }

    void launchOptionsReadWhatTheStoreWrote()
    {
        QSettings settings(file(QStringLiteral("launch")), QSettings::IniFormat);
        tf::SettingsStore store(&settings);
        store.setServerUrl(QStringLiteral("https://abcd.supabase.co"));
        store.setAnonKey(QStringLiteral("anon-key"));
        store.setEmail(QStringLiteral("ops@example.com"));
        store.setDemo(false);
        store.setFeedMode(QStringLiteral("broadcast"));
        const auto parsed = tf::parseLaunchOptions({QStringLiteral("trading-floor")}, settings);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        QVERIFY(!parsed.options->server.demo);
        QCOMPARE(parsed.options->server.url, QUrl(QStringLiteral("https://abcd.supabase.co")));
        QCOMPARE(parsed.options->server.email, QStringLiteral("ops@example.com"));
        QCOMPARE(parsed.options->server.feed, tf::FeedMode::DatabaseBroadcast);
    }

    void unknownFeedModeRefused()
    {
        QSettings settings(file(QStringLiteral("feed")), QSettings::IniFormat);
        tf::SettingsStore store(&settings);
        QSignalSpy changed(&store, &tf::SettingsStore::feedModeChanged);
        store.setFeedMode(QStringLiteral("carrier-pigeon"));
        QCOMPARE(store.feedMode(), QStringLiteral("postgres_changes"));
        QCOMPARE(changed.count(), 0);
        // A hand-edited file with a bad value reads as the default, not as garbage.
        settings.setValue(QLatin1String(tf::SettingsKeys::Feed), QStringLiteral("nonsense"));
        QCOMPARE(store.feedMode(), QStringLiteral("postgres_changes"));
    }

    void signalsOnlyForRealChanges()
    {
        QSettings settings(file(QStringLiteral("signals")), QSettings::IniFormat);
        tf::SettingsStore store(&settings);
        QSignalSpy confirm(&store, &tf::SettingsStore::confirmOrdersChanged);
        QSignalSpy demo(&store, &tf::SettingsStore::demoChanged);
        store.setConfirmOrders(true); // already the default
        store.setDemo(true);
        QCOMPARE(confirm.count(), 0);
        QCOMPARE(demo.count(), 0);
        store.setConfirmOrders(false);
        store.setConfirmOrders(false);
        QCOMPARE(confirm.count(), 1);
    }

    void passwordIsNeverAKey()
    {
        // The store has no password property at all: the session lives in the keychain.
        QCOMPARE(tf::SettingsStore::staticMetaObject.indexOfProperty("password"), -1);
    }
};

QTEST_GUILESS_MAIN(TestSettingsStore)
#include "tst_settingsstore.moc"
