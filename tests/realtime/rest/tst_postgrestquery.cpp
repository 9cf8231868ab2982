// PostgrestQuery: the exact query strings PostgREST receives (protocol doc §11.2, §11.3).
#include "postgrestquery.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>
#include <QUrl>
#include <QUuid>

using namespace tf;

namespace {
// How PostgREST reads a query value: '+' is a space (parseQueryReplacePlus), then %XX decoding.
QString postgrestDecode(QByteArray encoded)
{
    encoded.replace('+', ' ');
    return QUrl::fromPercentEncoding(encoded);
}
} // namespace

class TestPostgrestQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultSelectsEverything()
    {
        QCOMPARE(PostgrestQuery().toQueryString(), QByteArray("select=*"));
        QCOMPARE(PostgrestQuery().toQueryString(false), QByteArray());
    }

    void catchUpQuery()
    {
        PostgrestQuery query;
        query.select(QStringLiteral("id,symbol,qty"))
            .eq(QStringLiteral("user_id"), QStringLiteral("2f4f-42"))
            .gte(QStringLiteral("updated_at"), QStringLiteral("2026-08-21T10:15:30.120511+00:00"))
            .in(QStringLiteral("status"), QStringList{QStringLiteral("open"), QStringLiteral("closed")})
            .order(QStringLiteral("updated_at"))
            .order(QStringLiteral("id"), PostgrestQuery::Direction::Descending, PostgrestQuery::Nulls::Last)
            .limit(500)
            .offset(0);
        QVERIFY2(query.isValid(), qPrintable(query.errorString()));
        QCOMPARE(query.toQueryString(),
                 QByteArray("select=id,symbol,qty&user_id=eq.2f4f-42"
                            "&updated_at=gte.2026-08-21T10%3A15%3A30.120511%2B00%3A00"
                            "&status=in.(open,closed)&order=updated_at.asc,id.desc.nullslast&limit=500&offset=0"));
    }

    void simpleValues_data()
    {
        QTest::addColumn<int>("op");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QByteArray>("expected");
        using Op = PostgrestQuery::Operator;
        QTest::newRow("plus in timestamp") << int(Op::Gt) << QVariant(QStringLiteral("2026-08-21T10:15:30.120511+00:00"))
                                           << QByteArray("c=gt.2026-08-21T10%3A15%3A30.120511%2B00%3A00");
        QTest::newRow("reserved chars") << int(Op::Eq) << QVariant(QStringLiteral("a b&c=d#e?f/g"))
                                        << QByteArray("c=eq.a%20b%26c%3Dd%23e%3Ff%2Fg");
        QTest::newRow("quotes stay literal") << int(Op::Eq) << QVariant(QStringLiteral("\"x\""))
                                             << QByteArray("c=eq.%22x%22");
        QTest::newRow("non-ascii") << int(Op::Eq) << QVariant(QStringLiteral("M\u00fcnchen")) << QByteArray("c=eq.M%C3%BCnchen");
        QTest::newRow("like wildcard") << int(Op::Like) << QVariant(QStringLiteral("*USD%")) << QByteArray("c=like.%2AUSD%25");
        QTest::newRow("ilike") << int(Op::Ilike) << QVariant(QStringLiteral("eur*")) << QByteArray("c=ilike.eur%2A");
        QTest::newRow("int") << int(Op::Lt) << QVariant(42) << QByteArray("c=lt.42");
        QTest::newRow("double") << int(Op::Lte) << QVariant(1.5) << QByteArray("c=lte.1.5");
        QTest::newRow("negative") << int(Op::Gte) << QVariant(-3) << QByteArray("c=gte.-3");
        QTest::newRow("bool") << int(Op::Neq) << QVariant(false) << QByteArray("c=neq.false");
        QTest::newRow("is null") << int(Op::Is) << QVariant() << QByteArray("c=is.null");
        QTest::newRow("is true") << int(Op::Is) << QVariant(true) << QByteArray("c=is.true");
        QTest::newRow("is unknown") << int(Op::Is) << QVariant(QStringLiteral("UNKNOWN")) << QByteArray("c=is.unknown");
        QTest::newRow("utc datetime") << int(Op::Gt) << QVariant(QDateTime(QDate(2026, 8, 21), QTime(10, 15, 30, 120), Qt::UTC))
                                      << QByteArray("c=gt.2026-08-21T10%3A15%3A30.120Z");
        QTest::newRow("offset datetime")
            << int(Op::Gt) << QVariant(QDateTime(QDate(2026, 8, 21), QTime(10, 15, 30, 5), QTimeZone(7200)))
            << QByteArray("c=gt.2026-08-21T10%3A15%3A30.005%2B02%3A00");
        QTest::newRow("uuid") << int(Op::Eq) << QVariant(QUuid(QStringLiteral("{6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10}")))
                              << QByteArray("c=eq.6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10");
    }

    void simpleValues()
    {
        QFETCH(int, op);
        QFETCH(QVariant, value);
        QFETCH(QByteArray, expected);
        PostgrestQuery query;
        query.filter(QStringLiteral("c"), PostgrestQuery::Operator(op), value);
        QVERIFY2(query.isValid(), qPrintable(query.errorString()));
        QCOMPARE(query.toQueryString(false), expected);
    }

    void valuesSurvivePostgrestDecoding()
    {
        const QStringList values{QStringLiteral("2026-08-21T10:15:30.120511+00:00"), QStringLiteral("a+b c"),
                                 QStringLiteral("100%"), QStringLiteral("x&y=z")};
        for (const QString &value : values)
            QCOMPARE(postgrestDecode(PostgrestQuery::encodeValue(value)), value);
    }

    void negation()
    {
        PostgrestQuery query;
        query.notFilter(QStringLiteral("status"), PostgrestQuery::Operator::Eq, QStringLiteral("closed"))
            .notFilter(QStringLiteral("side"), PostgrestQuery::Operator::In, QStringList{QStringLiteral("buy")})
            .notFilter(QStringLiteral("note"), PostgrestQuery::Operator::Is, QVariant());
        QCOMPARE(query.toQueryString(false), QByteArray("status=not.eq.closed&side=not.in.(buy)&note=not.is.null"));
    }

    void inListQuoting()
    {
        PostgrestQuery query;
        query.in(QStringLiteral("symbol"),
                 QStringList{QStringLiteral("plain"), QStringLiteral("BRK.B"), QStringLiteral("a,b"),
                             QStringLiteral("say \"hi\""), QStringLiteral("back\\slash"), QStringLiteral("f(x)"),
                             QStringLiteral("12:30"), QStringLiteral("*"), QString()});
        QCOMPARE(query.toQueryString(false),
                 QByteArray("symbol=in.(plain,%22BRK.B%22,%22a%2Cb%22,%22say%20%5C%22hi%5C%22%22,%22back%5C%5Cslash%22,"
                            "%22f%28x%29%22,%2212%3A30%22,%22%2A%22,%22%22)"));
        QCOMPARE(PostgrestQuery::quoteListElement(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \\\"hi\\\"\""));
        QCOMPARE(PostgrestQuery::quoteListElement(QStringLiteral("EURUSD")), QStringLiteral("EURUSD"));
    }

    void inListOfNumbersAndNull()
    {
        PostgrestQuery query;
        query.in(QStringLiteral("id"), QVariantList{1, 2, QVariant()});
        QCOMPARE(query.toQueryString(false), QByteArray("id=in.(1,2,null)"));
    }

    void rawFilters()
    {
        PostgrestQuery query;
        query.rawFilter(QStringLiteral("or"), QStringLiteral("(qty.lt.1,qty.gt.100)"))
            .rawFilter(QStringLiteral("updated_at"), QStringLiteral("gt.2026-08-21T10:15:30+00:00"));
        QCOMPARE(query.toQueryString(false),
                 QByteArray("or=(qty.lt.1,qty.gt.100)&updated_at=gt.2026-08-21T10%3A15%3A30%2B00%3A00"));
    }

    void selectSyntaxKept()
    {
        PostgrestQuery query;
        query.select(QStringLiteral("id,owner:user_id,trades(id,qty),price::text"));
        QCOMPARE(query.toQueryString(), QByteArray("select=id,owner:user_id,trades(id,qty),price::text"));
    }

    void badInputIsReported_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("empty column") << 0;
        QTest::newRow("is maybe") << 1;
        QTest::newRow("negative limit") << 2;
        QTest::newRow("in without list") << 3;
        QTest::newRow("unsupported type") << 4;
        QTest::newRow("empty select") << 5;
        QTest::newRow("negative offset") << 6;
    }

    void badInputIsReported()
    {
        QFETCH(int, which);
        PostgrestQuery query;
        switch (which) {
        case 0: query.eq(QString(), 1); break;
        case 1: query.is(QStringLiteral("c"), QStringLiteral("maybe")); break;
        case 2: query.limit(-1); break;
        case 3: query.filter(QStringLiteral("c"), PostgrestQuery::Operator::In, 5); break;
        case 4: query.eq(QStringLiteral("c"), QVariant(QPointF(1, 2))); break;
        case 5: query.select(QStringLiteral("  ")); break;
        case 6: query.offset(-5); break;
        }
        QVERIFY(!query.isValid());
        QVERIFY(!query.errorString().isEmpty());
        // The first mistake is kept even when later calls are fine.
        const QString first = query.errorString();
        query.limit(-7);
        QCOMPARE(query.errorString(), first);
    }

    void operatorNames()
    {
        PostgrestQuery::Operator op{};
        QVERIFY(PostgrestQuery::operatorFromName(QStringLiteral("ilike"), &op));
        QCOMPARE(op, PostgrestQuery::Operator::Ilike);
        QCOMPARE(PostgrestQuery::operatorName(PostgrestQuery::Operator::IsDistinct), QStringLiteral("isdistinct"));
        QVERIFY(!PostgrestQuery::operatorFromName(QStringLiteral("bogus"), &op));
    }
};

QTEST_GUILESS_MAIN(TestPostgrestQuery)
#include "tst_postgrestquery.moc"
