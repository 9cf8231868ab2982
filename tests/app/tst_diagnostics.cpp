// Diagnostics: the latency history keeps only the last 10 minutes and never more than its bound,
// errors are bounded too, channels follow the client, and the support text has the figures but
// never a token.
#include "connectionstatus.h"
#include "diagnostics.h"
#include "latencyhistory.h"
#include "realtimeclient.h"

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;

class TestDiagnostics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void historyKeepsTheWindow()
    {
        tf::LatencyHistory history(10min, 10000);
        const qint64 start = 1'700'000'000'000;
        // One sample every 10 s for 30 minutes.
        for (int i = 0; i <= 180; ++i)
            QVERIFY(history.add(start + i * 10'000, 20 + i % 7));
        const qint64 now = start + 180 * 10'000;
        QCOMPARE(history.points().front().atMs, now - 600'000); // exactly 10 minutes back
        QCOMPARE(history.size(), 61);
        for (const auto &point : history.points())
            QVERIFY(point.atMs >= now - 600'000);
        // Nothing new for 11 minutes: everything has aged out.
        QVERIFY(history.prune(now + 11 * 60'000));
        QVERIFY(history.isEmpty());
    }

    void historyHasAHardBound()
    {
        tf::LatencyHistory history(10min, 100);
        const qint64 start = 1'700'000'000'000;
        for (int i = 0; i < 1000; ++i)
            history.add(start + i, 1.0 * i); // 1000 samples within one second
        QCOMPARE(history.size(), 100);
        QCOMPARE(history.points().back().latencyMs, 999.0);  // the newest kept
        QCOMPARE(history.points().front().latencyMs, 900.0); // the oldest dropped first
    }

    void historyIgnoresUnknownLatency()
    {
        tf::LatencyHistory history;
        QVERIFY(!history.add(1000, -1));
        QVERIFY(!history.add(1000, qQNaN()));
        QVERIFY(history.isEmpty());
        QVERIFY(history.add(1000, 0));
        const QVariantList list = history.toVariantList();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.constFirst().toMap().value(QStringLiteral("time")).toLongLong(), 1000);
        QCOMPARE(list.constFirst().toMap().value(QStringLiteral("latencyMs")).toDouble(), 0.0);
    }

    void samplesHeartbeatLatencyFromTheClient()
    {
        tf::RealtimeOptions options;
        options.projectUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        options.apiKey = QStringLiteral("key");
        tf::RealtimeClient client(options);
        tf::Diagnostics diagnostics;
        QDateTime clock = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        diagnostics.setClock([&clock] { return clock; });
        diagnostics.setClient(&client);
        QSignalSpy historyChanged(&diagnostics, &tf::Diagnostics::latencyHistoryChanged);

        // A heartbeat reply every 25 s for 20 minutes (what the socket records).
        for (int i = 0; i < 48; ++i) {
            client.metrics()->recordLatency(10 + i);
            clock = clock.addSecs(25);
        }
        QCOMPARE(historyChanged.count(), 48);
        const QVariantList history = diagnostics.latencyHistory();
        // 10 minutes of 25 s spacing: 24 intervals, 25 samples at most.
        QVERIFY2(history.size() <= 25 && history.size() >= 24, qPrintable(QString::number(history.size())));
        QCOMPARE(history.constLast().toMap().value(QStringLiteral("latencyMs")).toDouble(), 57.0);
        QCOMPARE(diagnostics.latencyMs(), 57.0);

        // A new client (another server, or signed in again) starts a new history.
        tf::RealtimeClient other(options);
        diagnostics.setClient(&other);
        QVERIFY(diagnostics.latencyHistory().isEmpty());
        diagnostics.setClient(nullptr);
        QCOMPARE(diagnostics.latencyMs(), -1.0);
    }

    void errorsAreBoundedAndIncludeTheClients()
    {
        tf::RealtimeOptions options; // no project URL: connecting fails with a validation error
        tf::RealtimeClient client(options);
        tf::Diagnostics diagnostics;
        diagnostics.setClient(&client);
        QSignalSpy errorsChanged(&diagnostics, &tf::Diagnostics::lastErrorsChanged);
        client.connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(!diagnostics.lastErrors().isEmpty(), 10000);
        const QVariantMap first = diagnostics.lastErrors().constFirst().toMap();
        QVERIFY(first.value(QStringLiteral("time")).toDateTime().isValid());
        QVERIFY2(first.value(QStringLiteral("text")).toString().contains(QStringLiteral("validation")),
                 qPrintable(first.value(QStringLiteral("text")).toString()));

        for (int i = 0; i < 200; ++i)
            diagnostics.recordError(QStringLiteral("problem %1").arg(i));
        const QVariantList errors = diagnostics.lastErrors();
        QCOMPARE(errors.size(), tf::Diagnostics::MaxErrors);
        QCOMPARE(errors.constLast().toMap().value(QStringLiteral("text")).toString(), QStringLiteral("problem 199"));
        QCOMPARE(errors.constFirst().toMap().value(QStringLiteral("text")).toString(), QStringLiteral("problem 150"));
    }

    void channelsFollowTheClient()
    {
        tf::RealtimeOptions options;
        options.projectUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        options.apiKey = QStringLiteral("key");
        tf::RealtimeClient client(options);
        tf::Diagnostics diagnostics;
        diagnostics.setClient(&client);
        QVERIFY(diagnostics.channels().isEmpty());
        client.channel(QStringLiteral("room:test"));
        QTRY_COMPARE_WITH_TIMEOUT(diagnostics.channels().size(), 1, 5000);
        const QVariantMap channel = diagnostics.channels().constFirst().toMap();
        QCOMPARE(channel.value(QStringLiteral("topic")).toString(), QStringLiteral("realtime:room:test"));
        QVERIFY(!channel.value(QStringLiteral("state")).toString().isEmpty());
        client.releaseChannel(QStringLiteral("room:test"));
        QTRY_VERIFY_WITH_TIMEOUT(diagnostics.channels().isEmpty(), 5000);
    }

    void supportTextHasFiguresButNoToken()
    {
        tf::RealtimeOptions options;
        options.projectUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        options.apiKey = QStringLiteral("the-anon-key");
        tf::RealtimeClient client(options);
        const QString token = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0LXNpZ25hdHVyZQ");
        client.setAccessToken(token);
        tf::ConnectionStatus status;
        status.setMetrics(client.metrics());
        status.setSignedInUser(QStringLiteral("trader@example.com"));
        tf::Diagnostics diagnostics;
        diagnostics.setClient(&client);
        diagnostics.setStatus(&status);
        diagnostics.setServer(QStringLiteral("https://abcd.supabase.co"));
        client.metrics()->recordLatency(42);
        diagnostics.recordError(QStringLiteral("sync: a read failed"));

        const QString text = diagnostics.asText();
        QVERIFY(text.contains(QStringLiteral("Server: https://abcd.supabase.co")));
        QVERIFY(text.contains(QStringLiteral("User: trader@example.com")));
        QVERIFY(text.contains(QStringLiteral("Latency: last 42 ms")));
        QVERIFY(text.contains(QStringLiteral("sync: a read failed")));
        QVERIFY(text.contains(QStringLiteral("Disconnects: 0")));
        QVERIFY(!text.contains(token));
        QVERIFY(!text.contains(QStringLiteral("the-anon-key")));
    }
};

QTEST_GUILESS_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
