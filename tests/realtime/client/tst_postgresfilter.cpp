// PostgresFilter: building and quoting (§5.4), parsing user input back with clear errors,
// the server/client split of compound filters, and client-side evaluation against records.
#include "postgresfilter.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using tf::FilterCondition;
using tf::PostgresFilter;

namespace {
QJsonObject record(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QJsonArray numbers(int count)
{
    QJsonArray array;
    for (int i = 0; i < count; ++i)
        array.append(i);
    return array;
}
} // namespace

class TestPostgresFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builders_data()
    {
        QTest::addColumn<PostgresFilter>("filter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("eq int") << PostgresFilter::eq(u"user_id"_s, 42) << u"user_id=eq.42"_s;
        QTest::newRow("eq big int") << PostgresFilter::eq(u"id"_s, qint64(9007199254740991)) << u"id=eq.9007199254740991"_s;
        QTest::newRow("eq double") << PostgresFilter::eq(u"price"_s, 0.1) << u"price=eq.0.1"_s;
        QTest::newRow("eq bool") << PostgresFilter::eq(u"open"_s, true) << u"open=eq.true"_s;
        QTest::newRow("neq word") << PostgresFilter::neq(u"status"_s, u"closed"_s) << u"status=neq.closed"_s;
        QTest::newRow("lt") << PostgresFilter::lt(u"qty"_s, 5) << u"qty=lt.5"_s;
        QTest::newRow("lte") << PostgresFilter::lte(u"qty"_s, 5) << u"qty=lte.5"_s;
        QTest::newRow("gt timestamp") << PostgresFilter::gt(u"at"_s, u"2026-08-21T10:00:00Z"_s) << u"at=gt.2026-08-21T10:00:00Z"_s;
        QTest::newRow("gte") << PostgresFilter::gte(u"qty"_s, -1) << u"qty=gte.-1"_s;
        QTest::newRow("inner space stays bare") << PostgresFilter::eq(u"title"_s, u"a b"_s) << u"title=eq.a b"_s;
        QTest::newRow("comma quoted") << PostgresFilter::eq(u"title"_s, u"a,b"_s) << u"title=eq.\"a,b\""_s;
        QTest::newRow("parens quoted") << PostgresFilter::eq(u"title"_s, u"f(x)"_s) << u"title=eq.\"f(x)\""_s;
        QTest::newRow("quote escaped") << PostgresFilter::eq(u"title"_s, u"say \"hi\""_s) << u"title=eq.\"say \\\"hi\\\"\""_s;
        QTest::newRow("backslash escaped") << PostgresFilter::eq(u"path"_s, u"a\\b"_s) << u"path=eq.\"a\\\\b\""_s;
        QTest::newRow("edge whitespace quoted") << PostgresFilter::eq(u"title"_s, u" x "_s) << u"title=eq.\" x \""_s;
        QTest::newRow("empty quoted") << PostgresFilter::eq(u"title"_s, u""_s) << u"title=eq.\"\""_s;
        QTest::newRow("ampersand quoted") << PostgresFilter::eq(u"name"_s, u"AT&T"_s) << u"name=eq.\"AT&T\""_s;
        QTest::newRow("in words") << PostgresFilter::in(u"status"_s, {u"open"_s, u"closed"_s}) << u"status=in.(open,closed)"_s;
        QTest::newRow("in numbers dedup") << PostgresFilter::in(u"id"_s, {1, 2, 2, 3}) << u"id=in.(1,2,3)"_s;
        QTest::newRow("in quoting") << PostgresFilter::in(u"city"_s, {u"Oslo, Norway"_s, u"a b"_s, u"NULL"_s, u"x\"y"_s, u""_s})
                                    << u"city=in.(\"Oslo, Norway\",\"a b\",\"NULL\",\"x\\\"y\",\"\")"_s;
        QTest::newRow("is null") << PostgresFilter::is(u"deleted_at"_s, QJsonValue()) << u"deleted_at=is.null"_s;
        QTest::newRow("is true") << PostgresFilter::is(u"flag"_s, true) << u"flag=is.true"_s;
        QTest::newRow("is unknown") << PostgresFilter::is(u"flag"_s, u"UNKNOWN"_s) << u"flag=is.unknown"_s;
        QTest::newRow("not is null") << PostgresFilter::is(u"deleted_at"_s, QJsonValue()).negated() << u"deleted_at=not.is.null"_s;
        QTest::newRow("like") << PostgresFilter::like(u"title"_s, u"Re:%"_s) << u"title=like.Re:%"_s;
        QTest::newRow("ilike") << PostgresFilter::ilike(u"title"_s, u"%bond%"_s) << u"title=ilike.%bond%"_s;
        QTest::newRow("match") << PostgresFilter::match(u"sym"_s, u"^EUR"_s) << u"sym=match.^EUR"_s;
        QTest::newRow("imatch") << PostgresFilter::imatch(u"sym"_s, u"usd$"_s) << u"sym=imatch.usd$"_s;
        QTest::newRow("isdistinct") << PostgresFilter::isDistinct(u"desk"_s, u"fx"_s) << u"desk=isdistinct.fx"_s;
        QTest::newRow("not eq") << PostgresFilter::eq(u"s"_s, 1).negated() << u"s=not.eq.1"_s;
        QTest::newRow("double negation cancels") << PostgresFilter::eq(u"s"_s, 1).negated().negated() << u"s=eq.1"_s;
        QTest::newRow("compound") << PostgresFilter::eq(u"user_id"_s, 42).andAlso(PostgresFilter::eq(u"status"_s, u"open"_s))
                                  << u"user_id=eq.42&status=eq.open"_s;
    }

    void builders()
    {
        QFETCH(PostgresFilter, filter);
        QFETCH(QString, expected);
        QVERIFY2(filter.isValid(), qPrintable(filter.errorString()));
        QCOMPARE(filter.toString(), expected);
        // What we write, we read back to the same conditions.
        const PostgresFilter reparsed = PostgresFilter::parse(expected);
        QVERIFY2(reparsed.isValid(), qPrintable(reparsed.errorString()));
        QCOMPARE(reparsed.conditions(), filter.conditions());
        QCOMPARE(reparsed.toString(), expected);
    }

    void builderErrors_data()
    {
        QTest::addColumn<PostgresFilter>("filter");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("empty column") << PostgresFilter::eq(QString(), 1) << u"column name is empty"_s;
        QTest::newRow("column with comma") << PostgresFilter::eq(u"a,b"_s, 1) << u"contains ','"_s;
        QTest::newRow("column with space") << PostgresFilter::eq(u" a"_s, 1) << u"surrounding whitespace"_s;
        QTest::newRow("null operand") << PostgresFilter::eq(u"a"_s, QJsonValue()) << u"use is.null"_s;
        QTest::newRow("object operand") << PostgresFilter::eq(u"a"_s, QJsonObject()) << u"string, number or boolean"_s;
        QTest::newRow("empty in") << PostgresFilter::in(u"a"_s, {}) << u"in-list is empty"_s;
        QTest::newRow("in 101") << PostgresFilter::in(u"a"_s, numbers(101)) << u"maximum is 100"_s;
        QTest::newRow("in with null") << PostgresFilter::in(u"a"_s, {1, QJsonValue()}) << u"use is.null"_s;
        QTest::newRow("in not array") << PostgresFilter::where(u"a"_s, PostgresFilter::Operator::In, 1) << u"needs an array"_s;
        QTest::newRow("is bogus") << PostgresFilter::is(u"a"_s, u"maybe"_s) << u"only null, true, false or unknown"_s;
        QTest::newRow("bad regex") << PostgresFilter::match(u"a"_s, u"(unclosed"_s) << u"invalid regular expression"_s;
        QTest::newRow("negate compound") << PostgresFilter::eq(u"a"_s, 1).andAlso(PostgresFilter::eq(u"b"_s, 2)).negated()
                                         << u"exactly one condition"_s;
        QTest::newRow("error propagates") << PostgresFilter::eq(u"a"_s, 1).andAlso(PostgresFilter::in(u"b"_s, {}))
                                          << u"in-list is empty"_s;
    }

    void builderErrors()
    {
        QFETCH(PostgresFilter, filter);
        QFETCH(QString, errorPart);
        QVERIFY(!filter.isValid());
        QVERIFY2(filter.errorString().contains(errorPart), qPrintable(filter.errorString()));
        QVERIFY(filter.toString().isEmpty());
        QVERIFY(filter.serverFilter().isEmpty());
    }

    void in100IsAccepted()
    {
        const PostgresFilter filter = PostgresFilter::in(u"a"_s, numbers(100));
        QVERIFY(filter.isValid());
        QCOMPARE(filter.conditions().first().values.size(), 100);
    }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<int>("conditions");
        QTest::newRow("blank = no filter") << u"   "_s << QString() << 0;
        QTest::newRow("single") << u"user_id=eq.42"_s << u"user_id=eq.42"_s << 1;
        QTest::newRow("surrounding space trimmed") << u"  user_id=eq.42  "_s << u"user_id=eq.42"_s << 1;
        QTest::newRow("quoted comma") << u"title=eq.\"a,b\""_s << u"title=eq.\"a,b\""_s << 1;
        QTest::newRow("quoted plain unquotes") << u"title=eq.\"plain\""_s << u"title=eq.plain"_s << 1;
        QTest::newRow("in with spaces") << u"status=in.( open , closed )"_s << u"status=in.(open,closed)"_s << 1;
        QTest::newRow("in quoted item") << u"city=in.(\"a b\",c)"_s << u"city=in.(\"a b\",c)"_s << 1;
        QTest::newRow("in escaped quote") << u"city=in.(\"x\\\"y\")"_s << u"city=in.(\"x\\\"y\")"_s << 1;
        QTest::newRow("value with dot") << u"price=gt.1.5"_s << u"price=gt.1.5"_s << 1;
        QTest::newRow("is case folded") << u"flag=is.NULL"_s << u"flag=is.null"_s << 1;
        QTest::newRow("not like") << u"subject=not.like.hey%"_s << u"subject=not.like.hey%"_s << 1;
        QTest::newRow("ampersand compound") << u"user_id=eq.42&status=eq.open"_s << u"user_id=eq.42&status=eq.open"_s << 2;
        QTest::newRow("comma compound") << u"id=gt.0,id=lt.100"_s << u"id=gt.0&id=lt.100"_s << 2;
        QTest::newRow("comma inside in") << u"id=in.(1,2,3),s=eq.x"_s << u"id=in.(1,2,3)&s=eq.x"_s << 2;
        QTest::newRow("separator inside quotes") << u"t=eq.\"a&b,c\"&u=eq.1"_s << u"t=eq.\"a&b,c\"&u=eq.1"_s << 2;
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        QFETCH(int, conditions);
        const PostgresFilter filter = PostgresFilter::parse(text);
        QVERIFY2(filter.isValid(), qPrintable(filter.errorString()));
        QCOMPARE(filter.conditions().size(), conditions);
        QCOMPARE(filter.toString(), canonical);
        QCOMPARE(filter.isEmpty(), conditions == 0);
    }

    void parseValues()
    {
        const PostgresFilter filter = PostgresFilter::parse(u"title=eq.\"say \\\"hi\\\", ok\""_s);
        QVERIFY(filter.isValid());
        QCOMPARE(filter.conditions().first().value, u"say \"hi\", ok"_s);

        const PostgresFilter list = PostgresFilter::parse(u"c=in.(\"Oslo, Norway\", Bergen ,\"\")"_s);
        QVERIFY(list.isValid());
        QCOMPARE(list.conditions().first().values, QStringList({u"Oslo, Norway"_s, u"Bergen"_s, QString()}));

        const PostgresFilter negated = PostgresFilter::parse(u"d=not.is.null"_s);
        QVERIFY(negated.conditions().first().negated);
        QCOMPARE(negated.conditions().first().op, FilterCondition::Operator::Is);
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("undefined") << u"undefined"_s << u"missing '='"_s;
        QTest::newRow("unknown operator") << u"subject=foo.hey"_s << u"unknown operator 'foo'"_s;
        QTest::newRow("no operator") << u"subject=hey"_s << u"expected <operator>.<value>"_s;
        QTest::newRow("empty column") << u"=eq.1"_s << u"column name is empty"_s;
        QTest::newRow("stray comma") << u"a=eq.1,"_s << u"empty condition"_s;
        QTest::newRow("double ampersand") << u"a=eq.1&&b=eq.2"_s << u"empty condition"_s;
        QTest::newRow("in without parens") << u"a=in.1,2"_s << u"parenthesised list"_s;
        QTest::newRow("empty in") << u"a=in.()"_s << u"in-list is empty"_s;
        QTest::newRow("empty in item") << u"a=in.(1,,2)"_s << u"empty value"_s;
        QTest::newRow("in null") << u"a=in.(1,null)"_s << u"use is.null"_s;
        QTest::newRow("in unquoted brace") << u"a=in.(x{y)"_s << u"must be quoted"_s;
        QTest::newRow("in text after quote") << u"a=in.(\"x\"y)"_s << u"after a quoted"_s;
        QTest::newRow("unterminated quote") << u"a=eq.\"abc"_s << u"unterminated"_s;
        QTest::newRow("text after quote") << u"a=eq.\"abc\"def"_s << u"after the closing quote"_s;
        QTest::newRow("unbalanced open") << u"a=in.(1,2"_s << u"unbalanced"_s;
        QTest::newRow("unbalanced close") << u"a=eq.x)"_s << u"unbalanced"_s;
        QTest::newRow("is bogus") << u"a=is.maybe"_s << u"only null, true, false or unknown"_s;
        QTest::newRow("bad regex") << u"a=match.(x"_s << u"unbalanced"_s;
        QTest::newRow("bad regex quoted") << u"a=match.\"[x\""_s << u"invalid regular expression"_s;
        QTest::newRow("operator case") << u"a=EQ.1"_s << u"unknown operator 'EQ'"_s;
    }

    void parseErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, errorPart);
        const PostgresFilter filter = PostgresFilter::parse(text);
        QVERIFY(!filter.isValid());
        QVERIFY2(filter.errorString().contains(errorPart), qPrintable(filter.errorString()));
        QVERIFY(filter.conditions().isEmpty());
    }

    void in101ParsedIsRefused()
    {
        QStringList items;
        for (int i = 0; i < 101; ++i)
            items.append(QString::number(i));
        const PostgresFilter filter = PostgresFilter::parse(u"id=in.(%1)"_s.arg(items.join(u',')));
        QVERIFY(!filter.isValid());
        QVERIFY(filter.errorString().contains(u"maximum is 100"_s));
    }

    void serverAndClientSplit()
    {
        const PostgresFilter filter = PostgresFilter::parse(u"user_id=eq.42&status=in.(open,pending)&qty=gt.0"_s);
        QVERIFY(filter.isValid());
        QCOMPARE(filter.serverFilter(), u"user_id=eq.42"_s);
        QVERIFY(filter.hasClientConditions());
        QCOMPARE(filter.clientConditions().size(), 2);
        QCOMPARE(filter.clientConditions().first().column, u"status"_s);

        // The server already applied the first condition; the client only checks the rest.
        const QJsonObject otherUser = record(R"({"user_id":7,"status":"open","qty":3})");
        QVERIFY(filter.matchesClientConditions(otherUser));
        QVERIFY(!filter.matches(otherUser));
        QVERIFY(!filter.matchesClientConditions(record(R"({"user_id":42,"status":"closed","qty":3})")));
        QVERIFY(filter.matches(record(R"({"user_id":42,"status":"pending","qty":1})")));

        const PostgresFilter single = PostgresFilter::eq(u"a"_s, 1);
        QVERIFY(!single.hasClientConditions());
        QVERIFY(single.matchesClientConditions(record(R"({"a":2})")));
        QVERIFY(PostgresFilter().matches(record("{}")));
    }

    void evaluate_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QByteArray>("row");
        QTest::addColumn<int>("expected"); // 1 true, 0 false, -1 unknown (NULL involved)

        QTest::newRow("eq number") << u"n=eq.42"_s << QByteArray(R"({"n":42})") << 1;
        QTest::newRow("eq number as float text") << u"n=eq.42.0"_s << QByteArray(R"({"n":42})") << 1;
        QTest::newRow("eq number mismatch") << u"n=eq.41"_s << QByteArray(R"({"n":42})") << 0;
        QTest::newRow("numeric not lexical") << u"n=gt.9"_s << QByteArray(R"({"n":10})") << 1;
        QTest::newRow("lexical for text") << u"s=gt.9"_s << QByteArray(R"({"s":"10"})") << 0;
        QTest::newRow("number vs word is unknown") << u"n=eq.abc"_s << QByteArray(R"({"n":1})") << -1;
        QTest::newRow("lt") << u"n=lt.5"_s << QByteArray(R"({"n":4.5})") << 1;
        QTest::newRow("lte equal") << u"n=lte.5"_s << QByteArray(R"({"n":5})") << 1;
        QTest::newRow("gte below") << u"n=gte.5"_s << QByteArray(R"({"n":4})") << 0;
        QTest::newRow("neq") << u"s=neq.open"_s << QByteArray(R"({"s":"closed"})") << 1;
        QTest::newRow("eq string") << u"s=eq.open"_s << QByteArray(R"({"s":"open"})") << 1;
        QTest::newRow("eq case sensitive") << u"s=eq.open"_s << QByteArray(R"({"s":"Open"})") << 0;
        QTest::newRow("bool t") << u"b=eq.t"_s << QByteArray(R"({"b":true})") << 1;
        QTest::newRow("bool false") << u"b=eq.false"_s << QByteArray(R"({"b":true})") << 0;
        QTest::newRow("timestamp instants") << u"at=eq.2026-08-21T10:15:30.120Z"_s
                                            << QByteArray(R"({"at":"2026-08-21T10:15:30.120+00:00"})") << 1;
        QTest::newRow("timestamp offset") << u"at=gt.2026-08-21T10:00:00Z"_s
                                          << QByteArray(R"({"at":"2026-08-21T11:30:00+02:00"})") << 0;
        QTest::newRow("null never equal") << u"s=eq.x"_s << QByteArray(R"({"s":null})") << -1;
        QTest::newRow("null never unequal") << u"s=neq.x"_s << QByteArray(R"({"s":null})") << -1;
        QTest::newRow("missing is null") << u"s=lt.x"_s << QByteArray(R"({})") << -1;
        QTest::newRow("not keeps unknown") << u"s=not.eq.x"_s << QByteArray(R"({"s":null})") << -1;
        QTest::newRow("not eq") << u"s=not.eq.x"_s << QByteArray(R"({"s":"y"})") << 1;
        QTest::newRow("in hit") << u"s=in.(open,pending)"_s << QByteArray(R"({"s":"pending"})") << 1;
        QTest::newRow("in miss") << u"s=in.(open,pending)"_s << QByteArray(R"({"s":"closed"})") << 0;
        QTest::newRow("in numbers") << u"id=in.(1,2,3)"_s << QByteArray(R"({"id":2})") << 1;
        QTest::newRow("in null") << u"id=in.(1,2)"_s << QByteArray(R"({"id":null})") << -1;
        QTest::newRow("not in") << u"id=not.in.(1,2)"_s << QByteArray(R"({"id":3})") << 1;
        QTest::newRow("like prefix") << u"t=like.Re:%"_s << QByteArray(R"({"t":"Re: hello"})") << 1;
        QTest::newRow("like case") << u"t=like.re:%"_s << QByteArray(R"({"t":"Re: hello"})") << 0;
        QTest::newRow("ilike") << u"t=ilike.re:%"_s << QByteArray(R"({"t":"Re: hello"})") << 1;
        QTest::newRow("like underscore") << u"t=like.a_c"_s << QByteArray(R"({"t":"abc"})") << 1;
        QTest::newRow("like anchored") << u"t=like.b"_s << QByteArray(R"({"t":"abc"})") << 0;
        QTest::newRow("like escaped percent") << u"t=like.100\\%"_s << QByteArray(R"({"t":"100%"})") << 1;
        QTest::newRow("like escaped percent literal") << u"t=like.100\\%"_s << QByteArray(R"({"t":"1000"})") << 0;
        QTest::newRow("like regex chars literal") << u"t=like.a.c"_s << QByteArray(R"({"t":"abc"})") << 0;
        QTest::newRow("like null") << u"t=like.%"_s << QByteArray(R"({"t":null})") << -1;
        QTest::newRow("match unanchored") << u"s=match.USD"_s << QByteArray(R"({"s":"EURUSD"})") << 1;
        QTest::newRow("match anchored") << u"s=match.^USD"_s << QByteArray(R"({"s":"EURUSD"})") << 0;
        QTest::newRow("imatch") << u"s=imatch.^eur"_s << QByteArray(R"({"s":"EURUSD"})") << 1;
        QTest::newRow("is null hit") << u"d=is.null"_s << QByteArray(R"({"d":null})") << 1;
        QTest::newRow("is null missing") << u"d=is.null"_s << QByteArray(R"({})") << 1;
        QTest::newRow("is null miss") << u"d=is.null"_s << QByteArray(R"({"d":"x"})") << 0;
        QTest::newRow("not is null") << u"d=not.is.null"_s << QByteArray(R"({"d":"x"})") << 1;
        QTest::newRow("is true") << u"f=is.true"_s << QByteArray(R"({"f":true})") << 1;
        QTest::newRow("is false on null") << u"f=is.false"_s << QByteArray(R"({"f":null})") << 0;
        QTest::newRow("is unknown") << u"f=is.unknown"_s << QByteArray(R"({"f":null})") << 1;
        QTest::newRow("isdistinct null") << u"d=isdistinct.fx"_s << QByteArray(R"({"d":null})") << 1;
        QTest::newRow("isdistinct same") << u"d=isdistinct.fx"_s << QByteArray(R"({"d":"fx"})") << 0;
        QTest::newRow("isdistinct other") << u"d=isdistinct.fx"_s << QByteArray(R"({"d":"eq"})") << 1;
        QTest::newRow("not isdistinct null") << u"d=not.isdistinct.fx"_s << QByteArray(R"({"d":null})") << 0;
        // Found by fuzzing (tests/fuzz/corpus/postgres_change): numbers outside qint64's range
        // were cast to it unchecked (undefined behaviour) when read as text for like/match.
        QTest::newRow("like huge number") << u"n=like.1e+30%"_s << QByteArray(R"({"n":1e300})") << 1;
        QTest::newRow("match huge negative") << u"n=match.^-1e"_s << QByteArray(R"({"n":-1e300})") << 1;
        QTest::newRow("like beyond 2^53") << u"n=like.1e+16"_s << QByteArray(R"({"n":1e16})") << 1;
        QTest::newRow("like exact integer") << u"n=like.9007199254740992"_s << QByteArray(R"({"n":9007199254740992})") << 1;
    }

    void evaluate()
    {
        QFETCH(QString, filter);
        QFETCH(QByteArray, row);
        QFETCH(int, expected);
        const PostgresFilter parsed = PostgresFilter::parse(filter);
        QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString()));
        const std::optional<bool> result = parsed.conditions().first().evaluate(QJsonDocument::fromJson(row).object());
        const int actual = result ? int(*result) : -1;
        QCOMPARE(actual, expected);
        QCOMPARE(parsed.matches(QJsonDocument::fromJson(row).object()), expected == 1);
    }
};

QTEST_GUILESS_MAIN(TestPostgresFilter)
#include "tst_postgresfilter.moc"
