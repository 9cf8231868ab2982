// PostgREST query-string parsing (select/filters/order/limit/offset/on_conflict), PostgREST's
// plus-as-space decoding, and the timestamp formats the store speaks.
#include "postgrestquery.h"
#include "timestamps.h"

#include <QTest>

using namespace tf::sim;
using namespace Qt::StringLiterals;

class TestSimQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plusIsASpaceAndPercent2BIsAPlus()
    {
        // The catch-up trap of §11.3: a raw '+' in a timestamp offset arrives as a space.
        const auto raw = decodePostgrestQuery("updated_at=gt.2026-08-21T10:15:30.120511+00:00");
        QCOMPARE(raw.size(), 1);
        QCOMPARE(raw.first().second, u"gt.2026-08-21T10:15:30.120511 00:00"_s);
        const auto encoded = decodePostgrestQuery("updated_at=gt.2026-08-21T10%3A15%3A30.120511%2B00%3A00");
        QCOMPARE(encoded.first().second, u"gt.2026-08-21T10:15:30.120511+00:00"_s);
        const auto utf8 = decodePostgrestQuery("name=eq.Caf%C3%A9&x&=y");
        QCOMPARE(utf8.size(), 3);
        QCOMPARE(utf8.at(0).second, u"eq.Café"_s);
        QCOMPARE(utf8.at(1).first, u"x"_s);
        QVERIFY(utf8.at(1).second.isEmpty());
    }

    void parsesEveryPart()
    {
        DbError error;
        const auto query = PostgrestQuery::parse(
            "select=id,%20symbol,qty&user_id=eq.42&status=in.(new,accepted)&order=updated_at.asc,id.desc.nullslast"
            "&limit=50&offset=100&on_conflict=client_order_id&apikey=ignored",
            &error);
        QVERIFY(query);
        QCOMPARE(query->select, (QStringList{u"id"_s, u"symbol"_s, u"qty"_s}));
        QCOMPARE(query->filters.size(), 2);
        QCOMPARE(query->filters.at(0).column, u"user_id"_s);
        QCOMPARE(query->filters.at(1).values, (QStringList{u"new"_s, u"accepted"_s}));
        QCOMPARE(query->order.size(), 2);
        QCOMPARE(query->order.at(0).column, u"updated_at"_s);
        QVERIFY(!query->order.at(0).descending);
        QVERIFY(query->order.at(1).descending);
        QCOMPARE(query->order.at(1).nullsFirst, std::optional<bool>(false));
        QCOMPARE(query->limit, std::optional<qint64>(50));
        QCOMPARE(query->offset, std::optional<qint64>(100));
        QCOMPARE(query->onConflict, QStringList{u"client_order_id"_s});
    }

    void starSelectsEverything()
    {
        DbError error;
        QVERIFY(PostgrestQuery::parse("select=*", &error)->select.isEmpty());
        QVERIFY(PostgrestQuery::parse("", &error)->select.isEmpty());
    }

    void rejectsWhatPostgrestRejects_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QString>("messageStart");
        QTest::newRow("bad operator") << QByteArray("qty=foo.1") << u"\"failed to parse filter (foo.1)\""_s;
        QTest::newRow("no operator") << QByteArray("qty=1") << u"\"failed to parse filter (1)\""_s;
        QTest::newRow("bad order direction") << QByteArray("order=id.up") << u"\"failed to parse order (id.up)\""_s;
        QTest::newRow("bad limit") << QByteArray("limit=ten") << u"\"failed to parse limit parameter (ten)\""_s;
        QTest::newRow("negative offset") << QByteArray("offset=-1") << u"\"failed to parse offset parameter (-1)\""_s;
        QTest::newRow("embedding") << QByteArray("select=id,trades(*)") << u"\"failed to parse select parameter"_s;
    }

    void rejectsWhatPostgrestRejects()
    {
        QFETCH(QByteArray, query);
        QFETCH(QString, messageStart);
        DbError error;
        QVERIFY(!PostgrestQuery::parse(query, &error));
        QCOMPARE(error.code, u"PGRST100"_s);
        QCOMPARE(error.httpStatus, 400);
        QVERIFY2(error.message.startsWith(messageStart), qPrintable(error.message));
    }

    void timestamptzFormat()
    {
        const qint64 micros = 1787307330120511LL; // 2026-08-21T10:15:30.120511Z
        QCOMPARE(Timestamps::formatTimestamptz(micros), u"2026-08-21T10:15:30.120511+00:00"_s);
        QCOMPARE(Timestamps::formatTimestamptz(micros - 120511 + 120000), u"2026-08-21T10:15:30.12+00:00"_s);
        QCOMPARE(Timestamps::formatTimestamptz(micros - 120511), u"2026-08-21T10:15:30+00:00"_s);
        QCOMPARE(Timestamps::formatCommitTimestamp(micros), u"2026-08-21T10:15:30.120Z"_s);
    }

    void timestamptzParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("offset") << u"2026-08-21T10:15:30.120511+00:00"_s << 1787307330120511LL;
        QTest::newRow("zulu") << u"2026-08-21T10:15:30.120511Z"_s << 1787307330120511LL;
        QTest::newRow("other zone") << u"2026-08-21T12:15:30.120511+02:00"_s << 1787307330120511LL;
        QTest::newRow("compact zone") << u"2026-08-21T05:15:30.120511-0500"_s << 1787307330120511LL;
        QTest::newRow("space separator") << u"2026-08-21 10:15:30.120511"_s << 1787307330120511LL;
        QTest::newRow("millis") << u"2026-08-21T10:15:30.12Z"_s << 1787307330120000LL;
        QTest::newRow("no seconds") << u"2026-08-21T10:15Z"_s << 1787307300000000LL;
        QTest::newRow("date") << u"2026-08-21"_s << 1787270400000000LL;
    }

    void timestamptzParse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        QCOMPARE(Timestamps::parseTimestamptz(text), std::optional<qint64>(micros));
    }

    void timestamptzRejects()
    {
        QVERIFY(!Timestamps::parseTimestamptz(u"2026-08-21T10:15:30.120511 00:00"));
        QVERIFY(!Timestamps::parseTimestamptz(u"2026-02-30"));
        QVERIFY(!Timestamps::parseTimestamptz(u"yesterday"));
        QVERIFY(!Timestamps::parseTimestamptz(u"2026-08-21T25:00:00Z"));
        QVERIFY(!Timestamps::parseTimestamptz(u""));
    }
};

QTEST_GUILESS_MAIN(TestSimQuery)
#include "tst_simquery.moc"
