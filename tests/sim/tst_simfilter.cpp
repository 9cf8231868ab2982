// Row filters: the Realtime filter grammar, PostgREST filter values, typed matching, and RLS.
#include "rowfilter.h"
#include "rowsecurity.h"
#include "tradingschema.h"

#include <QTest>

using namespace tf::sim;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(FilterOp)

class TestSimFilter : public QObject
{
    Q_OBJECT

private:
    static bool matches(const QString &filter, const QJsonObject &row)
    {
        const FilterParseResult parsed = parseRealtimeFilter(filter);
        if (!parsed.ok())
            qFatal("filter did not parse");
        DbError error;
        const auto bound = RowFilter::bind(TradingSchema::orders(), parsed.conditions, &error);
        if (!bound)
            qFatal("filter did not bind");
        return bound->matches(row);
    }

private Q_SLOTS:
    void realtimeFilterGrammar_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("column");
        QTest::addColumn<FilterOp>("op");
        QTest::addColumn<QStringList>("values");
        QTest::newRow("eq int") << u"user_id=eq.42"_s << 1 << u"user_id"_s << FilterOp::Eq << QStringList{u"42"_s};
        QTest::newRow("neq") << u"status=neq.filled"_s << 1 << u"status"_s << FilterOp::Neq << QStringList{u"filled"_s};
        QTest::newRow("gte timestamp") << u"updated_at=gte.2026-08-21T10:00:00+00:00"_s << 1 << u"updated_at"_s
                                       << FilterOp::Gte << QStringList{u"2026-08-21T10:00:00+00:00"_s};
        QTest::newRow("in list") << u"status=in.(new,accepted)"_s << 1 << u"status"_s << FilterOp::In
                                 << QStringList{u"new"_s, u"accepted"_s};
        QTest::newRow("in quoted") << u"symbol=in.(\"a b\",c)"_s << 1 << u"symbol"_s << FilterOp::In
                                   << QStringList{u"a b"_s, u"c"_s};
        QTest::newRow("quoted comma") << u"symbol=eq.\"a,b\""_s << 1 << u"symbol"_s << FilterOp::Eq << QStringList{u"a,b"_s};
        QTest::newRow("escaped quote") << u"symbol=eq.\"say \\\"hi\\\"\""_s << 1 << u"symbol"_s << FilterOp::Eq
                                       << QStringList{u"say \"hi\""_s};
        QTest::newRow("and") << u"qty=gt.1,status=eq.new"_s << 2 << u"qty"_s << FilterOp::Gt << QStringList{u"1"_s};
        QTest::newRow("lt") << u"qty=lt.5"_s << 1 << u"qty"_s << FilterOp::Lt << QStringList{u"5"_s};
        QTest::newRow("lte") << u"qty=lte.5"_s << 1 << u"qty"_s << FilterOp::Lte << QStringList{u"5"_s};
        QTest::newRow("blank means none") << u"   "_s << 0 << QString() << FilterOp::Eq << QStringList{};
    }

    void realtimeFilterGrammar()
    {
        QFETCH(QString, filter);
        QFETCH(int, count);
        QFETCH(QString, column);
        QFETCH(FilterOp, op);
        QFETCH(QStringList, values);
        const FilterParseResult result = parseRealtimeFilter(filter);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.conditions.size(), count);
        if (count > 0) {
            QCOMPARE(result.conditions.first().column, column);
            QCOMPARE(result.conditions.first().op, op);
            QCOMPARE(result.conditions.first().values, values);
        }
    }

    void realtimeFilterErrors_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("error");
        QTest::newRow("no operator") << u"user_id"_s << u"Error parsing `filter` params: [\"user_id\"]"_s;
        QTest::newRow("unknown op") << u"title=like.a%"_s << u"Error parsing `filter` params: [\"title=like.a%\"]"_s;
        QTest::newRow("stray comma") << u"a=eq.1,"_s << u"Error parsing `filter` params: [\"a=eq.1\", \"\"]"_s;
        QTest::newRow("unterminated quote") << u"a=eq.\"x"_s << u"Error parsing `filter` params: [\"a=eq.\"x\"]"_s;
        QTest::newRow("in without parens") << u"a=in.1,2"_s << u"Error parsing `filter` params: [\"a=in.1\", \"2\"]"_s;
        QTest::newRow("empty in") << u"a=in.()"_s << u"Error parsing `filter` params: [\"a=in.()\"]"_s;
    }

    void realtimeFilterErrors()
    {
        QFETCH(QString, filter);
        QFETCH(QString, error);
        const FilterParseResult result = parseRealtimeFilter(filter);
        QVERIFY(!result.ok());
        QCOMPARE(result.error, error);
    }

    void inListIsCappedAt100()
    {
        QStringList items;
        for (int i = 0; i < 101; ++i)
            items.append(QString::number(i));
        const FilterParseResult result = parseRealtimeFilter(QStringLiteral("id=in.(%1)").arg(items.join(QLatin1Char(','))));
        QCOMPARE(result.error, QStringLiteral("too many values for `in` filter. Maximum 100"));
    }

    void postgrestFilterValues()
    {
        QString error;
        // Simple operators take the rest verbatim: quotes are literal characters.
        auto c = parsePostgrestFilter(QStringLiteral("symbol"), QStringLiteral("eq.\"AAPL\""), &error);
        QVERIFY(c);
        QCOMPARE(c->values, QStringList{QStringLiteral("\"AAPL\"")});
        c = parsePostgrestFilter(QStringLiteral("updated_at"), QStringLiteral("gt.2026-08-21T10:15:30.1+00:00"), &error);
        QCOMPARE(c->values, QStringList{QStringLiteral("2026-08-21T10:15:30.1+00:00")});
        c = parsePostgrestFilter(QStringLiteral("status"), QStringLiteral("not.in.(filled,\"canceled\")"), &error);
        QVERIFY(c->negated);
        QCOMPARE(c->op, FilterOp::In);
        QCOMPARE(c->values, (QStringList{QStringLiteral("filled"), QStringLiteral("canceled")}));
        c = parsePostgrestFilter(QStringLiteral("limit_price"), QStringLiteral("is.null"), &error);
        QCOMPARE(c->op, FilterOp::Is);
        QVERIFY(!parsePostgrestFilter(QStringLiteral("a"), QStringLiteral("like.x"), &error));
        QVERIFY(error.contains(QStringLiteral("\"like\"")));
        QVERIFY(!parsePostgrestFilter(QStringLiteral("a"), QStringLiteral("is.maybe"), &error));
        QVERIFY(!parsePostgrestFilter(QStringLiteral("a"), QStringLiteral("in.1,2"), &error));
    }

    void typedMatching()
    {
        const QJsonObject row{{QStringLiteral("id"), 10},
                              {QStringLiteral("qty"), 2.5},
                              {QStringLiteral("symbol"), QStringLiteral("AAPL")},
                              {QStringLiteral("status"), QStringLiteral("accepted")},
                              {QStringLiteral("limit_price"), QJsonValue(QJsonValue::Null)},
                              {QStringLiteral("updated_at"), QStringLiteral("2026-08-21T10:15:30.120511+00:00")}};
        QVERIFY(matches(QStringLiteral("id=eq.10"), row));
        QVERIFY(!matches(QStringLiteral("id=eq.9"), row));
        QVERIFY(matches(QStringLiteral("qty=gt.2"), row));       // numbers compare as numbers,
        QVERIFY(!matches(QStringLiteral("qty=gt.10"), row));     // not as text ("2.5" > "10")
        QVERIFY(matches(QStringLiteral("id=in.(1,10,100)"), row));
        QVERIFY(matches(QStringLiteral("symbol=neq.MSFT"), row));
        // Timestamps compare as instants, whatever the offset notation.
        QVERIFY(matches(QStringLiteral("updated_at=gt.2026-08-21T12:15:30.12+02:00"), row));
        QVERIFY(matches(QStringLiteral("updated_at=eq.2026-08-21T10:15:30.120511Z"), row));
        QVERIFY(!matches(QStringLiteral("updated_at=gt.2026-08-21T10:15:30.120511+00:00"), row));
        // Enums sort by declaration order: new < accepted < partially_filled < filled ...
        QVERIFY(matches(QStringLiteral("status=lt.filled"), row));
        QVERIFY(matches(QStringLiteral("status=gt.new"), row));
        // NULL never matches a comparison, not even neq.
        QVERIFY(!matches(QStringLiteral("limit_price=neq.5"), row));
        QVERIFY(!matches(QStringLiteral("limit_price=eq.5"), row));
        // AND.
        QVERIFY(matches(QStringLiteral("qty=gt.1,status=eq.accepted"), row));
        QVERIFY(!matches(QStringLiteral("qty=gt.1,status=eq.new"), row));
        // A column missing from the image (PK-only DELETE old record) does not match.
        QVERIFY(!matches(QStringLiteral("symbol=eq.AAPL"), QJsonObject{{QStringLiteral("id"), 10}}));
    }

    void bindingChecksColumnsAndTypes()
    {
        DbError error;
        QVERIFY(!RowFilter::bind(TradingSchema::orders(), parseRealtimeFilter(QStringLiteral("nope=eq.1")).conditions, &error));
        QCOMPARE(error.code, QStringLiteral("42703"));
        QCOMPARE(error.message, QStringLiteral("column orders.nope does not exist"));
        QVERIFY(!RowFilter::bind(TradingSchema::orders(), parseRealtimeFilter(QStringLiteral("id=eq.abc")).conditions, &error));
        QCOMPARE(error.code, QStringLiteral("22P02"));
        QCOMPARE(error.message, QStringLiteral("invalid input syntax for type bigint: \"abc\""));
        QVERIFY(!RowFilter::bind(TradingSchema::orders(), parseRealtimeFilter(QStringLiteral("status=eq.open")).conditions, &error));
        QCOMPARE(error.message, QStringLiteral("invalid input value for enum order_status: \"open\""));
        QVERIFY(!RowFilter::bind(TradingSchema::orders(), parseRealtimeFilter(QStringLiteral("updated_at=gt.2026-08-21T10:15:30 00:00")).conditions, &error));
        QCOMPARE(error.code, QStringLiteral("22007"));
    }

    void negationAndIs()
    {
        DbError error;
        QString parseError;
        const auto notIn = parsePostgrestFilter(QStringLiteral("status"), QStringLiteral("not.in.(filled,canceled)"), &parseError);
        const auto isNull = parsePostgrestFilter(QStringLiteral("limit_price"), QStringLiteral("is.null"), &parseError);
        const auto notNull = parsePostgrestFilter(QStringLiteral("limit_price"), QStringLiteral("not.is.null"), &parseError);
        const QJsonObject open{{QStringLiteral("status"), QStringLiteral("new")}, {QStringLiteral("limit_price"), QJsonValue(QJsonValue::Null)}};
        const QJsonObject done{{QStringLiteral("status"), QStringLiteral("filled")}, {QStringLiteral("limit_price"), 5}};
        const auto f1 = RowFilter::bind(TradingSchema::orders(), {*notIn}, &error);
        QVERIFY(f1->matches(open));
        QVERIFY(!f1->matches(done));
        const auto f2 = RowFilter::bind(TradingSchema::orders(), {*isNull}, &error);
        QVERIFY(f2->matches(open));
        QVERIFY(!f2->matches(done));
        const auto f3 = RowFilter::bind(TradingSchema::orders(), {*notNull}, &error);
        QVERIFY(!f3->matches(open));
        QVERIFY(f3->matches(done));
    }

    void rowLevelSecurity()
    {
        const TableDef orders = TradingSchema::orders();
        const TableDef positions = TradingSchema::positions();
        const TableDef instruments = TradingSchema::instruments();
        const QJsonObject mine{{u"user_id"_s, u"me"_s}, {u"status"_s, u"accepted"_s}};
        const QJsonObject theirs{{u"user_id"_s, u"them"_s}, {u"status"_s, u"accepted"_s}};
        const AccessContext me = AccessContext::user(u"me"_s);
        const AccessContext anon = AccessContext::anon();
        const AccessContext service = AccessContext::serviceRole();

        // SELECT
        QVERIFY(RowSecurity::canRead(orders, me, mine));
        QVERIFY(!RowSecurity::canRead(orders, me, theirs));
        QVERIFY(!RowSecurity::canRead(orders, anon, mine));
        QVERIFY(RowSecurity::canRead(orders, service, theirs));
        QVERIFY(RowSecurity::canRead(instruments, anon, QJsonObject()));
        QVERIFY(RowSecurity::canRead(instruments, me, QJsonObject()));

        // INSERT: column grants, then the policy.
        QVERIFY(!RowSecurity::checkInsertColumns(orders, me, {u"symbol"_s, u"side"_s, u"qty"_s, u"client_order_id"_s}));
        const auto status = RowSecurity::checkInsertColumns(orders, me, {u"symbol"_s, u"status"_s});
        QCOMPARE(status->httpStatus, 403);
        QCOMPARE(status->message, u"permission denied for table orders"_s);
        QCOMPARE(RowSecurity::checkInsertColumns(orders, anon, {u"symbol"_s})->httpStatus, 401);
        QCOMPARE(RowSecurity::checkInsertColumns(positions, me, {u"symbol"_s})->httpStatus, 403);
        QCOMPARE(RowSecurity::checkInsertColumns(instruments, me, {u"symbol"_s})->httpStatus, 403);
        QVERIFY(!RowSecurity::checkInsertColumns(positions, service, {u"symbol"_s}));
        QVERIFY(!RowSecurity::checkInsertRow(orders, me, mine));
        const auto foreign = RowSecurity::checkInsertRow(orders, me, theirs);
        QCOMPARE(foreign->code, u"42501"_s);
        QCOMPARE(foreign->message, u"new row violates row-level security policy for table \"orders\""_s);

        // UPDATE: only status, only of an open order of one's own, only to cancel_requested.
        QVERIFY(!RowSecurity::checkUpdateColumns(orders, me, {u"status"_s}));
        QVERIFY(RowSecurity::checkUpdateColumns(orders, me, {u"qty"_s}));
        QVERIFY(RowSecurity::checkUpdateColumns(positions, me, {u"qty"_s}));
        QVERIFY(RowSecurity::canUpdate(orders, me, mine));
        QVERIFY(!RowSecurity::canUpdate(orders, me, theirs));
        QVERIFY(!RowSecurity::canUpdate(orders, me, QJsonObject{{u"user_id"_s, u"me"_s}, {u"status"_s, u"filled"_s}}));
        QVERIFY(!RowSecurity::checkUpdatedRow(orders, me, QJsonObject{{u"user_id"_s, u"me"_s}, {u"status"_s, u"cancel_requested"_s}}));
        QVERIFY(RowSecurity::checkUpdatedRow(orders, me, QJsonObject{{u"user_id"_s, u"me"_s}, {u"status"_s, u"filled"_s}}));

        // DELETE: no grant for clients.
        QCOMPARE(RowSecurity::checkDeleteGrant(orders, me)->httpStatus, 403);
        QCOMPARE(RowSecurity::checkDeleteGrant(orders, anon)->httpStatus, 401);
        QVERIFY(!RowSecurity::checkDeleteGrant(orders, service));

        QCOMPARE(AccessContext::fromClaims(QJsonObject{{u"role"_s, u"authenticated"_s}, {u"sub"_s, u"me"_s}}).role,
                 DbRole::Authenticated);
        QCOMPARE(AccessContext::fromClaims(QJsonObject{{u"role"_s, u"anon"_s}}).role, DbRole::Anon);
        QCOMPARE(AccessContext::fromClaims(QJsonObject{{u"role"_s, u"service_role"_s}}).role, DbRole::ServiceRole);
    }
};

QTEST_GUILESS_MAIN(TestSimFilter)
#include "tst_simfilter.moc"
