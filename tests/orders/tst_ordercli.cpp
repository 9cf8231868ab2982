// tradefloor-cli's order commands, the built executable against the in-process simulator:
// `order submit` (filled, working, rejected by the exchange, the same client order id twice, a
// bad ticket, no signed-in trader), offline submit then `queue flush`, and `queue list` (which
// needs no server and changes nothing).
#include "authstore.h"
#include "faultinjector.h"
#include "rowstore.h"
#include "simserver.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

namespace {

// One CLI run. The simulator lives in this process, so the event loop keeps turning while the
// CLI runs: finishing is awaited with a signal spy, never with a blocking wait.
class CliRun
{
public:
    explicit CliRun(const QStringList &arguments, const QString &password = {})
        : m_finished(&m_process, &QProcess::finished)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_ACCESS_TOKEN", "SUPABASE_EMAIL",
                                 "SUPABASE_PASSWORD", "QT_LOGGING_RULES"})
            environment.remove(QString::fromLatin1(name));
        if (!password.isEmpty())
            environment.insert(QStringLiteral("SUPABASE_PASSWORD"), password);
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

    bool finish() { return m_process.state() == QProcess::NotRunning || m_finished.wait(60000); }
    int exitCode() const { return m_process.exitCode(); }
    QString stdErr() { return QString::fromUtf8(m_err += m_process.readAllStandardError()); }
    // Each stdout line parsed as a JSON object; a line that is not one fails the test.
    QList<QJsonObject> lines()
    {
        QList<QJsonObject> result;
        for (const QByteArray &line : m_process.readAllStandardOutput().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonDocument document = QJsonDocument::fromJson(line);
            if (!document.isObject()) {
                qWarning("stdout line is not a JSON object: %s", line.constData());
                return {{{QStringLiteral("invalid"), true}}};
            }
            result << document.object();
        }
        return result;
    }

private:
    QProcess m_process;
    QSignalSpy m_finished;
    QByteArray m_err;
};

QString field(const QJsonObject &line, const char *name)
{
    return line.value(QLatin1String(name)).toVariant().toString();
}

} // namespace

class TestOrderCli : public QObject
{
    Q_OBJECT

    std::unique_ptr<tf::sim::SimServer> m_sim;
    std::unique_ptr<QTemporaryDir> m_dir;

    QString queueFile() const { return m_dir->filePath(QStringLiteral("orders.sqlite")); }
    QStringList project() const
    {
        return {QStringLiteral("--url"), m_sim->url().toString(), QStringLiteral("--key"), m_sim->anonKey()};
    }
    // `order submit` as the demo trader (password in the environment).
    QStringList submit(const QStringList &args) const
    {
        return QStringList{QStringLiteral("order"), QStringLiteral("submit")} + project()
            + QStringList{QStringLiteral("--email"), m_sim->demoTrader().email, QStringLiteral("--queue"), queueFile()} + args;
    }
    int rowsAtExchange(const QString &clientOrderId) const
    {
        return int(m_sim->store()
                       .rows(QStringLiteral("orders"),
                             [&clientOrderId](const QJsonObject &row) {
                                 return row.value(QStringLiteral("client_order_id")).toString() == clientOrderId;
                             })
                       .size());
    }

private Q_SLOTS:
    void init()
    {
        tf::sim::SimConfig config;
        config.simulatedTraders = 0;
        config.tickHz = 0;
        m_sim = std::make_unique<tf::sim::SimServer>(config);
        QVERIFY(m_sim->start());
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup()
    {
        m_sim.reset();
        m_dir.reset();
    }

    void aMarketOrderIsSubmittedAndFills()
    {
        CliRun run(submit({QStringLiteral("--symbol"), QStringLiteral("aapl"), QStringLiteral("--side"), QStringLiteral("buy"),
                           QStringLiteral("--qty"), QStringLiteral("2")}),
                   m_sim->demoTrader().password);
        QVERIFY(run.finish());
        QVERIFY2(run.exitCode() == 0, qPrintable(run.stdErr()));
        const QList<QJsonObject> lines = run.lines();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(field(lines[0], "kind"), QStringLiteral("submitted"));
        QCOMPARE(field(lines[0], "outcome"), QStringLiteral("sent"));
        const QString id = field(lines[0], "client_order_id");
        QVERIFY(!QUuid::fromString(id).isNull());
        QCOMPARE(field(lines[1], "kind"), QStringLiteral("order"));
        QCOMPARE(field(lines[1], "client_order_id"), id);
        QCOMPARE(field(lines[1], "symbol"), QStringLiteral("AAPL"));
        QCOMPARE(field(lines[1], "state"), QStringLiteral("filled"));
        QCOMPARE(lines[1].value(QLatin1String("final")).toBool(), true);
        QVERIFY(!field(lines[1], "server_id").isEmpty());
        QCOMPARE(rowsAtExchange(id), 1);
        QVERIFY(!run.stdErr().contains(m_sim->demoTrader().password));
    }

    void aWorkingLimitOrderIsPrintedAsItIsWhenTheWaitEnds()
    {
        CliRun run(submit({QStringLiteral("--symbol"), QStringLiteral("MSFT"), QStringLiteral("--side"), QStringLiteral("buy"),
                           QStringLiteral("--qty"), QStringLiteral("1"), QStringLiteral("--type"), QStringLiteral("limit"),
                           QStringLiteral("--limit"), QStringLiteral("0.01"), QStringLiteral("--wait-seconds"),
                           QStringLiteral("1")}),
                   m_sim->demoTrader().password);
        QVERIFY(run.finish());
        QVERIFY2(run.exitCode() == 0, qPrintable(run.stdErr()));
        const QList<QJsonObject> lines = run.lines();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(field(lines[1], "state"), QStringLiteral("accepted"));
        QCOMPARE(field(lines[1], "state_text"), QStringLiteral("working"));
        QCOMPARE(lines[1].value(QLatin1String("final")).toBool(), false);
        QCOMPARE(lines[1].value(QLatin1String("limit_price")).toDouble(), 0.01);
    }

    void anOrderTheExchangeRejectsExitsWithFailure()
    {
        CliRun run(submit({QStringLiteral("--symbol"), QStringLiteral("NOPE"), QStringLiteral("--side"), QStringLiteral("sell"),
                           QStringLiteral("--qty"), QStringLiteral("1")}),
                   m_sim->demoTrader().password);
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 1);
        const QList<QJsonObject> lines = run.lines();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(field(lines[1], "state"), QStringLiteral("rejected"));
        QCOMPARE(field(lines[1], "reason"), QStringLiteral("unknown symbol: NOPE"));
    }

    // The idempotency key from the command line: the second run places nothing new.
    void theSameClientOrderIdTwicePlacesOneOrder()
    {
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QStringList args{QStringLiteral("--symbol"), QStringLiteral("AAPL"), QStringLiteral("--side"),
                               QStringLiteral("buy"), QStringLiteral("--qty"), QStringLiteral("1"),
                               QStringLiteral("--client-order-id"), id};
        CliRun first(submit(args), m_sim->demoTrader().password);
        QVERIFY(first.finish());
        QVERIFY2(first.exitCode() == 0, qPrintable(first.stdErr()));
        CliRun second(submit(args), m_sim->demoTrader().password);
        QVERIFY(second.finish());
        QVERIFY2(second.exitCode() == 0, qPrintable(second.stdErr()));
        const QList<QJsonObject> lines = second.lines();
        QCOMPARE(field(lines[0], "client_order_id"), id);
        QVERIFY2(field(lines[0], "message").startsWith(QStringLiteral("already placed")), qPrintable(field(lines[0], "message")));
        QCOMPARE(rowsAtExchange(id), 1);
    }

    void badInvocationsSaveAndSendNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList ok{QStringLiteral("--symbol"), QStringLiteral("AAPL"), QStringLiteral("--side"), QStringLiteral("buy")};
        QTest::newRow("qty 0") << (ok + QStringList{QStringLiteral("--qty"), QStringLiteral("0")}) << QStringLiteral("--qty");
        QTest::newRow("no qty") << ok << QStringLiteral("--qty is required");
        QTest::newRow("limit without price")
            << (ok + QStringList{QStringLiteral("--qty"), QStringLiteral("1"), QStringLiteral("--type"), QStringLiteral("limit")})
            << QStringLiteral("--limit");
        QTest::newRow("side hold") << QStringList{QStringLiteral("--symbol"), QStringLiteral("AAPL"), QStringLiteral("--side"),
                                                  QStringLiteral("hold"), QStringLiteral("--qty"), QStringLiteral("1")}
                                   << QStringLiteral("--side");
        QTest::newRow("bad id") << (ok + QStringList{QStringLiteral("--qty"), QStringLiteral("1"),
                                                     QStringLiteral("--client-order-id"), QStringLiteral("x")})
                                << QStringLiteral("--client-order-id");
        QTest::newRow("bad wait") << (ok + QStringList{QStringLiteral("--qty"), QStringLiteral("1"),
                                                       QStringLiteral("--wait-seconds"), QStringLiteral("-1")})
                                  << QStringLiteral("--wait-seconds");
    }

    void badInvocationsSaveAndSendNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        CliRun run(submit(args), m_sim->demoTrader().password);
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY2(run.stdErr().contains(message), qPrintable(run.stdErr()));
        QVERIFY(run.lines().isEmpty());
        QVERIFY(!QFileInfo::exists(queueFile()));
    }

    void actionsAreChecked()
    {
        CliRun none(QStringList{QStringLiteral("order")});
        QVERIFY(none.finish());
        QCOMPARE(none.exitCode(), 2);
        QVERIFY2(none.stdErr().contains(QStringLiteral("submit")), qPrintable(none.stdErr()));
        CliRun unknown(QStringList{QStringLiteral("queue"), QStringLiteral("drop")});
        QVERIFY(unknown.finish());
        QCOMPARE(unknown.exitCode(), 2);
        QVERIFY2(unknown.stdErr().contains(QStringLiteral("unknown action \"drop\"")), qPrintable(unknown.stdErr()));
        CliRun extra(QStringList{QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("now")});
        QVERIFY(extra.finish());
        QCOMPARE(extra.exitCode(), 2);
    }

    void ordersNeedASignedInTrader()
    {
        CliRun run(QStringList{QStringLiteral("order"), QStringLiteral("submit")} + project()
                   + QStringList{QStringLiteral("--queue"), queueFile(), QStringLiteral("--symbol"), QStringLiteral("AAPL"),
                                 QStringLiteral("--side"), QStringLiteral("buy"), QStringLiteral("--qty"), QStringLiteral("1")});
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY2(run.stdErr().contains(QStringLiteral("signed-in")), qPrintable(run.stdErr()));
    }

    // The link is down: the order is saved and stays queued; `queue flush` sends it later, and
    // `queue list` (no server needed) shows it.
    void offlineSubmitThenFlushThenList()
    {
        const QString token = m_sim->auth().issueSession(m_sim->demoTrader().userId).accessToken;
        const QStringList asTrader = project() + QStringList{QStringLiteral("--token"), token, QStringLiteral("--queue"), queueFile()};
        m_sim->faults().refuseConnections(std::chrono::milliseconds(0));

        CliRun offline(QStringList{QStringLiteral("order"), QStringLiteral("submit")} + asTrader
                       + QStringList{QStringLiteral("--symbol"), QStringLiteral("AAPL"), QStringLiteral("--side"),
                                     QStringLiteral("buy"), QStringLiteral("--qty"), QStringLiteral("3"),
                                     QStringLiteral("--wait-seconds"), QStringLiteral("1")});
        QVERIFY(offline.finish());
        QVERIFY2(offline.exitCode() == 0, qPrintable(offline.stdErr())); // saved: it will go out later
        const QList<QJsonObject> lines = offline.lines();
        QCOMPARE(lines.size(), 2);
        const QString id = field(lines[0], "client_order_id");
        QCOMPARE(field(lines[1], "state"), QStringLiteral("queued"));
        QVERIFY2(field(lines[1], "state_text").startsWith(QStringLiteral("queued — retrying")), qPrintable(field(lines[1], "state_text")));
        QVERIFY(!field(lines[1], "last_error").isEmpty());
        QCOMPARE(lines[1].value(QLatin1String("final")).toBool(), false);

        // Still down: the flush says nothing was delivered.
        CliRun stillDown(QStringList{QStringLiteral("queue"), QStringLiteral("flush")} + asTrader
                         + QStringList{QStringLiteral("--wait-seconds"), QStringLiteral("1")});
        QVERIFY(stillDown.finish());
        QCOMPARE(stillDown.exitCode(), 1);
        QVERIFY2(stillDown.stdErr().contains(QStringLiteral("not delivered")), qPrintable(stillDown.stdErr()));
        QCOMPARE(rowsAtExchange(id), 0);

        m_sim->faults().stopRefusing();
        CliRun flush(QStringList{QStringLiteral("queue"), QStringLiteral("flush")} + asTrader);
        QVERIFY(flush.finish());
        QVERIFY2(flush.exitCode() == 0, qPrintable(flush.stdErr()));
        const QList<QJsonObject> flushed = flush.lines();
        QCOMPARE(flushed.size(), 1);
        QCOMPARE(field(flushed[0], "client_order_id"), id);
        QVERIFY2(field(flushed[0], "state") == QLatin1String("accepted") || field(flushed[0], "state") == QLatin1String("filled"),
                 qPrintable(field(flushed[0], "state")));
        QCOMPARE(rowsAtExchange(id), 1);

        // A plain look at the file: no --url or --key needed.
        CliRun list(QStringList{QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--queue"), queueFile()});
        QVERIFY(list.finish());
        QVERIFY2(list.exitCode() == 0, qPrintable(list.stdErr()));
        const QList<QJsonObject> listed = list.lines();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(field(listed[0], "client_order_id"), id);
        QCOMPARE(field(listed[0], "user_id"), m_sim->demoTrader().userId);
        QCOMPARE(field(listed[0], "state"), field(flushed[0], "state"));
        QVERIFY(listed[0].value(QLatin1String("age_seconds")).toInteger() >= 0);
    }

    void listingAMissingOrDamagedQueue()
    {
        CliRun missing(QStringList{QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--queue"), queueFile()});
        QVERIFY(missing.finish());
        QCOMPARE(missing.exitCode(), 0);
        QVERIFY(missing.lines().isEmpty());
        QVERIFY(!QFileInfo::exists(queueFile())); // looking creates nothing

        QFile damaged(queueFile());
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write(QByteArray(4096, 'x'));
        damaged.close();
        CliRun bad(QStringList{QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--queue"), queueFile()});
        QVERIFY(bad.finish());
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY2(bad.stdErr().contains(QStringLiteral("unreadable")), qPrintable(bad.stdErr()));
        QCOMPARE(QFileInfo(queueFile()).size(), 4096); // left where it is, as it is
    }
};

QTEST_GUILESS_MAIN(TestOrderCli)
#include "tst_ordercli.moc"
