// PostgREST endpoints over real HTTP (QNetworkAccessManager): select/filter/order/paging,
// PostgREST's query decoding, inserts with preferences and conflicts, PATCH/DELETE, row level
// security per role, and the error shapes and statuses.
#include "jwtsigner.h"
#include "rowstore.h"
#include "simtestsupport.h"
#include "tradingschema.h"

#include <QTest>
#include <QUrl>
#include <QUuid>

using namespace tf::sim;
using namespace tf::simtest;
using namespace Qt::StringLiterals;

class TestSimRest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimServer> m_server;
    std::unique_ptr<Http> m_http;
    QString m_demo;  // access tokens
    QString m_rival;

    QString demoId() const { return m_server->demoTraders().at(0).userId; }
    QString rivalId() const { return m_server->demoTraders().at(1).userId; }
    static QSet<QString> userIds(const QJsonArray &rows)
    {
        QSet<QString> ids;
        for (const QJsonValue &row : rows)
            ids.insert(row.toObject().value(u"user_id"_s).toString());
        return ids;
    }
    static void verifyPostgrestError(const HttpResult &result, int status, const QString &code)
    {
        QCOMPARE(result.status, status);
        const QJsonObject body = result.object();
        QCOMPARE(body.value(u"code"_s).toString(), code);
        QVERIFY(body.contains(u"message"_s));
        QVERIFY(body.contains(u"details"_s));
        QVERIFY(body.contains(u"hint"_s));
    }
    QJsonObject newOrder(const QString &symbol = u"AAPL"_s) const
    {
        return QJsonObject{{u"symbol"_s, symbol}, {u"side"_s, u"buy"_s}, {u"qty"_s, 1}, {u"type"_s, u"limit"_s},
                           {u"limit_price"_s, 1}}; // far below the market: stays working
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<SimServer>(fastConfig());
        QVERIFY(m_server->start());
        m_http = std::make_unique<Http>(m_server->url(), m_server->anonKey());
        m_demo = m_http->signIn(u"trader@example.com"_s, u"trading-floor-demo"_s).value(u"access_token"_s).toString();
        m_rival = m_http->signIn(u"rival@example.com"_s, u"trading-floor-rival"_s).value(u"access_token"_s).toString();
        QVERIFY(!m_demo.isEmpty());
        QVERIFY(!m_rival.isEmpty());
    }

    void rowsAreVisibleToTheirOwnerOnly()
    {
        const HttpResult mine = m_http->get(u"/rest/v1/positions?select=*"_s, m_demo);
        QCOMPARE(mine.status, 200);
        QCOMPARE(mine.array().size(), 3);
        QCOMPARE(userIds(mine.array()), QSet<QString>{demoId()});
        const HttpResult theirs = m_http->get(u"/rest/v1/positions?select=*"_s, m_rival);
        QCOMPARE(theirs.array().size(), 2);
        QCOMPARE(userIds(theirs.array()), QSet<QString>{rivalId()});
        // Asking for the other user's rows explicitly still returns nothing.
        QCOMPARE(m_http->get(u"/rest/v1/positions?user_id=eq."_s + rivalId(), m_demo).array().size(), 0);
        // anon sees no user rows at all, but the public instruments.
        QCOMPARE(m_http->get(u"/rest/v1/positions"_s).array().size(), 0);
        QCOMPARE(m_http->get(u"/rest/v1/trades"_s).status, 200);
        QCOMPARE(m_http->get(u"/rest/v1/instruments"_s).array().size(), 20);
        // The service role bypasses RLS.
        QCOMPARE(m_http->get(u"/rest/v1/positions"_s, m_server->serviceRoleKey()).array().size(), 5);
    }

    void selectOrderLimitOffset()
    {
        const HttpResult page = m_http->get(u"/rest/v1/instruments?select=symbol,name&order=symbol.asc&limit=5&offset=2"_s);
        QCOMPARE(page.status, 200);
        const QJsonArray rows = page.array();
        QCOMPARE(rows.size(), 5);
        QStringList symbols;
        for (const QJsonValue &row : rows) {
            QCOMPARE(row.toObject().keys(), (QStringList{u"name"_s, u"symbol"_s}));
            symbols.append(row.toObject().value(u"symbol"_s).toString());
        }
        QStringList sorted = symbols;
        sorted.sort();
        QCOMPARE(symbols, sorted);
        QCOMPARE(page.header("Content-Range"), QByteArray("2-6/*"));
        const HttpResult counted = m_http->request("GET", u"/rest/v1/instruments?limit=1"_s, {},
                                                   {{"apikey", m_server->anonKey().toLatin1()}, {"Prefer", "count=exact"}});
        QCOMPARE(counted.header("Content-Range"), QByteArray("0-0/20"));

        const HttpResult desc = m_http->get(u"/rest/v1/positions?select=symbol,qty&order=qty.desc"_s, m_demo);
        QCOMPARE(desc.array().first().toObject().value(u"qty"_s).toDouble(), 100.0);
        QCOMPARE(desc.array().last().toObject().value(u"qty"_s).toDouble(), -25.0);
    }

    void filters()
    {
        const HttpResult shorts = m_http->get(u"/rest/v1/positions?qty=lt.0"_s, m_demo);
        QCOMPARE(shorts.array().size(), 1);
        QCOMPARE(shorts.array().first().toObject().value(u"symbol"_s).toString(), u"NVDA"_s);
        QCOMPARE(m_http->get(u"/rest/v1/positions?symbol=in.(AAPL,MSFT)"_s, m_demo).array().size(), 2);
        QCOMPARE(m_http->get(u"/rest/v1/positions?symbol=not.in.(AAPL,MSFT)"_s, m_demo).array().size(), 1);
        QCOMPARE(m_http->get(u"/rest/v1/positions?qty=gte.40&qty=lte.40"_s, m_demo).array().size(), 1);
        QCOMPARE(m_http->get(u"/rest/v1/orders?status=eq.filled&limit_price=is.null"_s, m_demo).array().size(), 3);
        QCOMPARE(m_http->get(u"/rest/v1/instruments?name=eq.Apple%20Inc."_s).array().size(), 1);
        QCOMPARE(m_http->get(u"/rest/v1/instruments?name=eq.Apple+Inc."_s).array().size(), 1); // + is a space
    }

    void plusInTimestampsMustBeEncoded()
    {
        const QJsonObject first = m_http->get(u"/rest/v1/positions?order=updated_at.asc&limit=1"_s, m_demo).array().first().toObject();
        const QString ts = first.value(u"updated_at"_s).toString();
        QVERIFY(ts.endsWith(u"+00:00"_s));

        // Sent raw, PostgREST decodes the '+' as a space and Postgres refuses the timestamp.
        const HttpResult raw = m_http->get(u"/rest/v1/positions?updated_at=gte."_s + ts, m_demo);
        verifyPostgrestError(raw, 400, u"22007"_s);
        QVERIFY(raw.object().value(u"message"_s).toString().contains(u" 00:00"_s));

        // Encoded as %2B it works, at full microsecond precision: gte includes the row, gt does not.
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(ts));
        QVERIFY(encoded.contains(u"%2B"_s));
        const HttpResult gte = m_http->get(u"/rest/v1/positions?updated_at=gte."_s + encoded, m_demo);
        QCOMPARE(gte.status, 200);
        QCOMPARE(gte.array().size(), 3);
        const HttpResult gt = m_http->get(u"/rest/v1/positions?updated_at=gt."_s + encoded + u"&id=eq."_s
                                              + QString::number(first.value(u"id"_s).toInteger()), m_demo);
        QCOMPARE(gt.array().size(), 0);
    }

    void errors()
    {
        verifyPostgrestError(m_http->get(u"/rest/v1/positions?qty=foo.1"_s, m_demo), 400, u"PGRST100"_s);
        verifyPostgrestError(m_http->get(u"/rest/v1/positions?order=qty.sideways"_s, m_demo), 400, u"PGRST100"_s);
        verifyPostgrestError(m_http->get(u"/rest/v1/positions?limit=many"_s, m_demo), 400, u"PGRST100"_s);
        const HttpResult table = m_http->get(u"/rest/v1/portfolios"_s, m_demo);
        verifyPostgrestError(table, 404, u"PGRST205"_s);
        QCOMPARE(table.object().value(u"message"_s).toString(),
                 u"Could not find the table 'public.portfolios' in the schema cache"_s);
        const HttpResult column = m_http->get(u"/rest/v1/positions?colour=eq.red"_s, m_demo);
        verifyPostgrestError(column, 400, u"42703"_s);
        QCOMPARE(column.object().value(u"message"_s).toString(), u"column positions.colour does not exist"_s);
        verifyPostgrestError(m_http->get(u"/rest/v1/positions?select=id,colour"_s, m_demo), 400, u"42703"_s);
        verifyPostgrestError(m_http->get(u"/rest/v1/positions?id=eq.seven"_s, m_demo), 400, u"22P02"_s);
        verifyPostgrestError(m_http->request("POST", u"/rest/v1/orders"_s, "{not json",
                                             {{"apikey", m_server->anonKey().toLatin1()},
                                              {"Authorization", "Bearer " + m_demo.toLatin1()}}),
                             400, u"PGRST102"_s);
        verifyPostgrestError(m_http->post(u"/rest/v1/orders"_s, QJsonArray{newOrder(), QJsonObject{{u"symbol"_s, u"X"_s}}}, m_demo),
                             400, u"PGRST102"_s);
        verifyPostgrestError(m_http->request("PUT", u"/rest/v1/orders"_s, "{}",
                                             {{"apikey", m_server->anonKey().toLatin1()}}),
                             405, u"PGRST117"_s);
    }

    void insertReturnsWhatWasAsked()
    {
        const HttpResult minimal = m_http->post(u"/rest/v1/orders"_s, newOrder(), m_demo);
        QCOMPARE(minimal.status, 201);
        QVERIFY(minimal.body.isEmpty());

        const HttpResult full = m_http->post(u"/rest/v1/orders"_s, newOrder(u"MSFT"_s), m_demo, "return=representation");
        QCOMPARE(full.status, 201);
        QCOMPARE(full.header("Preference-Applied"), QByteArray("return=representation"));
        const QJsonObject row = full.array().first().toObject();
        QCOMPARE(row.value(u"user_id"_s).toString(), demoId()); // defaulted to auth.uid()
        QCOMPARE(row.value(u"status"_s).toString(), u"new"_s);
        QVERIFY(row.value(u"id"_s).toInteger() > 0);

        const HttpResult bulk = m_http->post(u"/rest/v1/orders?select=id,symbol"_s,
                                             QJsonArray{newOrder(u"AMZN"_s), newOrder(u"TSLA"_s)}, m_demo, "return=representation");
        QCOMPARE(bulk.status, 201);
        QCOMPARE(bulk.array().size(), 2);
        QCOMPARE(bulk.array().at(1).toObject().keys(), (QStringList{u"id"_s, u"symbol"_s}));
    }

    void idempotentInsert()
    {
        QJsonObject order = newOrder();
        const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
        order.insert(u"client_order_id"_s, key);
        const QString path = u"/rest/v1/orders?on_conflict=client_order_id"_s;

        const HttpResult first = m_http->post(path, QJsonArray{order}, m_demo, "return=representation,resolution=ignore-duplicates");
        QCOMPARE(first.status, 201);
        QCOMPARE(first.array().size(), 1);
        // The replay is a no-op whose representation leaves the existing row out.
        const HttpResult replay = m_http->post(path, QJsonArray{order}, m_demo, "return=representation,resolution=ignore-duplicates");
        QCOMPARE(replay.status, 201);
        QCOMPARE(replay.array().size(), 0);
        // Preferences may also come as two headers.
        const HttpResult twoHeaders = m_http->request("POST", path, QJsonDocument(QJsonArray{order}).toJson(),
                                                      {{"apikey", m_server->anonKey().toLatin1()},
                                                       {"Authorization", "Bearer " + m_demo.toLatin1()},
                                                       {"Prefer", "return=representation"},
                                                       {"Prefer", "resolution=ignore-duplicates"}});
        QCOMPARE(twoHeaders.status, 201);
        QCOMPARE(twoHeaders.array().size(), 0);
        QCOMPARE(m_http->get(u"/rest/v1/orders?client_order_id=eq."_s + key, m_demo).array().size(), 1);

        // Without a resolution a duplicate is a 409 with Postgres' unique-violation body.
        const HttpResult conflict = m_http->post(u"/rest/v1/orders"_s, order, m_demo, "return=representation");
        verifyPostgrestError(conflict, 409, u"23505"_s);
        QCOMPARE(conflict.object().value(u"message"_s).toString(),
                 u"duplicate key value violates unique constraint \"orders_client_order_id_key\""_s);
        QCOMPARE(conflict.object().value(u"details"_s).toString(), u"Key (client_order_id)=(%1) already exists."_s.arg(key));
        QVERIFY(conflict.object().value(u"hint"_s).isNull());
    }

    void rowLevelSecurityOnWrites()
    {
        QJsonObject forged = newOrder();
        forged.insert(u"user_id"_s, rivalId());
        const HttpResult other = m_http->post(u"/rest/v1/orders"_s, forged, m_demo);
        verifyPostgrestError(other, 403, u"42501"_s);
        QCOMPARE(other.object().value(u"message"_s).toString(), u"new row violates row-level security policy for table \"orders\""_s);
        verifyPostgrestError(m_http->post(u"/rest/v1/orders"_s, newOrder()), 401, u"42501"_s); // anon
        verifyPostgrestError(m_http->post(u"/rest/v1/instruments"_s, QJsonObject{{u"symbol"_s, u"X"_s}}, m_demo), 403, u"42501"_s);
        verifyPostgrestError(m_http->post(u"/rest/v1/positions"_s, QJsonObject{{u"symbol"_s, u"X"_s}}, m_demo), 403, u"42501"_s);
        // Status, fills and timestamps are the engine's: a client may not set them.
        QJsonObject withStatus = newOrder();
        withStatus.insert(u"status"_s, u"filled"_s);
        const HttpResult status = m_http->post(u"/rest/v1/orders"_s, withStatus, m_demo);
        verifyPostgrestError(status, 403, u"42501"_s);
        QCOMPARE(status.object().value(u"message"_s).toString(), u"permission denied for table orders"_s);
        verifyPostgrestError(m_http->post(u"/rest/v1/orders"_s, QJsonObject{{u"colour"_s, u"red"_s}}, m_demo), 400, u"PGRST204"_s);
    }

    void cancelIsTheOnlyUpdateAndDeleteIsForTheBackOffice()
    {
        const QJsonObject mine = m_http->post(u"/rest/v1/orders"_s, newOrder(), m_demo, "return=representation").array().first().toObject();
        const QJsonObject theirs = m_http->post(u"/rest/v1/orders"_s, newOrder(), m_rival, "return=representation").array().first().toObject();
        const QString mineFilter = u"?id=eq."_s + QString::number(mine.value(u"id"_s).toInteger());
        const QString theirFilter = u"?id=eq."_s + QString::number(theirs.value(u"id"_s).toInteger());
        const auto statusOf = [this](const QJsonObject &order) {
            return m_server->store().rowByKey(TradingSchema::Orders, order.value(u"id"_s))->value(u"status"_s).toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(mine), u"accepted"_s, 5000); // a limit far from the market: working

        // Only `status` is granted, and only the move to cancel_requested passes the policy.
        const HttpResult qty = m_http->patch(u"/rest/v1/orders"_s + mineFilter, QJsonObject{{u"qty"_s, 3}}, m_demo);
        verifyPostgrestError(qty, 403, u"42501"_s);
        QCOMPARE(qty.object().value(u"message"_s).toString(), u"permission denied for table orders"_s);
        verifyPostgrestError(m_http->patch(u"/rest/v1/orders"_s + mineFilter, QJsonObject{{u"user_id"_s, rivalId()}}, m_demo),
                             403, u"42501"_s);
        const HttpResult filled = m_http->patch(u"/rest/v1/orders"_s + mineFilter, QJsonObject{{u"status"_s, u"filled"_s}}, m_demo);
        verifyPostgrestError(filled, 403, u"42501"_s);
        QCOMPARE(filled.object().value(u"message"_s).toString(), u"new row violates row-level security policy for table \"orders\""_s);
        verifyPostgrestError(m_http->patch(u"/rest/v1/orders"_s + mineFilter, QJsonObject{{u"status"_s, u"gone"_s}}, m_demo),
                             400, u"22P02"_s);

        // Someone else's order is simply not there for an UPDATE.
        const HttpResult foreign = m_http->patch(u"/rest/v1/orders"_s + theirFilter, QJsonObject{{u"status"_s, u"cancel_requested"_s}},
                                                 m_demo, "return=representation");
        QCOMPARE(foreign.status, 200);
        QCOMPARE(foreign.array().size(), 0);
        QCOMPARE(statusOf(theirs), u"accepted"_s);

        const HttpResult cancel = m_http->patch(u"/rest/v1/orders"_s + mineFilter, QJsonObject{{u"status"_s, u"cancel_requested"_s}},
                                                m_demo, "return=representation");
        QCOMPARE(cancel.status, 200);
        QCOMPARE(cancel.array().size(), 1);
        const QJsonObject requested = cancel.array().first().toObject();
        QCOMPARE(requested.value(u"status"_s).toString(), u"cancel_requested"_s);
        QVERIFY(requested.value(u"updated_at"_s) != mine.value(u"updated_at"_s)); // the trigger
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(mine), u"canceled"_s, 5000);
        // A closed order is out of the policy's reach: nothing to update.
        const HttpResult again = m_http->patch(u"/rest/v1/orders"_s + mineFilter, QJsonObject{{u"status"_s, u"cancel_requested"_s}},
                                               m_demo, "return=representation");
        QCOMPARE(again.array().size(), 0);
        QCOMPARE(m_http->patch(u"/rest/v1/orders"_s + mineFilter, QJsonObject{{u"status"_s, u"cancel_requested"_s}}, m_demo).status, 204);

        // Clients cannot delete; the service role can (with filters and a representation).
        verifyPostgrestError(m_http->del(u"/rest/v1/orders"_s + mineFilter, m_demo), 403, u"42501"_s);
        verifyPostgrestError(m_http->del(u"/rest/v1/orders"_s + mineFilter), 401, u"42501"_s);
        const HttpResult deleted = m_http->del(u"/rest/v1/orders"_s + mineFilter, m_server->serviceRoleKey(), "return=representation");
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.array().first().toObject().value(u"status"_s).toString(), u"canceled"_s);
        QVERIFY(!m_server->store().rowByKey(TradingSchema::Orders, mine.value(u"id"_s)));
        QCOMPARE(m_http->del(u"/rest/v1/orders"_s + theirFilter, m_server->serviceRoleKey()).status, 204);
        QVERIFY(!m_server->store().rowByKey(TradingSchema::Orders, theirs.value(u"id"_s)));
        // And a service-role PATCH may set any column.
        QCOMPARE(m_http->patch(u"/rest/v1/positions?symbol=eq.AAPL"_s, QJsonObject{{u"qty"_s, 101}}, m_server->serviceRoleKey(),
                               "return=representation").array().size(), 1);
    }

    void badAndExpiredTokens()
    {
        const JwtSigner signer(m_server->config().jwtSecret);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QString expired = signer.sign(QJsonObject{{u"sub"_s, demoId()}, {u"role"_s, u"authenticated"_s},
                                                        {u"exp"_s, now - 30}, {u"iat"_s, now - 90}});
        const HttpResult late = m_http->get(u"/rest/v1/positions"_s, expired);
        verifyPostgrestError(late, 401, u"PGRST303"_s);
        QCOMPARE(late.object().value(u"message"_s).toString(), u"JWT expired"_s);
        QCOMPARE(late.header("WWW-Authenticate"),
                 QByteArray("Bearer error=\"invalid_token\", error_description=\"JWT expired\""));

        verifyPostgrestError(m_http->get(u"/rest/v1/positions"_s, u"not-a-jwt"_s), 401, u"PGRST301"_s);
        const QString foreign = JwtSigner("some-other-projects-secret-0123456789").sign(
            QJsonObject{{u"sub"_s, demoId()}, {u"role"_s, u"authenticated"_s}, {u"exp"_s, now + 600}});
        const HttpResult wrongKey = m_http->get(u"/rest/v1/positions"_s, foreign);
        verifyPostgrestError(wrongKey, 401, u"PGRST301"_s);
        QVERIFY(wrongKey.header("WWW-Authenticate").startsWith("Bearer error=\"invalid_token\""));
    }

    void apiKeyIsRequired()
    {
        Http noKey(m_server->url(), QString());
        const HttpResult missing = noKey.get(u"/rest/v1/instruments"_s);
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.object().value(u"message"_s).toString(), u"No API key found in request"_s);
        const HttpResult query = noKey.get(u"/rest/v1/instruments?apikey="_s + m_server->anonKey());
        QCOMPARE(query.status, 200);
        Http wrongKey(m_server->url(), u"eyJ.nope.nope"_s);
        QCOMPARE(wrongKey.get(u"/rest/v1/instruments"_s).object().value(u"message"_s).toString(), u"Invalid API key"_s);
        QCOMPARE(m_http->get(u"/graphql/v1"_s).status, 404);
    }

    void storeMutationsAreVisible()
    {
        // Tests (and later convergence checks) write to the tables directly.
        m_server->store().insertRow(TradingSchema::Positions, QJsonObject{{u"user_id"_s, demoId()}, {u"symbol"_s, u"KO"_s},
                                                                          {u"qty"_s, 7}});
        QCOMPARE(m_http->get(u"/rest/v1/positions?symbol=eq.KO"_s, m_demo).array().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSimRest)
#include "tst_simrest.moc"
