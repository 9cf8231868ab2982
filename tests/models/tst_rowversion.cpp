// The input boundary every model shares: timestamp parsing (hand-written, so tested hard), row
// versions for last-writer-wins, and typed field reading that rejects rather than guesses.

#include "recordreader.h"
#include "rowversion.h"

#include <QJsonArray>
#include <QTest>
#include <QTimeZone>

using tf::RecordReader;
using tf::RowVersion;

class TestRowVersion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timestamps_data();
    void timestamps();
    void malformedTimestamps_data();
    void malformedTimestamps();
    void versionsFromJson();
    void versionOrdering();
    void recordReader();
};

void TestRowVersion::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("micros");
    const qint64 base = QDateTime(QDate(2026, 8, 21), QTime(10, 15, 30), QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
    QTest::newRow("PostgREST timestamptz") << QStringLiteral("2026-08-21T10:15:30.120511+00:00") << base + 120511;
    QTest::newRow("Realtime commit_timestamp") << QStringLiteral("2026-08-21T10:15:30.123Z") << base + 123000;
    QTest::newRow("no fraction") << QStringLiteral("2026-08-21T10:15:30Z") << base;
    QTest::newRow("Postgres text form") << QStringLiteral("2026-08-21 10:15:30.5+00") << base + 500000;
    QTest::newRow("positive offset") << QStringLiteral("2026-08-21T12:15:30+02:00") << base;
    QTest::newRow("offset without colon") << QStringLiteral("2026-08-21T15:45:30+0530") << base;
    QTest::newRow("negative offset") << QStringLiteral("2026-08-21T07:15:30-03:00") << base;
    QTest::newRow("naive is UTC") << QStringLiteral("2026-08-21T10:15:30") << base;
    QTest::newRow("nanoseconds truncated") << QStringLiteral("2026-08-21T10:15:30.123456789Z") << base + 123456;
    QTest::newRow("surrounding space") << QStringLiteral("  2026-08-21T10:15:30Z ") << base;
    QTest::newRow("leap day") << QStringLiteral("2024-02-29T00:00:00Z")
                              << QDateTime(QDate(2024, 2, 29), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
    QTest::newRow("before 1970") << QStringLiteral("1969-12-31T23:59:59.5Z") << qint64(-500000);
}

void TestRowVersion::timestamps()
{
    QFETCH(QString, text);
    QFETCH(qint64, micros);
    qint64 parsed = 0;
    const QDateTime time = tf::parseTimestamp(text, &parsed);
    QVERIFY(time.isValid());
    QCOMPARE(parsed, micros);
    QCOMPARE(time.timeZone(), QTimeZone::utc());
    // QDateTime keeps milliseconds (truncated towards the past).
    QCOMPARE(time.toMSecsSinceEpoch(), micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000));
    // The same instant as Qt's own parser, where Qt can read it.
    const QDateTime qt = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (qt.isValid() && !text.contains(QLatin1String("123456789")) && !text.contains(QLatin1String("120511"))
        && text.trimmed().size() > 19 && text.trimmed().at(10) == u'T')
        QCOMPARE(time, qt);
}

void TestRowVersion::malformedTimestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("date only") << QStringLiteral("2026-08-21");
    QTest::newRow("words") << QStringLiteral("yesterday at noon");
    QTest::newRow("month 13") << QStringLiteral("2026-13-01T00:00:00Z");
    QTest::newRow("feb 30") << QStringLiteral("2026-02-30T00:00:00Z");
    QTest::newRow("hour 24") << QStringLiteral("2026-08-21T24:00:00Z");
    QTest::newRow("second 60") << QStringLiteral("2026-08-21T10:15:60Z");
    QTest::newRow("bad separator") << QStringLiteral("2026/08/21T10:15:30Z");
    QTest::newRow("letter in digits") << QStringLiteral("2026-08-2xT10:15:30Z");
    QTest::newRow("dot without digits") << QStringLiteral("2026-08-21T10:15:30.Z");
    QTest::newRow("trailing text") << QStringLiteral("2026-08-21T10:15:30Z extra");
    QTest::newRow("half offset") << QStringLiteral("2026-08-21T10:15:30+0");
    QTest::newRow("offset minutes 75") << QStringLiteral("2026-08-21T10:15:30+01:75");
    QTest::newRow("non-ASCII digit") << QStringLiteral("2026-08-21T10:15:3\u0663Z");
}

void TestRowVersion::malformedTimestamps()
{
    QFETCH(QString, text);
    qint64 micros = 42;
    QVERIFY(!tf::parseTimestamp(text, &micros).isValid());
    QCOMPARE(micros, 42); // untouched on failure
}

void TestRowVersion::versionsFromJson()
{
    bool ok = false;
    RowVersion v = RowVersion::fromJson(QJsonValue(QStringLiteral("2026-08-21T10:15:30.000001Z")), &ok);
    QVERIFY(ok && v.isValid());
    QCOMPARE(v.value() % 1000000, 1); // microseconds kept

    v = RowVersion::fromJson(QJsonValue(17), &ok); // a revision column
    QVERIFY(ok && v.isValid());
    QCOMPARE(v.value(), 17);

    v = RowVersion::fromJson(QJsonValue(), &ok); // absent: unknown, fine
    QVERIFY(ok && !v.isValid());
    v = RowVersion::fromJson(QJsonValue(QJsonValue::Null), &ok);
    QVERIFY(ok && !v.isValid());

    for (const QJsonValue &bad : {QJsonValue(1.5), QJsonValue(true), QJsonValue(QStringLiteral("soon")),
                                  QJsonValue(QJsonArray{1})}) {
        v = RowVersion::fromJson(bad, &ok);
        QVERIFY(!ok);
        QVERIFY(!v.isValid());
    }
    QVERIFY(!RowVersion::fromDateTime(QDateTime()).isValid());
}

void TestRowVersion::versionOrdering()
{
    const RowVersion unknown;
    const RowVersion v1 = RowVersion::fromValue(1);
    const RowVersion v2 = RowVersion::fromValue(2);
    QVERIFY(v1.isOlderThan(v2));
    QVERIFY(!v2.isOlderThan(v1));
    QVERIFY(!v1.isOlderThan(v1)); // equal versions apply
    QVERIFY(!unknown.isOlderThan(v2)); // unknown never loses...
    QVERIFY(!v1.isOlderThan(unknown)); // ...and never wins
    QCOMPARE(RowVersion::newest(v1, v2), v2);
    QCOMPARE(RowVersion::newest(unknown, v1), v1);
    QCOMPARE(RowVersion::newest(v1, unknown), v1);
    QVERIFY(!RowVersion::newest(unknown, unknown).isValid());
}

void TestRowVersion::recordReader()
{
    const QJsonObject record{{QStringLiteral("n"), 1.5},
                             {QStringLiteral("numeric_text"), QStringLiteral(" 12.25 ")},
                             {QStringLiteral("word"), QStringLiteral("abc")},
                             {QStringLiteral("id_int"), qint64(9007199254740)},
                             {QStringLiteral("empty"), QString()},
                             {QStringLiteral("null"), QJsonValue()},
                             {QStringLiteral("when"), QStringLiteral("2026-08-21T10:15:30Z")}};
    RecordReader r(record);
    QCOMPARE(r.number(QLatin1String("n")).toDouble(), 1.5);
    QCOMPARE(r.number(QLatin1String("numeric_text")).toDouble(), 12.25);
    QCOMPARE(r.id(QLatin1String("id_int")).toString(), QStringLiteral("9007199254740"));
    QCOMPARE(r.id(QLatin1String("word")).toString(), QStringLiteral("abc"));
    QVERIFY(!r.number(QLatin1String("null")).isValid());
    QVERIFY(!r.number(QLatin1String("absent")).isValid());
    QCOMPARE(r.time(QLatin1String("when")).toDateTime(),
             QDateTime(QDate(2026, 8, 21), QTime(10, 15, 30), QTimeZone::utc()));
    QVERIFY(r.ok());
    QVERIFY(r.has(QLatin1String("n")));
    QVERIFY(!r.has(QLatin1String("null")));

    // The first problem is kept; later reads do not overwrite it.
    QVERIFY(!r.number(QLatin1String("word")).isValid());
    QVERIFY(!r.ok());
    QVERIFY(r.error().startsWith(QLatin1String("word: expected a number")));
    r.text(QLatin1String("absent"), RecordReader::Required);
    QVERIFY(r.error().startsWith(QLatin1String("word:")));

    RecordReader required(record);
    required.text(QLatin1String("empty"), RecordReader::Required);
    QCOMPARE(required.error(), QStringLiteral("empty: empty"));
    RecordReader missing(record);
    missing.number(QLatin1String("absent"), RecordReader::Required);
    QCOMPARE(missing.error(), QStringLiteral("absent: missing"));
    RecordReader wrongTime(record);
    wrongTime.time(QLatin1String("n"));
    QVERIFY(!wrongTime.ok());
    RecordReader fractionalId(record);
    fractionalId.id(QLatin1String("n"));
    QVERIFY(!fractionalId.ok());
}

QTEST_GUILESS_MAIN(TestRowVersion)
#include "tst_rowversion.moc"
