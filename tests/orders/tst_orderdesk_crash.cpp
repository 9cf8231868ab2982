// SIGKILL cycles against the simulator: tf_orderdesk_crash_helper (the real OrderDesk over
// PostgREST) submits orders to the simulator this test runs, and is killed at random points
// (fixed seed, 60 cycles): while starting, after some orders were reported queued, after a random
// delay, and exactly when the simulator has committed an insert whose reply has not left yet (a
// reply lost with the process). Then one last run flushes and waits for every order's final
// state. The simulator must hold every order the helper reported queued exactly once, nothing the
// queue does not know, and the queue no order in a non-terminal state; no kill may leave a queue
// file that had to be set aside.
#include "authstore.h"
#include "desksimfixture.h"
#include "faultinjector.h"
#include "httpfrontend.h"
#include "queuetestutil.h"

#include <QDir>
#include <QLoggingCategory>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#ifndef TF_ORDERDESK_CRASH_HELPER
#error "TF_ORDERDESK_CRASH_HELPER must name the helper executable"
#endif

using namespace std::chrono_literals;
using tf::testing::RawDb;

namespace {

constexpr quint32 kSeed = 20260302;
constexpr int kCycles = 60;

enum class KillAt {
    Startup,     // before it has done anything
    AfterQueued, // after n "queued" lines
    AfterDelay,  // after a random number of milliseconds
    InsertReply, // the simulator committed an insert; its reply is still held back
    Never,       // let it finish
};

} // namespace

class TestOrderDeskCrash : public QObject
{
    Q_OBJECT

    tf::testing::DeskSimFixture m_fx;
    QString m_token;
    QMap<int, QString> m_reported; // index → client order id, for every "queued" line seen
    int m_next = 0;
    QStringList m_bad; // lines that must never appear

    void record(const QByteArray &raw)
    {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty())
            return;
        const QStringList parts = line.split(QLatin1Char(' '));
        if (parts.first() == QLatin1String("queued") && parts.size() == 3) {
            const int index = parts[1].toInt();
            if (m_reported.contains(index) && m_reported.value(index) != parts[2])
                m_bad << QStringLiteral("index %1 reported with two ids").arg(index);
            m_reported.insert(index, parts[2]);
            m_next = std::max(m_next, index + 1);
        } else if (parts.first() == QLatin1String("problem") || parts.first() == QLatin1String("refused")
                   || parts.first() == QLatin1String("failed")) {
            m_bad << line;
        }
    }

    QStringList arguments(int count, bool drain) const
    {
        QStringList args{QStringLiteral("--url"), m_fx.server->url().toString(), QStringLiteral("--key"),
                         m_fx.server->anonKey(), QStringLiteral("--token"), m_token, QStringLiteral("--user"),
                         m_fx.userId(), QStringLiteral("--queue"), m_queueFile, QStringLiteral("--seed"),
                         QString::number(kSeed), QStringLiteral("--from"), QString::number(m_next),
                         QStringLiteral("--count"), QString::number(count)};
        if (drain)
            args << QStringLiteral("--drain");
        return args;
    }

    QString m_queueFile;

private Q_SLOTS:
    void initTestCase()
    {
        // Every fill would be a line; the simulator's warnings still show.
        QLoggingCategory::setFilterRules(QStringLiteral("tradingfloor.sim*.info=false"));
        QVERIFY(m_fx.start());
        m_token = m_fx.server->auth().issueSession(m_fx.userId()).accessToken;
        QVERIFY(!m_token.isEmpty());
    }

    void cleanupTestCase() { m_fx.stop(); }

    void killedAtRandomPointsEveryOrderReachesTheExchangeOnce()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        m_queueFile = dir.filePath(QStringLiteral("orders.sqlite"));
        const QSet<QString> before = [this] {
            const QMap<QString, int> rows = m_fx.rowsPerClientOrderId();
            return QSet<QString>(rows.keyBegin(), rows.keyEnd()); // the demo data's
        }();
        // Replies leave a little after the commit, so a kill can fall in between.
        m_fx.server->faults().setReplyDelay(15ms);
        QRandomGenerator rng(kSeed);
        int kills = 0;
        int lostReplies = 0;

        for (int cycle = 0; cycle < kCycles; ++cycle) {
            const auto strategy = KillAt(rng.bounded(5));
            const int afterLines = 1 + int(rng.bounded(4));
            const int afterMs = int(rng.bounded(250));
            QProcess helper;
            helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            int queuedLines = 0;
            bool killed = false;
            const auto kill = [&] {
                if (!killed && helper.state() != QProcess::NotRunning) {
                    helper.kill(); // SIGKILL
                    killed = true;
                }
            };
            connect(&helper, &QProcess::readyReadStandardOutput, this, [&] {
                while (helper.canReadLine()) {
                    const QByteArray line = helper.readLine();
                    record(line);
                    if (line.startsWith("queued") && ++queuedLines >= afterLines && strategy == KillAt::AfterQueued)
                        kill();
                }
            });
            QMetaObject::Connection onInsert;
            if (strategy == KillAt::InsertReply) {
                onInsert = connect(&m_fx.server->http(), &tf::sim::HttpFrontend::requestHandled, this,
                                   [&](const QByteArray &method, const QString &path, int status) {
                                       if (method == "POST" && path == QLatin1String("/rest/v1/orders") && status == 201
                                           && !killed) {
                                           kill(); // committed; the held-back reply goes to a dead process
                                           ++lostReplies;
                                       }
                                   });
            }
            QSignalSpy finished(&helper, &QProcess::finished);
            helper.start(QStringLiteral(TF_ORDERDESK_CRASH_HELPER), arguments(4, false));
            QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
            if (strategy == KillAt::Startup)
                kill();
            else if (strategy == KillAt::AfterDelay)
                QTimer::singleShot(afterMs, &helper, kill);
            // The event loop keeps turning while we wait: the simulator lives in this process.
            QVERIFY2(finished.wait(60000), "the helper hung");
            disconnect(onInsert);
            // What it printed before dying is still in the pipe: those orders were on disk.
            const QList<QByteArray> rest = helper.readAllStandardOutput().split('\n');
            for (qsizetype i = 0; i + 1 < rest.size(); ++i) // the last piece has no newline: cut off
                record(rest[i]);
            if (killed) {
                ++kills;
            } else {
                QCOMPARE(helper.exitStatus(), QProcess::NormalExit);
                QCOMPARE(helper.exitCode(), 0);
            }
            QVERIFY2(m_bad.isEmpty(), qPrintable(m_bad.join(QLatin1Char('\n'))));
        }

        // Restart once more: flush, and wait for every order's final state.
        m_fx.server->faults().setReplyDelay(0ms);
        QProcess drain;
        drain.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QSignalSpy drained(&drain, &QProcess::finished);
        drain.start(QStringLiteral(TF_ORDERDESK_CRASH_HELPER), arguments(0, true));
        QVERIFY(drained.wait(120000));
        const QByteArray output = drain.readAllStandardOutput();
        for (const QByteArray &line : output.split('\n'))
            record(line);
        QVERIFY2(m_bad.isEmpty(), qPrintable(m_bad.join(QLatin1Char('\n'))));
        QCOMPARE(drain.exitCode(), 0);
        QVERIFY2(output.contains("done"), output.constData());

        qInfo("%d cycles, %d kills (%d with an insert reply lost), %lld orders reported queued", kCycles, kills,
              lostReplies, qlonglong(m_reported.size()));
        QVERIFY(kills >= 30); // the rest ended by themselves first (a "never", or a delay too long)
        QVERIFY(lostReplies > 0);
        QVERIFY(m_reported.size() >= 40);
        // Reported indices are contiguous: a restart never skips an order it had not confirmed.
        QCOMPARE(m_reported.firstKey(), 0);
        QCOMPARE(m_reported.lastKey(), int(m_reported.size()) - 1);

        QMap<QString, QString> queued; // id → state, as the queue file has it
        {
            RawDb queue(m_queueFile);
            QSqlQuery rows(queue.db());
            QVERIFY(rows.exec(QStringLiteral("SELECT client_order_id, state FROM orders")));
            while (rows.next()) {
                const QString id = rows.value(0).toString();
                QVERIFY2(!queued.contains(id), qPrintable(id)); // once
                queued.insert(id, rows.value(1).toString());
            }
        }
        for (auto it = queued.cbegin(); it != queued.cend(); ++it) // no order left in between
            QVERIFY2(it.value() == QLatin1String("filled"), qPrintable(it.key() + QLatin1Char(' ') + it.value()));

        QMap<QString, int> atExchange = m_fx.rowsPerClientOrderId();
        for (const QString &id : before)
            atExchange.remove(id);
        for (const QString &id : std::as_const(m_reported)) {
            QVERIFY2(queued.contains(id), qPrintable(QStringLiteral("lost from the queue: ") + id));
            QVERIFY2(atExchange.value(id) == 1,
                     qPrintable(QStringLiteral("%1 is at the exchange %2 times").arg(id).arg(atExchange.value(id))));
        }
        // Nothing the desk does not know reached the exchange, everything it knows did, once each.
        QCOMPARE(QSet<QString>(atExchange.keyBegin(), atExchange.keyEnd()), QSet<QString>(queued.keyBegin(), queued.keyEnd()));
        for (int times : std::as_const(atExchange))
            QCOMPARE(times, 1);
        QVERIFY(QDir(dir.path()).entryList({QStringLiteral("*.corrupt-*")}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOrderDeskCrash)
#include "tst_orderdesk_crash.moc"
