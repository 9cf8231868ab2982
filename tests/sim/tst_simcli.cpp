// The tradefloor-sim executable: --print-config, listening on the printed port, stdin fault
// commands, and option validation. The binary comes from TF_SIM_BIN (set by CMake).
#include "simtestsupport.h"

#include <QProcess>
#include <QTest>

using namespace tf::simtest;
using namespace Qt::StringLiterals;

class TestSimCli : public QObject
{
    Q_OBJECT

private:
    QString m_binary;

    // Starts the simulator and returns its --print-config object.
    static QJsonObject start(QProcess &process, const QString &binary, const QStringList &extra = {})
    {
        process.setProgram(binary);
        process.setArguments(QStringList{u"--port"_s, u"0"_s, u"--print-config"_s, u"--tick-hz"_s, u"0"_s} + extra);
        process.start();
        if (!process.waitForStarted(10000))
            return {};
        if (!QTest::qWaitFor([&] { return process.canReadLine() || process.state() == QProcess::NotRunning; }, 20000))
            return {};
        return QJsonDocument::fromJson(process.readLine()).object();
    }
    static QString command(QProcess &process, const QByteArray &line)
    {
        process.write(line + '\n');
        if (!QTest::qWaitFor([&] { return process.canReadLine(); }, 10000))
            return {};
        return QString::fromUtf8(process.readLine()).trimmed();
    }
    static void stop(QProcess &process)
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_binary = qEnvironmentVariable("TF_SIM_BIN");
        QVERIFY2(QFileInfo::exists(m_binary), "TF_SIM_BIN must point at tradefloor-sim");
    }

    void printsConfigAndServes()
    {
        QProcess process;
        const QJsonObject config = start(process, m_binary, {u"--symbols"_s, u"5"_s});
        for (const auto key : {u"url", u"anon_key", u"email", u"password"})
            QVERIFY2(config.value(QStringView(key)).isString(), qPrintable(QStringView(key).toString()));
        const QUrl url(config.value(u"url"_s).toString());
        QCOMPARE(url.host(), u"127.0.0.1"_s);
        QVERIFY(url.port() > 0);

        Http http(url, config.value(u"anon_key"_s).toString());
        QCOMPARE(http.get(u"/rest/v1/instruments"_s).array().size(), 5);
        const QJsonObject session = http.signIn(config.value(u"email"_s).toString(), config.value(u"password"_s).toString());
        QVERIFY(session.contains(u"access_token"_s));
        QCOMPARE(http.get(u"/rest/v1/positions"_s, session.value(u"access_token"_s).toString()).array().size(), 3);
        Socket socket(tf::SerializerVersion::V2);
        QVERIFY(socket.open(url, config.value(u"anon_key"_s).toString()));
        stop(process);
    }

    void stdinCommands()
    {
        QProcess process;
        const QJsonObject config = start(process, m_binary);
        const QUrl url(config.value(u"url"_s).toString());
        Socket socket(tf::SerializerVersion::V2);
        QVERIFY(socket.open(url, config.value(u"anon_key"_s).toString()));

        QVERIFY(command(process, "help").startsWith(u"ok commands:"_s));
        QVERIFY(command(process, "status").startsWith(u"ok port %1, 1 socket(s)"_s.arg(url.port())));
        QCOMPARE(command(process, "silence on"), u"ok heartbeats unanswered"_s);
        QVERIFY(command(process, "status").endsWith(u"faults: heartbeats silenced"_s));
        QCOMPARE(command(process, "silence off"), u"ok heartbeats answered"_s);
        QCOMPARE(command(process, "slow 0"), u"ok replies delayed by 0 ms"_s);
        QCOMPARE(command(process, "join-error Unknown Error on Channel"), u"ok joins fail with: Unknown Error on Channel"_s);
        const QString ref = socket.join(u"realtime:x"_s, channelConfig());
        QCOMPARE(socket.waitReply(ref, 10000)->value(u"response"_s).toObject().value(u"reason"_s).toString(),
                 u"Unknown Error on Channel"_s);
        QCOMPARE(command(process, "join-error off"), u"ok joins succeed again"_s);
        QVERIFY(command(process, "drop").startsWith(u"ok"_s));
        QVERIFY(socket.waitDisconnected());
        QVERIFY(command(process, "refuse 0").startsWith(u"ok refusing connections until accept"_s));
        QVERIFY(!Socket(tf::SerializerVersion::V2).open(url, config.value(u"anon_key"_s).toString()));
        QCOMPARE(command(process, "accept"), u"ok accepting connections"_s);
        QVERIFY(Socket(tf::SerializerVersion::V2).open(url, config.value(u"anon_key"_s).toString()));
        QVERIFY(command(process, "rate-limit").startsWith(u"ok rate limit on"_s));
        QVERIFY(command(process, "expire-tokens").startsWith(u"ok"_s));
        QVERIFY(command(process, "lose-insert-reply").startsWith(u"ok"_s));
        QVERIFY(command(process, "restart").startsWith(u"ok restarting"_s));
        QCOMPARE(command(process, "reset"), u"ok every fault reset"_s);
        QVERIFY(command(process, "slow fast").startsWith(u"error: usage"_s));
        QVERIFY(command(process, "teleport").startsWith(u"error: unknown command"_s));
        QCOMPARE(command(process, "quit"), u"ok bye"_s);
        // waitForFinished() is false for a process that already ended while we read its answer.
        QVERIFY(process.state() == QProcess::NotRunning || process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

    void rejectsBadOptions()
    {
        QProcess process;
        process.start(m_binary, {u"--port"_s, u"seventy"_s});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--port"));
    }
};

QTEST_GUILESS_MAIN(TestSimCli)
#include "tst_simcli.moc"
