// PostgrestClient against an in-test PostgREST (QHttpServer on 127.0.0.1): the requests it sends
// byte for byte, how every error shape is classified, and the refresh-then-replay-once rule.
#include "accesstokenprovider.h"
#include "fakesupabase.h"
#include "postgrestclient.h"
#include "tlstestcert.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace tf;

namespace {

const QString kKey = QStringLiteral("anon-key-for-tests");

// A token provider whose refresh hands out the next token from a list (or fails).
class StubTokens : public AccessTokenProvider
{
public:
    QString token;
    QStringList next;
    int refreshes = 0;
    QString lastReason;

    QString accessToken() const override { return token; }
    void refreshAccessToken(const QString &reason, std::function<void(bool)> done) override
    {
        ++refreshes;
        lastReason = reason;
        QTimer::singleShot(0, [this, done] {
            if (next.isEmpty()) {
                done(false);
                return;
            }
            token = next.takeFirst();
            done(true);
        });
    }
};

QByteArray bearer(const RecordedRequest &request)
{
    return request.header("Authorization");
}

bool waitFinished(RestReply *reply)
{
    if (reply->isFinished())
        return true;
    QSignalSpy spy(reply, &RestReply::finished);
    return spy.wait(10000) && reply->isFinished();
}

QJsonArray parseArray(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).array();
}

const QByteArray kExpired = R"({"code":"PGRST303","details":null,"hint":null,"message":"JWT expired"})";

} // namespace

class TestPostgrestClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeSupabase> m_server;
    std::unique_ptr<PostgrestClient> m_client;
    StubTokens m_tokens;

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeSupabase>();
        QVERIFY(m_server->start());
        m_client = std::make_unique<PostgrestClient>(m_server->url(), kKey);
        m_tokens = StubTokens();
        m_tokens.token = QStringLiteral("user-token-1");
        m_client->setTokenProvider(&m_tokens);
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void selectSendsFiltersOrderAndHeaders()
    {
        m_server->setHandler([](const RecordedRequest &) {
            return FakeResponse::json(200, R"([{"id":1,"symbol":"EURUSD"},{"id":2,"symbol":"GBPUSD"}])");
        });
        PostgrestQuery query;
        query.select(QStringLiteral("id,symbol"))
            .eq(QStringLiteral("user_id"), QStringLiteral("42"))
            .gt(QStringLiteral("updated_at"), QStringLiteral("2026-08-21T10:15:30.120511+00:00"))
            .order(QStringLiteral("updated_at"))
            .order(QStringLiteral("id"))
            .limit(500);
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions"), query));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->httpStatus(), 200);
        QCOMPARE(reply->rows().size(), 2);
        QCOMPARE(reply->rows().at(1).toObject().value(QLatin1String("symbol")).toString(), QStringLiteral("GBPUSD"));
        QCOMPARE(reply->attempts(), 1);

        QCOMPARE(m_server->requests().size(), 1);
        const RecordedRequest &sent = m_server->requests().first();
        QCOMPARE(sent.method, QByteArray("GET"));
        QCOMPARE(sent.path, QStringLiteral("/rest/v1/positions"));
        QCOMPARE(sent.query, QByteArray("select=id,symbol&user_id=eq.42"
                                        "&updated_at=gt.2026-08-21T10%3A15%3A30.120511%2B00%3A00"
                                        "&order=updated_at.asc,id.asc&limit=500"));
        QCOMPARE(sent.header("apikey"), kKey.toUtf8());
        QCOMPARE(bearer(sent), QByteArray("Bearer user-token-1"));
    }

    void signedOutSendsTheKeyAsBearer()
    {
        m_tokens.token.clear();
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(200, "[]"); });
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("prices")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(reply->isOk());
        QVERIFY(reply->rows().isEmpty());
        QCOMPARE(m_server->requests().first().query, QByteArray("select=*"));
        QCOMPARE(bearer(m_server->requests().first()), QByteArray("Bearer " + kKey.toUtf8()));
    }

    void nonPublicSchemaUsesProfileHeaders()
    {
        m_client->setSchema(QStringLiteral("trading"));
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(201, "[]"); });
        std::unique_ptr<PostgrestReply> read(m_client->select(QStringLiteral("orders")));
        std::unique_ptr<PostgrestReply> write(m_client->insert(QStringLiteral("orders"), QJsonObject{{QStringLiteral("a"), 1}}));
        QVERIFY(waitFinished(read.get()) && waitFinished(write.get()));
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(m_server->requests().at(0).header("Accept-Profile"), QByteArray("trading"));
        QCOMPARE(m_server->requests().at(1).header("Content-Profile"), QByteArray("trading"));
    }

    void insertSingleReturnsTheRow()
    {
        m_server->setHandler([](const RecordedRequest &request) {
            QJsonObject row = QJsonDocument::fromJson(request.body).object();
            row.insert(QStringLiteral("id"), 7);
            return FakeResponse{201, QJsonDocument(QJsonArray{row}).toJson(QJsonDocument::Compact),
                                {{"Preference-Applied", "return=representation"}}};
        });
        const QJsonObject order{{QStringLiteral("symbol"), QStringLiteral("EURUSD")}, {QStringLiteral("qty"), 100}};
        std::unique_ptr<PostgrestReply> reply(m_client->insert(QStringLiteral("orders"), order));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->httpStatus(), 201);
        QCOMPARE(reply->rows().size(), 1);
        QCOMPARE(reply->rows().first().toObject().value(QLatin1String("id")).toInt(), 7);

        const RecordedRequest &sent = m_server->requests().first();
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.path, QStringLiteral("/rest/v1/orders"));
        QCOMPARE(sent.query, QByteArray());
        QCOMPARE(sent.header("Prefer"), QByteArray("return=representation"));
        QCOMPARE(sent.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(QJsonDocument::fromJson(sent.body).object(), order);
    }

    void insertBulkSendsAnArray()
    {
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(201, QByteArray()); });
        const QJsonArray rows{QJsonObject{{QStringLiteral("symbol"), QStringLiteral("A")}, {QStringLiteral("qty"), 1}},
                              QJsonObject{{QStringLiteral("symbol"), QStringLiteral("B")}, {QStringLiteral("qty"), 2}}};
        InsertOptions options;
        options.returning = Returning::Minimal;
        std::unique_ptr<PostgrestReply> reply(m_client->insert(QStringLiteral("orders"), rows, options));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QVERIFY(reply->rows().isEmpty());
        QCOMPARE(m_server->requests().first().header("Prefer"), QByteArray("return=minimal"));
        QCOMPARE(parseArray(m_server->requests().first().body), rows);
    }

    void insertBulkWithDifferentKeysIsRefusedBeforeSending()
    {
        const QJsonArray rows{QJsonObject{{QStringLiteral("symbol"), QStringLiteral("A")}},
                              QJsonObject{{QStringLiteral("sym"), QStringLiteral("B")}}};
        std::unique_ptr<PostgrestReply> reply(m_client->insert(QStringLiteral("orders"), rows));
        QVERIFY(!reply->isFinished()); // delivered later, so the caller can connect first
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(!reply->isOk());
        QCOMPARE(reply->error().errorClass, ErrorClass::Validation);
        QCOMPARE(reply->error().httpStatus, 0);
        QVERIFY(reply->error().message.contains(QLatin1String("identical keys")));
        QVERIFY(m_server->requests().isEmpty());
    }

    void insertEmptyArraySucceedsWithoutARequest()
    {
        std::unique_ptr<PostgrestReply> reply(m_client->insert(QStringLiteral("orders"), QJsonArray()));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(reply->isOk());
        QVERIFY(m_server->requests().isEmpty());
    }

    void idempotentInsertTreatsEmptyRepresentationAsSuccess()
    {
        // First send creates the row, the resend finds it and PostgREST leaves it out: [] (§11.5).
        int sends = 0;
        m_server->setHandler([&sends](const RecordedRequest &request) {
            return FakeResponse::json(201, ++sends == 1 ? QByteArray("[" + request.body + "]") : QByteArray("[]"));
        });
        const QJsonObject order{{QStringLiteral("client_id"), QStringLiteral("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10")},
                                {QStringLiteral("qty"), 5}};
        for (int attempt = 1; attempt <= 2; ++attempt) {
            std::unique_ptr<PostgrestReply> reply(
                m_client->insert(QStringLiteral("orders"), order, InsertOptions::idempotent(QStringLiteral("client_id"))));
            QVERIFY(waitFinished(reply.get()));
            QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
            QCOMPARE(reply->rows().size(), attempt == 1 ? 1 : 0);
        }
        for (const RecordedRequest &sent : m_server->requests()) {
            QCOMPARE(sent.query, QByteArray("on_conflict=client_id"));
            QCOMPARE(sent.header("Prefer"), QByteArray("return=representation,resolution=ignore-duplicates"));
        }
    }

    void upsertMergesDuplicates()
    {
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(201, R"([{"id":1}])"); });
        InsertOptions options = InsertOptions::upsert(QStringLiteral("symbol"));
        options.onConflict << QStringLiteral("user_id");
        std::unique_ptr<PostgrestReply> reply(
            m_client->insert(QStringLiteral("watchlist"), QJsonObject{{QStringLiteral("symbol"), QStringLiteral("X")}}, options));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(reply->isOk());
        QCOMPARE(m_server->requests().first().query, QByteArray("on_conflict=symbol,user_id"));
        QCOMPARE(m_server->requests().first().header("Prefer"), QByteArray("return=representation,resolution=merge-duplicates"));
    }

    void updatePatchesMatchingRows()
    {
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(200, R"([{"id":3,"qty":9}])"); });
        PostgrestQuery filters;
        filters.eq(QStringLiteral("id"), 3);
        std::unique_ptr<PostgrestReply> reply(
            m_client->update(QStringLiteral("orders"), filters, QJsonObject{{QStringLiteral("qty"), 9}}));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->rows().first().toObject().value(QLatin1String("qty")).toInt(), 9);
        const RecordedRequest &sent = m_server->requests().first();
        QCOMPARE(sent.method, QByteArray("PATCH"));
        QCOMPARE(sent.query, QByteArray("select=*&id=eq.3"));
        QCOMPARE(sent.header("Prefer"), QByteArray("return=representation"));
        QCOMPARE(QJsonDocument::fromJson(sent.body).object(), (QJsonObject{{QStringLiteral("qty"), 9}}));
    }

    void removeDeletesMatchingRows()
    {
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(204, QByteArray()); });
        PostgrestQuery filters;
        filters.eq(QStringLiteral("id"), 3).eq(QStringLiteral("status"), QStringLiteral("queued"));
        std::unique_ptr<PostgrestReply> reply(m_client->remove(QStringLiteral("orders"), filters));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->httpStatus(), 204);
        const RecordedRequest &sent = m_server->requests().first();
        QCOMPARE(sent.method, QByteArray("DELETE"));
        QCOMPARE(sent.query, QByteArray("id=eq.3&status=eq.queued"));
        QCOMPARE(sent.header("Prefer"), QByteArray("return=minimal"));
    }

    void unfilteredWritesAreRefused()
    {
        std::unique_ptr<PostgrestReply> update(
            m_client->update(QStringLiteral("orders"), PostgrestQuery(), QJsonObject{{QStringLiteral("qty"), 1}}));
        std::unique_ptr<PostgrestReply> remove(m_client->remove(QStringLiteral("orders"), PostgrestQuery()));
        PostgrestQuery bad;
        bad.is(QStringLiteral("filled"), QStringLiteral("maybe"));
        std::unique_ptr<PostgrestReply> select(m_client->select(QStringLiteral("orders"), bad));
        std::unique_ptr<PostgrestReply> noTable(m_client->select(QString()));
        for (PostgrestReply *reply : {update.get(), remove.get(), select.get(), noTable.get()}) {
            QVERIFY(waitFinished(reply));
            QCOMPARE(reply->error().errorClass, ErrorClass::Validation);
            QVERIFY(!reply->error().message.isEmpty());
        }
        QVERIFY(select->error().message.contains(QLatin1String("maybe")));
        QVERIFY(m_server->requests().isEmpty());
    }

    void errorsAreClassified_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("errorClass");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("403 RLS") << 403
            << QByteArray("{\"code\":\"42501\",\"details\":null,\"hint\":null,\"message\":\"new row violates row-level security policy for table \\\"orders\\\"\"}")
            << int(ErrorClass::Auth) << QStringLiteral("42501")
            << QStringLiteral("new row violates row-level security policy for table \"orders\"");
        QTest::newRow("401 RLS anonymous") << 401
            << QByteArray(R"({"code":"42501","details":null,"hint":null,"message":"permission denied for table orders"})")
            << int(ErrorClass::Auth) << QStringLiteral("42501") << QStringLiteral("permission denied for table orders");
        QTest::newRow("409 duplicate") << 409
            << QByteArray("{\"code\":\"23505\",\"details\":\"Key (client_id)=(x) already exists.\",\"hint\":null,\"message\":\"duplicate key value violates unique constraint \\\"orders_client_id_key\\\"\"}")
            << int(ErrorClass::Validation) << QStringLiteral("23505")
            << QStringLiteral("duplicate key value violates unique constraint \"orders_client_id_key\"");
        QTest::newRow("400 bad filter") << 400
            << QByteArray("{\"code\":\"PGRST100\",\"details\":\"unexpected 'x'\",\"hint\":null,\"message\":\"\\\"failed to parse filter (x)\\\" (line 1, column 4)\"}")
            << int(ErrorClass::Validation) << QStringLiteral("PGRST100")
            << QStringLiteral("\"failed to parse filter (x)\" (line 1, column 4)");
        QTest::newRow("404 no table") << 404
            << QByteArray(R"({"code":"PGRST205","details":null,"hint":"Perhaps you meant the table 'public.orders'","message":"Could not find the table 'public.order' in the schema cache"})")
            << int(ErrorClass::Validation) << QStringLiteral("PGRST205")
            << QStringLiteral("Could not find the table 'public.order' in the schema cache");
        QTest::newRow("422 too large") << 422 << QByteArray(R"({"code":"PGRST301x","message":"unprocessable"})")
            << int(ErrorClass::Validation) << QStringLiteral("PGRST301x") << QStringLiteral("unprocessable");
        QTest::newRow("429") << 429 << QByteArray(R"({"message":"Too many requests"})")
            << int(ErrorClass::RateLimit) << QString() << QStringLiteral("Too many requests");
        QTest::newRow("500") << 500 << QByteArray(R"({"code":"XX000","details":null,"hint":null,"message":"internal error"})")
            << int(ErrorClass::Server) << QStringLiteral("XX000") << QStringLiteral("internal error");
        QTest::newRow("502 html from gateway") << 502 << QByteArray("<html><body>Bad Gateway</body></html>")
            << int(ErrorClass::Server) << QString() << QStringLiteral("<html><body>Bad Gateway</body></html>");
        QTest::newRow("503 empty") << 503 << QByteArray()
            << int(ErrorClass::Server) << QString() << QStringLiteral("HTTP 503 without an error message");
    }

    void errorsAreClassified()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, errorClass);
        QFETCH(QString, code);
        QFETCH(QString, message);
        m_server->setHandler([&](const RecordedRequest &) { return FakeResponse::json(status, body); });
        QSignalSpy rejected(m_client.get(), &PostgrestClient::accessTokenRejected);
        std::unique_ptr<PostgrestReply> reply(
            m_client->insert(QStringLiteral("orders"), QJsonObject{{QStringLiteral("qty"), 1}}));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(!reply->isOk());
        QCOMPARE(int(reply->error().errorClass), errorClass);
        QCOMPARE(reply->error().httpStatus, status);
        QCOMPARE(reply->error().code, code);
        QCOMPARE(reply->error().message, message);
        // None of these is a rejected token: no refresh, no replay.
        QCOMPARE(m_server->requests().size(), 1);
        QCOMPARE(m_tokens.refreshes, 0);
        QCOMPARE(rejected.size(), 0);
    }

    void duplicateKeepsDetails()
    {
        m_server->setHandler([](const RecordedRequest &) {
            return FakeResponse::json(409, R"({"code":"23505","details":"Key (client_id)=(x) already exists.","hint":"h","message":"dup"})");
        });
        std::unique_ptr<PostgrestReply> reply(m_client->insert(QStringLiteral("orders"), QJsonObject{{QStringLiteral("a"), 1}}));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->errorDetails(), QStringLiteral("Key (client_id)=(x) already exists."));
        QCOMPARE(reply->errorHint(), QStringLiteral("h"));
    }

    void malformedJsonIsAProtocolError()
    {
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(200, R"([{"id":1},)"); });
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("orders")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(!reply->isOk());
        QCOMPARE(reply->error().errorClass, ErrorClass::Protocol);
        QCOMPARE(reply->error().httpStatus, 200);
        QVERIFY2(reply->error().message.startsWith(QLatin1String("malformed JSON from PostgREST")),
                 qPrintable(reply->error().message));
    }

    void rowsThatAreNotObjectsAreAProtocolError_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("numbers") << QByteArray("[1,2]");
        QTest::newRow("one null among rows") << QByteArray(R"([{"id":1},null])");
        QTest::newRow("nested array") << QByteArray(R"([[{"id":1}]])");
        QTest::newRow("string row") << QByteArray(R"(["id"])");
    }

    void rowsThatAreNotObjectsAreAProtocolError()
    {
        QFETCH(QByteArray, body);
        m_server->setHandler([&](const RecordedRequest &) { return FakeResponse::json(200, body); });
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("orders")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(!reply->isOk());
        QCOMPARE(reply->error().errorClass, ErrorClass::Protocol);
        QVERIFY2(reply->error().message.contains(QLatin1String("is not a JSON object")), qPrintable(reply->error().message));
        QVERIFY(reply->rows().isEmpty());
    }

    void parseRowsAcceptsEveryRowShape()
    {
        QString error;
        QCOMPARE(PostgrestReply::parseRows(" \n", &error), QJsonArray());
        QCOMPARE(PostgrestReply::parseRows("[]", &error), QJsonArray());
        QCOMPARE(PostgrestReply::parseRows(R"([{"id":1},{"id":2}])", &error)->size(), 2);
        const QJsonArray single{QJsonObject{{QStringLiteral("id"), 7}}};
        QCOMPARE(PostgrestReply::parseRows(R"({"id":7})", &error), single);
        QVERIFY(error.isEmpty());
        QVERIFY(!PostgrestReply::parseRows(R"([{"id":1},)", &error));
        QVERIFY(error.startsWith(QLatin1String("malformed JSON from PostgREST")));
    }

    void expiredTokenIsRefreshedAndReplayedOnce()
    {
        m_tokens.next = {QStringLiteral("user-token-2")};
        m_server->setHandler([](const RecordedRequest &request) {
            if (request.header("Authorization") == "Bearer user-token-1")
                return FakeResponse{401, kExpired, {{"WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"JWT expired\""}}};
            return FakeResponse::json(200, R"([{"id":1}])");
        });
        QSignalSpy rejected(m_client.get(), &PostgrestClient::accessTokenRejected);
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->rows().size(), 1);
        QCOMPARE(reply->attempts(), 2);
        QCOMPARE(m_tokens.refreshes, 1);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.first().first().value<ClientError>().code, QStringLiteral("PGRST303"));
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(bearer(m_server->requests().at(0)), QByteArray("Bearer user-token-1"));
        QCOMPARE(bearer(m_server->requests().at(1)), QByteArray("Bearer user-token-2"));
        QCOMPARE(m_server->requests().at(0).query, m_server->requests().at(1).query);
    }

    void writesAreReplayedWithTheSameBody()
    {
        m_tokens.next = {QStringLiteral("user-token-2")};
        int calls = 0;
        m_server->setHandler([&calls](const RecordedRequest &request) {
            return ++calls == 1 ? FakeResponse::json(401, kExpired) : FakeResponse::json(201, "[" + request.body + "]");
        });
        const QJsonObject order{{QStringLiteral("client_id"), QStringLiteral("c-1")}};
        std::unique_ptr<PostgrestReply> reply(
            m_client->insert(QStringLiteral("orders"), order, InsertOptions::idempotent(QStringLiteral("client_id"))));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(m_server->requests().at(1).body, m_server->requests().at(0).body);
        QCOMPARE(m_server->requests().at(1).header("Prefer"), m_server->requests().at(0).header("Prefer"));
        QCOMPARE(m_server->requests().at(1).query, QByteArray("on_conflict=client_id"));
    }

    void secondRejectionIsSurfacedWithoutLooping()
    {
        m_tokens.next = {QStringLiteral("user-token-2"), QStringLiteral("user-token-3")};
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(401, kExpired); });
        QSignalSpy rejected(m_client.get(), &PostgrestClient::accessTokenRejected);
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(!reply->isOk());
        QCOMPARE(reply->error().errorClass, ErrorClass::Auth);
        QCOMPARE(reply->error().code, QStringLiteral("PGRST303"));
        QCOMPARE(reply->error().httpStatus, 401);
        QCOMPARE(reply->attempts(), 2);
        QCOMPARE(m_tokens.refreshes, 1);
        QCOMPARE(rejected.size(), 2);
        // A later request proves nothing else was queued behind the failure.
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(200, "[]"); });
        std::unique_ptr<PostgrestReply> barrier(m_client->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(barrier.get()));
        QCOMPARE(m_server->requests().size(), 3);
    }

    void failedRefreshSurfacesTheRejection()
    {
        m_tokens.next.clear(); // the provider cannot refresh
        m_server->setHandler([](const RecordedRequest &) {
            return FakeResponse::json(401, R"({"code":"PGRST301","message":"No suitable key or wrong key type"})");
        });
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error().errorClass, ErrorClass::Auth);
        QCOMPARE(reply->error().code, QStringLiteral("PGRST301"));
        QCOMPARE(reply->attempts(), 1);
        QCOMPARE(m_tokens.refreshes, 1);
        QCOMPARE(m_server->requests().size(), 1);
    }

    void rejectionWithoutProviderIsSignalled()
    {
        m_client->setTokenProvider(nullptr);
        m_client->setAccessToken(QStringLiteral("fixed-token"));
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(401, kExpired); });
        QSignalSpy rejected(m_client.get(), &PostgrestClient::accessTokenRejected);
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error().code, QStringLiteral("PGRST303"));
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(bearer(m_server->requests().first()), QByteArray("Bearer fixed-token"));
        QCOMPARE(m_server->requests().size(), 1);
    }

    void refreshYieldingTheSameTokenStillReplaysOnce()
    {
        // A refresh in the same second can mint a byte-identical JWT; the provider's ok counts.
        m_tokens.next = {QStringLiteral("user-token-1")};
        int calls = 0;
        m_server->setHandler([&calls](const RecordedRequest &) {
            return ++calls == 1 ? FakeResponse::json(401, kExpired) : FakeResponse::json(200, "[]");
        });
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().toString()));
        QCOMPARE(reply->attempts(), 2);
        QCOMPARE(m_tokens.refreshes, 1);
    }

    void tokenRefreshedMeanwhileIsUsedWithoutAnotherRefresh()
    {
        m_server->setHandler([this](const RecordedRequest &request) {
            if (request.header("Authorization") == "Bearer user-token-1") {
                m_tokens.token = QStringLiteral("user-token-2"); // refreshed by someone else meanwhile
                return FakeResponse::json(401, kExpired);
            }
            return FakeResponse::json(200, "[]");
        });
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(reply->isOk());
        QCOMPARE(m_tokens.refreshes, 0);
        QCOMPARE(reply->attempts(), 2);
    }

    void abortWhileWaitingForTheToken()
    {
        m_tokens.next = {QStringLiteral("user-token-2")};
        m_server->setHandler([](const RecordedRequest &) { return FakeResponse::json(401, kExpired); });
        std::unique_ptr<PostgrestReply> reply(m_client->select(QStringLiteral("positions")));
        QSignalSpy rejected(m_client.get(), &PostgrestClient::accessTokenRejected);
        QVERIFY(rejected.wait());
        reply->abort();
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error().errorClass, ErrorClass::Network);
        QSignalSpy finished(reply.get(), &RestReply::finished);
        // The refresh completes later; the aborted reply must neither resend nor finish twice.
        QTRY_VERIFY_WITH_TIMEOUT(m_tokens.token == QLatin1String("user-token-2"), 5000);
        std::unique_ptr<PostgrestReply> barrier(m_client->select(QStringLiteral("x")));
        QVERIFY(waitFinished(barrier.get()));
        QCOMPARE(finished.size(), 0);
        QCOMPARE(m_server->requests().size(), 2); // the aborted one and the barrier
    }

    void abortingARequestInFlightIsQuiet()
    {
        // A server that takes the request and never answers.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QUrl url = m_server->url();
        url.setPort(silent.serverPort());
        PostgrestClient client(url, kKey);
        std::unique_ptr<PostgrestReply> reply(client.select(QStringLiteral("positions")));
        QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 5000);
        QTcpSocket *socket = silent.nextPendingConnection();
        QTRY_VERIFY_WITH_TIMEOUT(socket->bytesAvailable() > 0, 5000); // the request is on the wire
        QTest::failOnWarning(QRegularExpression(QStringLiteral("device not open")));
        reply->abort();
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error().errorClass, ErrorClass::Network);
        QCOMPARE(reply->error().message, QStringLiteral("request aborted"));
    }

    void connectionRefusedIsANetworkError()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        QUrl url = m_server->url();
        url.setPort(probe.serverPort());
        probe.close(); // nothing listens there any more
        PostgrestClient client(url, kKey);
        std::unique_ptr<PostgrestReply> reply(client.select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error().errorClass, ErrorClass::Network);
        QCOMPARE(reply->httpStatus(), 0);
        QVERIFY(!reply->error().message.isEmpty());
    }

    void silentServerTimesOut()
    {
        QTcpServer silent; // accepts and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QUrl url = m_server->url();
        url.setPort(silent.serverPort());
        PostgrestClient client(url, kKey);
        client.setTransferTimeout(std::chrono::milliseconds(300));
        std::unique_ptr<PostgrestReply> reply(client.select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QCOMPARE(reply->error().errorClass, ErrorClass::Network);
        QCOMPARE(reply->error().code, QStringLiteral("timeout"));
        QVERIFY(reply->error().message.contains(QLatin1String("300 ms")));
    }

    void untrustedCertificateFailsTheRequest()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate(QByteArray(kTestCertificatePem)));
        config.setPrivateKey(QSslKey(QByteArray(kTestPrivateKeyPem), QSsl::Rsa));
        QVERIFY(!config.localCertificate().isNull() && !config.privateKey().isNull());
        QSslServer tls;
        tls.setSslConfiguration(config);
        QVERIFY(tls.listen(QHostAddress::LocalHost, 0));

        QUrl url;
        url.setScheme(QStringLiteral("https"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(tls.serverPort());
        PostgrestClient client(url, kKey);
        std::unique_ptr<PostgrestReply> reply(client.select(QStringLiteral("positions")));
        QVERIFY(waitFinished(reply.get()));
        QVERIFY(!reply->isOk());
        QCOMPARE(reply->error().errorClass, ErrorClass::Network);
        QCOMPARE(reply->error().code, QStringLiteral("tls"));
        QVERIFY2(reply->error().message.startsWith(QLatin1String("TLS verification failed")), qPrintable(reply->error().message));
    }
};

QTEST_GUILESS_MAIN(TestPostgrestClient)
#include "tst_postgrestclient.moc"
