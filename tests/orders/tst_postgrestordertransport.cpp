// PostgrestOrderTransport against an in-test PostgREST (the REST tests' FakeSupabase) with a
// tiny `orders` table that behaves like the real one: client_order_id UNIQUE, ignore-duplicates
// leaving existing rows out of the answer. Ends with queue + sender + transport over HTTP: a
// reply lost after the insert was applied still leaves exactly one row per order.
#include "../realtime/rest/fakesupabase.h"
#include "orderqueue.h"
#include "ordersender.h"
#include "postgrestclient.h"
#include "postgrestordertransport.h"
#include "queuetestutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>
#include <optional>

using tf::ErrorClass;
using tf::Order;
using tf::PostgrestOrderTransport;
using tf::testing::makeOrder;
using S = tf::Order::State;

namespace {

// The server side: the orders table and what PostgREST does with each request.
struct OrdersTable {
    QMap<QString, QJsonObject> rows; // by client_order_id
    int nextId = 500;
    int failNextInsertAfterApplying = 0; // answer 503 although the rows were inserted

    static QString param(const RecordedRequest &request, const QString &key)
    {
        return QUrlQuery(QString::fromLatin1(request.query)).queryItemValue(key, QUrl::FullyDecoded);
    }

    static QStringList inList(const QString &value, const QString &prefix)
    {
        if (!value.startsWith(prefix) || !value.endsWith(QLatin1Char(')')))
            return {};
        return value.mid(prefix.size(), value.size() - prefix.size() - 1).split(QLatin1Char(','));
    }

    static FakeResponse json(int status, const QJsonArray &rows)
    {
        return FakeResponse::json(status, QJsonDocument(rows).toJson(QJsonDocument::Compact));
    }

    FakeResponse handle(const RecordedRequest &request)
    {
        if (request.path != QLatin1String("/rest/v1/orders"))
            return FakeResponse::json(404, "{}");
        if (request.method == "POST") {
            const QJsonDocument body = QJsonDocument::fromJson(request.body);
            const QJsonArray incoming = body.isArray() ? body.array() : QJsonArray{body.object()};
            QJsonArray created;
            for (const QJsonValue &value : incoming) {
                QJsonObject row = value.toObject();
                const QString key = row.value(QStringLiteral("client_order_id")).toString();
                if (rows.contains(key))
                    continue; // ON CONFLICT DO NOTHING: and left out of the answer
                row.insert(QStringLiteral("id"), nextId++);
                row.insert(QStringLiteral("status"), QStringLiteral("new"));
                row.insert(QStringLiteral("reject_reason"), QJsonValue::Null);
                row.insert(QStringLiteral("updated_at"), QStringLiteral("2026-03-02T09:30:00.000+00:00"));
                rows.insert(key, row);
                created.append(row);
            }
            if (failNextInsertAfterApplying > 0) {
                --failNextInsertAfterApplying;
                return FakeResponse::json(503, R"({"message":"upstream request timeout"})");
            }
            return json(201, created);
        }
        if (request.method == "GET") {
            QJsonArray found;
            for (const QString &id : inList(param(request, QStringLiteral("client_order_id")), QStringLiteral("in.("))) {
                if (rows.contains(id))
                    found.append(rows.value(id));
            }
            return json(200, found);
        }
        if (request.method == "PATCH") {
            const QString id = param(request, QStringLiteral("client_order_id")).mid(3); // eq.<id>
            const QStringList open = inList(param(request, QStringLiteral("status")), QStringLiteral("in.("));
            if (!rows.contains(id) || !open.contains(rows[id].value(QStringLiteral("status")).toString()))
                return json(200, {});
            const QJsonObject patch = QJsonDocument::fromJson(request.body).object();
            for (auto it = patch.begin(); it != patch.end(); ++it)
                rows[id].insert(it.key(), it.value());
            return json(200, QJsonArray{rows[id]});
        }
        return FakeResponse::json(405, "{}");
    }
};

} // namespace

class TestPostgrestOrderTransport : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeSupabase> m_server;
    std::unique_ptr<tf::PostgrestClient> m_client;
    std::unique_ptr<PostgrestOrderTransport> m_transport;
    OrdersTable m_table;

    tf::InsertResult insert(const QList<Order> &orders)
    {
        std::optional<tf::InsertResult> result;
        m_transport->insertOrders(orders, [&result](tf::InsertResult r) { result = r; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }))
            return tf::InsertResult{tf::ClientError{ErrorClass::Protocol, QStringLiteral("test: no answer"), 0, {}}, {}};
        return *result;
    }

private Q_SLOTS:
    void init()
    {
        m_table = OrdersTable();
        m_server = std::make_unique<FakeSupabase>();
        QVERIFY(m_server->start());
        m_server->setHandler([this](const RecordedRequest &request) { return m_table.handle(request); });
        m_client = std::make_unique<tf::PostgrestClient>(m_server->url(), QStringLiteral("anon-key"));
        m_transport = std::make_unique<PostgrestOrderTransport>(m_client.get());
    }

    void cleanup()
    {
        m_transport.reset();
        m_client.reset();
        m_server.reset();
    }

    void rowsCarryTheOrderAndIdenticalKeys()
    {
        const Order market = makeOrder(QStringLiteral("u-1"), QStringLiteral("ACME"), 3);
        const Order limit = Order::create(QStringLiteral("u-1"), QStringLiteral("XYZ"), Order::Side::Sell, 2,
                                          Order::Type::Limit, 101.5);
        const QJsonObject a = PostgrestOrderTransport::rowFor(market);
        const QJsonObject b = PostgrestOrderTransport::rowFor(limit);
        QCOMPARE(a.keys(), b.keys());
        QCOMPARE(a.value(QStringLiteral("client_order_id")).toString(), market.clientOrderId.toString(QUuid::WithoutBraces));
        QCOMPARE(a.value(QStringLiteral("qty")).toDouble(), 3.0);
        QVERIFY(a.value(QStringLiteral("limit_price")).isNull());
        QCOMPARE(b.value(QStringLiteral("limit_price")).toDouble(), 101.5);
        QCOMPARE(b.value(QStringLiteral("side")).toString(), QStringLiteral("sell"));
        QCOMPARE(b.value(QStringLiteral("type")).toString(), QStringLiteral("limit"));
        QVERIFY(!a.contains(QStringLiteral("status"))); // the server's to set
    }

    void insertIsAnIdempotentBulkInsert()
    {
        const Order a = makeOrder(QStringLiteral("u-1"));
        const Order b = makeOrder(QStringLiteral("u-1"), QStringLiteral("XYZ"));
        const tf::InsertResult result = insert({a, b});
        QVERIFY2(!result.error, qPrintable(result.error ? result.error->toString() : QString()));
        QCOMPARE(result.confirmed.size(), 2);
        QCOMPARE(result.confirmed[0].clientOrderId, a.clientOrderId);
        QCOMPARE(result.confirmed[0].serverId, QStringLiteral("500"));
        QCOMPARE(result.confirmed[0].status, QStringLiteral("new"));
        // The whole row comes back, for the blotter.
        QCOMPARE(result.confirmed[0].record.value(QStringLiteral("symbol")).toString(), QStringLiteral("ACME"));
        QCOMPARE(result.confirmed[1].record.value(QStringLiteral("symbol")).toString(), QStringLiteral("XYZ"));

        const QList<RecordedRequest> requests = m_server->requests();
        QCOMPARE(requests.size(), 1);
        const RecordedRequest &post = requests.first();
        QCOMPARE(post.method, QByteArray("POST"));
        QCOMPARE(OrdersTable::param(post, QStringLiteral("on_conflict")), QStringLiteral("client_order_id"));
        const QByteArray prefer = post.header("Prefer");
        QVERIFY2(prefer.contains("return=representation"), prefer.constData());
        QVERIFY2(prefer.contains("resolution=ignore-duplicates"), prefer.constData());
        QCOMPARE(QJsonDocument::fromJson(post.body).array().size(), 2);
    }

    void ordersAlreadyThereAreConfirmedBySelectingThem()
    {
        const Order a = makeOrder(QStringLiteral("u-1"));
        const Order b = makeOrder(QStringLiteral("u-1"));
        // The server applies the insert but the answer is an error (a lost reply, as the client sees it).
        m_table.failNextInsertAfterApplying = 1;
        const tf::InsertResult lost = insert({a, b});
        QVERIFY(lost.error);
        QCOMPARE(lost.error->errorClass, ErrorClass::Server);
        QCOMPARE(m_table.rows.size(), 2);

        // The resend: the rows exist, the representation is [], the transport selects them.
        const Order c = makeOrder(QStringLiteral("u-1"));
        const tf::InsertResult resent = insert({a, b, c});
        QVERIFY2(!resent.error, qPrintable(resent.error ? resent.error->toString() : QString()));
        QCOMPARE(resent.confirmed.size(), 3);
        QMap<QUuid, QString> serverIds;
        for (const tf::ServerOrder &row : resent.confirmed)
            serverIds.insert(row.clientOrderId, row.serverId);
        QCOMPARE(serverIds.value(a.clientOrderId), QStringLiteral("500"));
        QCOMPARE(serverIds.value(b.clientOrderId), QStringLiteral("501"));
        QCOMPARE(serverIds.value(c.clientOrderId), QStringLiteral("502"));
        QCOMPARE(m_table.rows.size(), 3);
        const RecordedRequest select = m_server->requests().last();
        QCOMPARE(select.method, QByteArray("GET"));
        QCOMPARE(OrdersTable::inList(OrdersTable::param(select, QStringLiteral("client_order_id")), QStringLiteral("in.(")).size(), 2);
    }

    void fetchFindsWhatExists()
    {
        const Order a = makeOrder(QStringLiteral("u-1"));
        QVERIFY(!insert({a}).error);
        std::optional<tf::FetchResult> result;
        m_transport->fetchOrders({a.clientOrderId, QUuid::createUuid()}, [&result](tf::FetchResult r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->error);
        QCOMPARE(result->found.size(), 1);
        QCOMPARE(result->found.first().clientOrderId, a.clientOrderId);
    }

    void cancelPatchesOnlyOpenOrders()
    {
        Order a = makeOrder(QStringLiteral("u-1"));
        QVERIFY(!insert({a}).error);
        std::optional<tf::CancelResult> result;
        m_transport->requestCancel(a, [&result](tf::CancelResult r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->error);
        QCOMPARE(result->row->status, QStringLiteral("cancel_requested"));
        QCOMPARE(m_server->requests().last().method, QByteArray("PATCH"));
        QCOMPARE(OrdersTable::param(m_server->requests().last(), QStringLiteral("status")),
                 QStringLiteral("in.(new,accepted,partially_filled)"));

        // Asked again (the first reply was lost): the row is already cancel_requested, which is
        // what we wanted, so that is success too.
        result.reset();
        m_transport->requestCancel(a, [&result](tf::CancelResult r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->error);
        QCOMPARE(result->row->status, QStringLiteral("cancel_requested"));
        QCOMPARE(m_server->requests().last().method, QByteArray("GET"));

        // Filled first: nothing open to cancel, which the sender reports as a refused cancel,
        // with the row that says why.
        m_table.rows[a.clientOrderId.toString(QUuid::WithoutBraces)].insert(QStringLiteral("status"), QStringLiteral("filled"));
        result.reset();
        m_transport->requestCancel(a, [&result](tf::CancelResult r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(result->error);
        QCOMPARE(result->error->errorClass, ErrorClass::Validation);
        QVERIFY2(result->error->message.contains(QStringLiteral("filled")), qPrintable(result->error->message));
        QVERIFY(result->row);
        QCOMPARE(result->row->status, QStringLiteral("filled"));
        QCOMPARE(m_table.rows.first().value(QStringLiteral("status")).toString(), QStringLiteral("filled"));

        // An order the exchange never got cannot be canceled there.
        result.reset();
        m_transport->requestCancel(makeOrder(QStringLiteral("u-1")), [&result](tf::CancelResult r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(result->error);
        QCOMPARE(result->error->errorClass, ErrorClass::Validation);
        QVERIFY(!result->row);
    }

    void errorsKeepTheirClass()
    {
        m_server->setHandler([](const RecordedRequest &) {
            return FakeResponse::json(400, R"({"code":"23514","message":"new row violates check constraint","details":null,"hint":null})");
        });
        const tf::InsertResult refused = insert({makeOrder(QStringLiteral("u-1"))});
        QVERIFY(refused.error);
        QCOMPARE(refused.error->errorClass, ErrorClass::Validation);
        QVERIFY(refused.error->message.contains(QStringLiteral("check constraint")));

        // Nobody listening: a network error.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        QUrl url = m_server->url();
        url.setPort(closed.serverPort());
        closed.close();
        tf::PostgrestClient offline(url, QStringLiteral("anon-key"));
        PostgrestOrderTransport transport(&offline);
        std::optional<tf::InsertResult> result;
        transport.insertOrders({makeOrder(QStringLiteral("u-1"))}, [&result](tf::InsertResult r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(result->error);
        QCOMPARE(result->error->errorClass, ErrorClass::Network);
    }

    void queueSenderAndTransportDeliverExactlyOnce()
    {
        QTemporaryDir dir;
        tf::OrderQueue queue(dir.filePath(QStringLiteral("orders.sqlite")));
        QVERIFY(queue.open().ok);
        tf::OrderSenderOptions options;
        options.batchSize = 2;
        tf::OrderSender sender(&queue, m_transport.get(), options);
        QList<std::function<void()>> retries;
        sender.setScheduler([&retries](std::chrono::milliseconds, std::function<void()> callback) { retries.append(callback); });
        sender.setUserId(QStringLiteral("u-1"));

        QList<QUuid> ids;
        for (int i = 0; i < 3; ++i)
            ids << queue.enqueue(makeOrder(QStringLiteral("u-1"), QStringLiteral("S%1").arg(i))).order.clientOrderId;
        m_table.failNextInsertAfterApplying = 1;
        sender.setOnline(true);
        QTRY_COMPARE(retries.size(), 1); // the first batch "failed"
        QCOMPARE(queue.order(ids[0])->state, S::Queued);
        retries.takeFirst()();
        QTRY_COMPARE(queue.order(ids[2])->state, S::Accepted);
        for (const QUuid &id : ids)
            QCOMPARE(queue.order(id)->state, S::Accepted);
        QCOMPARE(m_table.rows.size(), 3);
        QCOMPARE(queue.order(ids[0])->serverId, QStringLiteral("500"));
        QCOMPARE(m_server->requestsTo(QStringLiteral("/rest/v1/orders")).size(), 4); // POST, POST+GET, POST
    }
};

QTEST_GUILESS_MAIN(TestPostgrestOrderTransport)
#include "tst_postgrestordertransport.moc"
