// OrderSender against a scripted exchange: FIFO batches, one request in flight, the error
// classes (backoff, rate-limit floor, token refresh, validation → rejected, max attempts →
// failed), lost replies sent exactly once, and the cancel paths.
#include "fakeexchange.h"
#include "orderqueue.h"
#include "ordersender.h"
#include "queuetestutil.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <memory>

using namespace std::chrono_literals;
using tf::ErrorClass;
using tf::Order;
using tf::OrderQueue;
using tf::OrderSender;
using tf::testing::FakeExchange;
using tf::testing::makeOrder;
using S = tf::Order::State;

class TestOrderSender : public QObject
{
    Q_OBJECT

    struct Scheduled {
        std::chrono::milliseconds delay;
        std::function<void()> callback;
    };

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OrderQueue> m_queue;
    std::unique_ptr<FakeExchange> m_exchange;
    std::unique_ptr<OrderSender> m_sender;
    QList<Scheduled> m_scheduled;
    QDateTime m_now;

    void makeSender(int batchSize = 3, int maxAttempts = 3)
    {
        tf::OrderSenderOptions options;
        options.batchSize = batchSize;
        options.maxAttempts = maxAttempts;
        options.backoff.fullJitter = false; // exact delays: 1 s, 2 s, 4 s …
        options.clock = [this] { return m_now; };
        m_sender = std::make_unique<OrderSender>(m_queue.get(), m_exchange.get(), options);
        m_sender->setScheduler([this](std::chrono::milliseconds delay, std::function<void()> callback) {
            m_scheduled.append({delay, std::move(callback)});
        });
        m_sender->setUserId(QStringLiteral("alice"));
    }

    QUuid enqueue(const QString &user = QStringLiteral("alice"))
    {
        const tf::EnqueueResult result = m_queue->enqueue(makeOrder(user));
        return result.ok() ? result.order.clientOrderId : QUuid();
    }

    S stateOf(const QUuid &id) const { return m_queue->order(id)->state; }

    // Runs the oldest scheduled callback, as its timer would.
    std::chrono::milliseconds fireScheduled()
    {
        if (m_scheduled.isEmpty())
            return -1ms;
        Scheduled next = m_scheduled.takeFirst();
        next.callback();
        return next.delay;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_now = QDateTime(QDate(2026, 3, 2), QTime(9, 30), QTimeZone::utc());
        tf::OrderQueueOptions options;
        options.filePath = m_dir->filePath(QStringLiteral("orders.sqlite"));
        options.clock = [this] { return m_now; };
        m_queue = std::make_unique<OrderQueue>(options);
        QVERIFY(m_queue->open().ok);
        m_exchange = std::make_unique<FakeExchange>();
        m_scheduled.clear();
        makeSender();
    }

    void cleanup()
    {
        m_sender.reset();
        m_exchange.reset();
        m_queue.reset();
        m_dir.reset();
    }

    void sendsOldestFirstInBatchesOneRequestAtATime()
    {
        QList<QUuid> ids;
        for (int i = 0; i < 7; ++i)
            ids << enqueue();
        const QUuid bobs = enqueue(QStringLiteral("bob"));
        QVERIFY(m_exchange->pending.isEmpty()); // offline until told otherwise
        QCOMPARE(m_sender->status(), OrderSender::Status::Offline);

        QSignalSpy status(m_sender.get(), &OrderSender::statusChanged);
        m_sender->setOnline(true);
        QCOMPARE(m_exchange->pending.size(), 1);
        QCOMPARE(m_exchange->nextInsertIds(), ids.mid(0, 3));
        QCOMPARE(stateOf(ids[0]), S::Sending);
        QCOMPARE(stateOf(ids[3]), S::Queued);
        QCOMPARE(m_sender->status(), OrderSender::Status::Sending);

        enqueue(); // arrives while a request is in flight: waits its turn
        QCOMPARE(m_exchange->pending.size(), 1);

        m_exchange->acceptInsert();
        QCOMPARE(m_exchange->nextInsertIds(), ids.mid(3, 3));
        m_exchange->acceptInsert();
        QCOMPARE(m_exchange->nextInsertIds().size(), 2); // the 7th and the one added meanwhile
        QCOMPARE(m_exchange->nextInsertIds().first(), ids[6]);
        m_exchange->acceptInsert();
        QVERIFY(m_exchange->pending.isEmpty());
        QCOMPARE(m_sender->status(), OrderSender::Status::Idle);

        for (const QUuid &id : ids) {
            QCOMPARE(stateOf(id), S::Accepted);
            QCOMPARE(m_queue->order(id)->serverId, m_exchange->table.value(id).serverId);
        }
        QCOMPARE(stateOf(bobs), S::Queued); // another trader's order waits for them
        QVERIFY(!m_exchange->received.contains(bobs));
        QCOMPARE(status.first().first().value<OrderSender::Status>(), OrderSender::Status::Sending);
    }

    void offlineQueuesAndSendsTheBacklogOnReconnect()
    {
        const QUuid a = enqueue();
        const QUuid b = enqueue();
        QVERIFY(m_exchange->pending.isEmpty());
        QCOMPARE(m_queue->order(a)->attempts, 0);
        // Canceled while still on this machine: gone for good, nothing to ask the exchange.
        QVERIFY(m_queue->cancel(a));
        QCOMPARE(stateOf(a), S::Canceled);

        m_sender->setOnline(true);
        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{b});
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(b), S::Accepted);

        // Online and idle: a new order goes straight out.
        const QUuid c = enqueue();
        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{c});
    }

    void networkAndServerErrorsRetryWithBackoff()
    {
        const QUuid a = enqueue();
        const QUuid b = enqueue();
        QSignalSpy retries(m_sender.get(), &OrderSender::retryScheduled);
        m_sender->setOnline(true);

        m_exchange->failInsert(ErrorClass::Network, QStringLiteral("connection reset"));
        QCOMPARE(stateOf(a), S::Queued);
        QCOMPARE(m_queue->order(a)->attempts, 1);
        QVERIFY(m_queue->order(a)->lastError.contains(QStringLiteral("connection reset")));
        QCOMPARE(m_sender->status(), OrderSender::Status::WaitingToRetry);
        QCOMPARE(retries.count(), 1);
        QCOMPARE(retries.last().at(1).toLongLong(), 1000);
        QVERIFY(m_exchange->pending.isEmpty()); // nothing until the backoff elapses

        QCOMPARE(fireScheduled(), 1000ms);
        QCOMPARE(m_exchange->nextInsertIds(), (QList<QUuid>{a, b})); // same order, same batch
        m_exchange->failInsert(ErrorClass::Server, QStringLiteral("HTTP 503"));
        QCOMPARE(fireScheduled(), 2000ms);
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(a), S::Accepted);
        QCOMPARE(m_queue->order(a)->attempts, 3);

        // Success resets the backoff.
        enqueue();
        m_exchange->failInsert(ErrorClass::Protocol);
        QCOMPARE(fireScheduled(), 1000ms);
    }

    void rateLimitsWaitAtLeastTheFloor()
    {
        enqueue();
        QSignalSpy retries(m_sender.get(), &OrderSender::retryScheduled);
        m_sender->setOnline(true);
        m_exchange->failInsert(ErrorClass::RateLimit, QStringLiteral("Too many requests"));
        QCOMPARE(retries.count(), 1);
        QVERIFY(retries.last().at(1).toLongLong() >= 15000);
        QVERIFY(retries.last().at(2).toString().contains(QStringLiteral("rate-limit")));
        QVERIFY(fireScheduled() >= 15000ms);
        QVERIFY(m_exchange->nextIsInsert());
    }

    void authErrorsWaitForATokenInsteadOfLooping()
    {
        const QUuid a = enqueue();
        QSignalSpy refresh(m_sender.get(), &OrderSender::tokenRefreshNeeded);
        m_sender->setOnline(true);
        m_exchange->failInsert(ErrorClass::Auth, QStringLiteral("JWT expired"));
        QCOMPARE(refresh.count(), 1);
        QCOMPARE(m_sender->status(), OrderSender::Status::WaitingForToken);
        QVERIFY(m_scheduled.isEmpty());
        QCOMPARE(stateOf(a), S::Queued);

        enqueue(); // new orders wait too
        m_sender->setOnline(false);
        m_sender->setOnline(true); // a reconnect with the same token would fail the same way
        QVERIFY(m_exchange->pending.isEmpty());

        m_sender->tokenRefreshed();
        QCOMPARE(m_exchange->nextInsertIds().first(), a);
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(a), S::Accepted);
    }

    void aRefusedBatchIsSplitAndOnlyTheBadOrderRejected()
    {
        const QUuid a = enqueue();
        const QUuid bad = enqueue();
        const QUuid c = enqueue();
        m_sender->setOnline(true);
        m_exchange->failInsert(ErrorClass::Validation, QStringLiteral("qty exceeds the desk limit"));
        QVERIFY(m_scheduled.isEmpty()); // no backoff: the server answered

        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{a});
        m_exchange->acceptInsert();
        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{bad});
        m_exchange->failInsert(ErrorClass::Validation, QStringLiteral("qty exceeds the desk limit"));
        QCOMPARE(stateOf(bad), S::Rejected);
        QCOMPARE(m_queue->order(bad)->reason, QStringLiteral("qty exceeds the desk limit"));
        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{c});
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(a), S::Accepted);
        QCOMPARE(stateOf(c), S::Accepted);

        // Back to batches afterwards.
        m_sender->setOnline(false);
        const QUuid d = enqueue();
        const QUuid e = enqueue();
        m_sender->setOnline(true);
        QCOMPARE(m_exchange->nextInsertIds(), (QList<QUuid>{d, e}));
    }

    void ordersFailAfterMaxAttemptsAndCanBeRetried()
    {
        const QUuid a = enqueue();
        m_sender->setOnline(true);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: not sent after 3 attempts")));
        for (int attempt = 1; attempt <= 3; ++attempt) {
            QVERIFY2(m_exchange->nextIsInsert(), qPrintable(QString::number(attempt)));
            m_exchange->failInsert(ErrorClass::Network, QStringLiteral("no route to host"));
            fireScheduled();
        }
        const Order failed = *m_queue->order(a);
        QCOMPARE(failed.state, S::Failed);
        QCOMPARE(failed.attempts, 3);
        QVERIFY(failed.reason.contains(QStringLiteral("3 attempts")));
        QVERIFY(failed.reason.contains(QStringLiteral("no route to host")));
        QVERIFY(m_exchange->pending.isEmpty());
        QCOMPARE(m_sender->status(), OrderSender::Status::Idle);

        // The trader presses Retry: a fresh budget.
        QVERIFY(m_queue->retry(a));
        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{a});
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(a), S::Accepted);
        QCOMPARE(m_exchange->created.value(a), 1);
    }

    void aLostReplyIsResentAndTheOrderExistsOnce()
    {
        const QUuid a = enqueue();
        const QUuid b = enqueue();
        m_sender->setOnline(true);
        // The server inserts both, then the connection drops before the answer.
        m_exchange->failInsert(ErrorClass::Network, QStringLiteral("connection closed"), true);
        QCOMPARE(stateOf(a), S::Queued);
        const QString firstServerId = m_exchange->table.value(a).serverId;

        fireScheduled();
        m_exchange->acceptInsert();
        for (const QUuid &id : {a, b}) {
            QCOMPARE(m_exchange->received.value(id), 2); // sent twice
            QCOMPARE(m_exchange->created.value(id), 1);  // exists once
            QCOMPARE(stateOf(id), S::Accepted);
        }
        QCOMPARE(m_queue->order(a)->serverId, firstServerId);
        QCOMPARE(m_exchange->table.size(), 2);
    }

    void aLostReplyOvertakenByTheRealtimeEchoIsNotResent()
    {
        const QUuid a = enqueue();
        m_sender->setOnline(true);
        m_exchange->failInsert(ErrorClass::Network, {}, true);
        const tf::ServerOrder row = m_exchange->table.value(a);
        QVERIFY(m_queue->applyServerUpdate(a, row.status, {}, row.serverId));
        QCOMPARE(stateOf(a), S::Accepted);
        fireScheduled();
        QVERIFY(m_exchange->pending.isEmpty());
        QCOMPARE(m_exchange->received.value(a), 1);
    }

    void cancelingAWorkingOrderAsksTheExchange()
    {
        const QUuid a = enqueue();
        m_sender->setOnline(true);
        m_exchange->acceptInsert();
        QVERIFY(m_queue->cancel(a));
        QVERIFY(m_exchange->nextIsCancel());
        m_exchange->acceptCancel();
        QCOMPARE(stateOf(a), S::Canceled);
        QVERIFY(m_exchange->pending.isEmpty());

        const QUuid b = enqueue();
        m_exchange->acceptInsert();
        QVERIFY(m_queue->cancel(b));
        m_exchange->refuseCancel(QStringLiteral("order already filled"));
        QCOMPARE(stateOf(b), S::Accepted);
        QVERIFY(m_queue->order(b)->reason.contains(QStringLiteral("already filled")));

        // A refusal that shows the row records what the exchange says happened.
        const QUuid c = enqueue();
        m_exchange->acceptInsert();
        QVERIFY(m_queue->cancel(c));
        m_exchange->refuseCancel(QStringLiteral("the order is already filled"), QStringLiteral("filled"));
        QCOMPARE(stateOf(c), S::Filled);
    }

    // Views get the exchange's rows before the queue records them, so a blotter row never shows
    // a state older than the queue's.
    void serverRowsAreAnnouncedBeforeTheyAreRecorded()
    {
        const QUuid a = enqueue();
        const QUuid b = enqueue();
        QList<S> statesWhenAnnounced;
        QList<QUuid> announced;
        connect(m_sender.get(), &OrderSender::serverRowsReceived, this, [&](const QList<tf::ServerOrder> &rows) {
            for (const tf::ServerOrder &row : rows) {
                announced << row.clientOrderId;
                statesWhenAnnounced << stateOf(row.clientOrderId);
            }
        });
        m_sender->setOnline(true);
        m_exchange->acceptInsert();
        QCOMPARE(announced, (QList<QUuid>{a, b}));
        QCOMPARE(statesWhenAnnounced, (QList<S>{S::Sending, S::Sending}));
        QCOMPARE(stateOf(a), S::Accepted);

        QVERIFY(m_queue->cancel(a));
        m_exchange->acceptCancel();
        QCOMPARE(announced.size(), 3);
        QCOMPARE(announced.last(), a);
        QCOMPARE(statesWhenAnnounced.last(), S::CancelRequested);
        QCOMPARE(stateOf(a), S::Canceled);
        disconnect(m_sender.get(), &OrderSender::serverRowsReceived, this, nullptr);
    }

    void cancelsGoBeforeNewOrders()
    {
        const QUuid a = enqueue();
        m_sender->setOnline(true);
        m_exchange->acceptInsert();
        m_sender->setOnline(false);
        const QUuid b = enqueue();
        QVERIFY(m_queue->cancel(a));
        m_sender->setOnline(true);
        QVERIFY(m_exchange->nextIsCancel());
        m_exchange->acceptCancel();
        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{b});
    }

    void cancelingAnOrderOfUnknownFateLooksItUpFirst()
    {
        // Sent, reply lost, and the server did get it.
        const QUuid arrived = enqueue();
        m_sender->setOnline(true);
        m_exchange->failInsert(ErrorClass::Network, {}, true);
        QVERIFY(m_queue->cancel(arrived));
        QCOMPARE(stateOf(arrived), S::CancelRequested);
        // The lost request might still be running on the server: no verdict before it settles.
        fireScheduled(); // the backoff retry: no inserts for an order being canceled
        QVERIFY(m_exchange->pending.isEmpty());
        QCOMPARE(m_scheduled.size(), 1);
        QCOMPARE(m_scheduled.first().delay, 30000ms);
        m_now = m_now.addSecs(30);
        fireScheduled();
        QVERIFY(m_exchange->nextIsFetch());
        m_exchange->answerFetch();
        QCOMPARE(stateOf(arrived), S::CancelRequested);
        QCOMPARE(m_queue->order(arrived)->serverId, m_exchange->table.value(arrived).serverId);
        QVERIFY(m_exchange->nextIsCancel());
        m_exchange->acceptCancel();
        QCOMPARE(stateOf(arrived), S::Canceled);

        // Sent, failed before reaching the server: canceled here once the exchange confirms it
        // does not have it.
        const QUuid lost = enqueue();
        m_exchange->failInsert(ErrorClass::Network);
        QVERIFY(m_queue->cancel(lost));
        m_now = m_now.addSecs(31);
        fireScheduled();
        m_exchange->answerFetch();
        QCOMPARE(stateOf(lost), S::Canceled);
        QVERIFY(m_queue->order(lost)->reason.contains(QStringLiteral("never reached")));
        QVERIFY(!m_exchange->table.contains(lost));
        QCOMPARE(m_exchange->created.value(lost), 0);
    }

    void aCancelDuringTheSendIsSentAfterTheConfirmation()
    {
        const QUuid a = enqueue();
        m_sender->setOnline(true);
        QVERIFY(m_queue->cancel(a)); // while the insert is in flight
        QCOMPARE(stateOf(a), S::CancelRequested);
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(a), S::CancelRequested);
        QVERIFY(m_exchange->nextIsCancel());
        m_exchange->acceptCancel();
        QCOMPARE(stateOf(a), S::Canceled);
    }

    void ordersCaughtSendingByACrashAreSentAgain()
    {
        const QUuid a = enqueue();
        QVERIFY(m_queue->markSending({a})); // a previous run got this far
        m_sender.reset();
        const QString file = m_queue->filePath();
        m_queue.reset();

        m_queue = std::make_unique<OrderQueue>(file);
        QCOMPARE(m_queue->open().recoveredOrders, 1);
        makeSender();
        m_sender->setOnline(true);
        QCOMPARE(m_exchange->nextInsertIds(), QList<QUuid>{a});
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(a), S::Accepted);
        QCOMPARE(m_queue->order(a)->attempts, 2);
    }

    void theDefaultSchedulerUsesTimers()
    {
        tf::OrderSenderOptions options;
        options.backoff.base = 1ms;
        options.backoff.fullJitter = false;
        OrderSender sender(m_queue.get(), m_exchange.get(), options);
        m_sender.reset();
        sender.setUserId(QStringLiteral("alice"));
        const QUuid a = enqueue();
        sender.setOnline(true);
        m_exchange->failInsert(ErrorClass::Server);
        QVERIFY(m_exchange->pending.isEmpty());
        QTRY_VERIFY(m_exchange->nextIsInsert()); // the timer fired
        m_exchange->acceptInsert();
        QCOMPARE(stateOf(a), S::Accepted);
    }

    void aTransportThatAnswersAtOnceDrainsTheQueue()
    {
        // Some transports answer inside the call; the sender must not recurse per batch.
        struct Instant : FakeExchange {
            void insertOrders(const QList<Order> &orders, std::function<void(tf::InsertResult)> done) override
            {
                FakeExchange::insertOrders(orders, std::move(done));
                acceptInsert();
            }
        } instant;
        OrderSender sender(m_queue.get(), &instant, {});
        m_sender.reset();
        for (int i = 0; i < 120; ++i)
            enqueue();
        sender.setUserId(QStringLiteral("alice"));
        sender.setOnline(true);
        QCOMPARE(instant.table.size(), 120);
        QCOMPARE(m_queue->pendingCount(), 120); // accepted and working
        QVERIFY(m_queue->nextBatch(QString(), 1).isEmpty());
        QCOMPARE(sender.status(), OrderSender::Status::Idle);
    }
};

QTEST_GUILESS_MAIN(TestOrderSender)
#include "tst_ordersender.moc"
