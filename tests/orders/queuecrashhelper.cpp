// queue_crash_helper: a tiny trading desk for tst_queuecrash to SIGKILL at random points.
//
//   tf_queue_crash_helper --queue FILE --exchange FILE --seed N --from I --count C [--hold-replies]
//
// Opens the order queue, enqueues orders I … I+C-1 (ids derived from the seed, so a restart
// re-enqueues the same ids) and sends them with the real OrderSender to an "exchange": a second
// SQLite file whose orders table has client_order_id as its primary key, written durably before
// the reply is delivered (asynchronously, as a network reply would be). Exits 0 once everything
// is enqueued and nothing is queued or sending. One line per event on stdout, flushed at once:
//   open <recovered>            the queue is open (<recovered> orders were caught sending)
//   quarantined <path>          the queue file was unreadable (must never happen after a kill)
//   queued <index> <uuid>       enqueue() returned: the order is on disk
//   exchange-committed <n>      the exchange stored a batch; its reply is not delivered yet
//   accepted <uuid>             the reply arrived and the queue recorded it
//   stuck <n> …                 the sender is idle but orders are left in sending (a bug)
//   done
// With --hold-replies the helper waits for a line on stdin before delivering each reply, so
// the test can kill it exactly between the exchange's commit and the reply (a lost reply).
#include "orderqueue.h"
#include "ordersender.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <cstdio>
#include <iostream>
#include <string>

namespace {

void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

QUuid orderId(quint32 seed, int index)
{
    static const QUuid ns(QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10"));
    return QUuid::createUuidV5(ns, QStringLiteral("%1:%2").arg(seed).arg(index));
}

// The exchange: durable, idempotent on client_order_id, counting how often each order arrived.
class SqliteExchange : public tf::OrderTransport
{
public:
    SqliteExchange(const QString &path, bool holdReplies)
        : m_holdReplies(holdReplies)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("exchange"));
        db.setDatabaseName(path);
        m_ok = db.open() && exec(QStringLiteral("PRAGMA journal_mode = WAL")) && exec(QStringLiteral("PRAGMA synchronous = FULL"))
            && exec(QStringLiteral("CREATE TABLE IF NOT EXISTS exchange_orders (client_order_id TEXT PRIMARY KEY,"
                                   " server_id INTEGER NOT NULL, received INTEGER NOT NULL)"));
    }
    bool isOk() const { return m_ok; }

    void insertOrders(const QList<tf::Order> &orders, std::function<void(tf::InsertResult)> done) override
    {
        tf::InsertResult result;
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("exchange"));
        exec(QStringLiteral("BEGIN IMMEDIATE"));
        for (const tf::Order &order : orders) {
            QSqlQuery insert(db);
            insert.prepare(QStringLiteral(
                "INSERT INTO exchange_orders (client_order_id, server_id, received)"
                " VALUES (:id, (SELECT coalesce(max(server_id), 0) + 1 FROM exchange_orders), 1)"
                " ON CONFLICT (client_order_id) DO UPDATE SET received = received + 1"));
            insert.bindValue(QStringLiteral(":id"), order.clientOrderId.toString(QUuid::WithoutBraces));
            if (!insert.exec()) {
                exec(QStringLiteral("ROLLBACK"));
                result.error = tf::ClientError{tf::ErrorClass::Server, insert.lastError().text(), 500, {}};
                return deliver(std::move(done), result);
            }
            QSqlQuery select(db);
            select.prepare(QStringLiteral("SELECT server_id FROM exchange_orders WHERE client_order_id = :id"));
            select.bindValue(QStringLiteral(":id"), order.clientOrderId.toString(QUuid::WithoutBraces));
            if (select.exec() && select.next()) {
                result.confirmed.append(tf::ServerOrder{order.clientOrderId, select.value(0).toString(),
                                                        QStringLiteral("working"), {}, {}, {}});
            }
        }
        exec(QStringLiteral("COMMIT"));
        say(QStringLiteral("exchange-committed %1").arg(orders.size()));
        deliver(std::move(done), result);
    }

    void fetchOrders(const QList<QUuid> &, std::function<void(tf::FetchResult)> done) override
    {
        done(tf::FetchResult{tf::ClientError{tf::ErrorClass::Validation, QStringLiteral("not supported"), 400, {}}, {}});
    }

    void requestCancel(const tf::Order &, std::function<void(tf::CancelResult)> done) override
    {
        done(tf::CancelResult{tf::ClientError{tf::ErrorClass::Validation, QStringLiteral("not supported"), 400, {}}, {}});
    }

private:
    bool exec(const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(QStringLiteral("exchange")));
        return query.exec(sql);
    }

    // Replies arrive later, like network replies: a kill in between loses the reply only.
    void deliver(std::function<void(tf::InsertResult)> done, tf::InsertResult result)
    {
        QTimer::singleShot(0, [this, done = std::move(done), result] {
            if (m_holdReplies) {
                std::string go;
                std::getline(std::cin, go); // the test decides: continue, or kill us now
            }
            done(result);
        });
    }

    bool m_ok = false;
    bool m_holdReplies = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption queueOption(QStringLiteral("queue"), QStringLiteral("queue file"), QStringLiteral("file"));
    const QCommandLineOption exchangeOption(QStringLiteral("exchange"), QStringLiteral("exchange file"), QStringLiteral("file"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("id seed"), QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption fromOption(QStringLiteral("from"), QStringLiteral("first index"), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("orders"), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption holdOption(QStringLiteral("hold-replies"), QStringLiteral("wait for stdin before each reply"));
    parser.addOptions({queueOption, exchangeOption, seedOption, fromOption, countOption, holdOption});
    parser.process(app);

    tf::OrderQueue queue(parser.value(queueOption));
    QObject::connect(&queue, &tf::OrderQueue::fileQuarantined, [](const QString &path, const QString &) {
        say(QStringLiteral("quarantined ") + path);
    });
    const tf::OpenResult opened = queue.open();
    if (!opened.ok) {
        say(QStringLiteral("error ") + opened.error);
        return 2;
    }
    say(QStringLiteral("open %1").arg(opened.recoveredOrders));

    SqliteExchange exchange(parser.value(exchangeOption), parser.isSet(holdOption));
    if (!exchange.isOk()) {
        say(QStringLiteral("error exchange"));
        return 2;
    }
    tf::OrderSenderOptions options;
    options.batchSize = 4;
    tf::OrderSender sender(&queue, &exchange, options);
    QObject::connect(&queue, &tf::OrderQueue::orderChanged, [](const tf::Order &order) {
        if (order.state == tf::Order::State::Accepted)
            say(QStringLiteral("accepted ") + order.clientOrderId.toString(QUuid::WithoutBraces));
    });

    const quint32 seed = parser.value(seedOption).toUInt();
    int next = parser.value(fromOption).toInt();
    const int end = next + parser.value(countOption).toInt();
    // Done when the sender has nothing left to do; orders still marked sending then would be
    // stranded (a recovery bug), which is reported instead of waiting forever.
    const auto finishWhenDelivered = [&] {
        if (next < end || sender.status() != tf::OrderSender::Status::Idle)
            return;
        const qsizetype stranded = queue.ordersInState(tf::Order::State::Sending).size();
        if (stranded > 0) {
            say(QStringLiteral("stuck %1 orders left in sending").arg(stranded));
            QCoreApplication::exit(4);
            return;
        }
        say(QStringLiteral("done"));
        QCoreApplication::quit();
    };
    QObject::connect(&sender, &tf::OrderSender::statusChanged, &app, finishWhenDelivered);
    QTimer ticker; // one enqueue per event-loop pass, so sends interleave with enqueues
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        if (next < end) {
            tf::Order order = tf::Order::create(QStringLiteral("desk"), QStringLiteral("SYM%1").arg(next),
                                                tf::Order::Side::Buy, 1 + next % 5);
            order.clientOrderId = orderId(seed, next);
            const tf::EnqueueResult result = queue.enqueue(order);
            if (result.status == tf::EnqueueResult::Status::Queued || result.status == tf::EnqueueResult::Status::Duplicate) {
                say(QStringLiteral("queued %1 %2").arg(next).arg(order.clientOrderId.toString(QUuid::WithoutBraces)));
                ++next;
            } else {
                say(QStringLiteral("refused %1 %2").arg(next).arg(result.reason));
                QCoreApplication::exit(3);
            }
            return;
        }
        ticker.stop();
        finishWhenDelivered();
    });
    ticker.start(0);
    sender.setUserId(QStringLiteral("desk"));
    sender.setOnline(true);
    return app.exec();
}
