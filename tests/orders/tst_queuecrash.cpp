// SIGKILL cycles: tf_queue_crash_helper (a desk with the real OrderQueue and OrderSender and a
// durable idempotent "exchange") is killed at random points, 60 times with a fixed seed: during
// start-up, between an enqueue and the next, mid-transaction, and exactly between the exchange's
// commit and the delivery of its reply (a lost reply). Then one run drains the queue. Every order
// the helper reported as queued must be in the queue exactly once and at the exchange exactly
// once; nothing else may be at the exchange; no kill may leave an unreadable queue file.
#include "queuetestutil.h"

#include <QDir>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#ifndef TF_QUEUE_CRASH_HELPER
#error "TF_QUEUE_CRASH_HELPER must name the helper executable"
#endif

using tf::testing::RawDb;

class TestQueueCrash : public QObject
{
    Q_OBJECT

    QString m_queueFile;
    QString m_exchangeFile;
    QMap<int, QString> m_reported; // index → client order id, for every "queued" line seen
    int m_next = 0;

    // Records one line of helper output; false for lines that must never appear.
    bool record(const QString &line)
    {
        const QStringList parts = line.split(QLatin1Char(' '));
        if (parts.first() == QLatin1String("queued") && parts.size() == 3) {
            const int index = parts[1].toInt();
            if (m_reported.contains(index) && m_reported.value(index) != parts[2])
                return false;
            m_reported.insert(index, parts[2]);
            m_next = std::max(m_next, index + 1);
        }
        static const QStringList bad{QStringLiteral("quarantined"), QStringLiteral("error"), QStringLiteral("refused"),
                                     QStringLiteral("stuck")};
        return !bad.contains(parts.first());
    }

    QStringList arguments(int count, bool holdReplies) const
    {
        QStringList args{QStringLiteral("--queue"), m_queueFile, QStringLiteral("--exchange"), m_exchangeFile,
                         QStringLiteral("--seed"), QStringLiteral("20260302"), QStringLiteral("--from"),
                         QString::number(m_next), QStringLiteral("--count"), QString::number(count)};
        if (holdReplies)
            args << QStringLiteral("--hold-replies");
        return args;
    }

private Q_SLOTS:
    void killedAtRandomPointsNothingIsLostOrDuplicated()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        m_queueFile = dir.filePath(QStringLiteral("orders.sqlite"));
        m_exchangeFile = dir.filePath(QStringLiteral("exchange.sqlite"));
        QRandomGenerator rng(20260302);
        int lostReplies = 0;
        int kills = 0;

        for (int cycle = 0; cycle < 60; ++cycle) {
            QProcess helper;
            helper.start(QStringLiteral(TF_QUEUE_CRASH_HELPER), arguments(6, true));
            QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
            const int killAfterLines = int(rng.bounded(12)); // 0: while it starts up
            bool killed = false;
            if (killAfterLines == 0) {
                helper.kill();
                killed = true;
            }
            int lines = 0;
            while (!killed && helper.state() != QProcess::NotRunning) {
                if (!helper.canReadLine() && !helper.waitForReadyRead(30000))
                    break; // it exited (or hung: waitForFinished below tells)
                while (!killed && helper.canReadLine()) {
                    const QString line = QString::fromUtf8(helper.readLine()).trimmed();
                    QVERIFY2(record(line), qPrintable(line));
                    ++lines;
                    if (line.startsWith(QLatin1String("exchange-committed"))) {
                        if (rng.bounded(3) == 0) {
                            helper.kill(); // the exchange has the orders; the desk never hears it
                            killed = true;
                            ++lostReplies;
                            break;
                        }
                        helper.write("\n");
                    }
                    if (lines >= killAfterLines) {
                        helper.kill();
                        killed = true;
                    }
                }
            }
            QVERIFY2(helper.waitForFinished(30000), "the helper hung");
            // What it printed before dying is still in the pipe: those orders were on disk.
            const QList<QByteArray> rest = helper.readAllStandardOutput().split('\n');
            for (qsizetype i = 0; i + 1 < rest.size(); ++i) // the last piece has no newline: cut off
                QVERIFY2(record(QString::fromUtf8(rest[i]).trimmed()), rest[i].constData());
            if (killed) {
                ++kills;
            } else {
                QCOMPARE(helper.exitStatus(), QProcess::NormalExit);
                QCOMPARE(helper.exitCode(), 0);
            }
        }

        // Restart once more and let it deliver everything.
        QProcess drain;
        drain.start(QStringLiteral(TF_QUEUE_CRASH_HELPER), arguments(0, false));
        QVERIFY(drain.waitForFinished(60000));
        const QByteArray output = drain.readAllStandardOutput();
        for (const QByteArray &line : output.split('\n')) {
            if (!line.isEmpty())
                QVERIFY2(record(QString::fromUtf8(line)), line.constData());
        }
        QCOMPARE(drain.exitCode(), 0);
        QVERIFY2(output.contains("done"), output.constData());

        qInfo("%d cycles, %d kills (%d lost replies), %lld orders reported queued", 60, kills, lostReplies,
              qlonglong(m_reported.size()));
        QVERIFY(kills >= 40);
        QVERIFY(lostReplies > 0);
        QVERIFY(m_reported.size() >= 30);
        // Reported indices are contiguous: a restart never skips an order it had not confirmed.
        QCOMPARE(m_reported.firstKey(), 0);
        QCOMPARE(m_reported.lastKey(), int(m_reported.size()) - 1);

        QMap<QString, QString> queued; // id → state
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
        QMap<QString, int> atExchange; // id → times received
        {
            RawDb exchange(m_exchangeFile);
            QSqlQuery rows(exchange.db());
            QVERIFY(rows.exec(QStringLiteral("SELECT client_order_id, received FROM exchange_orders")));
            while (rows.next()) {
                const QString id = rows.value(0).toString();
                QVERIFY2(!atExchange.contains(id), qPrintable(id)); // once
                atExchange.insert(id, rows.value(1).toInt());
            }
        }
        for (const QString &id : std::as_const(m_reported)) {
            QVERIFY2(queued.contains(id), qPrintable(QStringLiteral("lost from the queue: ") + id));
            QCOMPARE(queued.value(id), QStringLiteral("accepted"));
            QVERIFY2(atExchange.contains(id), qPrintable(QStringLiteral("never reached the exchange: ") + id));
        }
        // Nothing the desk does not know about reached the exchange, and everything it knows did.
        QCOMPARE(QSet<QString>(atExchange.keyBegin(), atExchange.keyEnd()), QSet<QString>(queued.keyBegin(), queued.keyEnd()));
        // Lost replies were resent, and the resends were absorbed.
        int resent = 0;
        for (int received : std::as_const(atExchange))
            resent += received > 1 ? 1 : 0;
        QVERIFY(resent > 0);
        // No kill ever left a file that had to be moved aside.
        QVERIFY(QDir(dir.path()).entryList({QStringLiteral("*.corrupt-*")}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestQueueCrash)
#include "tst_queuecrash.moc"
