// OrderQueue over a real SQLite file: durable before "queued", FIFO per user, the state machine
// enforced (and illegal moves logged), cancels, pruning, owner-only files, crash recovery,
// migrations from schema v1, unreadable files moved aside, unwritable locations refused.
#include "orderqueue.h"
#include "queuetestutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <memory>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>
#endif

using namespace std::chrono_literals;
using tf::EnqueueResult;
using tf::Order;
using tf::OrderQueue;
using tf::OrderQueueOptions;
using tf::ServerOrder;
using tf::testing::makeOrder;
using tf::testing::RawDb;
using S = tf::Order::State;

namespace {

// The v1 schema exactly as the first release wrote it, for the migration test.
const char *const kSchemaV1[] = {
    "CREATE TABLE queue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE orders ( seq INTEGER PRIMARY KEY AUTOINCREMENT, client_order_id TEXT NOT NULL UNIQUE,"
    " user_id TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),"
    " quantity REAL NOT NULL CHECK (quantity > 0),"
    " order_type TEXT NOT NULL CHECK (order_type IN ('market', 'limit')), limit_price REAL,"
    " created_at INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " attempts INTEGER NOT NULL DEFAULT 0, last_attempt_at INTEGER, server_id TEXT, updated_at INTEGER NOT NULL)",
    "CREATE INDEX orders_state ON orders (state, updated_at)",
    "PRAGMA user_version = 1",
};

QList<QUuid> idsOf(const QList<Order> &orders)
{
    QList<QUuid> ids;
    for (const Order &order : orders)
        ids.append(order.clientOrderId);
    return ids;
}

// Whether this process can still write `path` (create a file in it, for a folder).
bool canWrite(const QString &path)
{
    if (QFileInfo(path).isDir()) {
        QFile probe(path + QStringLiteral("/probe"));
        const bool created = probe.open(QIODevice::WriteOnly);
        if (created) {
            probe.close();
            probe.remove();
        }
        return created;
    }
    QFile file(path);
    return file.open(QIODevice::ReadWrite);
}

#ifdef Q_OS_LINUX
// The immutable attribute (chattr +i): nobody may write, rename or delete, root included. Needs
// CAP_LINUX_IMMUTABLE and a file system that has it (ext4, xfs, btrfs; not tmpfs or overlayfs).
bool setImmutable(const QString &path, bool immutable)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
        flags = immutable ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
        ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(fd);
    return ok;
}
#endif

// Makes `path` (a file or a folder) refuse writes: read-only permission bits, or, for a process
// that ignores those (root), the immutable attribute, which binds root too. Paths made immutable
// are added to `immutable` so the test can undo it. False when neither works here.
bool refuseWrites(const QString &path, QStringList *immutable)
{
    const bool folder = QFileInfo(path).isDir();
    QFile::setPermissions(path, folder ? QFileDevice::ReadOwner | QFileDevice::ExeOwner : QFileDevice::ReadOwner);
    if (!canWrite(path))
        return true;
#ifdef Q_OS_LINUX
    if (setImmutable(path, true)) {
        immutable->append(path);
        if (!canWrite(path))
            return true;
    }
#else
    Q_UNUSED(immutable)
#endif
    return false;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestOrderQueue : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    QDateTime m_now;
    QStringList m_immutable; // paths a test made immutable: undone in cleanup()

    QString path(const QString &name = QStringLiteral("orders.sqlite")) const { return m_dir->filePath(name); }

    std::unique_ptr<OrderQueue> openQueue(const QString &file = {})
    {
        OrderQueueOptions options;
        options.filePath = file.isEmpty() ? path() : file;
        options.clock = [this] { return m_now; };
        auto queue = std::make_unique<OrderQueue>(options);
        const tf::OpenResult result = queue->open();
        if (!result.ok)
            qWarning("open failed: %s", qPrintable(result.error));
        return queue;
    }

    Order enqueued(OrderQueue &queue, const QString &user = QStringLiteral("alice"))
    {
        const EnqueueResult result = queue.enqueue(makeOrder(user));
        if (!result.ok())
            qWarning("enqueue failed: %s", qPrintable(result.reason));
        return result.order;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_now = QDateTime(QDate(2026, 3, 2), QTime(9, 30), QTimeZone::utc());
    }

    void cleanup()
    {
        // Folders a test made read-only must be writable again for QTemporaryDir to remove them.
#ifdef Q_OS_LINUX
        for (const QString &locked : std::as_const(m_immutable))
            QVERIFY2(setImmutable(locked, false), qPrintable(locked));
#endif
        m_immutable.clear();
        QDir dir(m_dir->path());
        QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        for (const QFileInfo &info : dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot))
            QFile::setPermissions(info.filePath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        m_dir.reset();
    }

    void enqueueIsOnDiskBeforeItReturns()
    {
        auto queue = openQueue();
        QVERIFY(queue->isOpen());
        QVERIFY(queue->isWritable());

        // A second, independent connection looks at the file when orderChanged fires (the
        // earliest moment anything could say "queued") and again when enqueue() returns.
        RawDb raw(path());
        QVERIFY(raw.isOpen());
        const Order order = Order::create(QStringLiteral("alice"), QStringLiteral("ACME"), Order::Side::Sell, 3,
                                          Order::Type::Limit, 101.5);
        QString stateAtSignal;
        connect(queue.get(), &OrderQueue::orderChanged, this, [&](const Order &changed) {
            stateAtSignal = raw.scalar(QStringLiteral("SELECT state FROM orders WHERE client_order_id = ?"),
                                       {changed.clientOrderId.toString(QUuid::WithoutBraces)})
                                .toString();
        });
        const EnqueueResult result = queue->enqueue(order);
        QVERIFY2(result.ok(), qPrintable(result.reason));
        QCOMPARE(stateAtSignal, QStringLiteral("queued"));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT symbol || ':' || side || ':' || quantity || ':' || limit_price"
                                           " FROM orders WHERE client_order_id = ?"),
                            {order.clientOrderId.toString(QUuid::WithoutBraces)})
                     .toString(),
                 QStringLiteral("ACME:sell:3.0:101.5"));

        // The file is in WAL mode with full syncs (what makes a commit survive power loss).
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));

        // Another queue instance on the same file reads the same order back, field for field.
        OrderQueue second(path());
        QVERIFY(second.open().ok);
        const auto reread = second.order(order.clientOrderId);
        QVERIFY(reread);
        QCOMPARE(reread->state, S::Queued);
        QCOMPARE(reread->symbol, QStringLiteral("ACME"));
        QCOMPARE(reread->side, Order::Side::Sell);
        QCOMPARE(reread->type, Order::Type::Limit);
        QCOMPARE(reread->limitPrice, std::optional(101.5));
        QCOMPARE(reread->createdAt, order.createdAt);
        QCOMPARE(*reread, result.order);
    }

    void enqueueRefusesInvalidOrdersWithFieldMessages()
    {
        auto queue = openQueue();
        QSignalSpy changed(queue.get(), &OrderQueue::orderChanged);
        Order order = makeOrder(QStringLiteral("alice"));
        order.quantity = 0;
        order.type = Order::Type::Limit;
        const EnqueueResult result = queue->enqueue(order);
        QCOMPARE(result.status, EnqueueResult::Status::Invalid);
        QVERIFY(!result.validation.messageFor(tf::OrderField::Quantity).isEmpty());
        QVERIFY(!result.validation.messageFor(tf::OrderField::LimitPrice).isEmpty());
        QVERIFY(!result.reason.isEmpty());
        QVERIFY(queue->orders().isEmpty());
        QCOMPARE(changed.count(), 0);
    }

    void enqueueRefusesAClientOrderIdAlreadyQueued()
    {
        auto queue = openQueue();
        const Order first = enqueued(*queue);
        Order again = makeOrder(QStringLiteral("alice"), QStringLiteral("OTHER"));
        again.clientOrderId = first.clientOrderId;
        const EnqueueResult result = queue->enqueue(again);
        QCOMPARE(result.status, EnqueueResult::Status::Duplicate);
        QCOMPARE(result.order.symbol, QStringLiteral("ACME"));
        QCOMPARE(queue->orders().size(), 1);
    }

    void nextBatchIsFifoPerUser()
    {
        auto queue = openQueue();
        const Order a1 = enqueued(*queue, QStringLiteral("alice"));
        const Order b1 = enqueued(*queue, QStringLiteral("bob"));
        const Order a2 = enqueued(*queue, QStringLiteral("alice"));
        const Order b2 = enqueued(*queue, QStringLiteral("bob"));
        const Order a3 = enqueued(*queue, QStringLiteral("alice"));
        QVERIFY(a1.sequence < b1.sequence && b1.sequence < a2.sequence);

        QCOMPARE(idsOf(queue->nextBatch(QStringLiteral("alice"), 10)),
                 (QList<QUuid>{a1.clientOrderId, a2.clientOrderId, a3.clientOrderId}));
        QCOMPARE(idsOf(queue->nextBatch(QStringLiteral("alice"), 2)), (QList<QUuid>{a1.clientOrderId, a2.clientOrderId}));
        QCOMPARE(idsOf(queue->nextBatch(QString(), 10)),
                 (QList<QUuid>{a1.clientOrderId, b1.clientOrderId, a2.clientOrderId, b2.clientOrderId, a3.clientOrderId}));
        QVERIFY(queue->nextBatch(QStringLiteral("carol"), 10).isEmpty());
        QVERIFY(queue->nextBatch(QStringLiteral("alice"), 0).isEmpty());

        // Orders on their way are not handed out again; a failed attempt puts the order back
        // in front of the younger ones.
        QVERIFY(queue->markSending({a1.clientOrderId}));
        QCOMPARE(idsOf(queue->nextBatch(QStringLiteral("alice"), 10)), (QList<QUuid>{a2.clientOrderId, a3.clientOrderId}));
        QVERIFY(queue->recordAttempt(a1.clientOrderId, QStringLiteral("network down")));
        QCOMPARE(idsOf(queue->nextBatch(QStringLiteral("alice"), 1)), QList<QUuid>{a1.clientOrderId});
    }

    void deliveryStatesAndAttempts()
    {
        auto queue = openQueue();
        const Order order = enqueued(*queue);
        QVERIFY(!queue->order(order.clientOrderId)->everSent);

        m_now = m_now.addSecs(5);
        QVERIFY(queue->markSending({order.clientOrderId}));
        Order o = *queue->order(order.clientOrderId);
        QCOMPARE(o.state, S::Sending);
        QCOMPARE(o.attempts, 1);
        QVERIFY(o.everSent);
        QCOMPARE(o.lastAttemptAt, m_now);

        QVERIFY(queue->recordAttempt(order.clientOrderId, QStringLiteral("HTTP 503")));
        o = *queue->order(order.clientOrderId);
        QCOMPARE(o.state, S::Queued);
        QCOMPARE(o.lastError, QStringLiteral("HTTP 503"));

        QVERIFY(queue->markSending({order.clientOrderId}));
        QVERIFY(queue->markAccepted(order.clientOrderId, ServerOrder{order.clientOrderId, QStringLiteral("981"),
                                                                     QStringLiteral("working"), {}, {}, {}}));
        o = *queue->order(order.clientOrderId);
        QCOMPARE(o.state, S::Accepted);
        QCOMPARE(o.serverId, QStringLiteral("981"));
        QCOMPARE(o.attempts, 2);
        QVERIFY(o.lastError.isEmpty());

        QVERIFY(queue->applyServerUpdate(order.clientOrderId, QStringLiteral("filled")));
        QCOMPARE(queue->order(order.clientOrderId)->state, S::Filled);
    }

    void illegalTransitionsAreRefusedAndLogged()
    {
        auto queue = openQueue();
        const Order order = enqueued(*queue);
        QSignalSpy changed(queue.get(), &OrderQueue::orderChanged);

        // Queued → Failed would skip the send that failed: refused, logged, nothing written.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("illegal transition refused:.*queued to failed")));
        const tf::QueueResult refused = queue->markFailed(order.clientOrderId, QStringLiteral("x"));
        QVERIFY(!refused.ok);
        QVERIFY(refused.error.contains(QStringLiteral("queued")));
        QCOMPARE(queue->order(order.clientOrderId)->state, S::Queued);
        QCOMPARE(changed.count(), 0);

        QVERIFY(queue->markSending({order.clientOrderId}));
        QVERIFY(queue->markRejected(order.clientOrderId, QStringLiteral("insufficient buying power")));
        QCOMPARE(queue->order(order.clientOrderId)->reason, QStringLiteral("insufficient buying power"));

        // Terminal means terminal.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("illegal transition refused:.*rejected to sending")));
        QVERIFY(!queue->markSending({order.clientOrderId}));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("illegal transition refused:.*rejected to canceled")));
        QVERIFY(!queue->markCanceled(order.clientOrderId, QStringLiteral("x")));
        QVERIFY(!queue->retry(order.clientOrderId));
        QVERIFY(!queue->recordAttempt(order.clientOrderId, QStringLiteral("x")));
        // A late confirmation does not reopen it either (the echo can beat the reply).
        QVERIFY(!queue->markAccepted(order.clientOrderId, ServerOrder{order.clientOrderId, QStringLiteral("1"), {}, {}, {}, {}}));
        QCOMPARE(queue->order(order.clientOrderId)->state, S::Rejected);

        // Unknown ids are refused without touching anything.
        QVERIFY(!queue->markRejected(QUuid::createUuid(), QStringLiteral("x")));
    }

    void markSendingIsAllOrNothing()
    {
        auto queue = openQueue();
        const Order a = enqueued(*queue);
        const Order b = enqueued(*queue);
        QVERIFY(queue->cancel(b.clientOrderId)); // never sent: canceled locally
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("illegal transition refused")));
        QVERIFY(!queue->markSending({a.clientOrderId, b.clientOrderId}));
        QCOMPARE(queue->order(a.clientOrderId)->state, S::Queued);
        QCOMPARE(queue->order(a.clientOrderId)->attempts, 0);
    }

    void cancelDependsOnWhetherTheOrderMayHaveLeft()
    {
        auto queue = openQueue();
        // Never sent: canceled here, at once.
        const Order unsent = enqueued(*queue);
        QVERIFY(queue->cancel(unsent.clientOrderId));
        QCOMPARE(queue->order(unsent.clientOrderId)->state, S::Canceled);
        QVERIFY(!queue->order(unsent.clientOrderId)->reason.isEmpty());

        // Sent once, reply lost, back in the queue: it may be at the exchange, so only a
        // request; the sender asks the exchange.
        const Order maybe = enqueued(*queue);
        QVERIFY(queue->markSending({maybe.clientOrderId}));
        QVERIFY(queue->recordAttempt(maybe.clientOrderId, QStringLiteral("timeout")));
        QVERIFY(queue->cancel(maybe.clientOrderId));
        QCOMPARE(queue->order(maybe.clientOrderId)->state, S::CancelRequested);
        QVERIFY(queue->markCanceled(maybe.clientOrderId, QStringLiteral("never reached the exchange")));
        QCOMPARE(queue->order(maybe.clientOrderId)->state, S::Canceled);

        // In flight: the confirmation that arrives later keeps the cancel pending.
        const Order flying = enqueued(*queue);
        QVERIFY(queue->markSending({flying.clientOrderId}));
        QVERIFY(queue->cancel(flying.clientOrderId));
        QVERIFY(queue->markAccepted(flying.clientOrderId, ServerOrder{flying.clientOrderId, QStringLiteral("7"),
                                                                      QStringLiteral("working"), {}, {}, {}}));
        Order o = *queue->order(flying.clientOrderId);
        QCOMPARE(o.state, S::CancelRequested);
        QCOMPARE(o.serverId, QStringLiteral("7"));
        // …and so does a realtime echo of the working order.
        QVERIFY(queue->applyServerUpdate(flying.clientOrderId, QStringLiteral("working")));
        QCOMPARE(queue->order(flying.clientOrderId)->state, S::CancelRequested);
        QVERIFY(queue->applyServerUpdate(flying.clientOrderId, QStringLiteral("canceled")));
        QCOMPARE(queue->order(flying.clientOrderId)->state, S::Canceled);

        // Accepted: a request; the exchange may refuse it.
        const Order working = enqueued(*queue);
        QVERIFY(queue->markSending({working.clientOrderId}));
        QVERIFY(queue->markAccepted(working.clientOrderId, ServerOrder{working.clientOrderId, QStringLiteral("8"), {}, {}, {}, {}}));
        QVERIFY(queue->cancel(working.clientOrderId));
        QCOMPARE(queue->order(working.clientOrderId)->state, S::CancelRequested);
        QVERIFY(queue->cancel(working.clientOrderId)); // asking twice is harmless
        QVERIFY(queue->markCancelRefused(working.clientOrderId, QStringLiteral("too late")));
        o = *queue->order(working.clientOrderId);
        QCOMPARE(o.state, S::Accepted);
        QVERIFY(o.reason.contains(QStringLiteral("too late")));

        // Finished orders cannot be canceled.
        QVERIFY(queue->applyServerUpdate(working.clientOrderId, QStringLiteral("filled")));
        const tf::QueueResult late = queue->cancel(working.clientOrderId);
        QVERIFY(!late.ok);
        QVERIFY(late.error.contains(QStringLiteral("filled")));
    }

    void failedOrdersCanBeRetriedOrCanceled()
    {
        auto queue = openQueue();
        const Order order = enqueued(*queue);
        QVERIFY(queue->markSending({order.clientOrderId}));
        QVERIFY(queue->markFailed(order.clientOrderId, QStringLiteral("gave up after 8 attempts")));
        Order o = *queue->order(order.clientOrderId);
        QCOMPARE(o.state, S::Failed);
        QCOMPARE(o.reason, QStringLiteral("gave up after 8 attempts"));
        QVERIFY(queue->nextBatch(QString(), 10).isEmpty()); // failed orders wait for the trader

        QVERIFY(queue->retry(order.clientOrderId));
        o = *queue->order(order.clientOrderId);
        QCOMPARE(o.state, S::Queued);
        QCOMPARE(o.attempts, 0);
        QVERIFY(o.everSent);
        QVERIFY(!queue->retry(order.clientOrderId)); // only failed orders

        QVERIFY(queue->markSending({order.clientOrderId}));
        QVERIFY(queue->markFailed(order.clientOrderId, QStringLiteral("again")));
        QVERIFY(queue->cancel(order.clientOrderId));
        QCOMPARE(queue->order(order.clientOrderId)->state, S::CancelRequested); // it was sent: ask
    }

    void serverUpdates()
    {
        auto queue = openQueue();
        const Order order = enqueued(*queue);
        // The realtime echo can beat the reply to our insert.
        QVERIFY(queue->applyServerUpdate(order.clientOrderId, QStringLiteral("new"), {}, QStringLiteral("55")));
        QCOMPARE(queue->order(order.clientOrderId)->state, S::Accepted);
        QCOMPARE(queue->order(order.clientOrderId)->serverId, QStringLiteral("55"));
        // The same news again (a snapshot, a poll): accepted, but nothing is written or announced.
        const QDateTime stamped = queue->order(order.clientOrderId)->updatedAt;
        m_now = m_now.addSecs(5);
        QSignalSpy changed(queue.get(), &OrderQueue::orderChanged);
        QVERIFY(queue->applyServerUpdate(order.clientOrderId, QStringLiteral("accepted"), {}, QStringLiteral("55")));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(queue->order(order.clientOrderId)->updatedAt, stamped);
        QVERIFY(queue->applyServerUpdate(order.clientOrderId, QStringLiteral("filled")));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(queue->order(order.clientOrderId)->updatedAt, m_now);
        // An older event arriving late does not reopen a finished order.
        const tf::QueueResult stale = queue->applyServerUpdate(order.clientOrderId, QStringLiteral("working"));
        QVERIFY(!stale.ok);
        QCOMPARE(queue->order(order.clientOrderId)->state, S::Filled);

        const Order other = enqueued(*queue);
        QVERIFY(queue->markSending({other.clientOrderId}));
        QVERIFY(queue->applyServerUpdate(other.clientOrderId, QStringLiteral("rejected"), QStringLiteral("halted")));
        QCOMPARE(queue->order(other.clientOrderId)->reason, QStringLiteral("halted"));

        QVERIFY(!queue->applyServerUpdate(QUuid::createUuid(), QStringLiteral("filled")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("unknown server status")));
        QVERIFY(!queue->applyServerUpdate(other.clientOrderId, QStringLiteral("exploded")));
    }

    void pendingCountFollowsChanges()
    {
        auto queue = openQueue();
        QSignalSpy spy(queue.get(), &OrderQueue::pendingCountChanged);
        const Order a = enqueued(*queue);
        const Order b = enqueued(*queue);
        QCOMPARE(queue->pendingCount(), 2);
        QVERIFY(queue->markSending({a.clientOrderId, b.clientOrderId}));
        QCOMPARE(spy.count(), 2); // no signal when the count did not change
        QVERIFY(queue->markRejected(a.clientOrderId, QStringLiteral("no")));
        QVERIFY(queue->markAccepted(b.clientOrderId, ServerOrder{b.clientOrderId, QStringLiteral("1"), {}, {}, {}, {}}));
        QCOMPARE(queue->pendingCount(), 1); // accepted is still working
        QCOMPARE(spy.last().at(0).toInt(), 1);
    }

    void pruneDropsOnlyOldFinishedOrders()
    {
        auto queue = openQueue();
        const Order oldFilled = enqueued(*queue);
        const Order oldCanceled = enqueued(*queue);
        const Order oldFailed = enqueued(*queue);
        const Order oldQueued = enqueued(*queue);
        QVERIFY(queue->applyServerUpdate(oldFilled.clientOrderId, QStringLiteral("filled")));
        QVERIFY(queue->cancel(oldCanceled.clientOrderId));
        QVERIFY(queue->markSending({oldFailed.clientOrderId}));
        QVERIFY(queue->markFailed(oldFailed.clientOrderId, QStringLiteral("x")));

        m_now = m_now.addDays(6);
        const Order recentRejected = enqueued(*queue);
        QVERIFY(queue->markSending({recentRejected.clientOrderId}));
        QVERIFY(queue->markRejected(recentRejected.clientOrderId, QStringLiteral("x")));

        m_now = m_now.addDays(2); // the first four are 8 days old, the rejected one 2 days
        QSignalSpy pruned(queue.get(), &OrderQueue::ordersPruned);
        QCOMPARE(queue->prune(std::chrono::hours(24 * 7)), 2);
        QCOMPARE(pruned.count(), 1);
        QCOMPARE(idsOf(queue->orders()), (QList<QUuid>{oldFailed.clientOrderId, oldQueued.clientOrderId,
                                                       recentRejected.clientOrderId}));

        // Opening prunes with the configured retention.
        queue.reset();
        m_now = m_now.addDays(30);
        OrderQueueOptions options;
        options.filePath = path();
        options.historyRetention = std::chrono::hours(24);
        options.clock = [this] { return m_now; };
        OrderQueue reopened(options);
        QVERIFY(reopened.open().ok);
        QCOMPARE(idsOf(reopened.orders()), (QList<QUuid>{oldFailed.clientOrderId, oldQueued.clientOrderId}));
    }

    void filesAreOwnerOnly()
    {
#ifndef Q_OS_UNIX
        QSKIP("POSIX permission bits");
#endif
        auto queue = openQueue();
        enqueued(*queue);
        for (const QString &file : QStringList{path(), path() + QStringLiteral("-wal"), path() + QStringLiteral("-shm")}) {
            QVERIFY2(QFileInfo::exists(file), qPrintable(file));
            QVERIFY2(tf::testing::isOwnerOnly(file), qPrintable(file));
        }

        // Files left world-readable (an older build, a copy) are tightened on open.
        queue.reset();
        const QString loose = path(QStringLiteral("loose.sqlite"));
        {
            OrderQueue first(loose);
            QVERIFY(first.open().ok);
            enqueued(first);
            RawDb keepWal(loose); // a second connection keeps -wal/-shm around after close
            QCOMPARE(keepWal.scalar(QStringLiteral("SELECT count(*) FROM orders")).toInt(), 1);
            first.close();
            const auto wide = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                | QFileDevice::ReadOther | QFileDevice::WriteOther;
            for (const QString &file : QStringList{loose, loose + QStringLiteral("-wal"), loose + QStringLiteral("-shm")})
                QVERIFY(QFile::setPermissions(file, wide));
            OrderQueue second(loose);
            QVERIFY(second.open().ok);
            for (const QString &file : QStringList{loose, loose + QStringLiteral("-wal"), loose + QStringLiteral("-shm")})
                QVERIFY2(tf::testing::isOwnerOnly(file), qPrintable(file));
        }
    }

    void ordersLeftSendingAreRequeuedOnOpen()
    {
        auto queue = openQueue();
        const Order a = enqueued(*queue);
        const Order b = enqueued(*queue);
        const Order c = enqueued(*queue);
        QVERIFY(queue->markSending({a.clientOrderId, b.clientOrderId}));
        queue.reset(); // the app stops with a send in flight

        OrderQueue reopened(path());
        QSignalSpy changed(&reopened, &OrderQueue::orderChanged);
        const tf::OpenResult result = reopened.open();
        QVERIFY(result.ok);
        QCOMPARE(result.recoveredOrders, 2);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(idsOf(reopened.nextBatch(QString(), 10)), (QList<QUuid>{a.clientOrderId, b.clientOrderId, c.clientOrderId}));
        const Order ra = *reopened.order(a.clientOrderId);
        QCOMPARE(ra.attempts, 1);
        QVERIFY(ra.everSent); // a cancel now has to ask the exchange
        QVERIFY(!ra.lastError.isEmpty());
        QVERIFY(!reopened.order(c.clientOrderId)->everSent);
        QCOMPARE(reopened.recoverAfterCrash(), 0);
    }

    void migratesAVersion1File()
    {
        {
            RawDb raw(path());
            for (const char *statement : kSchemaV1)
                QCOMPARE(raw.exec(QString::fromLatin1(statement)), QString());
            QSqlQuery insert(raw.db());
            QVERIFY(insert.prepare(QStringLiteral(
                "INSERT INTO orders (client_order_id, user_id, symbol, side, quantity, order_type, limit_price,"
                " created_at, state, attempts, server_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")));
            const QVariantList queued{QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10"), QStringLiteral("alice"),
                                      QStringLiteral("ACME"), QStringLiteral("buy"), 5.0, QStringLiteral("limit"), 9.5,
                                      qint64(1760000000000), QStringLiteral("queued"), 2, QVariant(),
                                      qint64(1760000001000)};
            const QVariantList unsent{QStringLiteral("11111111-2222-3333-4444-555555555555"), QStringLiteral("alice"),
                                      QStringLiteral("XYZ"), QStringLiteral("sell"), 1.0, QStringLiteral("market"),
                                      QVariant(), qint64(1760000002000), QStringLiteral("queued"), 0,
                                      QVariant(), qint64(1760000002000)};
            for (const QVariantList &row : {queued, unsent}) {
                for (const QVariant &value : row)
                    insert.addBindValue(value);
                QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
            }
        }

        auto queue = openQueue();
        QVERIFY(queue->isOpen());
        {
            RawDb raw(path());
            QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'orders_user_fifo'")).toInt(), 1);
        }
        const QList<Order> orders = queue->orders();
        QCOMPARE(orders.size(), 2);
        QCOMPARE(orders[0].clientOrderId, QUuid(QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10")));
        QCOMPARE(orders[0].limitPrice, std::optional(9.5));
        QCOMPARE(orders[0].attempts, 2);
        QVERIFY(orders[0].everSent); // derived from v1's attempts
        QVERIFY(orders[0].lastError.isEmpty());
        QCOMPARE(orders[0].createdAt, QDateTime::fromMSecsSinceEpoch(1760000000000, QTimeZone::utc()));
        QVERIFY(!orders[1].everSent);
        QVERIFY(!orders[1].limitPrice);
        // The migrated queue works as any other.
        QVERIFY(queue->enqueue(makeOrder(QStringLiteral("alice"))).ok());
        QCOMPARE(queue->nextBatch(QStringLiteral("alice"), 10).size(), 3);
    }

    void aFailedMigrationLeavesTheFileAtItsVersion()
    {
        {
            RawDb raw(path());
            for (const char *statement : kSchemaV1)
                QCOMPARE(raw.exec(QString::fromLatin1(statement)), QString());
            // Hand-edited file: the column v2 adds already exists, so v2's first step fails.
            QCOMPARE(raw.exec(QStringLiteral("ALTER TABLE orders ADD COLUMN last_error TEXT")), QString());
        }
        OrderQueue queue(path());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable")));
        const tf::OpenResult result = queue.open();
        QVERIFY(!result.ok);
        QVERIFY2(result.error.contains(QStringLiteral("migration to schema 2")), qPrintable(result.error));
        QVERIFY(result.quarantinedPath.isEmpty()); // not corrupt: kept in place for a fix
        RawDb raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 1);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'ever_sent'")).toInt(), 0);
    }

    void unreadableFilesAreMovedAside_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("garbage") << QStringLiteral("garbage");
        QTest::newRow("shorter than a header") << QStringLiteral("tiny");
        QTest::newRow("truncated") << QStringLiteral("truncated");
        QTest::newRow("damaged page") << QStringLiteral("damaged");
        QTest::newRow("newer schema") << QStringLiteral("newer");
    }

    void unreadableFilesAreMovedAside()
    {
        QFETCH(QString, kind);
        QByteArray original;
        std::unique_ptr<RawDb> otherReader; // another program with the file open keeps its log alive
        if (kind == QLatin1String("garbage")) {
            QByteArray bytes;
            for (int i = 0; i < 8192; ++i)
                bytes.append(char((i * 7919) % 251));
            writeFile(path(), bytes);
        } else if (kind == QLatin1String("tiny")) {
            writeFile(path(), QByteArray("SQLite format 3\0", 16));
        } else {
            openQueue().reset(); // a real queue file, then enough rows for a dozen pages
            {
                RawDb raw(path());
                QCOMPARE(raw.exec(QStringLiteral(
                             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                             " INSERT INTO orders (client_order_id, user_id, symbol, side, quantity, order_type,"
                             " created_at, state, updated_at)"
                             " SELECT 'id-' || i, 'alice', 'SYMBOL-' || i, 'buy', 1, 'market', 0, 'queued', 0 FROM n")),
                         QString());
            } // closing the last connection checkpoints the log into the main file
            QVERIFY(QFileInfo(path()).size() > 8 * 4096);
            QFile file(path());
            QVERIFY(file.open(QIODevice::ReadWrite));
            if (kind == QLatin1String("truncated")) {
                QVERIFY(file.resize(file.size() / 2));
            } else if (kind == QLatin1String("damaged")) {
                QVERIFY(file.seek(3 * 4096 + 16));
                file.write(QByteArray(600, '\xA5'));
            } else {
                file.close();
                // The newer build's changes stay in the log (kept by the open reader): the log must
                // move with the file, not be read into the new queue.
                otherReader = std::make_unique<RawDb>(path());
                QCOMPARE(otherReader->exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0")), QString());
                QCOMPARE(otherReader->exec(QStringLiteral("PRAGMA user_version = 99")), QString());
                QCOMPARE(otherReader->exec(QStringLiteral("CREATE TABLE newer_feature (x)")), QString());
            }
        }
        original = readFile(path());
        const bool hadWal = QFileInfo::exists(path() + QStringLiteral("-wal"));

        OrderQueue queue(path());
        QSignalSpy quarantined(&queue, &OrderQueue::fileQuarantined);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^the order queue .* was unreadable .* moved to")));
        const tf::OpenResult result = queue.open();
        QVERIFY2(result.ok, qPrintable(result.error));

        QVERIFY(!result.quarantinedPath.isEmpty());
        QVERIFY2(QRegularExpression(QStringLiteral("orders\\.sqlite\\.corrupt-\\d{8}T\\d{6}Z$"))
                     .match(result.quarantinedPath)
                     .hasMatch(),
                 qPrintable(result.quarantinedPath));
        QVERIFY(!result.quarantineReason.isEmpty());
        QCOMPARE(quarantined.count(), 1);
        QCOMPARE(quarantined.at(0).at(0).toString(), result.quarantinedPath);
        QCOMPARE(quarantined.at(0).at(1).toString(), result.quarantineReason);
        QCOMPARE(queue.quarantinedPath(), result.quarantinedPath);
        QCOMPARE(queue.quarantineReason(), result.quarantineReason);
        if (kind == QLatin1String("newer"))
            QVERIFY2(result.quarantineReason.contains(QStringLiteral("newer")), qPrintable(result.quarantineReason));
        else if (kind == QLatin1String("garbage") || kind == QLatin1String("tiny"))
            QVERIFY2(result.quarantineReason.contains(QStringLiteral("not a SQLite")), qPrintable(result.quarantineReason));
        else
            QVERIFY2(result.quarantineReason.contains(QStringLiteral("integrity check"))
                         || result.quarantineReason.contains(QStringLiteral("malformed")),
                     qPrintable(result.quarantineReason));
        QVERIFY(!result.quarantineReason.contains(QLatin1Char('\n')));

        // Kept byte for byte, with its log, for support to look at.
        QCOMPARE(readFile(result.quarantinedPath), original);
        QCOMPARE(QFileInfo::exists(result.quarantinedPath + QStringLiteral("-wal")), hadWal);
        if (kind == QLatin1String("newer")) {
            QVERIFY(hadWal);
            otherReader.reset();
            RawDb moved(result.quarantinedPath); // the newer build's data is all there
            QCOMPARE(moved.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 99);
            QCOMPARE(moved.scalar(QStringLiteral("SELECT count(*) FROM newer_feature")).toInt(), 0);
            QCOMPARE(moved.scalar(QStringLiteral("SELECT count(*) FROM orders")).toInt(), 400);
        }

        // A new, empty, working queue in its place.
        QVERIFY(queue.isWritable());
        QVERIFY(queue.orders().isEmpty());
        QVERIFY(queue.enqueue(makeOrder(QStringLiteral("alice"))).ok());
        RawDb raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'newer_feature'")).toInt(), 0);
    }

    void someoneElsesDatabaseIsNeitherUsedNorMoved()
    {
        {
            RawDb raw(path());
            QCOMPARE(raw.exec(QStringLiteral("CREATE TABLE notes (body TEXT)")), QString());
        }
        OrderQueue queue(path());
        QSignalSpy quarantined(&queue, &OrderQueue::fileQuarantined);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable")));
        const tf::OpenResult result = queue.open();
        QVERIFY(!result.ok);
        QVERIFY2(result.error.contains(QStringLiteral("not an order queue")), qPrintable(result.error));
        QCOMPARE(quarantined.count(), 0);
        QVERIFY(!queue.isWritable());
        QCOMPARE(queue.enqueue(makeOrder(QStringLiteral("alice"))).status, EnqueueResult::Status::NotWritable);
        RawDb raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'notes'")).toInt(), 1);
    }

    void aFolderThatCannotBeCreatedRefusesOrders()
    {
        writeFile(path(QStringLiteral("blocker")), "not a folder");
        OrderQueue queue(path(QStringLiteral("blocker/orders.sqlite")));
        QSignalSpy writable(&queue, &OrderQueue::writableChanged);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable")));
        const tf::OpenResult result = queue.open();
        QVERIFY(!result.ok);
        QVERIFY(!queue.isWritable());
        QCOMPARE(writable.count(), 1);
        QCOMPARE(writable.at(0).at(0).toBool(), false);
        QVERIFY(!writable.at(0).at(1).toString().isEmpty());

        const EnqueueResult refused = queue.enqueue(makeOrder(QStringLiteral("alice")));
        QCOMPARE(refused.status, EnqueueResult::Status::NotWritable);
        QCOMPARE(refused.reason, queue.notWritableReason());
        QVERIFY(refused.reason.contains(QStringLiteral("blocker")));
    }

    void aReadOnlyFolderRefusesOrders()
    {
        const QString folder = path(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(folder));
        if (!refuseWrites(folder, &m_immutable))
            QSKIP("neither permissions nor the immutable attribute stop this process here");
        OrderQueue queue(folder + QStringLiteral("/orders.sqlite"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable")));
        const tf::OpenResult result = queue.open();
        QVERIFY(!result.ok);
        QVERIFY2(result.error.contains(folder), qPrintable(result.error));
        QVERIFY(!queue.isWritable());
        const EnqueueResult refused = queue.enqueue(makeOrder(QStringLiteral("alice")));
        QCOMPARE(refused.status, EnqueueResult::Status::NotWritable);
        QCOMPARE(refused.reason, result.error);
        QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/orders.sqlite")));
    }

    void aReadOnlyFileRefusesOrders()
    {
        {
            auto queue = openQueue();
            enqueued(*queue);
        }
        const QByteArray before = readFile(path());
        if (!refuseWrites(path(), &m_immutable))
            QSKIP("neither permissions nor the immutable attribute stop this process here");
        OrderQueue queue(path());
        QSignalSpy quarantined(&queue, &OrderQueue::fileQuarantined);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable")));
        const tf::OpenResult result = queue.open();
        QVERIFY(!result.ok);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(result.quarantinedPath.isEmpty()); // read-only is not corrupt
        QCOMPARE(quarantined.count(), 0);
        QCOMPARE(queue.enqueue(makeOrder(QStringLiteral("alice"))).status, EnqueueResult::Status::NotWritable);
        QCOMPARE(readFile(path()), before); // the saved order is still there, untouched
    }

    // A write that fails after opening (here: another program holds the write lock; a full disk
    // takes the same path) refuses the order with the reason, and recovers on the next success.
    void aFailedWriteRefusesTheOrderAndRecovers()
    {
        OrderQueueOptions options;
        options.filePath = path();
        options.busyTimeout = 0ms;
        OrderQueue queue(options);
        QVERIFY(queue.open().ok);
        const Order first = enqueued(queue);
        QSignalSpy writable(&queue, &OrderQueue::writableChanged);

        RawDb other(path());
        QCOMPARE(other.exec(QStringLiteral("BEGIN EXCLUSIVE")), QString());

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable.*locked")));
        const Order blocked = makeOrder(QStringLiteral("alice"));
        const EnqueueResult refused = queue.enqueue(blocked);
        QCOMPARE(refused.status, EnqueueResult::Status::NotWritable);
        QVERIFY2(refused.reason.contains(QStringLiteral("locked")), qPrintable(refused.reason));
        QVERIFY(!queue.isWritable());
        QCOMPARE(writable.count(), 1);
        QCOMPARE(writable.at(0).at(0).toBool(), false);
        // State changes fail the same way, and change nothing.
        QVERIFY(!queue.markSending({first.clientOrderId}));
        QCOMPARE(queue.order(first.clientOrderId)->state, S::Queued);

        QCOMPARE(other.exec(QStringLiteral("COMMIT")), QString());
        QVERIFY(!queue.order(blocked.clientOrderId)); // nothing half-written
        QVERIFY(queue.enqueue(blocked).ok());
        QVERIFY(queue.isWritable());
        QCOMPARE(writable.last().at(0).toBool(), true);
    }

    // A failed write leaves the queue refusing; a successful probe write ends that without an
    // order having to be risked first.
    void checkWritableNoticesTheQueueRecovered()
    {
        OrderQueueOptions options;
        options.filePath = path();
        options.busyTimeout = 0ms;
        OrderQueue queue(options);
        QVERIFY(queue.open().ok);
        QVERIFY(queue.checkWritable());

        RawDb other(path());
        QCOMPARE(other.exec(QStringLiteral("BEGIN EXCLUSIVE")), QString());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable.*locked")));
        const tf::QueueResult blocked = queue.checkWritable();
        QVERIFY(!blocked);
        QVERIFY(!queue.isWritable());
        QVERIFY2(queue.notWritableReason().contains(QStringLiteral("locked")), qPrintable(queue.notWritableReason()));

        QCOMPARE(other.exec(QStringLiteral("COMMIT")), QString());
        QSignalSpy writable(&queue, &OrderQueue::writableChanged);
        QVERIFY(queue.checkWritable());
        QVERIFY(queue.isWritable());
        QCOMPARE(writable.count(), 1);
        QCOMPARE(writable.at(0).at(0).toBool(), true);
    }

    void countsByStateAndUser()
    {
        auto queue = openQueue();
        const Order a = enqueued(*queue);
        const Order b = enqueued(*queue);
        enqueued(*queue, QStringLiteral("bob"));
        QVERIFY(queue->markSending({a.clientOrderId}));
        QVERIFY(queue->markRejected(a.clientOrderId, QStringLiteral("no")));
        QVERIFY(queue->markSending({b.clientOrderId}));
        QCOMPARE(queue->countInStates({S::Queued}), 1);
        QCOMPARE(queue->countInStates({S::Queued, S::Sending}), 2);
        QCOMPARE(queue->countInStates({S::Queued, S::Sending}, QStringLiteral("alice")), 1);
        QCOMPARE(queue->countInStates({S::Rejected, S::Sending, S::Queued}, QStringLiteral("alice")), 2);
        QCOMPARE(queue->countInStates({S::Filled}), 0);
        QCOMPARE(queue->countInStates({}), 0);
    }

    // `tradefloor-cli queue list` next to a running app: it reads the file as it is and changes
    // nothing — no recovery of the app's in-flight sends, no pruning, no quarantine.
    void inspectionReadsWithoutChangingAnything()
    {
        Order inFlight;
        Order old;
        {
            auto queue = openQueue();
            inFlight = enqueued(*queue);
            old = enqueued(*queue);
            QVERIFY(queue->markSending({inFlight.clientOrderId, old.clientOrderId}));
            QVERIFY(queue->markRejected(old.clientOrderId, QStringLiteral("no")));
        }
        m_now = m_now.addDays(30); // `old` is past the retention

        OrderQueueOptions options;
        options.filePath = path();
        options.clock = [this] { return m_now; };
        options.inspectOnly = true;
        OrderQueue look(options);
        const tf::OpenResult result = look.open();
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.recoveredOrders, 0);
        QCOMPARE(look.orders().size(), 2);
        QCOMPARE(look.order(inFlight.clientOrderId)->state, S::Sending);
        QVERIFY(!look.isWritable());

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable")));
        QCOMPARE(look.enqueue(makeOrder(QStringLiteral("alice"))).status, EnqueueResult::Status::NotWritable);
        QVERIFY(!look.cancel(inFlight.clientOrderId));
        QVERIFY(!look.checkWritable());
        look.close();
        RawDb raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM orders")).toInt(), 2);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT state FROM orders WHERE client_order_id = ?"),
                            {inFlight.clientOrderId.toString(QUuid::WithoutBraces)}).toString(),
                 QStringLiteral("sending"));

        // No file: nothing is created. A damaged file: reported, left where it is.
        OrderQueueOptions missing = options;
        missing.filePath = path(QStringLiteral("none.sqlite"));
        OrderQueue nothing(missing);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        const tf::OpenResult none = nothing.open();
        QVERIFY(!none.ok);
        QVERIFY2(none.error.contains(QStringLiteral("no order queue")), qPrintable(none.error));
        QVERIFY(!QFileInfo::exists(missing.filePath));

        OrderQueueOptions damaged = options;
        damaged.filePath = path(QStringLiteral("garbage.sqlite"));
        writeFile(damaged.filePath, QByteArray(8192, 'x'));
        OrderQueue garbage(damaged);
        QSignalSpy quarantined(&garbage, &OrderQueue::fileQuarantined);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        const tf::OpenResult bad = garbage.open();
        QVERIFY(!bad.ok);
        QVERIFY2(bad.error.contains(QStringLiteral("unreadable")), qPrintable(bad.error));
        QVERIFY(bad.quarantinedPath.isEmpty());
        QCOMPARE(quarantined.count(), 0);
        QCOMPARE(readFile(damaged.filePath), QByteArray(8192, 'x'));
    }

    void eachInstanceHasItsOwnConnection()
    {
        const qsizetype before = QSqlDatabase::connectionNames().size();
        {
            OrderQueue a(path(QStringLiteral("a.sqlite")));
            OrderQueue b(path(QStringLiteral("b.sqlite")));
            QVERIFY(a.open().ok);
            QVERIFY(b.open().ok);
            QCOMPARE(QSqlDatabase::connectionNames().size(), before + 2);
            enqueued(a);
            QCOMPARE(a.orders().size(), 1);
            QCOMPARE(b.orders().size(), 0);
        }
        QCOMPARE(QSqlDatabase::connectionNames().size(), before);
    }

    void defaultPathIsInAppData()
    {
        const QString path = OrderQueue::defaultFilePath();
        QVERIFY(path.endsWith(QStringLiteral("/orders.sqlite")));
        QVERIFY(!path.startsWith(QStringLiteral("/orders")));
    }
};

QTEST_GUILESS_MAIN(TestOrderQueue)
#include "tst_orderqueue.moc"
