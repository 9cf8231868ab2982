// tradefloor-cli's REST side, the built executable against the in-process simulator: password
// sign-in, select with filters/order/limit, idempotent insert, errors and exit codes, and that
// the password never reaches stderr even with --verbose.
#include "simserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

namespace {

// One CLI run. The simulator lives in this process, so the event loop keeps turning while the
// CLI runs: finishing is awaited with a signal spy, never with a blocking wait.
class CliRun
{
public:
    CliRun(const QStringList &arguments, const QString &password = {})
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

    bool finish() { return m_process.state() == QProcess::NotRunning || m_finished.wait(20000); }
    int exitCode() const { return m_process.exitCode(); }
    bool crashed() const { return m_process.exitStatus() != QProcess::NormalExit; }
    QString stdErr() { return QString::fromUtf8(m_err += m_process.readAllStandardError()); }
    // Each stdout line parsed as a JSON object; a line that is not one fails the test.
    QList<QJsonObject> rows()
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

} // namespace

class TestRestCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<tf::sim::SimServer> m_sim;

    QStringList common() const
    {
        return {QStringLiteral("--url"), m_sim->url().toString(), QStringLiteral("--key"), m_sim->anonKey()};
    }
    QStringList signedIn(const QString &command) const
    {
        return QStringList{command} + common() + QStringList{QStringLiteral("--email"), m_sim->demoTrader().email};
    }
    QString symbol()
    {
        CliRun run(QStringList{QStringLiteral("select")} + common()
                   + QStringList{QStringLiteral("--table"), QStringLiteral("instruments"), QStringLiteral("--limit"),
                                 QStringLiteral("1")});
        if (!run.finish() || run.exitCode() != 0)
            return {};
        const auto rows = run.rows();
        return rows.isEmpty() ? QString() : rows.first().value(QLatin1String("symbol")).toString();
    }

private Q_SLOTS:
    void init()
    {
        tf::sim::SimConfig config;
        config.simulatedTraders = 0;
        config.tickHz = 0;
        m_sim = std::make_unique<tf::sim::SimServer>(config);
        QVERIFY(m_sim->start());
    }

    void cleanup() { m_sim.reset(); }

    void selectOwnRowsAfterPasswordSignIn()
    {
        CliRun run(signedIn(QStringLiteral("select"))
                       + QStringList{QStringLiteral("--table"), QStringLiteral("positions"), QStringLiteral("--order"),
                                     QStringLiteral("symbol.desc"), QStringLiteral("--select"),
                                     QStringLiteral("user_id,symbol,qty")},
                   m_sim->demoTrader().password);
        QVERIFY(run.finish());
        QVERIFY2(run.exitCode() == 0, qPrintable(run.stdErr()));
        const QList<QJsonObject> rows = run.rows();
        QVERIFY(rows.size() >= 2);
        QStringList symbols;
        for (const QJsonObject &row : rows) {
            QCOMPARE(row.value(QLatin1String("user_id")).toString(), m_sim->demoTrader().userId);
            QCOMPARE(row.keys(), (QStringList{QStringLiteral("qty"), QStringLiteral("symbol"), QStringLiteral("user_id")}));
            symbols << row.value(QLatin1String("symbol")).toString();
        }
        QStringList sorted = symbols;
        std::sort(sorted.begin(), sorted.end(), std::greater<>());
        QCOMPARE(symbols, sorted);
    }

    void filtersLimitAndOffsetTimestamps()
    {
        const QStringList base = signedIn(QStringLiteral("select")) + QStringList{QStringLiteral("--table"), QStringLiteral("positions")};
        CliRun all(base, m_sim->demoTrader().password);
        QVERIFY(all.finish());
        const int total = int(all.rows().size());
        QVERIFY(total >= 2);

        // '+' in the timestamp must reach the server as %2B, or the filter would break.
        CliRun since(base + QStringList{QStringLiteral("--filter"), QStringLiteral("updated_at=gte.2000-01-01T00:00:00+00:00"),
                                        QStringLiteral("--filter"), QStringLiteral("qty=gt.0"), QStringLiteral("--limit"),
                                        QStringLiteral("1")},
                     m_sim->demoTrader().password);
        QVERIFY(since.finish());
        QVERIFY2(since.exitCode() == 0, qPrintable(since.stdErr()));
        const QList<QJsonObject> rows = since.rows();
        QCOMPARE(rows.size(), 1);
        QVERIFY(rows.first().value(QLatin1String("qty")).toDouble() > 0);

        CliRun none(base + QStringList{QStringLiteral("--filter"), QStringLiteral("updated_at=gt.2999-01-01T00:00:00+00:00")},
                    m_sim->demoTrader().password);
        QVERIFY(none.finish());
        QCOMPARE(none.exitCode(), 0);
        QVERIFY(none.rows().isEmpty());
    }

    void idempotentInsertTwice()
    {
        const QString sym = symbol();
        QVERIFY(!sym.isEmpty());
        const QJsonObject order{{QStringLiteral("client_order_id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                {QStringLiteral("symbol"), sym},
                                {QStringLiteral("side"), QStringLiteral("buy")},
                                {QStringLiteral("qty"), 1},
                                {QStringLiteral("type"), QStringLiteral("limit")},
                                {QStringLiteral("limit_price"), 0.01}};
        const QStringList insert = signedIn(QStringLiteral("insert"))
            + QStringList{QStringLiteral("--table"), QStringLiteral("orders"), QStringLiteral("--json"),
                          QString::fromUtf8(QJsonDocument(order).toJson(QJsonDocument::Compact))};
        const QStringList idempotent = insert + QStringList{QStringLiteral("--on-conflict"), QStringLiteral("client_order_id")};

        CliRun first(idempotent, m_sim->demoTrader().password);
        QVERIFY(first.finish());
        QVERIFY2(first.exitCode() == 0, qPrintable(first.stdErr()));
        const QList<QJsonObject> created = first.rows();
        QCOMPARE(created.size(), 1);
        QCOMPARE(created.first().value(QLatin1String("user_id")).toString(), m_sim->demoTrader().userId);

        CliRun again(idempotent, m_sim->demoTrader().password);
        QVERIFY(again.finish());
        QVERIFY2(again.exitCode() == 0, qPrintable(again.stdErr()));
        QVERIFY(again.rows().isEmpty()); // existed already: skipped, and that is success

        CliRun plain(insert, m_sim->demoTrader().password);
        QVERIFY(plain.finish());
        QCOMPARE(plain.exitCode(), 1);
        QVERIFY2(plain.stdErr().contains(QLatin1String("23505")), qPrintable(plain.stdErr()));
    }

    void wrongPasswordFailsWithoutLeakingIt()
    {
        const QString password = QStringLiteral("not-the-Password-42");
        CliRun run(signedIn(QStringLiteral("select"))
                       + QStringList{QStringLiteral("--password"), password, QStringLiteral("--table"),
                                     QStringLiteral("positions"), QStringLiteral("--verbose")});
        QVERIFY(run.finish());
        QCOMPARE(run.exitCode(), 1);
        QVERIFY2(run.stdErr().contains(QLatin1String("invalid_credentials")), qPrintable(run.stdErr()));
        QVERIFY(!run.stdErr().contains(password));
        QVERIFY(run.rows().isEmpty());
    }

    void verboseRunLeaksNoPassword()
    {
        CliRun run(signedIn(QStringLiteral("select"))
                       + QStringList{QStringLiteral("--table"), QStringLiteral("positions"), QStringLiteral("--verbose")},
                   m_sim->demoTrader().password);
        QVERIFY(run.finish());
        QVERIFY2(run.exitCode() == 0, qPrintable(run.stdErr()));
        QVERIFY(run.stdErr().contains(QLatin1String("tradingfloor.rest"))); // verbose really was on
        QVERIFY(!run.stdErr().contains(m_sim->demoTrader().password));
    }

    void badArgumentsExitWithUsage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QStringList table{QStringLiteral("--table"), QStringLiteral("positions")};
        QTest::newRow("no table") << QStringList{QStringLiteral("select")} << QStringLiteral("--table");
        QTest::newRow("bad filter") << (QStringList{QStringLiteral("select"), QStringLiteral("--filter"), QStringLiteral("qty>5")} + table)
                                    << QStringLiteral("--filter must look like");
        QTest::newRow("bad order") << (QStringList{QStringLiteral("select"), QStringLiteral("--order"), QStringLiteral("qty.sideways")} + table)
                                   << QStringLiteral("--order");
        QTest::newRow("bad limit") << (QStringList{QStringLiteral("select"), QStringLiteral("--limit"), QStringLiteral("-1")} + table)
                                   << QStringLiteral("--limit");
        QTest::newRow("bad json") << QStringList{QStringLiteral("insert"), QStringLiteral("--table"), QStringLiteral("orders"),
                                                 QStringLiteral("--json"), QStringLiteral("{qty:")}
                                  << QStringLiteral("not valid JSON");
        QTest::newRow("json scalar rows") << QStringList{QStringLiteral("insert"), QStringLiteral("--table"), QStringLiteral("orders"),
                                                         QStringLiteral("--json"), QStringLiteral("[1,2]")}
                                          << QStringLiteral("array of objects");
        QTest::newRow("no json") << QStringList{QStringLiteral("insert"), QStringLiteral("--table"), QStringLiteral("orders")}
                                 << QStringLiteral("--json");
        QTest::newRow("token and email") << (QStringList{QStringLiteral("select"), QStringLiteral("--token"), QStringLiteral("t"),
                                                         QStringLiteral("--email"), QStringLiteral("a@b.c"),
                                                         QStringLiteral("--password"), QStringLiteral("p")} + table)
                                         << QStringLiteral("either --token or --email");
        QTest::newRow("email without password") << (QStringList{QStringLiteral("select"), QStringLiteral("--email"),
                                                                QStringLiteral("a@b.c")} + table)
                                                << QStringLiteral("--password");
    }

    void badArgumentsExitWithUsage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QStringList full = arguments;
        full.insert(1, QStringLiteral("--url"));
        full.insert(2, m_sim->url().toString());
        full.insert(3, QStringLiteral("--key"));
        full.insert(4, m_sim->anonKey());
        CliRun run(full);
        QVERIFY(run.finish());
        QVERIFY(!run.crashed());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY2(run.stdErr().contains(message), qPrintable(run.stdErr()));
        QVERIFY(run.rows().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRestCli)
#include "tst_rest_cli.moc"
