// tf_orderdesk_crash_helper: the real OrderDesk (queue + sender + PostgREST transport) as a tiny
// trading desk for tst_orderdesk_crash to SIGKILL at random points, against the simulator that
// the test runs and that outlives every kill.
//
//   tf_orderdesk_crash_helper --url URL --key KEY --token JWT --user SUB --queue FILE --seed N
//                             --from I --count C [--drain]
//
// Opens the desk (orders caught in `sending` by the last kill are sent again), submits orders
// I … I+C-1 (market buys; client order ids derived from the seed, so a restart re-submits the
// same ids, which the queue answers as "already placed"), and sends them in batches of 4. Exits 0
// once everything is submitted and nothing is queued or sending. With --drain it also looks the
// working orders up until every order in the queue has a final state. One line per event on
// stdout, flushed at once:
//   open                        the desk is up
//   problem <message>           the queue file had to be set aside (must never happen after a kill)
//   queued <index> <uuid>       submit() returned: the order is on disk
//   refused <index> <message>   submit() refused the order (a bug)
//   failed <uuid>               an order ran out of attempts (a bug here: the simulator is up)
//   done
#include "orderdesk.h"
#include "orderqueue.h"
#include "postgrestclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

namespace {

void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

QUuid orderId(quint32 seed, int index)
{
    static const QUuid ns(QStringLiteral("3d1f5c3a-94a6-4f0e-8a5e-5b7f2a0c9d21"));
    return QUuid::createUuidV5(ns, QStringLiteral("%1:%2").arg(seed).arg(index));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("project"), QStringLiteral("url"));
    const QCommandLineOption key(QStringLiteral("key"), QStringLiteral("anon key"), QStringLiteral("key"));
    const QCommandLineOption token(QStringLiteral("token"), QStringLiteral("access token"), QStringLiteral("jwt"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("user id"), QStringLiteral("sub"));
    const QCommandLineOption queue(QStringLiteral("queue"), QStringLiteral("queue file"), QStringLiteral("file"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("id seed"), QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("first index"), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("orders"), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption drain(QStringLiteral("drain"), QStringLiteral("wait until every order is final"));
    parser.addOptions({url, key, token, user, queue, seed, from, count, drain});
    parser.process(app);

    tf::PostgrestClient rest(QUrl(parser.value(url)), parser.value(key));
    rest.setAccessToken(parser.value(token));
    tf::OrderDeskOptions options;
    options.queueFile = parser.value(queue);
    options.sender.batchSize = 4;
    options.sender.backoff.base = std::chrono::milliseconds(20);
    options.sender.backoff.cap = std::chrono::milliseconds(200);
    tf::OrderDesk desk(options, &rest, nullptr);
    QObject::connect(&desk, &tf::OrderDesk::queueProblem, [](const QString &message) {
        say(QStringLiteral("problem ") + message);
        QCoreApplication::exit(2);
    });
    QObject::connect(&desk, &tf::OrderDesk::orderChanged, [](const tf::Order &order) {
        if (order.state == tf::Order::State::Failed)
            say(QStringLiteral("failed ") + order.clientOrderId.toString(QUuid::WithoutBraces));
    });
    if (!desk.queue()->isOpen()) {
        say(QStringLiteral("problem ") + desk.refusalReason());
        return 2;
    }
    desk.setUserId(parser.value(user));
    desk.setOnline(true);
    say(QStringLiteral("open"));

    const quint32 idSeed = parser.value(seed).toUInt();
    const bool draining = parser.isSet(drain);
    static const QStringList symbols{QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("NVDA")};
    int next = parser.value(from).toInt();
    const int end = next + parser.value(count).toInt();

    QTimer ticker; // one submit per event-loop pass, so sends interleave with submits
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        if (next < end) {
            QJsonObject ticket{{QStringLiteral("symbol"), symbols.at(next % symbols.size())},
                               {QStringLiteral("side"), QStringLiteral("buy")},
                               {QStringLiteral("qty"), 1 + next % 3},
                               {QStringLiteral("client_order_id"), orderId(idSeed, next).toString(QUuid::WithoutBraces)}};
            const tf::OrderDesk::SubmitResult result = desk.submit(ticket);
            if (result.outcome == tf::OrderDesk::Outcome::Refused) {
                say(QStringLiteral("refused %1 %2").arg(next).arg(result.message));
                QCoreApplication::exit(3);
                return;
            }
            say(QStringLiteral("queued %1 %2").arg(next).arg(result.clientOrderId));
            ++next;
            return;
        }
        ticker.setInterval(20); // from here on it only checks: no need to spin
        const QString me = desk.userId();
        using S = tf::Order::State;
        const bool sent = desk.sender()->status() == tf::OrderSender::Status::Idle
            && desk.queue()->countInStates({S::Queued, S::Sending}, me) == 0;
        if (!sent)
            return;
        if (draining && desk.queue()->countInStates({S::Accepted, S::CancelRequested, S::Failed}, me) > 0) {
            desk.refreshOpenOrders(); // fills happened at the exchange; learn them
            return;
        }
        ticker.stop();
        say(QStringLiteral("done"));
        QCoreApplication::quit();
    });
    ticker.start(0);
    return app.exec();
}
