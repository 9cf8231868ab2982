// tradefloor-cli, the built executable, against the in-test server: argument errors refused
// before any connection, tail's JSON lines (bindings in command-line order, changes, broadcasts,
// status), broadcast with and without ack, track with presence, --verbose without secrets.
#include "fakerealtimeserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using tf::PhoenixMessage;
using tf::test::FakeRealtimeServer;

namespace {

constexpr int WaitMs = 15000;

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

// One run of the CLI. The test's event loop keeps turning while it runs (the server lives here),
// so finishing is awaited with a signal spy, never with a blocking wait.
class CliRun
{
public:
    explicit CliRun(const QStringList &arguments)
        : m_finished(&m_process, &QProcess::finished)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_ACCESS_TOKEN", "QT_LOGGING_RULES"})
            environment.remove(QString::fromLatin1(name));
        m_process.setProcessEnvironment(environment);
        m_process.start(QStringLiteral(TF_CLI_PATH), arguments);
    }
    ~CliRun()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }

    bool finish()
    {
        if (m_process.state() == QProcess::NotRunning)
            return true;
        return m_finished.wait(WaitMs);
    }
    int exitCode() const { return m_process.exitCode(); }
    bool crashed() const { return m_process.exitStatus() != QProcess::NormalExit; }
    QByteArray stdErr() { return m_err += m_process.readAllStandardError(); }
    QList<QJsonObject> lines()
    {
        m_out += m_process.readAllStandardOutput();
        QList<QJsonObject> result;
        // Only complete lines: the last one may still be on its way.
        for (const QByteArray &line : m_out.left(m_out.lastIndexOf('\n') + 1).split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                qWarning("stdout line is not a JSON object: %s", line.constData());
                return {};
            }
            result.append(doc.object());
        }
        return result;
    }
    QList<QJsonObject> lines(const QString &kind)
    {
        QList<QJsonObject> result;
        for (const QJsonObject &line : lines()) {
            if (line.value(str("kind")).toString() == kind)
                result.append(line);
        }
        return result;
    }

private:
    QProcess m_process;
    QSignalSpy m_finished;
    QByteArray m_out;
    QByteArray m_err;
};

QStringList common(const FakeRealtimeServer &server)
{
    return {str("--url"), server.httpUrl().toString(), str("--key"), str("anon-key-1234567890"),
            str("--heartbeat-ms"), str("200")};
}

bool hasStatus(const QList<QJsonObject> &lines, const QString &status)
{
    return std::any_of(lines.cbegin(), lines.cend(), [&](const QJsonObject &line) {
        return line.value(str("kind")).toString() == u"status" && line.value(str("status")).toString() == status;
    });
}

} // namespace

class TestTradefloorCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badArgumentsFailBeforeConnecting_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList() << str("no command");
        QTest::newRow("unknown command") << QStringList{str("follow")} << str("unknown command");
        QTest::newRow("no channel") << QStringList{str("tail")} << str("--channel");
        QTest::newRow("schema before table") << QStringList{str("tail"), str("--channel"), str("a"), str("--schema"), str("x")}
                                             << str("must follow");
        QTest::newRow("bad filter") << QStringList{str("tail"), str("--channel"), str("a"), str("--table"), str("t"),
                                                   str("--filter"), str("id=zz.1")}
                                    << str("invalid filter");
        QTest::newRow("bad event") << QStringList{str("tail"), str("--channel"), str("a"), str("--table"), str("t"),
                                                  str("--event"), str("MERGE")}
                                   << str("MERGE");
        QTest::newRow("bad count") << QStringList{str("tail"), str("--channel"), str("a"), str("--count"), str("-1")}
                                   << str("--count");
        QTest::newRow("bad payload") << QStringList{str("broadcast"), str("--channel"), str("a"), str("--event"), str("e"),
                                                    str("--payload"), str("{nope")}
                                     << str("not valid JSON");
        QTest::newRow("track needs an object") << QStringList{str("track"), str("--channel"), str("a"), str("--payload"),
                                                              str("[1]")}
                                               << str("JSON object");
        QTest::newRow("bad vsn") << QStringList{str("tail"), str("--channel"), str("a"), str("--vsn"), str("3.0.0")}
                                 << str("--vsn");
        QTest::newRow("unknown option") << QStringList{str("tail"), str("--channel"), str("a"), str("--colour")}
                                        << str("colour");
    }

    void badArgumentsFailBeforeConnecting()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        QStringList all = arguments;
        if (!all.isEmpty())
            all << common(server);
        CliRun run(all);
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY2(QString::fromUtf8(run.stdErr()).contains(message), run.stdErr().constData());
        QVERIFY(run.lines().isEmpty());
        QCOMPARE(server.totalConnectionCount(), 0);
    }

    void missingUrlIsAUsageError()
    {
        CliRun run({str("tail"), str("--channel"), str("a"), str("--key"), str("k")});
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY(run.stdErr().contains("--url"));
    }

    void tailPrintsChangesAndBroadcasts()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        const QString token = FakeRealtimeServer::makeJwt(QDateTime::currentSecsSinceEpoch() + 3600);
        CliRun run(QStringList{str("tail"), str("--channel"), str("desk"),
                               str("--table"), str("items"), str("--filter"), str("user_id=eq.42"),
                               str("--table"), str("orders"), str("--event"), str("insert"), str("--schema"), str("trading"),
                               str("--broadcast"), str("refresh"), str("--count"), str("3"), str("--token"), token}
                   + common(server));
        QTRY_COMPARE_WITH_TIMEOUT(server.messages(str("phx_join")).size(), 1, WaitMs);
        const PhoenixMessage join = server.messages(str("phx_join")).constFirst();
        QCOMPARE(join.topic, str("realtime:desk"));
        QCOMPARE(join.payload.value(str("access_token")).toString(), token);
        const QJsonArray bindings = join.payload.value(str("config")).toObject().value(str("postgres_changes")).toArray();
        QCOMPARE(bindings.size(), 2);
        QCOMPARE(bindings.at(0).toObject(), (QJsonObject{{str("event"), str("*")}, {str("schema"), str("public")},
                                                         {str("table"), str("items")}, {str("filter"), str("user_id=eq.42")}}));
        QCOMPARE(bindings.at(1).toObject(), (QJsonObject{{str("event"), str("INSERT")}, {str("schema"), str("trading")},
                                                         {str("table"), str("orders")}}));
        QTRY_VERIFY_WITH_TIMEOUT(hasStatus(run.lines(), str("postgres_changes_live")), WaitMs);

        server.sendPostgresChange(str("realtime:desk"),
                                  QJsonObject{{str("schema"), str("public")},
                                              {str("table"), str("items")},
                                              {str("type"), str("UPDATE")},
                                              {str("commit_timestamp"), str("2026-08-21T10:15:30.123Z")},
                                              {str("record"), QJsonObject{{str("id"), 7}, {str("user_id"), 42}}},
                                              {str("old_record"), QJsonObject{{str("id"), 7}}}});
        server.sendUserBroadcast(str("realtime:desk"), str("chatter"), QJsonObject{{str("x"), 1}}); // not asked for
        server.sendUserBroadcast(str("realtime:desk"), str("refresh"), QJsonObject{{str("item_id"), 9}});
        server.sendPostgresChange(str("realtime:desk"),
                                  QJsonObject{{str("schema"), str("trading")},
                                              {str("table"), str("orders")},
                                              {str("type"), str("INSERT")},
                                              {str("commit_timestamp"), str("2026-08-21T10:15:31.000Z")},
                                              {str("record"), QJsonObject{{str("id"), 1}}}});
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 0);

        const QList<QJsonObject> changes = run.lines(str("postgres_changes"));
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes.at(0), (QJsonObject{{str("kind"), str("postgres_changes")},
                                             {str("schema"), str("public")},
                                             {str("table"), str("items")},
                                             {str("type"), str("UPDATE")},
                                             {str("new"), QJsonObject{{str("id"), 7}, {str("user_id"), 42}}},
                                             {str("old"), QJsonObject{{str("id"), 7}}},
                                             {str("commit_timestamp"), str("2026-08-21T10:15:30.123Z")}}));
        QCOMPARE(changes.at(1).value(str("table")).toString(), str("orders"));
        const QList<QJsonObject> broadcasts = run.lines(str("broadcast"));
        QCOMPARE(broadcasts.size(), 1);
        QCOMPARE(broadcasts.at(0), (QJsonObject{{str("kind"), str("broadcast")},
                                                {str("event"), str("refresh")},
                                                {str("payload"), QJsonObject{{str("item_id"), 9}}}}));
        const QList<QJsonObject> lines = run.lines();
        QVERIFY(hasStatus(lines, str("subscribed")));
        QVERIFY(std::any_of(lines.cbegin(), lines.cend(), [](const QJsonObject &line) {
            return line.value(str("socket")).toString() == u"connected";
        }));
    }

    void tailCountIsExactEvenForABurst()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        CliRun run(QStringList{str("tail"), str("--channel"), str("desk"), str("--count"), str("2")} + common(server));
        QTRY_VERIFY_WITH_TIMEOUT(hasStatus(run.lines(), str("subscribed")), WaitMs);
        for (int i = 0; i < 5; ++i) // one burst: likely one read on the other side
            server.sendUserBroadcast(str("realtime:desk"), str("tick"), QJsonObject{{str("i"), i}});
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 0);
        const QList<QJsonObject> broadcasts = run.lines(str("broadcast"));
        QCOMPARE(broadcasts.size(), 2);
        QCOMPARE(broadcasts.at(1).value(str("payload")).toObject().value(str("i")).toInt(), 1);
        // Our own leaving is not reported as a channel error.
        QVERIFY(!hasStatus(run.lines(), str("channel_error")));
    }

    void tailStopsAfterItsSeconds()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        CliRun run(QStringList{str("tail"), str("--channel"), str("quiet"), str("--presence"), str("--seconds"), str("0.5")}
                   + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 0);
        QVERIFY(hasStatus(run.lines(), str("subscribed")));
        const QJsonObject presenceConfig =
            server.messages(str("phx_join")).constFirst().payload.value(str("config")).toObject().value(str("presence")).toObject();
        QCOMPARE(presenceConfig.value(str("enabled")).toBool(), true);
    }

    void tailFailsWhenTheChannelCannotBeJoined()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setJoinError(str("realtime:desk"), str("PrivateOnly: This project only allows private channels"));
        CliRun run(QStringList{str("tail"), str("--channel"), str("desk"), str("--seconds"), str("30")} + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 1);
        QVERIFY(run.stdErr().contains("PrivateOnly"));
        QVERIFY(hasStatus(run.lines(), str("channel_error")));
    }

    void givesUpAgainstNoServer()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.stopListening();
        CliRun run(QStringList{str("tail"), str("--channel"), str("desk"), str("--max-attempts"), str("1")} + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 1);
        QVERIFY2(run.stdErr().contains("gave up"), run.stdErr().constData());
    }

    void broadcastWithAck_data()
    {
        QTest::addColumn<QString>("vsn");
        QTest::addColumn<bool>("binary");
        QTest::newRow("v2 binary kind 3") << str("2.0.0") << true;
        QTest::newRow("v1 json push") << str("1.0.0") << false;
    }

    void broadcastWithAck()
    {
        QFETCH(QString, vsn);
        QFETCH(bool, binary);
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        CliRun run(QStringList{str("broadcast"), str("--channel"), str("desk"), str("--event"), str("refresh"),
                               str("--payload"), str("{\"item_id\":7}"), str("--ack"), str("--vsn"), vsn}
                   + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 0);
        const QList<QJsonObject> sent = run.lines(str("broadcast_sent"));
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.at(0).value(str("acknowledged")).toBool(), true);
        const QList<PhoenixMessage> broadcasts = server.messages(str("broadcast"), str("realtime:desk"));
        QCOMPARE(broadcasts.size(), 1);
        QCOMPARE(broadcasts.at(0).payload.value(str("event")).toString(), str("refresh"));
        QCOMPARE(broadcasts.at(0).payload.value(str("payload")).toObject().value(str("item_id")).toInt(), 7);
        const auto frames = server.frames();
        QCOMPARE(std::count_if(frames.cbegin(), frames.cend(), [](const tf::test::ReceivedFrame &f) { return f.binary; }),
                 binary ? 1 : 0);
        const QJsonObject join = server.messages(str("phx_join")).constFirst().payload.value(str("config")).toObject();
        QCOMPARE(join.value(str("broadcast")).toObject().value(str("ack")).toBool(), true);
    }

    void broadcastAckErrorFails()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setBroadcastAckError(str("payload_size_exceeded"));
        CliRun run(QStringList{str("broadcast"), str("--channel"), str("desk"), str("--event"), str("big"),
                               str("--payload"), str("\"a string payload\""), str("--ack")}
                   + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 1);
        QVERIFY2(run.stdErr().contains("payload_size_exceeded"), run.stdErr().constData());
        QVERIFY(run.lines(str("broadcast_sent")).isEmpty());
    }

    void broadcastAckTimeoutFails()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        server.setAutoJoin(false); // the join is never answered
        CliRun run(QStringList{str("broadcast"), str("--channel"), str("desk"), str("--event"), str("e"),
                               str("--payload"), str("1"), str("--ack"), str("--timeout"), str("0.5")}
                   + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 1);
        QVERIFY(run.stdErr().contains("not confirmed"));
    }

    void broadcastWithoutAckSucceedsOnceSent()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        CliRun run(QStringList{str("broadcast"), str("--channel"), str("desk"), str("--event"), str("ping"),
                               str("--payload"), str("[1,2]")}
                   + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 0);
        QCOMPARE(run.lines(str("broadcast_sent")).constFirst().value(str("acknowledged")).toBool(), false);
        // The frame left before the process did.
        QTRY_COMPARE_WITH_TIMEOUT(server.messages(str("broadcast"), str("realtime:desk")).size(), 1, WaitMs);
        QCOMPARE(server.messages(str("broadcast")).constFirst().payload.value(str("payload")).toArray(), (QJsonArray{1, 2}));
    }

    void trackPrintsPresence()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        CliRun run(QStringList{str("track"), str("--channel"), str("floor"), str("--payload"), str("{\"desk\":\"fx\"}"),
                               str("--presence-key"), str("ops-1"), str("--seconds"), str("1")}
                   + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 0);
        const QList<QJsonObject> lines = run.lines();
        QVERIFY(hasStatus(lines, str("tracked")));
        const QList<QJsonObject> presence = run.lines(str("presence"));
        QVERIFY(std::any_of(presence.cbegin(), presence.cend(), [](const QJsonObject &line) {
            return line.value(str("event")).toString() == u"join" && line.value(str("key")).toString() == u"ops-1"
                && line.value(str("new")).toArray().at(0).toObject().value(str("desk")).toString() == u"fx";
        }));
        QVERIFY(std::any_of(presence.cbegin(), presence.cend(),
                            [](const QJsonObject &line) { return line.value(str("event")).toString() == u"sync"; }));
        const QList<PhoenixMessage> tracks = server.messages(str("presence"), str("realtime:floor"));
        QCOMPARE(tracks.size(), 1);
        QCOMPARE(tracks.at(0).payload.value(str("event")).toString(), str("track"));
    }

    void verboseDumpsFramesWithoutSecrets()
    {
        FakeRealtimeServer server;
        QVERIFY(server.listen());
        const QString token = FakeRealtimeServer::makeJwt(QDateTime::currentSecsSinceEpoch() + 3600, str("secret-subject"));
        CliRun run(QStringList{str("tail"), str("--channel"), str("desk"), str("--seconds"), str("0.5"),
                               str("--verbose"), str("--token"), token}
                   + common(server));
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 0);
        const QByteArray err = run.stdErr();
        QVERIFY2(err.contains("phx_join"), err.constData());  // the frames are there…
        QVERIFY(err.contains("access_token"));
        QVERIFY(!err.contains(token.toUtf8()));                // …their secrets are not
        QVERIFY(!err.contains(token.section(u'.', 1, 1).toUtf8()));
        QVERIFY(!err.contains("anon-key-1234567890"));
        QVERIFY(run.lines().size() >= 1); // stdout stays JSON only
    }
};

QTEST_GUILESS_MAIN(TestTradefloorCli)
#include "tst_realtimeclient_cli.moc"
