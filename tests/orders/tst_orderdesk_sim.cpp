// OrderDesk against the in-process Supabase simulator, with faults: offline submit then
// reconnect (one bulk insert, FIFO), the link dropped mid-batch, lost insert replies, the token
// expiring during a flush (refreshed, or waited for), rejections both ways (a later `rejected`
// status from the matching engine, a 4xx from a project with constraints), rate limiting (the
// rate-limit fault, with the gateway's 429 in front of the simulator's REST), cancels
// of queued and working orders, and fills arriving by postgres_changes. After each scenario the
// simulator's orders table holds every order exactly once. The blotter model is checked by
// QAbstractItemModelTester throughout.
#include "desksimfixture.h"
#include "faultinjector.h"
#include "faultproxy.h"
#include "httpfrontend.h"
#include "marketsimulator.h"
#include "matchingengine.h"
#include "orderdesk.h"
#include "ordermodel.h"
#include "orderqueue.h"
#include "queuetestutil.h"
#include "realtimechannel.h"
#include "realtimeclient.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace std::chrono_literals;
using tf::Order;
using tf::OrderDesk;
using tf::OrderModel;
using tf::testing::ticket;
using S = tf::Order::State;
using Outcome = tf::OrderDesk::Outcome;

namespace {

constexpr int kTimeout = 20000; // generous: the suite shares two cores with other builds

bool isAtExchange(S state)
{
    return state == S::Accepted || state == S::Filled;
}

QStringList kindsOf(const QSignalSpy &events, const QString &id)
{
    QStringList kinds;
    for (const QList<QVariant> &event : events) {
        if (event.at(0).toString() == id)
            kinds << event.at(1).toString();
    }
    return kinds;
}

} // namespace

class TestOrderDeskSim : public QObject
{
    Q_OBJECT

    tf::testing::DeskSimFixture m_fx;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<tf::testing::FaultProxy> m_proxy;
    std::unique_ptr<tf::PostgrestClient> m_proxyRest;
    std::unique_ptr<OrderModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<OrderDesk> m_desk;
    std::unique_ptr<tf::RealtimeClient> m_realtime;
    int m_orderPosts = 0; // POST /rest/v1/orders the simulator handled

    tf::OrderDeskOptions options(int batchSize = 50) const
    {
        tf::OrderDeskOptions o;
        o.queueFile = m_dir->filePath(QStringLiteral("orders.sqlite"));
        o.sender.batchSize = batchSize;
        o.sender.backoff.base = 50ms; // quick retries; the policy itself is tst_ordersender's
        o.sender.backoff.cap = 400ms;
        o.sender.backoff.rateLimitFloor = 1000ms;
        return o;
    }

    void makeDesk(int batchSize = 50, bool viaProxy = false)
    {
        tf::PostgrestClient *rest = m_fx.rest.get();
        if (viaProxy) {
            m_proxy = std::make_unique<tf::testing::FaultProxy>(m_fx.server->url());
            QVERIFY(m_proxy->listen());
            m_proxyRest = m_fx.restClient(m_proxy->url());
            rest = m_proxyRest.get();
        }
        m_desk = std::make_unique<OrderDesk>(options(batchSize), rest, m_model.get());
        m_desk->setUserId(m_fx.userId());
    }

    // postgres_changes on the trader's orders, fed to the desk as the sync service does.
    void followRealtime()
    {
        tf::RealtimeOptions o;
        o.projectUrl = m_fx.server->url();
        o.apiKey = m_fx.server->anonKey();
        m_realtime = std::make_unique<tf::RealtimeClient>(o);
        m_realtime->setAccessToken(m_fx.session->accessToken());
        connect(m_fx.session.get(), &tf::AuthSession::accessTokenChanged, m_realtime.get(),
                &tf::RealtimeClient::setAccessToken);
        tf::ChannelConfig config = m_realtime->defaultChannelConfig();
        QVERIFY(config.addPostgresChanges({QStringLiteral("*"), QStringLiteral("public"), QStringLiteral("orders"),
                                           QStringLiteral("user_id=eq.") + m_fx.userId()}));
        tf::RealtimeChannel *channel = m_realtime->channel(QStringLiteral("desk-orders"), config);
        QVERIFY(channel);
        connect(channel, &tf::RealtimeChannel::postgresChange, m_desk.get(), [this](const tf::PostgresChange &change) {
            if (change.type != tf::PostgresChange::Type::Delete)
                m_desk->applyServerOrder(change.newRecord);
        });
        QSignalSpy live(channel, &tf::RealtimeChannel::postgresChangesLive);
        m_realtime->connectToServer();
        QVERIFY(live.wait(kTimeout));
    }

    OrderDesk::SubmitResult submit(const QJsonObject &t)
    {
        const OrderDesk::SubmitResult result = m_desk->submit(t);
        if (result.outcome == Outcome::Refused)
            qWarning("refused: %s", qPrintable(result.message));
        return result;
    }

    S stateOf(const QString &id) const
    {
        const std::optional<Order> order = m_desk->order(id);
        return order ? order->state : S::Failed;
    }

    bool allAtExchange(const QStringList &ids) const
    {
        for (const QString &id : ids) {
            if (!isAtExchange(stateOf(id)))
                return false;
        }
        return true;
    }

    // Every id exactly once in the simulator's table, and nothing else of this desk's there.
    void verifyExactlyOnce(const QStringList &ids, const QStringList &absent = {})
    {
        const QMap<QString, int> rows = m_fx.rowsPerClientOrderId();
        for (const QString &id : ids)
            QVERIFY2(rows.value(id) == 1, qPrintable(QStringLiteral("%1 is at the exchange %2 times").arg(id).arg(rows.value(id))));
        for (const QString &id : absent)
            QVERIFY2(!rows.contains(id), qPrintable(id + QStringLiteral(" must not be at the exchange")));
    }

    // Server ids grow in the order the orders were placed: FIFO reached the exchange.
    void verifyFifo(const QStringList &ids)
    {
        double last = -1;
        for (const QString &id : ids) {
            const double serverId = m_fx.serverOrder(id).value(QStringLiteral("id")).toDouble();
            QVERIFY2(serverId > last, qPrintable(QStringLiteral("%1 overtook an older order").arg(id)));
            last = serverId;
        }
    }

    OrderModel::State modelState(const QString &id)
    {
        m_model->flush();
        return m_model->stateOf(id);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_fx.start([](tf::sim::SimConfig &config) { config.matching.maxFillQty = 4; }));
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_model = std::make_unique<OrderModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::Fatal);
        m_orderPosts = 0;
        connect(&m_fx.server->http(), &tf::sim::HttpFrontend::requestHandled, this,
                [this](const QByteArray &method, const QString &path) {
                    if (method == "POST" && path == QLatin1String("/rest/v1/orders"))
                        ++m_orderPosts;
                });
    }

    void cleanup()
    {
        m_realtime.reset();
        m_desk.reset();
        m_proxyRest.reset();
        m_proxy.reset();
        m_tester.reset();
        m_model.reset();
        m_fx.stop();
        m_dir.reset();
    }

    void offlineSubmitThenReconnectSendsTheBacklogInOneInsert()
    {
        makeDesk();
        m_desk->setOnline(false);
        QSignalSpy events(m_desk.get(), &OrderDesk::orderEvent);
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            const OrderDesk::SubmitResult result = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), i + 1));
            QCOMPARE(result.outcome, Outcome::Queued);
            QCOMPARE(result.message, QStringLiteral("queued — will send when online"));
            ids << result.clientOrderId;
        }
        // On disk before "queued" was said: another connection to the file sees every order.
        tf::testing::RawDb raw(m_desk->queue()->filePath());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM orders WHERE state = 'queued'")).toInt(), 5);
        QCOMPARE(m_desk->pendingCount(), 5);
        for (const QString &id : ids) {
            QCOMPARE(modelState(id), OrderModel::Queued);
            QCOMPARE(m_model->valueForKey(id, OrderModel::PendingRole).toBool(), true);
            QCOMPARE(kindsOf(events, id), QStringList{QStringLiteral("queued")});
        }
        verifyExactlyOnce({}, ids); // nothing has left yet
        QCOMPARE(m_orderPosts, 0);

        QSignalSpy pending(m_desk.get(), &OrderDesk::pendingCountChanged);
        m_desk->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(allAtExchange(ids), kTimeout);
        QCOMPARE(m_desk->pendingCount(), 0);
        QCOMPARE(pending.last().first().toInt(), 0);
        verifyExactlyOnce(ids);
        verifyFifo(ids);
        QCOMPARE(m_orderPosts, 1); // the backlog went out as one bulk insert
        for (const QString &id : ids) {
            QVERIFY(!m_model->valueForKey(id, OrderModel::PendingRole).toBool()); // the exchange's row now
            QVERIFY(m_model->valueForKey(id, OrderModel::OrderIdRole).isValid());
            QVERIFY(kindsOf(events, id).contains(QStringLiteral("sent")));
        }
    }

    void aBacklogGoesOutInBatchesOldestFirst()
    {
        makeDesk(4);
        m_desk->setOnline(false);
        QStringList ids;
        for (int i = 0; i < 10; ++i)
            ids << submit(ticket(QStringLiteral("MSFT"), i % 2 ? QStringLiteral("sell") : QStringLiteral("buy"), 1)).clientOrderId;
        m_desk->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(allAtExchange(ids), kTimeout);
        verifyExactlyOnce(ids);
        verifyFifo(ids);
        QCOMPARE(m_orderPosts, 3); // 4 + 4 + 2
    }

    // The connection dies while a batch's reply is on its way: the batch was committed, the desk
    // never heard it. The resend is absorbed by on_conflict=client_order_id.
    void theLinkDroppedMidBatchLeavesEveryOrderOnce()
    {
        makeDesk(4);
        m_desk->setOnline(false);
        QStringList ids;
        for (int i = 0; i < 12; ++i)
            ids << submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1)).clientOrderId;
        m_fx.server->faults().setReplyDelay(200ms); // replies are held back: the drop comes first
        bool dropped = false;
        connect(&m_fx.server->http(), &tf::sim::HttpFrontend::requestHandled, this,
                [this, &dropped](const QByteArray &method, const QString &path, int status) {
                    if (method == "POST" && path == QLatin1String("/rest/v1/orders") && m_orderPosts == 2 && !dropped) {
                        QVERIFY(status == 201);
                        dropped = true;
                        QTimer::singleShot(0, this, [this] {
                            m_fx.server->faults().setReplyDelay(0ms);
                            m_fx.server->faults().dropAllConnections();
                        });
                    }
                });
        m_desk->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(allAtExchange(ids), kTimeout);
        QVERIFY(dropped);
        verifyExactlyOnce(ids);
        verifyFifo(ids);
        QVERIFY2(m_orderPosts >= 4, qPrintable(QString::number(m_orderPosts))); // the lost batch was sent again
        QCOMPARE(m_desk->pendingCount(), 0);
    }

    // The simulator commits the insert and drops the connection instead of answering.
    void lostRepliesAreResentAndAbsorbed()
    {
        makeDesk();
        m_desk->setOnline(true);
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            m_fx.server->faults().setLoseNextInsertReply(true);
            const OrderDesk::SubmitResult result = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("sell"), 2));
            QCOMPARE(result.outcome, Outcome::Sent);
            ids << result.clientOrderId;
            QTRY_VERIFY_WITH_TIMEOUT(isAtExchange(stateOf(result.clientOrderId)), kTimeout);
            QVERIFY(!m_fx.server->faults().loseNextInsertReplyArmed()); // the fault did fire
        }
        verifyExactlyOnce(ids);
        QVERIFY2(m_orderPosts >= 6, qPrintable(QString::number(m_orderPosts))); // each sent at least twice
        for (const QString &id : ids)
            QVERIFY(!m_desk->order(id)->serverId.isEmpty()); // confirmed with the exchange's id all the same
    }

    // Every access token expires while the backlog waits: the first insert is refused (401),
    // the session refreshes, the insert is replayed.
    void theTokenExpiringDuringAFlushIsRefreshed()
    {
        makeDesk(3);
        m_desk->setOnline(false);
        QStringList ids;
        for (int i = 0; i < 6; ++i)
            ids << submit(ticket(QStringLiteral("MSFT"), QStringLiteral("buy"), 1)).clientOrderId;
        m_fx.server->faults().expireAllTokens();
        QSignalSpy refreshed(m_fx.session.get(), &tf::AuthSession::accessTokenChanged);
        QSignalSpy paused(m_desk.get(), &OrderDesk::sendingPaused);
        m_desk->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(allAtExchange(ids), kTimeout);
        QCOMPARE(refreshed.count(), 1); // one refresh for the whole flush
        QCOMPARE(paused.count(), 0);
        verifyExactlyOnce(ids);
        verifyFifo(ids);
    }

    // A token that cannot be refreshed here (a fixed --token): sending pauses, nothing is lost
    // or failed, and it resumes when a new token is in place.
    void aTokenThatCannotBeRefreshedPausesSending()
    {
        tf::PostgrestClient fixed(m_fx.server->url(), m_fx.server->anonKey());
        fixed.setAccessToken(m_fx.session->accessToken());
        m_desk = std::make_unique<OrderDesk>(options(), &fixed, m_model.get());
        m_desk->setUserId(m_fx.userId());
        m_desk->setOnline(true);
        m_fx.server->faults().expireAllTokens();
        QSignalSpy paused(m_desk.get(), &OrderDesk::sendingPaused);
        const QString id = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1)).clientOrderId;
        QVERIFY(paused.wait(kTimeout));
        QCOMPARE(stateOf(id), S::Queued);
        QCOMPARE(m_desk->sender()->status(), tf::OrderSender::Status::WaitingForToken);
        QCOMPARE(m_desk->pendingCount(), 1);
        verifyExactlyOnce({}, {id});
        // Another order meanwhile is queued, and says why it waits.
        const OrderDesk::SubmitResult second = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 2));
        QCOMPARE(second.outcome, Outcome::Queued);
        QCOMPARE(second.message, QStringLiteral("queued — will send once signed in again"));

        QSignalSpy refreshed(m_fx.session.get(), &tf::AuthSession::accessTokenChanged);
        m_fx.session->refreshNow(QStringLiteral("test"));
        QVERIFY(refreshed.wait(kTimeout));
        fixed.setAccessToken(m_fx.session->accessToken());
        m_desk->tokenRefreshed();
        QTRY_VERIFY_WITH_TIMEOUT(allAtExchange({id, second.clientOrderId}), kTimeout);
        verifyExactlyOnce({id, second.clientOrderId});
        m_desk.reset(); // before `fixed`
    }

    // The simulator takes any order and lets its matching engine reject it later (like an
    // exchange); the rejection arrives by postgres_changes.
    void anOrderRejectedLaterByTheExchangeShowsTheReason()
    {
        makeDesk();
        m_desk->setOnline(true);
        followRealtime();
        QSignalSpy events(m_desk.get(), &OrderDesk::orderEvent);
        const QString id = submit(ticket(QStringLiteral("NOPE"), QStringLiteral("buy"), 1)).clientOrderId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), S::Rejected, kTimeout);
        QCOMPARE(m_desk->order(id)->reason, QStringLiteral("unknown symbol: NOPE"));
        QTRY_COMPARE_WITH_TIMEOUT(modelState(id), OrderModel::Rejected, kTimeout);
        QCOMPARE(m_model->valueForKey(id, OrderModel::ReasonRole).toString(), QStringLiteral("unknown symbol: NOPE"));
        QCOMPARE(kindsOf(events, id).count(QStringLiteral("rejected")), 1);
        const QString text = events.last().at(2).toString();
        QVERIFY2(text.contains(QStringLiteral("rejected: unknown symbol: NOPE")), qPrintable(text));
        verifyExactlyOnce({id});
    }

    // A project with migration 0001's constraints refuses the insert itself (409, foreign key):
    // the batch is split, the bad order rejected with the server's words, the others go through.
    void anOrderRefusedByTheServerIsRejectedAndTheBatchStillGoes()
    {
        makeDesk(10, true);
        m_proxy->setInterceptor([](const tf::testing::ProxiedRequest &request) -> std::optional<QByteArray> {
            if (request.method == "POST" && request.target.startsWith("/rest/v1/orders")
                && request.body.contains("\"symbol\":\"NOPE\"")) {
                return tf::testing::FaultProxy::jsonResponse(
                    409, "Conflict",
                    QJsonDocument(QJsonObject{
                                      {QStringLiteral("code"), QStringLiteral("23503")},
                                      {QStringLiteral("details"),
                                       QStringLiteral("Key (symbol)=(NOPE) is not present in table \"instruments\".")},
                                      {QStringLiteral("hint"), QJsonValue()},
                                      {QStringLiteral("message"),
                                       QStringLiteral("insert or update on table \"orders\" violates foreign key "
                                                      "constraint \"orders_symbol_fkey\"")}})
                        .toJson(QJsonDocument::Compact));
            }
            return std::nullopt;
        });
        m_desk->setOnline(false);
        const QString good1 = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1)).clientOrderId;
        const QString bad = submit(ticket(QStringLiteral("NOPE"), QStringLiteral("buy"), 1)).clientOrderId;
        const QString good2 = submit(ticket(QStringLiteral("MSFT"), QStringLiteral("sell"), 1)).clientOrderId;
        QSignalSpy events(m_desk.get(), &OrderDesk::orderEvent);
        m_desk->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(allAtExchange({good1, good2}) && stateOf(bad) == S::Rejected, kTimeout);
        QVERIFY2(m_desk->order(bad)->reason.contains(QStringLiteral("foreign key")), qPrintable(m_desk->order(bad)->reason));
        verifyExactlyOnce({good1, good2}, {bad});
        verifyFifo({good1, good2});
        QCOMPARE(m_desk->pendingCount(), 0);
        QCOMPARE(modelState(bad), OrderModel::Rejected);
        QVERIFY(m_model->valueForKey(bad, OrderModel::ReasonRole).toString().contains(QStringLiteral("foreign key")));
        QCOMPARE(kindsOf(events, bad), QStringList{QStringLiteral("rejected")});
    }

    // The project over its rate limits: the simulator's rate-limit fault (which shuts realtime
    // channels and refuses joins) and, in front of it, the gateway answering REST with 429 while
    // the fault is on. Each retry waits at least the rate-limit floor; the order goes through
    // once the limit is lifted, exactly once.
    void rateLimitedInsertsWaitLongerAndGoThroughOnce()
    {
        makeDesk(50, true);
        tf::sim::FaultInjector &faults = m_fx.server->faults();
        m_proxy->setInterceptor([&faults](const tf::testing::ProxiedRequest &request) -> std::optional<QByteArray> {
            if (faults.rateLimited() && request.target.startsWith("/rest/v1/")) {
                return tf::testing::FaultProxy::jsonResponse(429, "Too Many Requests",
                                                             QByteArrayLiteral("{\"message\":\"API rate limit exceeded\"}"),
                                                             {{"Retry-After", "1"}});
            }
            return std::nullopt;
        });
        QSignalSpy retries(m_desk->sender(), &tf::OrderSender::retryScheduled);
        m_desk->setOnline(true);
        faults.setRateLimited(true);
        const OrderDesk::SubmitResult result = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 3));
        QCOMPARE(result.outcome, Outcome::Sent);
        const QString id = result.clientOrderId;
        QTRY_VERIFY_WITH_TIMEOUT(retries.count() >= 2, kTimeout);
        QCOMPARE(stateOf(id), S::Queued); // waiting, not failed, not lost
        QCOMPARE(m_desk->order(id)->lastError, QStringLiteral("rate-limit (HTTP 429): API rate limit exceeded"));
        verifyExactlyOnce({}, {id});
        // Another order meanwhile waits its turn and says so.
        const OrderDesk::SubmitResult second = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1));
        QCOMPARE(second.outcome, Outcome::Queued);
        QCOMPARE(second.message, QStringLiteral("queued — will send at the next retry"));

        faults.setRateLimited(false);
        QTRY_VERIFY_WITH_TIMEOUT(allAtExchange({id, second.clientOrderId}), kTimeout);
        QVERIFY(m_proxy->interceptedCount() >= 2);
        for (const QList<QVariant> &retry : std::as_const(retries))
            QVERIFY2(retry.at(1).toLongLong() >= 1000, qPrintable(retry.at(1).toString())); // the rate-limit floor
        verifyExactlyOnce({id, second.clientOrderId});
        verifyFifo({id, second.clientOrderId});
    }

    void cancelingAQueuedOrderKeepsItFromEverLeaving()
    {
        makeDesk();
        m_desk->setOnline(false);
        QSignalSpy events(m_desk.get(), &OrderDesk::orderEvent);
        const QString canceled = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1)).clientOrderId;
        const QString kept = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 2)).clientOrderId;
        QVERIFY(m_desk->cancel(canceled));
        QCOMPARE(stateOf(canceled), S::Canceled);
        QCOMPARE(m_desk->order(canceled)->reason, QStringLiteral("canceled before it was sent"));
        QCOMPARE(m_desk->pendingCount(), 1);
        QCOMPARE(modelState(canceled), OrderModel::Canceled);
        QCOMPARE(kindsOf(events, canceled), (QStringList{QStringLiteral("queued"), QStringLiteral("canceled")}));
        QVERIFY(!m_desk->cancel(canceled)); // already canceled

        m_desk->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(isAtExchange(stateOf(kept)), kTimeout);
        verifyExactlyOnce({kept}, {canceled});
        QCOMPARE(stateOf(canceled), S::Canceled);
    }

    // A working limit order: the cancel is a request (PATCH status=cancel_requested) shown as
    // pending at once; the exchange's "canceled" arrives by postgres_changes.
    void cancelingAWorkingLimitOrderAsksTheExchange()
    {
        makeDesk();
        m_desk->setOnline(true);
        followRealtime();
        QSignalSpy events(m_desk.get(), &OrderDesk::orderEvent);
        const QString id = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 5, QStringLiteral("limit"), 0.01)).clientOrderId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), S::Accepted, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(modelState(id), OrderModel::Accepted, kTimeout);

        m_desk->setOnline(false); // the request waits for the link; the trader sees it pending
        QVERIFY(m_desk->cancel(id));
        QCOMPARE(stateOf(id), S::CancelRequested);
        QCOMPARE(modelState(id), OrderModel::CancelRequested);
        QCOMPARE(m_fx.serverOrder(id).value(QStringLiteral("status")).toString(), QStringLiteral("accepted"));

        m_desk->setOnline(true);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), S::Canceled, kTimeout);
        QCOMPARE(m_fx.serverOrder(id).value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
        QTRY_COMPARE_WITH_TIMEOUT(modelState(id), OrderModel::Canceled, kTimeout);
        QCOMPARE(kindsOf(events, id), (QStringList{QStringLiteral("sent"), QStringLiteral("canceled")}));
        verifyExactlyOnce({id});
        QVERIFY(!m_desk->cancel(id));
    }

    // The trader cancels an order the exchange has already filled (the desk had not heard yet):
    // the exchange refuses, and the refusal shows the fill.
    void cancelingAnOrderThatFilledMeanwhileEndsFilled()
    {
        makeDesk();
        m_desk->setOnline(true);
        const QString id = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("sell"), 2)).clientOrderId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), S::Accepted, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.serverOrder(id).value(QStringLiteral("status")).toString(), QStringLiteral("filled"), kTimeout);
        QVERIFY(m_desk->cancel(id));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), S::Filled, kTimeout);
        QCOMPARE(m_fx.serverOrder(id).value(QStringLiteral("status")).toString(), QStringLiteral("filled"));
        verifyExactlyOnce({id});
    }

    // Fills arrive as UPDATEs of the order row: partially filled, then filled, into the queue
    // and the blotter, with one "filled" toast.
    void fillsArriveByPostgresChanges()
    {
        makeDesk();
        m_desk->setOnline(true);
        followRealtime();
        QSignalSpy events(m_desk.get(), &OrderDesk::orderEvent);
        const QString id = submit(ticket(QStringLiteral("MSFT"), QStringLiteral("buy"), 10)).clientOrderId;
        // The engine fills at most 4 per pass (SimConfig::matching.maxFillQty): 4 at once…
        QTRY_COMPARE_WITH_TIMEOUT(m_model->valueForKey(id, OrderModel::FilledQtyRole).toDouble(), 4.0, kTimeout);
        QCOMPARE(modelState(id), OrderModel::PartiallyFilled);
        QCOMPARE(stateOf(id), S::Accepted);
        // …and the rest on the next ticks.
        m_fx.server->market().step();
        QTRY_COMPARE_WITH_TIMEOUT(m_model->valueForKey(id, OrderModel::FilledQtyRole).toDouble(), 8.0, kTimeout);
        m_fx.server->market().step();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), S::Filled, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(modelState(id), OrderModel::Filled, kTimeout);
        QCOMPARE(m_model->valueForKey(id, OrderModel::FilledQtyRole).toDouble(), 10.0);
        QVERIFY(m_model->valueForKey(id, OrderModel::AvgFillPriceRole).toDouble() > 0);
        QCOMPARE(kindsOf(events, id).count(QStringLiteral("filled")), 1);
        QCOMPARE(m_desk->pendingCount(), 0);
        verifyExactlyOnce({id});
    }

    // After time offline, going online looks the working orders up: a fill that happened
    // meanwhile reaches the queue without realtime.
    void goingOnlineCatchesUpOnWorkingOrders()
    {
        makeDesk();
        m_desk->setOnline(true);
        const QString id = submit(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 4, QStringLiteral("limit"), 1.0)).clientOrderId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), S::Accepted, kTimeout);
        m_desk->setOnline(false);
        // The market falls through the limit while the desk is away.
        m_fx.server->market().setPrice(QStringLiteral("AAPL"), 0.5);
        m_fx.server->matching().matchWorkingOrders();
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.serverOrder(id).value(QStringLiteral("status")).toString(), QStringLiteral("filled"), kTimeout);
        QCOMPARE(stateOf(id), S::Accepted);
        QSignalSpy refreshed(m_desk.get(), &OrderDesk::openOrdersRefreshed);
        m_desk->setOnline(true);
        QVERIFY(refreshed.wait(kTimeout));
        QCOMPARE(refreshed.last().first().toString(), QString());
        QCOMPARE(stateOf(id), S::Filled);
        QCOMPARE(modelState(id), OrderModel::Filled);
    }
};

QTEST_GUILESS_MAIN(TestOrderDeskSim)
#include "tst_orderdesk_sim.moc"
