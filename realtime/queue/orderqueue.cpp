#include "orderqueue.h"

#include "logging.h"
#include "ordertransitions.h"
#include "queuefile.h"
#include "queuerow.h"
#include "queueschema.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTimeZone>

#include <atomic>

namespace tf {

namespace {

const QString &kColumns = queuerow::columns();

QString notOpenReason()
{
    return QStringLiteral("the order queue is not open");
}

// SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): the file's content is bad. Anything else (locked,
// read-only, cannot open) is a problem with access, never a reason to move the file aside.
// SQLite's own words ("database is locked"), without Qt's "Unable to execute statement" suffix.
QString sqlErrorText(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

bool isCorruption(const QSqlError &error)
{
    const int primary = error.nativeErrorCode().toInt() & 0xff;
    return primary == 11 || primary == 26;
}

QVariant msecs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QVariant optionalText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

Order orderFromRow(const QSqlQuery &q)
{
    return queuerow::orderFromRow(q.record());
}

} // namespace

QString OrderQueue::defaultFilePath()
{
    const QString configured = QSettings().value(QStringLiteral("orders/queueFile")).toString();
    if (!configured.isEmpty())
        return configured;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/orders.sqlite");
}

OrderQueue::OrderQueue(OrderQueueOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_notWritableReason(notOpenReason())
{
    static std::atomic<int> counter{0};
    m_connectionName = QStringLiteral("tf.orderqueue.%1").arg(counter.fetch_add(1));
    m_filePath = m_options.filePath.isEmpty() ? defaultFilePath() : m_options.filePath;
    m_filePath = QFileInfo(m_filePath).absoluteFilePath();
}

OrderQueue::OrderQueue(const QString &filePath, QObject *parent)
    : OrderQueue(
          [&filePath] {
              OrderQueueOptions options;
              options.filePath = filePath;
              return options;
          }(),
          parent)
{
}

OrderQueue::~OrderQueue()
{
    close();
}

QDateTime OrderQueue::now() const
{
    return m_options.clock ? m_options.clock().toUTC() : QDateTime::currentDateTimeUtc();
}

QSqlDatabase OrderQueue::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool OrderQueue::isOpen() const
{
    return m_open;
}

void OrderQueue::close()
{
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase db = database();
            db.close();
        } // the handle must be gone before the connection is removed
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    if (m_open) {
        m_open = false;
        setWritable(false, notOpenReason(), false);
    }
}

OpenResult OrderQueue::open()
{
    close();
    OpenResult result;
    bool corrupt = false;
    bool opened = tryOpenOnce(&result, &corrupt);
    if (!opened && corrupt && m_options.inspectOnly) {
        result.error = QStringLiteral("the order queue %1 is unreadable: %2").arg(m_filePath, result.quarantineReason);
        result.quarantineReason.clear(); // looked at, not moved: that is the owner's call
    } else if (!opened && corrupt) {
        close();
        QString moveError;
        const QString movedTo = queuefile::moveAside(m_filePath, now(), &moveError);
        if (movedTo.isEmpty()) {
            result.error = QStringLiteral("the order queue %1 is unreadable (%2) and could not be moved aside: %3")
                               .arg(m_filePath, result.quarantineReason, moveError);
            result.quarantineReason.clear();
            qCCritical(lcOrders).noquote() << result.error;
            setWritable(false, result.error);
            return result;
        }
        result.quarantinedPath = movedTo;
        m_quarantinedPath = movedTo;
        m_quarantineReason = result.quarantineReason;
        qCWarning(lcOrders).noquote() << "the order queue" << m_filePath << "was unreadable (" << result.quarantineReason
                                      << ") and was moved to" << movedTo << "- starting a new queue";
        Q_EMIT fileQuarantined(movedTo, result.quarantineReason);
        corrupt = false;
        result.error.clear();
        opened = tryOpenOnce(&result, &corrupt);
        if (!opened && corrupt)
            result.error = QStringLiteral("the new order queue is unreadable too: ") + result.error;
    }
    if (!opened) {
        close();
        qCWarning(lcOrders).noquote() << "cannot open the order queue:" << result.error;
        setWritable(false, result.error);
        return result;
    }

    m_open = true;
    if (m_options.inspectOnly) {
        setWritable(false, QStringLiteral("the order queue is open for inspection only"), false);
        refreshPendingCount();
        result.ok = true;
        return result;
    }
    setWritable(true, {});
    result.recoveredOrders = recoverAfterCrash();
    const int pruned = prune(m_options.historyRetention);
    if (pruned > 0)
        qCInfo(lcOrders) << "pruned" << pruned << "finished orders older than" << m_options.historyRetention.count()
                         << "h";
    refreshPendingCount();
    result.ok = true;
    qCInfo(lcOrders).noquote() << "order queue open:" << m_filePath << "pending" << m_pendingCount;
    return result;
}

// One attempt at opening m_filePath. On content problems sets *corrupt and quarantineReason;
// on anything else sets error.
bool OrderQueue::tryOpenOnce(OpenResult *result, bool *corrupt)
{
    const auto corruptBecause = [&](const QString &reason) {
        *corrupt = true;
        result->quarantineReason = reason;
        result->error = reason;
        return false;
    };
    const auto failBecause = [&](const QString &error) {
        result->error = error;
        return false;
    };

    const QFileInfo info(m_filePath);
    if (m_options.inspectOnly && !info.exists())
        return failBecause(QStringLiteral("there is no order queue at %1").arg(m_filePath));
    if (!QDir().mkpath(info.absolutePath()))
        return failBecause(QStringLiteral("cannot create the folder %1").arg(info.absolutePath()));
    if (!info.exists()) {
        QString error;
        if (!queuefile::createOwnerOnly(m_filePath, &error))
            return failBecause(QStringLiteral("cannot create %1: %2").arg(m_filePath, error));
    }
    if (!m_options.inspectOnly)
        queuefile::restrictToOwner(m_filePath);

    QString problem;
    switch (queuefile::checkHeader(m_filePath, &problem)) {
    case queuefile::Header::Valid:
        break;
    case queuefile::Header::NotSqlite:
        return corruptBecause(problem);
    case queuefile::Header::Unreadable:
        return failBecause(problem);
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_filePath);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_options.busyTimeout.count()));
    if (!db.open())
        return failBecause(QStringLiteral("cannot open %1: %2").arg(m_filePath, sqlErrorText(db.lastError())));

    {
        QSqlQuery check(db);
        if (!check.exec(QStringLiteral("PRAGMA integrity_check"))) {
            const QString text = sqlErrorText(check.lastError());
            return isCorruption(check.lastError()) ? corruptBecause(QStringLiteral("damaged (") + text + QLatin1Char(')'))
                                                   : failBecause(QStringLiteral("cannot read %1: %2").arg(m_filePath, text));
        }
        QStringList findings;
        while (check.next())
            findings << check.value(0).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (findings != QStringList{QStringLiteral("ok")}) {
            // The first few findings on one line: enough for support, short enough for a banner.
            return corruptBecause(QStringLiteral("failed the integrity check: ")
                                  + findings.mid(0, 3).join(QStringLiteral("; ")));
        }
    }

    QString error;
    const int version = queueschema::version(db, &error);
    if (version < 0)
        return failBecause(error);
    if (version > queueschema::kCurrentVersion) {
        return corruptBecause(QStringLiteral("written by a newer Trading Floor (schema %1; this build reads up to %2)")
                                  .arg(version)
                                  .arg(queueschema::kCurrentVersion));
    }
    if (version == 0 && queueschema::hasForeignTables(db, &error)) {
        // Someone else's database (a wrong --queue path): neither use it nor move it.
        return failBecause(QStringLiteral("%1 is a SQLite database but not an order queue").arg(m_filePath));
    }

    {
        // WAL: a commit is one append to the log, and readers never block the writer.
        // synchronous=FULL: the log is synced at every commit, so "queued" survives power loss.
        QSqlQuery pragma(db);
        if (!pragma.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !pragma.next())
            return failBecause(QStringLiteral("cannot switch to WAL: ") + sqlErrorText(pragma.lastError()));
        if (pragma.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0)
            return failBecause(QStringLiteral("cannot switch to WAL (journal mode is %1)").arg(pragma.value(0).toString()));
        if (!pragma.exec(QStringLiteral("PRAGMA synchronous = FULL")))
            return failBecause(sqlErrorText(pragma.lastError()));
    }

    if (!queueschema::migrate(db, version, &error))
        return failBecause(QStringLiteral("cannot update %1: %2").arg(m_filePath, error));

    if (m_options.inspectOnly)
        return true;
    // Prove the file is writable now rather than at the trader's first click.
    if (!writeMeta(QStringLiteral("last_opened_at"), now().toString(Qt::ISODateWithMs), &error))
        return failBecause(QStringLiteral("cannot write %1: %2").arg(m_filePath, error));
    queuefile::restrictToOwner(m_filePath); // the -wal and -shm files exist now
    return true;
}

bool OrderQueue::writeMeta(const QString &key, const QString &value, QString *error)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO queue_meta (key, value) VALUES (:key, :value)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.bindValue(QStringLiteral(":key"), key);
    q.bindValue(QStringLiteral(":value"), value);
    if (!q.exec()) {
        *error = sqlErrorText(q.lastError());
        return false;
    }
    return true;
}

QueueResult OrderQueue::checkWritable()
{
    if (!m_open)
        return QueueResult::failure(m_notWritableReason);
    if (m_options.inspectOnly)
        return QueueResult::failure(m_notWritableReason);
    QString error;
    if (!writeMeta(QStringLiteral("last_checked_at"), now().toString(Qt::ISODateWithMs), &error)) {
        setWritable(false, QStringLiteral("the order queue cannot be written: ") + error);
        return QueueResult::failure(error);
    }
    setWritable(true, {});
    return QueueResult::success();
}

bool OrderQueue::begin(QString *error)
{
    if (m_options.inspectOnly) {
        *error = QStringLiteral("the order queue is open for inspection only");
        return false;
    }
    // IMMEDIATE takes the write lock up front, so a read-then-write never hits a busy upgrade.
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        *error = sqlErrorText(q.lastError());
        return false;
    }
    return true;
}

bool OrderQueue::commit(QString *error)
{
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("COMMIT"))) {
        *error = sqlErrorText(q.lastError());
        return false;
    }
    return true;
}

void OrderQueue::rollback()
{
    QSqlQuery q(database());
    q.exec(QStringLiteral("ROLLBACK"));
}

void OrderQueue::setWritable(bool writable, const QString &reason, bool isProblem)
{
    if (m_writable == writable && m_notWritableReason == reason)
        return;
    m_writable = writable;
    m_notWritableReason = reason;
    if (!writable && isProblem)
        qCWarning(lcOrders).noquote() << "order queue not writable:" << reason;
    Q_EMIT writableChanged(writable, reason);
}

EnqueueResult OrderQueue::enqueue(const Order &order)
{
    EnqueueResult result;
    result.validation = order.validate();
    if (!result.validation.isValid()) {
        result.status = EnqueueResult::Status::Invalid;
        result.reason = result.validation.summary();
        return result;
    }
    if (!m_open) {
        result.status = EnqueueResult::Status::NotWritable;
        result.reason = m_notWritableReason;
        return result;
    }

    const QDateTime stamp = now();
    Order stored = order;
    stored.symbol = order.symbol.trimmed();
    stored.createdAt = order.createdAt.isValid() ? order.createdAt.toUTC() : stamp;
    stored.updatedAt = stamp;
    stored.state = Order::State::Queued;
    stored.reason.clear();
    stored.attempts = 0;
    stored.everSent = false;
    stored.lastAttemptAt = {};
    stored.lastError.clear();
    stored.serverId.clear();

    const auto refuse = [&](const QString &why) {
        result.status = EnqueueResult::Status::NotWritable;
        result.reason = QStringLiteral("the order queue cannot be written: ") + why;
        setWritable(false, result.reason);
        return result;
    };

    QString error;
    if (!begin(&error))
        return refuse(error);
    if (const auto existing = loadOrder(stored.clientOrderId, &error)) {
        rollback();
        result.status = EnqueueResult::Status::Duplicate;
        result.reason = QStringLiteral("this order is already in the queue");
        result.order = *existing;
        return result;
    }
    if (!error.isEmpty()) {
        rollback();
        return refuse(error);
    }

    QSqlQuery insert(database());
    insert.prepare(QStringLiteral(
        "INSERT INTO orders (client_order_id, user_id, symbol, side, quantity, order_type, limit_price, created_at,"
        " state, reason, attempts, ever_sent, last_error, updated_at)"
        " VALUES (:id, :user, :symbol, :side, :quantity, :type, :limit, :created, :state, '', 0, 0, '', :updated)"));
    insert.bindValue(QStringLiteral(":id"), idText(stored.clientOrderId));
    insert.bindValue(QStringLiteral(":user"), stored.userId);
    insert.bindValue(QStringLiteral(":symbol"), stored.symbol);
    insert.bindValue(QStringLiteral(":side"), orderSideName(stored.side));
    insert.bindValue(QStringLiteral(":quantity"), stored.quantity);
    insert.bindValue(QStringLiteral(":type"), orderTypeName(stored.type));
    insert.bindValue(QStringLiteral(":limit"),
                     stored.limitPrice ? QVariant(*stored.limitPrice) : QVariant(QMetaType::fromType<double>()));
    insert.bindValue(QStringLiteral(":created"), msecs(stored.createdAt));
    insert.bindValue(QStringLiteral(":state"), orderStateName(Order::State::Queued));
    insert.bindValue(QStringLiteral(":updated"), msecs(stored.updatedAt));
    if (!insert.exec()) {
        error = sqlErrorText(insert.lastError());
        insert.finish();
        rollback();
        return refuse(error);
    }
    stored.sequence = insert.lastInsertId().toLongLong();
    insert.finish();
    if (!commit(&error)) {
        rollback();
        return refuse(error);
    }
    // Only now, with the transaction synced to disk, is the order queued.
    setWritable(true, {});
    qCInfo(lcOrders).noquote() << "queued" << idText(stored.clientOrderId) << orderSideName(stored.side) << stored.quantity
                               << stored.symbol << "for" << stored.userId;
    result.status = EnqueueResult::Status::Queued;
    result.order = stored;
    Q_EMIT orderChanged(stored);
    refreshPendingCount();
    return result;
}

std::optional<Order> OrderQueue::loadOrder(const QUuid &clientOrderId, QString *error) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM orders WHERE client_order_id = :id"));
    q.bindValue(QStringLiteral(":id"), idText(clientOrderId));
    if (!q.exec()) {
        *error = sqlErrorText(q.lastError());
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return orderFromRow(q);
}

bool OrderQueue::writeOrder(const Order &order, QString *error)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral(
        // A cleared QString binds as NULL; the text columns hold '' for "nothing".
        "UPDATE orders SET state = :state, reason = COALESCE(:reason, ''), attempts = :attempts,"
        " ever_sent = :ever_sent, last_attempt_at = :last_attempt_at, last_error = COALESCE(:last_error, ''),"
        " server_id = :server_id,"
        " updated_at = :updated_at WHERE client_order_id = :id"));
    q.bindValue(QStringLiteral(":state"), orderStateName(order.state));
    q.bindValue(QStringLiteral(":reason"), order.reason);
    q.bindValue(QStringLiteral(":attempts"), order.attempts);
    q.bindValue(QStringLiteral(":ever_sent"), order.everSent ? 1 : 0);
    q.bindValue(QStringLiteral(":last_attempt_at"), msecs(order.lastAttemptAt));
    q.bindValue(QStringLiteral(":last_error"), order.lastError);
    q.bindValue(QStringLiteral(":server_id"), optionalText(order.serverId));
    q.bindValue(QStringLiteral(":updated_at"), msecs(order.updatedAt));
    q.bindValue(QStringLiteral(":id"), idText(order.clientOrderId));
    if (!q.exec()) {
        *error = sqlErrorText(q.lastError());
        return false;
    }
    if (q.numRowsAffected() != 1) {
        *error = QStringLiteral("order %1 vanished while being updated").arg(idText(order.clientOrderId));
        return false;
    }
    return true;
}

QueueResult OrderQueue::update(const QUuid &clientOrderId, const char *action, const Mutation &mutate)
{
    return updateMany({clientOrderId}, action, mutate);
}

QueueResult OrderQueue::updateMany(const QList<QUuid> &clientOrderIds, const char *action, const Mutation &mutate)
{
    if (!m_open)
        return QueueResult::failure(m_notWritableReason);
    QString error;
    if (!begin(&error)) {
        setWritable(false, QStringLiteral("the order queue cannot be written: ") + error);
        return QueueResult::failure(error);
    }
    QList<Order> changedOrders;
    for (const QUuid &id : clientOrderIds) {
        const std::optional<Order> current = loadOrder(id, &error);
        if (!current) {
            rollback();
            return QueueResult::failure(error.isEmpty() ? QStringLiteral("order %1 is not in the queue").arg(idText(id))
                                                        : error);
        }
        Order changed = *current;
        const QueueResult verdict = mutate(changed);
        if (!verdict) {
            rollback();
            qCDebug(lcOrders).noquote() << action << idText(id) << "refused:" << verdict.error;
            return verdict;
        }
        if (changed.state != current->state && !isTransitionAllowed(current->state, changed.state)) {
            rollback();
            const QString message = QStringLiteral("%1: order %2 cannot move from %3 to %4")
                                        .arg(QLatin1String(action), idText(id), orderStateName(current->state),
                                             orderStateName(changed.state));
            qCWarning(lcOrders).noquote() << "illegal transition refused:" << message;
            return QueueResult::failure(message);
        }
        // Nothing new (a server row repeated by a snapshot, a poll): no write, no sync to disk,
        // no announcement.
        if (changed == *current)
            continue;
        changed.updatedAt = now();
        if (!writeOrder(changed, &error)) {
            rollback();
            setWritable(false, QStringLiteral("the order queue cannot be written: ") + error);
            return QueueResult::failure(error);
        }
        if (changed.state != current->state) {
            qCDebug(lcOrders).noquote() << action << idText(id) << orderStateName(current->state) << "->"
                                        << orderStateName(changed.state) << changed.reason;
        }
        changedOrders.append(changed);
    }
    if (!commit(&error)) {
        rollback();
        setWritable(false, QStringLiteral("the order queue cannot be written: ") + error);
        return QueueResult::failure(error);
    }
    setWritable(true, {});
    for (const Order &order : std::as_const(changedOrders))
        Q_EMIT orderChanged(order);
    refreshPendingCount();
    return QueueResult::success();
}

QueueResult OrderQueue::markSending(const QList<QUuid> &clientOrderIds)
{
    const QDateTime stamp = now();
    return updateMany(clientOrderIds, "markSending", [stamp](Order &o) {
        o.state = Order::State::Sending;
        ++o.attempts;
        o.everSent = true; // from here on it may be at the exchange, whatever we hear back
        o.lastAttemptAt = stamp;
        return QueueResult::success();
    });
}

QueueResult OrderQueue::markAccepted(const QUuid &clientOrderId, const ServerOrder &row)
{
    return update(clientOrderId, "markAccepted", [&row](Order &o) {
        const auto target = row.status.isEmpty() ? std::optional(Order::State::Accepted) : stateFromServerStatus(row.status);
        if (!target)
            return QueueResult::failure(QStringLiteral("unknown server status \"%1\"").arg(row.status));
        if (o.isTerminal() && *target != o.state) {
            // The realtime echo can beat the reply to the insert: the later news stands.
            qCInfo(lcOrders).noquote() << "order" << idText(o.clientOrderId) << "is already" << orderStateName(o.state)
                                       << "- ignoring a late confirmation";
            return QueueResult::failure(QStringLiteral("the order is already %1").arg(orderStateName(o.state)));
        }
        if (!row.serverId.isEmpty())
            o.serverId = row.serverId;
        o.everSent = true;
        o.lastError.clear();
        // A cancel the trader asked for while the insert was in flight still has to be sent.
        if (!(o.state == Order::State::CancelRequested && *target == Order::State::Accepted))
            o.state = *target;
        if (*target == Order::State::Rejected)
            o.reason = row.rejectReason;
        return QueueResult::success();
    });
}

QueueResult OrderQueue::markRejected(const QUuid &clientOrderId, const QString &reason)
{
    return update(clientOrderId, "markRejected", [&reason](Order &o) {
        o.state = Order::State::Rejected;
        o.reason = reason;
        return QueueResult::success();
    });
}

QueueResult OrderQueue::markFailed(const QUuid &clientOrderId, const QString &reason)
{
    return update(clientOrderId, "markFailed", [&reason](Order &o) {
        o.state = Order::State::Failed;
        o.reason = reason;
        o.lastError = reason;
        return QueueResult::success();
    });
}

QueueResult OrderQueue::recordAttempt(const QUuid &clientOrderId, const QString &error)
{
    return update(clientOrderId, "recordAttempt", [&error](Order &o) {
        o.lastError = error;
        if (o.state == Order::State::Sending)
            o.state = Order::State::Queued;
        else if (o.state != Order::State::CancelRequested)
            return QueueResult::failure(QStringLiteral("no send in flight (order is %1)").arg(orderStateName(o.state)));
        return QueueResult::success();
    });
}

QueueResult OrderQueue::markCanceled(const QUuid &clientOrderId, const QString &reason)
{
    return update(clientOrderId, "markCanceled", [&reason](Order &o) {
        o.state = Order::State::Canceled;
        o.reason = reason;
        return QueueResult::success();
    });
}

QueueResult OrderQueue::markCancelRefused(const QUuid &clientOrderId, const QString &reason)
{
    return update(clientOrderId, "markCancelRefused", [&reason](Order &o) {
        if (o.state != Order::State::CancelRequested)
            return QueueResult::failure(QStringLiteral("no cancel pending (order is %1)").arg(orderStateName(o.state)));
        o.state = Order::State::Accepted;
        o.reason = QStringLiteral("cancel refused: ") + reason;
        return QueueResult::success();
    });
}

QueueResult OrderQueue::retry(const QUuid &clientOrderId)
{
    return update(clientOrderId, "retry", [](Order &o) {
        if (o.state != Order::State::Failed)
            return QueueResult::failure(QStringLiteral("only failed orders can be retried (order is %1)").arg(orderStateName(o.state)));
        o.state = Order::State::Queued;
        o.attempts = 0; // a fresh budget; everSent stays, the earlier sends may have arrived
        o.reason.clear();
        return QueueResult::success();
    });
}

QueueResult OrderQueue::cancel(const QUuid &clientOrderId)
{
    return update(clientOrderId, "cancel", [](Order &o) {
        switch (o.state) {
        case Order::State::Queued:
        case Order::State::Failed:
            if (!o.everSent) {
                o.state = Order::State::Canceled;
                o.reason = QStringLiteral("canceled before it was sent");
                return QueueResult::success();
            }
            [[fallthrough]]; // a send started once: only the exchange can say it is not there
        case Order::State::Sending:
        case Order::State::Accepted:
            o.state = Order::State::CancelRequested;
            return QueueResult::success();
        case Order::State::CancelRequested:
            return QueueResult::success();
        case Order::State::Filled:
        case Order::State::Canceled:
        case Order::State::Rejected:
            break;
        }
        return QueueResult::failure(QStringLiteral("the order is already %1").arg(orderStateName(o.state)));
    });
}

QueueResult OrderQueue::applyServerUpdate(const QUuid &clientOrderId, const QString &status, const QString &reason,
                                          const QString &serverId)
{
    const auto target = stateFromServerStatus(status);
    if (!target) {
        qCWarning(lcOrders).noquote() << "ignoring unknown server status" << status << "for" << idText(clientOrderId);
        return QueueResult::failure(QStringLiteral("unknown server status \"%1\"").arg(status));
    }
    if (m_open) {
        QString error;
        if (!loadOrder(clientOrderId, &error) && error.isEmpty()) // placed elsewhere: not ours to track
            return QueueResult::failure(QStringLiteral("order %1 is not in this queue").arg(idText(clientOrderId)));
    }
    return update(clientOrderId, "applyServerUpdate", [&](Order &o) {
        if (o.isTerminal()) {
            if (o.state == *target)
                return QueueResult::success();
            // Realtime may deliver an older event after a newer one; the terminal state stands.
            return QueueResult::failure(
                QStringLiteral("order is already %1; ignoring \"%2\"").arg(orderStateName(o.state), status));
        }
        if (!serverId.isEmpty())
            o.serverId = serverId;
        o.everSent = true;
        // A working-order echo must not undo the trader's pending cancel.
        if (!(o.state == Order::State::CancelRequested && *target == Order::State::Accepted))
            o.state = *target;
        if (!reason.isEmpty())
            o.reason = reason;
        return QueueResult::success();
    });
}

int OrderQueue::recoverAfterCrash()
{
    const QList<Order> stranded = ordersInState(Order::State::Sending);
    if (stranded.isEmpty())
        return 0;
    QList<QUuid> ids;
    for (const Order &order : stranded)
        ids.append(order.clientOrderId);
    const QueueResult result = updateMany(ids, "recoverAfterCrash", [](Order &o) {
        o.state = Order::State::Queued;
        o.lastError = QStringLiteral("the app stopped while this order was being sent");
        return QueueResult::success();
    });
    if (!result) {
        qCWarning(lcOrders).noquote() << "could not requeue" << ids.size() << "orders left in sending:" << result.error;
        return 0;
    }
    qCInfo(lcOrders) << "requeued" << ids.size() << "orders that were being sent when the app stopped";
    return int(ids.size());
}

QList<Order> OrderQueue::query(const QString &sql, const QList<QPair<QString, QVariant>> &bindings) const
{
    QList<Order> result;
    if (!m_open)
        return result;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const auto &[name, value] : bindings)
        q.bindValue(name, value);
    if (!q.exec()) {
        qCWarning(lcOrders).noquote() << "cannot read the order queue:" << sqlErrorText(q.lastError());
        return result;
    }
    while (q.next())
        result.append(orderFromRow(q));
    return result;
}

QList<Order> OrderQueue::nextBatch(const QString &userId, int maxCount) const
{
    if (maxCount <= 0)
        return {};
    const QString state = orderStateName(Order::State::Queued);
    if (userId.isEmpty()) {
        return query(QStringLiteral("SELECT ") + kColumns
                         + QStringLiteral(" FROM orders WHERE state = :state ORDER BY seq LIMIT :limit"),
                     {{QStringLiteral(":state"), state}, {QStringLiteral(":limit"), maxCount}});
    }
    return query(QStringLiteral("SELECT ") + kColumns
                     + QStringLiteral(" FROM orders WHERE user_id = :user AND state = :state ORDER BY seq LIMIT :limit"),
                 {{QStringLiteral(":user"), userId}, {QStringLiteral(":state"), state}, {QStringLiteral(":limit"), maxCount}});
}

std::optional<Order> OrderQueue::order(const QUuid &clientOrderId) const
{
    if (!m_open)
        return std::nullopt;
    QString error;
    return loadOrder(clientOrderId, &error);
}

QList<Order> OrderQueue::orders(const QString &userId) const
{
    if (userId.isEmpty())
        return query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM orders ORDER BY seq"), {});
    return query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM orders WHERE user_id = :user ORDER BY seq"),
                 {{QStringLiteral(":user"), userId}});
}

QList<Order> OrderQueue::ordersInState(Order::State state, const QString &userId) const
{
    if (userId.isEmpty()) {
        return query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM orders WHERE state = :state ORDER BY seq"),
                     {{QStringLiteral(":state"), orderStateName(state)}});
    }
    return query(QStringLiteral("SELECT ") + kColumns
                     + QStringLiteral(" FROM orders WHERE user_id = :user AND state = :state ORDER BY seq"),
                 {{QStringLiteral(":user"), userId}, {QStringLiteral(":state"), orderStateName(state)}});
}

int OrderQueue::pendingCount() const
{
    if (!m_open)
        return 0;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT count(*) FROM orders WHERE state NOT IN (:filled, :canceled, :rejected)"));
    q.bindValue(QStringLiteral(":filled"), orderStateName(Order::State::Filled));
    q.bindValue(QStringLiteral(":canceled"), orderStateName(Order::State::Canceled));
    q.bindValue(QStringLiteral(":rejected"), orderStateName(Order::State::Rejected));
    if (!q.exec() || !q.next()) {
        qCWarning(lcOrders).noquote() << "cannot count pending orders:" << sqlErrorText(q.lastError());
        return 0;
    }
    return q.value(0).toInt();
}

int OrderQueue::countInStates(const QList<Order::State> &states, const QString &userId) const
{
    if (!m_open || states.isEmpty())
        return 0;
    QStringList placeholders;
    for (qsizetype i = 0; i < states.size(); ++i)
        placeholders << QStringLiteral(":s%1").arg(i);
    QString sql = QStringLiteral("SELECT count(*) FROM orders WHERE state IN (%1)").arg(placeholders.join(u','));
    if (!userId.isEmpty())
        sql += QStringLiteral(" AND user_id = :user");
    QSqlQuery q(database());
    q.prepare(sql);
    for (qsizetype i = 0; i < states.size(); ++i)
        q.bindValue(placeholders.at(i), orderStateName(states.at(i)));
    if (!userId.isEmpty())
        q.bindValue(QStringLiteral(":user"), userId);
    if (!q.exec() || !q.next()) {
        qCWarning(lcOrders).noquote() << "cannot count orders:" << sqlErrorText(q.lastError());
        return 0;
    }
    return q.value(0).toInt();
}

void OrderQueue::refreshPendingCount()
{
    const int count = pendingCount();
    if (count == m_pendingCount)
        return;
    m_pendingCount = count;
    Q_EMIT pendingCountChanged(count);
}

int OrderQueue::prune(std::chrono::milliseconds olderThan)
{
    if (!m_open)
        return 0;
    const QDateTime cutoff = now().addMSecs(-olderThan.count());
    QSqlQuery q(database());
    q.prepare(QStringLiteral(
        "DELETE FROM orders WHERE state IN (:filled, :canceled, :rejected) AND updated_at < :cutoff"));
    q.bindValue(QStringLiteral(":filled"), orderStateName(Order::State::Filled));
    q.bindValue(QStringLiteral(":canceled"), orderStateName(Order::State::Canceled));
    q.bindValue(QStringLiteral(":rejected"), orderStateName(Order::State::Rejected));
    q.bindValue(QStringLiteral(":cutoff"), msecs(cutoff));
    if (!q.exec()) {
        qCWarning(lcOrders).noquote() << "cannot prune the order history:" << sqlErrorText(q.lastError());
        return 0;
    }
    const int count = q.numRowsAffected();
    if (count > 0)
        Q_EMIT ordersPruned(count);
    return count;
}

} // namespace tf
