// Backoff schedule: the exponential ceiling, the cap, jitter staying inside [0, ceiling], the
// rate-limit floor, the attempt limit, and that seeded instances are reproducible.
#include "backoff.h"

#include <QSet>
#include <QTest>

using namespace std::chrono_literals;
using tf::Backoff;
using tf::BackoffPolicy;

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ceilingDoublesUpToCap()
    {
        const Backoff backoff;
        QCOMPARE(backoff.ceilingFor(1), 1000ms);
        QCOMPARE(backoff.ceilingFor(2), 2000ms);
        QCOMPARE(backoff.ceilingFor(3), 4000ms);
        QCOMPARE(backoff.ceilingFor(5), 16000ms);
        QCOMPARE(backoff.ceilingFor(6), 30000ms);
        QCOMPARE(backoff.ceilingFor(60), 30000ms);
    }

    void withoutJitterDelaysAreTheCeilings()
    {
        BackoffPolicy policy;
        policy.fullJitter = false;
        Backoff backoff(policy, 1);
        QCOMPARE(backoff.next(), 1000ms);
        QCOMPARE(backoff.next(), 2000ms);
        QCOMPARE(backoff.next(), 4000ms);
        QCOMPARE(backoff.attempts(), 3);
        backoff.reset();
        QCOMPARE(backoff.next(), 1000ms);
    }

    void fullJitterStaysInRangeAndSpreads()
    {
        Backoff backoff({}, 42);
        QSet<qint64> seen;
        for (int i = 0; i < 200; ++i) {
            backoff.reset();
            for (int attempt = 1; attempt <= 8; ++attempt) {
                const auto delay = backoff.next();
                QVERIFY(delay >= 0ms);
                QVERIFY(delay <= backoff.ceilingFor(attempt));
                if (attempt == 6)
                    seen.insert(delay.count());
            }
        }
        // 200 draws from [0, 30000] must not collapse onto a handful of values.
        QVERIFY2(seen.size() > 150, qPrintable(QString::number(seen.size())));
    }

    void sameSeedSameSchedule()
    {
        Backoff a({}, 7), b({}, 7);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(a.next(), b.next());
    }

    void rateLimitHasAFloor()
    {
        Backoff backoff({}, 3);
        for (int i = 0; i < 20; ++i) {
            backoff.reset();
            QVERIFY(backoff.next(true) >= 15000ms);
        }
    }

    void givesUpAfterMaxAttempts()
    {
        BackoffPolicy policy;
        policy.maxAttempts = 3;
        Backoff backoff(policy, 1);
        QVERIFY(!backoff.exhausted());
        backoff.next();
        backoff.next();
        QVERIFY(!backoff.exhausted());
        backoff.next();
        QVERIFY(backoff.exhausted());
        backoff.reset();
        QVERIFY(!backoff.exhausted());
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
