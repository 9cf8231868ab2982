// The `app` object against the in-process simulator: the demo goes live with data in every model,
// panels release and rejoin their channel, tickets are checked and orders reach the exchange once
// (queued while the link is down, sent when it is back), sign-in mistakes come back in words,
// signing out empties everything, and the state dump says what the app shows.
#include "appcontroller.h"
#include "demobackend.h"
#include "faultinjector.h"
#include "rowstore.h"
#include "sessionmanager.h"
#include "simserver.h"
#include "syncservice.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {
constexpr int LiveTimeout = 30000;
const QString Room = QStringLiteral("realtime:room:trading-floor");
}

class TestAppController : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<tf::AppController> m_app;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
    int m_run = 0;

    // A fresh app with its own settings and queue file, every model under the model tester.
    tf::AppController *makeApp()
    {
        ++m_run;
        m_testers.clear();
        m_app.reset();
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings%1.ini").arg(m_run)),
                                                 QSettings::IniFormat);
        tf::AppControllerOptions options;
        options.connection.secretsInMemory = true; // never the developer's keychain
        options.queuePath = m_dir.filePath(QStringLiteral("orders%1.sqlite").arg(m_run));
        m_app = std::make_unique<tf::AppController>(options, m_settings.get());
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
                 m_app->positions(), m_app->trades(), m_app->quotes(), m_app->presence(), m_app->orders()})
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::Fatal));
        return m_app.get();
    }

    tf::AppController *startDemo()
    {
        tf::AppController *app = makeApp();
        tf::ServerSettings demo;
        demo.demo = true;
        app->start(demo);
        return app;
    }

    static bool hasChannel(const tf::AppController *app, const QString &topic)
    {
        for (const QVariant &channel : app->diagnostics()->channels()) {
            const QVariantMap map = channel.toMap();
            if (map.value(QStringLiteral("topic")).toString() == topic && map.value(QStringLiteral("state")).toString() == u"joined")
                return true;
        }
        return false;
    }

    static int simOrdersWithId(tf::AppController *app, const QString &clientOrderId)
    {
        return int(app->demo()->server()->store().rows(QStringLiteral("orders"), [&](const QJsonObject &row) {
            return row.value(QStringLiteral("client_order_id")).toString() == clientOrderId;
        }).size());
    }

    static QVariantMap marketTicket(const QString &symbol, const QString &side, double qty)
    {
        return {{QStringLiteral("symbol"), symbol}, {QStringLiteral("side"), side}, {QStringLiteral("qty"), qty},
                {QStringLiteral("type"), QStringLiteral("market")}, {QStringLiteral("limit_price"), qQNaN()}};
    }

private Q_SLOTS:
    void cleanup()
    {
        m_testers.clear();
        m_app.reset();
    }

    void demoGoesLiveWithData()
    {
        tf::AppController *app = startDemo();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QVERIFY(app->settings()->signedIn());
        QVERIFY(!app->settings()->busy());
        QCOMPARE(app->status()->signedInUser(), app->demo()->target().email);
        QCOMPARE(app->positions()->count(), 3); // the demo trader's seeded positions
        QCOMPARE(app->trades()->count(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(app->quotes()->count() >= 20, LiveTimeout); // every instrument ticks
        QTRY_VERIFY_WITH_TIMEOUT(app->presence()->count() >= 1, LiveTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(hasChannel(app, Room), LiveTimeout);
        QVERIFY(app->orderEntry()->canSubmit());
        QVERIFY(app->orderEntry()->refusalReason().isEmpty());
        QVERIFY(app->diagnostics()->server().startsWith(QStringLiteral("demo")));
    }

    void stateDumpSaysWhatTheAppShows()
    {
        tf::AppController *app = startDemo();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(app->quotes()->count() > 0, LiveTimeout);
        const QJsonObject dump = app->stateDump();
        QCOMPARE(dump.value(QStringLiteral("status")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        QCOMPARE(dump.value(QStringLiteral("feedState")).toString(), QStringLiteral("Live"));
        QVERIFY(dump.value(QStringLiteral("signedIn")).toBool());
        const QJsonObject models = dump.value(QStringLiteral("models")).toObject();
        const QJsonArray positions = models.value(QStringLiteral("positions")).toArray();
        QCOMPARE(positions.size(), app->positions()->count());
        QStringList symbols;
        for (const QJsonValue &row : positions)
            symbols << row.toObject().value(QStringLiteral("symbol")).toString();
        for (int i = 0; i < app->positions()->count(); ++i)
            QVERIFY(symbols.contains(app->positions()->get(i).value(QStringLiteral("symbol")).toString()));
        QCOMPARE(models.value(QStringLiteral("quotes")).toArray().size(), app->quotes()->count());
        QVERIFY(dump.value(QStringLiteral("pendingOrders")).toArray().isEmpty());
        QCOMPARE(dump.value(QStringLiteral("panels")).toObject().size(), tf::AppController::panelNames().size());
        QVERIFY(!dump.contains(QStringLiteral("ui"))); // no window in this test
    }

    void hiddenPanelsReleaseTheRoom()
    {
        tf::AppController *app = startDemo();
        QTRY_VERIFY_WITH_TIMEOUT(hasChannel(app, Room), LiveTimeout);
        // The room is wanted while any of watchlist, positions, presence is shown.
        app->setPanelVisible(QStringLiteral("watchlist"), false);
        app->setPanelVisible(QStringLiteral("presence"), false);
        QVERIFY(hasChannel(app, Room));
        app->setPanelVisible(QStringLiteral("positions"), false);
        QTRY_VERIFY_WITH_TIMEOUT(!hasChannel(app, Room), LiveTimeout);
        QVERIFY(!app->isPanelVisible(QStringLiteral("positions")));
        // Unknown names change nothing.
        app->setPanelVisible(QStringLiteral("no-such-panel"), true);
        QVERIFY(!app->isPanelVisible(QStringLiteral("no-such-panel")));
        app->setPanelVisible(QStringLiteral("watchlist"), true);
        QTRY_VERIFY_WITH_TIMEOUT(hasChannel(app, Room), LiveTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(app->quotes()->count() >= 20, LiveTimeout);
    }

    void ticketsAreChecked()
    {
        tf::AppController *app = startDemo();
        QTRY_VERIFY_WITH_TIMEOUT(app->quotes()->count() >= 20, LiveTimeout);
        tf::OrderEntry *entry = app->orderEntry();
        const QVariantMap errors = entry->validateOrder(marketTicket(QStringLiteral("NOPE"), QStringLiteral("buy"), 0));
        QCOMPARE(errors.value(QStringLiteral("symbol")).toString(), QStringLiteral("Unknown symbol NOPE"));
        QCOMPARE(errors.value(QStringLiteral("qty")).toString(), QStringLiteral("Quantity must be greater than 0"));
        QVERIFY(entry->validateOrder(marketTicket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1)).isEmpty());

        const int before = int(app->demo()->server()->store().rowCount(QStringLiteral("orders")));
        const QVariantMap refused = entry->submitOrder(marketTicket(QString(), QStringLiteral("buy"), 1));
        QCOMPARE(refused.value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
        QVERIFY(refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("Enter a symbol")));
        QCOMPARE(int(app->demo()->server()->store().rowCount(QStringLiteral("orders"))), before); // nothing sent
    }

    void orderSentOnceAndFilled()
    {
        tf::AppController *app = startDemo();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QSignalSpy toasts(app, &tf::AppController::notify);
        const QVariantMap result = app->orderEntry()->submitOrder(marketTicket(QStringLiteral("AAPL"), QStringLiteral("buy"), 5));
        QCOMPARE(result.value(QStringLiteral("outcome")).toString(), QStringLiteral("sent"));
        const QString id = result.value(QStringLiteral("clientOrderId")).toString();
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(app->orders()->indexOfKey(id) >= 0, 1000); // on the blotter at the next frame
        QTRY_COMPARE_WITH_TIMEOUT(simOrdersWithId(app, id), 1, LiveTimeout);
        // The fill comes back over realtime into the blotter, and as a toast.
        QTRY_COMPARE_WITH_TIMEOUT(app->orders()->valueForKey(id, tf::OrderModel::StateRole).toInt(),
                                  int(tf::OrderModel::Filled), LiveTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(toasts.cbegin(), toasts.cend(), [](const QList<QVariant> &toast) {
            return toast.at(0).toString() == u"success" && toast.at(1).toString().contains(QStringLiteral("filled"));
        }), LiveTimeout);
        QCOMPARE(simOrdersWithId(app, id), 1);
        QCOMPARE(app->status()->pendingOrders(), 0);
    }

    void orderQueuedWhileDownThenSentOnce()
    {
        tf::AppController *app = startDemo();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        tf::sim::FaultInjector &faults = app->demo()->server()->faults();
        faults.refuseConnections(std::chrono::seconds(0));
        faults.dropAllConnections();
        QTRY_VERIFY_WITH_TIMEOUT(app->status()->state() != u"live", LiveTimeout);
        QVERIFY(!app->orderEntry()->validateOrder(marketTicket(QStringLiteral("MSFT"), QStringLiteral("sell"), 3)).size());

        const QVariantMap result = app->orderEntry()->submitOrder(marketTicket(QStringLiteral("MSFT"), QStringLiteral("sell"), 3));
        QCOMPARE(result.value(QStringLiteral("outcome")).toString(), QStringLiteral("queued"));
        const QString id = result.value(QStringLiteral("clientOrderId")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->pendingOrders(), 1, LiveTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(app->stateDump().value(QStringLiteral("pendingOrders")).toArray().size(), 1, 1000);
        const QJsonArray pending = app->stateDump().value(QStringLiteral("pendingOrders")).toArray();
        QCOMPARE(pending.at(0).toObject().value(QStringLiteral("clientOrderId")).toString(), id);
        QCOMPARE(simOrdersWithId(app, id), 0);

        faults.stopRefusing();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(simOrdersWithId(app, id), 1, LiveTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->pendingOrders(), 0, LiveTimeout);
        QCOMPARE(simOrdersWithId(app, id), 1);
    }

    void signInMistakesInWords()
    {
        tf::AppController *app = makeApp();
        QString error;
        QVERIFY(app->demo()->start(&error));
        const tf::ServerTarget demo = app->demo()->target();
        QSignalSpy toasts(app, &tf::AppController::notify);
        QSignalSpy errorChanged(app->settings(), &tf::AppSettings::signInErrorChanged);
        QSignalSpy busyChanged(app->settings(), &tf::AppSettings::busyChanged);
        QSignalSpy signedInChanged(app->settings(), &tf::AppSettings::signedInChanged);

        app->settings()->signIn(QStringLiteral("ftp://example.com"), QStringLiteral("key"), demo.email, QStringLiteral("x"));
        QVERIFY(app->settings()->signInError().contains(QStringLiteral("https://")));
        app->settings()->signIn(QStringLiteral("http://example.com"), QStringLiteral("key"), demo.email, QStringLiteral("x"));
        QVERIFY(app->settings()->signInError().contains(QStringLiteral("http:// is only allowed for a server on this machine")));
        app->settings()->signIn(demo.url.toString(), QString(), demo.email, QStringLiteral("x"));
        QCOMPARE(app->settings()->signInError(), QStringLiteral("Enter the project's anon key."));
        app->settings()->signIn(demo.url.toString(), demo.anonKey, demo.email, QString());
        QCOMPARE(app->settings()->signInError(), QStringLiteral("Enter your password."));
        QVERIFY(!app->settings()->busy());

        app->settings()->signIn(demo.url.toString(), demo.anonKey, demo.email, QStringLiteral("not-the-password"));
        QVERIFY(app->settings()->busy());
        QTRY_COMPARE_WITH_TIMEOUT(app->settings()->signInError(), QStringLiteral("Wrong e-mail or password."), LiveTimeout);
        QVERIFY(!app->settings()->signedIn());
        QVERIFY(!app->settings()->busy());
        QVERIFY(std::any_of(toasts.cbegin(), toasts.cend(), [](const QList<QVariant> &toast) {
            return toast.at(0).toString() == u"error" && toast.at(1).toString() == u"Wrong e-mail or password.";
        }));
        QCOMPARE(app->settings()->serverUrl(), QString()); // nothing saved from a failed sign-in
        // Each property says when it moved (QML binds to them one by one).
        QVERIFY(errorChanged.count() >= 5);
        QCOMPARE(busyChanged.count(), 2); // on for the request to GoTrue, off with its answer
        QCOMPARE(signedInChanged.count(), 0);
        QVERIFY(!app->diagnostics()->lastErrors().isEmpty());
    }

    void signInWithPasswordSavesTheServer()
    {
        tf::AppController *app = makeApp();
        QVERIFY(app->demo()->start());
        const tf::ServerTarget demo = app->demo()->target();
        app->settings()->signIn(demo.url.toString(), demo.anonKey, demo.email, app->demo()->demoPassword());
        QTRY_VERIFY_WITH_TIMEOUT(app->settings()->signedIn(), LiveTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QCOMPARE(app->settings()->serverUrl(), demo.url.toString());
        QCOMPARE(app->settings()->anonKey(), demo.anonKey);
        QCOMPARE(app->settings()->email(), demo.email);
        QVERIFY(!app->settings()->demo());
        QVERIFY(!m_settings->allKeys().join(u' ').contains(QStringLiteral("password"), Qt::CaseInsensitive));
        for (const QString &key : m_settings->allKeys())
            QVERIFY(m_settings->value(key).toString() != app->demo()->demoPassword());
    }

    void storedSessionIsRestoredWithoutPassword()
    {
        tf::AppController *app = makeApp();
        QVERIFY(app->demo()->start());
        const tf::ServerTarget demo = app->demo()->target();
        // As a configured server (not the demo): the refresh token goes to the token store.
        app->settings()->signIn(demo.url.toString(), demo.anonKey, demo.email, app->demo()->demoPassword());
        QTRY_VERIFY_WITH_TIMEOUT(app->settings()->signedIn(), LiveTimeout);

        // The next start with the saved server and e-mail needs no password.
        tf::ServerSettings saved;
        saved.demo = false;
        saved.url = demo.url;
        saved.anonKey = demo.anonKey;
        saved.email = demo.email;
        app->start(saved);
        QVERIFY(app->settings()->busy());
        QTRY_VERIFY_WITH_TIMEOUT(app->settings()->signedIn(), LiveTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QCOMPARE(app->status()->signedInUser(), demo.email);

        // Someone else's e-mail has no stored session: the sign-in page asks for the password.
        saved.email = QStringLiteral("rival@example.com");
        app->start(saved);
        QTRY_COMPARE_WITH_TIMEOUT(app->settings()->signInError(), QStringLiteral("Sign in with your password."), LiveTimeout);
        QVERIFY(!app->settings()->signedIn());
        QCOMPARE(app->positions()->count(), 0); // nothing of the previous session lingers
    }

    void signOutEmptiesEverything()
    {
        tf::AppController *app = startDemo();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(app->quotes()->count() > 0, LiveTimeout);
        app->settings()->signOut();
        QVERIFY(!app->settings()->signedIn());
        QCOMPARE(app->positions()->count(), 0);
        QCOMPARE(app->trades()->count(), 0);
        QCOMPARE(app->orders()->count(), 0);
        QCOMPARE(app->presence()->count(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(app->quotes()->count(), 0, 2000); // no ticks arrive any more either
        QVERIFY(app->status()->signedInUser().isEmpty());
        QVERIFY(!app->orderEntry()->canSubmit());
        QCOMPARE(app->orderEntry()->refusalReason(), QStringLiteral("Sign in to place orders."));
        const QVariantMap refused = app->orderEntry()->submitOrder(marketTicket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1));
        QCOMPARE(refused.value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
        QVERIFY(app->diagnostics()->channels().isEmpty());

        // And back: the demo button signs in again.
        app->settings()->useDemo();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QCOMPARE(app->positions()->count(), 3);
    }

    void switchingTheFeedKeepsTheData()
    {
        tf::AppController *app = startDemo();
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QSignalSpy resets(app->positions(), &QAbstractItemModel::modelReset);
        app->settings()->setFeedMode(QStringLiteral("broadcast"));
        QCOMPARE(app->liveSession()->sync()->feedMode(), tf::FeedMode::DatabaseBroadcast);
        QTRY_COMPARE_WITH_TIMEOUT(app->status()->state(), QStringLiteral("live"), LiveTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(hasChannel(app, QStringLiteral("realtime:user:") + app->sessions()->userId()), LiveTimeout);
        QCOMPARE(app->positions()->count(), 3);
        QCOMPARE(resets.count(), 0); // reconciled, never reset

        // A fill now arrives through the broadcast feed.
        const QVariantMap result = app->orderEntry()->submitOrder(marketTicket(QStringLiteral("AAPL"), QStringLiteral("sell"), 1));
        const QString id = result.value(QStringLiteral("clientOrderId")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(app->orders()->valueForKey(id, tf::OrderModel::StateRole).toInt(),
                                  int(tf::OrderModel::Filled), LiveTimeout);
    }
};

QTEST_GUILESS_MAIN(TestAppController)
#include "tst_appcontroller.moc"
