// The order desk without a server: the ticket checks, refusals that save nothing (bad ticket,
// signed out, a queue that cannot be written, and its recovery), a queue file moved aside and
// reported, the idempotency key reused, the blotter rows (local rows, switching traders, a model
// reset), toasts once per change and none replayed after a restart, failed orders and Retry,
// and server rows applied to the queue and the blotter. The model is under
// QAbstractItemModelTester throughout.
#include "orderdesk.h"
#include "ordermodel.h"
#include "orderqueue.h"
#include "orderwords.h"
#include "postgrestclient.h"
#include "queuetestutil.h"
#include "ticketreader.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace std::chrono_literals;
using tf::Order;
using tf::OrderDesk;
using tf::OrderModel;
using S = tf::Order::State;
using Outcome = tf::OrderDesk::Outcome;

namespace {

const QString kAlice = QStringLiteral("0b8a6f9e-1111-4c55-9a77-0d8a9a2f1b10");
const QString kBob = QStringLiteral("0b8a6f9e-2222-4c55-9a77-0d8a9a2f1b10");

QJsonObject ticket(const QString &symbol = QStringLiteral("ACME"), double qty = 1)
{
    return {{QStringLiteral("symbol"), symbol}, {QStringLiteral("side"), QStringLiteral("buy")}, {QStringLiteral("qty"), qty}};
}

// A URL where nothing listens: every request fails with "connection refused".
QUrl deadUrl()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    QUrl url(QStringLiteral("http://127.0.0.1"));
    url.setPort(probe.serverPort());
    return url;
}

} // namespace

class TestOrderDesk : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<tf::PostgrestClient> m_rest;
    std::unique_ptr<OrderModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QString queuePath() const { return m_dir->filePath(QStringLiteral("orders.sqlite")); }

    tf::OrderDeskOptions options(const QString &file = {}) const
    {
        tf::OrderDeskOptions o;
        o.queueFile = file.isEmpty() ? queuePath() : file;
        o.recheckInterval = 50ms;
        o.sender.maxAttempts = 2;
        o.sender.backoff.base = 10ms;
        o.sender.backoff.cap = 20ms;
        return o;
    }

    std::unique_ptr<OrderDesk> makeDesk(const QString &user = kAlice, const QString &file = {})
    {
        auto desk = std::make_unique<OrderDesk>(options(file), m_rest.get(), m_model.get());
        desk->setUserId(user);
        return desk;
    }

    OrderModel::State modelState(const QString &id)
    {
        m_model->flush();
        return m_model->stateOf(id);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_rest = std::make_unique<tf::PostgrestClient>(deadUrl(), QStringLiteral("anon-key"));
        m_model = std::make_unique<OrderModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::Fatal);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_rest.reset();
        QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        m_dir.reset();
    }

    void ticketsAreReadStrictly_data()
    {
        QTest::addColumn<QJsonObject>("ticket");
        QTest::addColumn<QString>("field"); // empty: valid
        const auto with = [](const QString &key, const QJsonValue &value) {
            QJsonObject t = ticket();
            t.insert(key, value);
            return t;
        };
        const auto without = [](const QString &key) {
            QJsonObject t = ticket();
            t.remove(key);
            return t;
        };
        QTest::newRow("market") << ticket() << QString();
        QTest::newRow("numeric strings") << with(QStringLiteral("qty"), QStringLiteral(" 2.5 ")) << QString();
        QTest::newRow("limit") << QJsonObject{{QStringLiteral("symbol"), QStringLiteral("acme")},
                                              {QStringLiteral("side"), QStringLiteral("SELL")},
                                              {QStringLiteral("qty"), 3},
                                              {QStringLiteral("type"), QStringLiteral("limit")},
                                              {QStringLiteral("limit_price"), QStringLiteral("101.5")}}
                               << QString();
        QTest::newRow("older limitPrice key") << QJsonObject{{QStringLiteral("symbol"), QStringLiteral("ACME")},
                                                             {QStringLiteral("side"), QStringLiteral("buy")},
                                                             {QStringLiteral("qty"), 3},
                                                             {QStringLiteral("type"), QStringLiteral("limit")},
                                                             {QStringLiteral("limitPrice"), 99}}
                                              << QString();
        QTest::newRow("given client_order_id") << with(QStringLiteral("client_order_id"), QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10")) << QString();
        QTest::newRow("no symbol") << without(QStringLiteral("symbol")) << QStringLiteral("symbol");
        QTest::newRow("blank symbol") << with(QStringLiteral("symbol"), QStringLiteral("  ")) << QStringLiteral("symbol");
        QTest::newRow("symbol not text") << with(QStringLiteral("symbol"), 42) << QStringLiteral("symbol");
        QTest::newRow("side hold") << with(QStringLiteral("side"), QStringLiteral("hold")) << QStringLiteral("side");
        QTest::newRow("no qty") << without(QStringLiteral("qty")) << QStringLiteral("qty");
        QTest::newRow("qty zero") << with(QStringLiteral("qty"), 0) << QStringLiteral("qty");
        QTest::newRow("qty negative") << with(QStringLiteral("qty"), -3) << QStringLiteral("qty");
        QTest::newRow("qty lots") << with(QStringLiteral("qty"), QStringLiteral("lots")) << QStringLiteral("qty");
        QTest::newRow("qty infinite") << with(QStringLiteral("qty"), QStringLiteral("inf")) << QStringLiteral("qty");
        QTest::newRow("type stop") << with(QStringLiteral("type"), QStringLiteral("stop")) << QStringLiteral("type");
        QTest::newRow("limit without price") << with(QStringLiteral("type"), QStringLiteral("limit")) << QStringLiteral("limit_price");
        QTest::newRow("market with price") << with(QStringLiteral("limit_price"), 10) << QStringLiteral("limit_price");
        QJsonObject negative = with(QStringLiteral("type"), QStringLiteral("limit"));
        negative.insert(QStringLiteral("limit_price"), -1);
        QTest::newRow("negative limit") << negative << QStringLiteral("limit_price");
        QTest::newRow("bad client_order_id") << with(QStringLiteral("client_order_id"), QStringLiteral("order-1")) << QStringLiteral("client_order_id");
    }

    void ticketsAreReadStrictly()
    {
        QFETCH(QJsonObject, ticket);
        QFETCH(QString, field);
        const tf::TicketRead read = tf::readTicket(ticket, kAlice);
        if (field.isEmpty()) {
            QVERIFY2(read.order, qPrintable(read.error));
            QVERIFY(read.order->validate().isValid());
            QCOMPARE(read.order->userId, kAlice);
            QCOMPARE(read.order->symbol, ticket.value(QStringLiteral("symbol")).toString().toUpper());
            QVERIFY(!read.order->clientOrderId.isNull());
        } else {
            QVERIFY(!read.order);
            QCOMPARE(read.field, field);
            QVERIFY(!read.error.isEmpty());
        }
        QVERIFY(!tf::readTicket(ticket, QString()).order); // nobody signed in
    }

    void stateWordsForTheTrader()
    {
        Order order = Order::create(kAlice, QStringLiteral("ACME"), Order::Side::Sell, 5, Order::Type::Limit, 101.5);
        QCOMPARE(tf::orderLabel(order), QStringLiteral("Sell 5 ACME limit 101.5"));
        QCOMPARE(tf::orderStateText(order), QStringLiteral("queued — will send when online"));
        order.attempts = 2;
        order.lastError = QStringLiteral("network: Connection refused");
        QCOMPARE(tf::orderStateText(order), QStringLiteral("queued — retrying (network: Connection refused)"));
        order.state = S::Sending;
        QCOMPARE(tf::orderStateText(order), QStringLiteral("sending…"));
        order.state = S::Accepted;
        QCOMPARE(tf::orderStateText(order), QStringLiteral("working"));
        order.state = S::CancelRequested;
        QCOMPARE(tf::orderStateText(order), QStringLiteral("cancel pending"));
        order.state = S::Filled;
        QCOMPARE(tf::orderStateText(order), QStringLiteral("filled"));
        order.state = S::Rejected;
        order.reason = QStringLiteral("unknown symbol: ACME");
        QCOMPARE(tf::orderStateText(order), QStringLiteral("rejected: unknown symbol: ACME"));
        order.state = S::Failed;
        order.reason = QStringLiteral("not sent after 8 attempts: network");
        QCOMPARE(tf::orderStateText(order), QStringLiteral("failed: not sent after 8 attempts: network"));
        order.state = S::Canceled;
        order.reason = QStringLiteral("canceled before it was sent");
        QCOMPARE(tf::orderStateText(order), QStringLiteral("canceled: canceled before it was sent"));
    }

    void aBadTicketIsRefusedAndNothingIsSaved()
    {
        auto desk = makeDesk();
        QJsonObject bad = ticket();
        bad.insert(QStringLiteral("qty"), QStringLiteral("lots"));
        const OrderDesk::SubmitResult result = desk->submit(bad);
        QCOMPARE(result.outcome, Outcome::Refused);
        QCOMPARE(result.field, QStringLiteral("qty"));
        QVERIFY(!result.message.isEmpty());
        QVERIFY(desk->queue()->orders().isEmpty());
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(desk->pendingCount(), 0);
    }

    void signedOutRefusesWithTheReason()
    {
        auto desk = makeDesk(QString());
        QVERIFY(!desk->canSubmit());
        QCOMPARE(desk->refusalReason(), QStringLiteral("Sign in to place orders."));
        QCOMPARE(desk->submit(ticket()).outcome, Outcome::Refused);
        QVERIFY(desk->queue()->orders().isEmpty());
        QSignalSpy changed(desk.get(), &OrderDesk::canSubmitChanged);
        desk->setUserId(kAlice);
        QVERIFY(desk->canSubmit());
        QVERIFY(desk->refusalReason().isEmpty());
        QCOMPARE(changed.count(), 1);
    }

    void offlineOrdersAreQueuedAndShownAtOnce()
    {
        auto desk = makeDesk();
        QSignalSpy events(desk.get(), &OrderDesk::orderEvent);
        QSignalSpy pending(desk.get(), &OrderDesk::pendingCountChanged);
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            const OrderDesk::SubmitResult result = desk->submit(ticket(QStringLiteral("ACME"), i + 1));
            QCOMPARE(result.outcome, Outcome::Queued);
            QCOMPARE(result.message, QStringLiteral("queued — will send when online"));
            ids << result.clientOrderId;
        }
        QCOMPARE(desk->pendingCount(), 3);
        QCOMPARE(pending.last().first().toInt(), 3);
        QCOMPARE(events.count(), 3);
        QCOMPARE(events.at(0).at(1).toString(), QStringLiteral("queued"));
        QCOMPARE(events.at(0).at(2).toString(), QStringLiteral("Buy 1 ACME: queued — will send when online"));
        for (const QString &id : ids) {
            QCOMPARE(modelState(id), OrderModel::Queued);
            QVERIFY(m_model->valueForKey(id, OrderModel::PendingRole).toBool());
            QCOMPARE(m_model->valueForKey(id, OrderModel::SymbolRole).toString(), QStringLiteral("ACME"));
        }
        QCOMPARE(m_model->valueForKey(ids[2], OrderModel::QtyRole).toDouble(), 3.0);

        // Canceling one that never left: canceled here, still shown, no longer pending.
        QVERIFY(desk->cancel(ids[1]));
        QCOMPARE(desk->order(ids[1])->state, S::Canceled);
        QCOMPARE(modelState(ids[1]), OrderModel::Canceled);
        QCOMPARE(m_model->valueForKey(ids[1], OrderModel::ReasonRole).toString(), QStringLiteral("canceled before it was sent"));
        QCOMPARE(desk->pendingCount(), 2);
        QCOMPARE(events.last().at(1).toString(), QStringLiteral("canceled"));
        QVERIFY(!desk->retry(ids[0])); // only failed orders can be retried
        QVERIFY(!desk->cancel(QStringLiteral("not-an-id")));
    }

    // The idempotency key reused: the same order is not saved twice and its fate is reported;
    // another order under the same key is refused.
    void aReusedClientOrderIdIsHarmless()
    {
        auto desk = makeDesk();
        QJsonObject t = ticket();
        t.insert(QStringLiteral("client_order_id"), QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10"));
        const OrderDesk::SubmitResult first = desk->submit(t);
        QCOMPARE(first.outcome, Outcome::Queued);
        QCOMPARE(first.clientOrderId, QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10"));
        const OrderDesk::SubmitResult again = desk->submit(t);
        QCOMPARE(again.outcome, Outcome::Queued);
        QCOMPARE(again.clientOrderId, first.clientOrderId);
        QVERIFY2(again.message.startsWith(QStringLiteral("already placed")), qPrintable(again.message));
        QCOMPARE(desk->queue()->orders().size(), 1);

        t.insert(QStringLiteral("qty"), 7);
        const OrderDesk::SubmitResult other = desk->submit(t);
        QCOMPARE(other.outcome, Outcome::Refused);
        QCOMPARE(other.field, QStringLiteral("client_order_id"));
        QCOMPARE(desk->queue()->orders().size(), 1);
        QCOMPARE(desk->queue()->orders().first().quantity, 1.0);
    }

    void anUnreadableQueueIsSetAsideAndReported()
    {
        {
            QFile file(queuePath());
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(4096, 'x'));
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("was unreadable")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("could not be read and was set aside")));
        OrderDesk desk(options(), m_rest.get(), m_model.get());
        QSignalSpy problems(&desk, &OrderDesk::queueProblem); // connected after construction, as the app does
        QVERIFY(problems.wait(5000));
        const QString message = problems.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("set aside")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral(".corrupt-")), qPrintable(message));
        QCOMPARE(desk.lastQueueProblem(), message);
        QCOMPARE(QDir(m_dir->path()).entryList({QStringLiteral("orders.sqlite.corrupt-*")}).size(), 1);
        // A fresh queue took its place: orders are taken.
        desk.setUserId(kAlice);
        QVERIFY(desk.canSubmit());
        QCOMPARE(desk.submit(ticket()).outcome, Outcome::Queued);
    }

    // A location that cannot hold the queue (here a folder path through a regular file, which
    // fails for root too): the ticket is disabled with the reason and nothing is accepted; once
    // the location works, the ticket comes back by itself.
    void anUnwritableQueueRefusesOrdersUntilItRecovers()
    {
        const QString blocker = m_dir->filePath(QStringLiteral("blocker"));
        {
            QFile file(blocker);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        const QString file = blocker + QStringLiteral("/orders.sqlite");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not writable")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot be used")));
        auto desk = makeDesk(kAlice, file);
        QVERIFY(!desk->canSubmit());
        QVERIFY2(desk->refusalReason().startsWith(QStringLiteral("Order entry is disabled: ")), qPrintable(desk->refusalReason()));
        QVERIFY2(desk->refusalReason().contains(blocker), qPrintable(desk->refusalReason()));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the order queue")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("order refused")));
        const OrderDesk::SubmitResult refused = desk->submit(ticket());
        QCOMPARE(refused.outcome, Outcome::Refused);
        QVERIFY2(refused.message.contains(blocker), qPrintable(refused.message));
        QCOMPARE(desk->pendingCount(), 0);
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 0);

        QSignalSpy changed(desk.get(), &OrderDesk::canSubmitChanged);
        QVERIFY(QFile::remove(blocker));
        QTRY_VERIFY_WITH_TIMEOUT(desk->canSubmit(), 10000);
        QVERIFY(changed.count() >= 1);
        QVERIFY(desk->refusalReason().isEmpty());
        QCOMPARE(desk->submit(ticket()).outcome, Outcome::Queued);
        QVERIFY(QFileInfo::exists(file));
    }

    // Orders that cannot be delivered fail after their attempts; the trader retries them.
    void failedOrdersAreShownAndCanBeRetried()
    {
        auto desk = makeDesk();
        QSignalSpy events(desk.get(), &OrderDesk::orderEvent);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed:.*not sent after 2 attempts")));
        desk->setOnline(true);
        const OrderDesk::SubmitResult result = desk->submit(ticket());
        QCOMPARE(result.outcome, Outcome::Sent);
        QTRY_COMPARE_WITH_TIMEOUT(desk->order(result.clientOrderId)->state, S::Failed, 10000);
        QVERIFY(desk->order(result.clientOrderId)->reason.startsWith(QStringLiteral("not sent after 2 attempts")));
        QCOMPARE(modelState(result.clientOrderId), OrderModel::Failed);
        QCOMPARE(m_model->valueForKey(result.clientOrderId, OrderModel::ReasonRole).toString(),
                 desk->order(result.clientOrderId)->reason);
        QCOMPARE(desk->pendingCount(), 1); // failed orders still wait for the trader
        QCOMPARE(events.last().at(1).toString(), QStringLiteral("failed"));

        desk->setOnline(false);
        QVERIFY(desk->retry(result.clientOrderId));
        QCOMPARE(desk->order(result.clientOrderId)->state, S::Queued);
        QCOMPARE(desk->order(result.clientOrderId)->attempts, 0);
        QCOMPARE(modelState(result.clientOrderId), OrderModel::Queued);
        QVERIFY(!m_model->valueForKey(result.clientOrderId, OrderModel::ReasonRole).toString().isEmpty()); // why it waits
    }

    // Each trader sees only their own orders; a switch discards the other's local rows.
    void switchingTradersSwitchesTheRows()
    {
        auto desk = makeDesk(kAlice);
        const QString alices = desk->submit(ticket(QStringLiteral("ALI"))).clientOrderId;
        desk->setUserId(kBob);
        m_model->flush();
        QCOMPARE(m_model->indexOfKey(alices), -1);
        QCOMPARE(desk->pendingCount(), 0);
        const QString bobs = desk->submit(ticket(QStringLiteral("BOB"))).clientOrderId;
        QCOMPARE(desk->order(bobs)->userId, kBob);
        QCOMPARE(desk->pendingCount(), 1);
        desk->setUserId(kAlice);
        m_model->flush();
        QCOMPARE(m_model->indexOfKey(bobs), -1);
        QVERIFY(m_model->indexOfKey(alices) >= 0);
        QCOMPARE(desk->pendingCount(), 1);

        // Sign-out empties the model (clear(): a reset); the trader's orders come back.
        m_model->clear();
        QCOMPARE(modelState(alices), OrderModel::Queued);
    }

    // After a restart the orders are shown again, and old news is not toasted again.
    void aRestartShowsTheOrdersWithoutReplayingToasts()
    {
        QString id;
        {
            auto desk = makeDesk();
            id = desk->submit(ticket()).clientOrderId;
            QVERIFY(desk->cancel(id));
        }
        m_model->clear();
        auto desk = std::make_unique<OrderDesk>(options(), m_rest.get(), m_model.get());
        QSignalSpy events(desk.get(), &OrderDesk::orderEvent);
        desk->setUserId(kAlice);
        QCOMPARE(modelState(id), OrderModel::Canceled);
        QCOMPARE(events.count(), 0);
    }

    // The exchange's rows (sync service, realtime) move the queue and the blotter; rows of
    // orders placed elsewhere and malformed rows change nothing here.
    void serverRowsMoveTheQueueAndTheBlotter()
    {
        auto desk = makeDesk();
        QSignalSpy events(desk.get(), &OrderDesk::orderEvent);
        const QString id = desk->submit(ticket(QStringLiteral("ACME"), 4)).clientOrderId;
        const auto row = [&id](const QString &status, const QString &updated, double filled) {
            return QJsonObject{{QStringLiteral("id"), 42},
                               {QStringLiteral("client_order_id"), id},
                               {QStringLiteral("user_id"), kAlice},
                               {QStringLiteral("symbol"), QStringLiteral("ACME")},
                               {QStringLiteral("side"), QStringLiteral("buy")},
                               {QStringLiteral("qty"), 4},
                               {QStringLiteral("type"), QStringLiteral("market")},
                               {QStringLiteral("limit_price"), QJsonValue()},
                               {QStringLiteral("status"), status},
                               {QStringLiteral("reject_reason"), QJsonValue()},
                               {QStringLiteral("filled_qty"), filled},
                               {QStringLiteral("avg_fill_price"), filled > 0 ? QJsonValue(10.5) : QJsonValue()},
                               {QStringLiteral("created_at"), QStringLiteral("2026-03-02T09:30:00.000000+00:00")},
                               {QStringLiteral("updated_at"), updated}};
        };
        desk->applyServerOrder(row(QStringLiteral("accepted"), QStringLiteral("2026-03-02T09:30:01.000001+00:00"), 0));
        QCOMPARE(desk->order(id)->state, S::Accepted);
        QCOMPARE(desk->order(id)->serverId, QStringLiteral("42"));
        QCOMPARE(modelState(id), OrderModel::Accepted);
        QVERIFY(!m_model->valueForKey(id, OrderModel::PendingRole).toBool());
        QCOMPARE(desk->pendingCount(), 0);

        desk->applyServerOrder(row(QStringLiteral("filled"), QStringLiteral("2026-03-02T09:30:02.000001+00:00"), 4));
        QCOMPARE(desk->order(id)->state, S::Filled);
        QCOMPARE(modelState(id), OrderModel::Filled);
        QCOMPARE(m_model->valueForKey(id, OrderModel::FilledQtyRole).toDouble(), 4.0);
        // A late, older echo changes nothing.
        desk->applyServerOrder(row(QStringLiteral("accepted"), QStringLiteral("2026-03-02T09:30:01.000001+00:00"), 0));
        QCOMPARE(desk->order(id)->state, S::Filled);
        QCOMPARE(modelState(id), OrderModel::Filled);
        QStringList kinds;
        for (const QList<QVariant> &event : std::as_const(events))
            kinds << event.at(1).toString();
        QCOMPARE(kinds, (QStringList{QStringLiteral("queued"), QStringLiteral("sent"), QStringLiteral("filled")}));

        // Placed elsewhere, and malformed: ignored.
        QJsonObject elsewhere = row(QStringLiteral("filled"), QStringLiteral("2026-03-02T09:30:03+00:00"), 4);
        elsewhere.insert(QStringLiteral("client_order_id"), QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b11"));
        desk->applyServerOrder(elsewhere);
        QVERIFY(!desk->order(QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b11")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("without a valid client_order_id")));
        desk->applyServerOrder(QJsonObject{{QStringLiteral("status"), QStringLiteral("filled")}});
        QCOMPARE(desk->queue()->orders().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestOrderDesk)
#include "tst_orderdesk.moc"
