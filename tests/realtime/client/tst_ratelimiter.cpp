// RateLimiter: a token bucket that never drops, keeps order, refills with time (a fake clock
// makes that deterministic), skips sends of destroyed owners and can be switched off.
#include "ratelimiter.h"

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using tf::RateLimiter;

class TestRateLimiter : public QObject
{
    Q_OBJECT

private:
    std::chrono::milliseconds m_now{1000};

    void useFakeClock(RateLimiter &limiter)
    {
        limiter.setClock([this] { return m_now; });
    }

private Q_SLOTS:
    void init() { m_now = 1000ms; }

    void burstThenQueueInOrder()
    {
        RateLimiter limiter(10.0, 3); // one token per 100 ms
        useFakeClock(limiter);
        limiter.setRate(10.0, 3);
        QSignalSpy throttled(&limiter, &RateLimiter::throttled);
        QList<int> sent;
        for (int i = 0; i < 6; ++i)
            limiter.submit(this, [&sent, i] { sent.append(i); });

        QCOMPARE(sent, (QList<int>{0, 1, 2})); // the burst goes at once
        QCOMPARE(limiter.queuedCount(), 3);
        QCOMPARE(throttled.size(), 1); // one notice per episode, not per send

        limiter.drain(); // no time has passed: nothing more
        QCOMPARE(sent.size(), 3);

        m_now += 100ms;
        limiter.drain();
        QCOMPARE(sent, (QList<int>{0, 1, 2, 3}));

        m_now += 250ms; // two and a half tokens
        limiter.drain();
        QCOMPARE(sent, (QList<int>{0, 1, 2, 3, 4, 5}));
        QCOMPARE(limiter.queuedCount(), 0);
    }

    void newSendsQueueBehindWaitingOnes()
    {
        RateLimiter limiter(10.0, 1);
        useFakeClock(limiter);
        limiter.setRate(10.0, 1);
        QList<int> sent;
        limiter.submit(this, [&] { sent.append(0); });
        limiter.submit(this, [&] { sent.append(1); });
        m_now += 100ms; // a token is back, but 1 waits first
        limiter.submit(this, [&] { sent.append(2); });
        QCOMPARE(sent, QList<int>{0});
        limiter.drain();
        QCOMPARE(sent, (QList<int>{0, 1}));
        m_now += 100ms;
        limiter.drain();
        QCOMPARE(sent, (QList<int>{0, 1, 2}));
    }

    void tokensCapAtBurst()
    {
        RateLimiter limiter(10.0, 2);
        useFakeClock(limiter);
        limiter.setRate(10.0, 2);
        m_now += 10s;
        QCOMPARE(limiter.availableTokens(), 2.0);
    }

    void timerDrainsWithoutHelp()
    {
        // Real clock: a fast rate so the queue empties within the test's patience.
        RateLimiter limiter(50.0, 1); // 20 ms per token: the loop below outruns it
        QList<int> sent;
        for (int i = 0; i < 5; ++i)
            limiter.submit(this, [&sent, i] { sent.append(i); });
        QVERIFY(sent.size() < 5);
        QTRY_COMPARE_WITH_TIMEOUT(sent, (QList<int>{0, 1, 2, 3, 4}), 5000);
    }

    void destroyedContextIsSkipped()
    {
        RateLimiter limiter(10.0, 1);
        useFakeClock(limiter);
        limiter.setRate(10.0, 1);
        QList<int> sent;
        auto *owner = new QObject;
        limiter.submit(this, [&] { sent.append(0); });
        limiter.submit(owner, [&] { sent.append(1); });
        limiter.submit(this, [&] { sent.append(2); });
        delete owner;
        m_now += 100ms;
        limiter.drain();
        QCOMPARE(sent, (QList<int>{0, 2})); // the dead owner's send used no token
    }

    void zeroRateDisablesLimiting()
    {
        RateLimiter limiter(0.0, 1);
        int sent = 0;
        for (int i = 0; i < 50; ++i)
            limiter.submit(this, [&] { ++sent; });
        QCOMPARE(sent, 50);
        QCOMPARE(limiter.queuedCount(), 0);
    }

    void raisingTheRateReleasesTheQueue()
    {
        RateLimiter limiter(1.0, 1);
        useFakeClock(limiter);
        limiter.setRate(1.0, 1);
        int sent = 0;
        for (int i = 0; i < 4; ++i)
            limiter.submit(this, [&] { ++sent; });
        QCOMPARE(sent, 1);
        limiter.setRate(0.0, 1);
        QCOMPARE(sent, 4);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
