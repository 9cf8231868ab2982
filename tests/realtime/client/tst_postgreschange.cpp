// PostgresChange: every payload shape of §5.1 (INSERT/UPDATE/DELETE, errors 400/401/413) and of
// database broadcasts (§6.5), plus malformed input that must give nullopt and a reason.
#include "postgreschange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using tf::PostgresChange;

namespace {
QJsonObject obj(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonObject object = QJsonDocument::fromJson(json, &error).object();
    Q_ASSERT(error.error == QJsonParseError::NoError);
    return object;
}
} // namespace

class TestPostgresChange : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void update()
    {
        const QJsonObject payload = obj(R"({"ids":[38140712],"data":{
            "schema":"public","table":"items","commit_timestamp":"2026-08-21T10:15:30.123Z","type":"UPDATE",
            "columns":[{"name":"id","type":"int8"},{"name":"user_id","type":"int8"},{"name":"title","type":"text"},
                       {"name":"updated_at","type":"timestamptz"},{"name":"tags","type":"_text"}],
            "record":{"id":7,"user_id":42,"title":"Renamed","updated_at":"2026-08-21T10:15:30.120511+00:00","tags":["a","b"]},
            "old_record":{"id":7},"errors":null}})");
        QString reason;
        const auto change = PostgresChange::fromPostgresChangesPayload(payload, &reason);
        QVERIFY2(change, qPrintable(reason));
        QCOMPARE(change->schema, u"public"_s);
        QCOMPARE(change->table, u"items"_s);
        QCOMPARE(change->type, PostgresChange::Type::Update);
        QCOMPARE(change->newRecord.value(u"title"_s).toString(), u"Renamed"_s);
        QCOMPARE(change->newRecord.value(u"tags"_s).toArray().size(), 2);
        QCOMPARE(change->oldRecord, obj(R"({"id":7})"));
        QCOMPARE(change->record().value(u"user_id"_s).toInt(), 42);
        QVERIFY(change->errors.isEmpty());
        QCOMPARE(change->columns.size(), 5);
        QCOMPARE(change->columns.at(4), (tf::PostgresColumn{u"tags"_s, u"_text"_s}));
        QCOMPARE(change->commitTimestamp, QDateTime(QDate(2026, 8, 21), QTime(10, 15, 30, 123), Qt::UTC));
        QCOMPARE(change->commitTimestamp.timeSpec(), Qt::UTC);
    }

    void insertHasNoOldRecord()
    {
        const auto change = PostgresChange::fromPostgresChangesPayload(obj(R"({"ids":[1],"data":{
            "schema":"public","table":"items","commit_timestamp":"2026-08-21T10:16:00.004Z","type":"INSERT",
            "columns":[{"name":"id","type":"int8"}],"record":{"id":8,"user_id":42},"errors":null}})"));
        QVERIFY(change);
        QCOMPARE(change->type, PostgresChange::Type::Insert);
        QCOMPARE(change->newRecord.value(u"id"_s).toInt(), 8);
        QVERIFY(change->oldRecord.isEmpty());
        QCOMPARE(change->commitTimestamp.time().msec(), 4);
    }

    void deleteUsesOldRecord()
    {
        const auto change = PostgresChange::fromPostgresChangesPayload(obj(R"({"ids":[1],"data":{
            "schema":"public","table":"items","commit_timestamp":"2026-08-21T10:17:00.000Z","type":"DELETE",
            "columns":[{"name":"id","type":"int8"}],"old_record":{"id":8},"errors":null}})"));
        QVERIFY(change);
        QCOMPARE(change->type, PostgresChange::Type::Delete);
        QVERIFY(change->newRecord.isEmpty());
        QCOMPARE(change->record(), obj(R"({"id":8})"));
    }

    void errorShapes_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QStringList>("errors");
        QTest::newRow("400 no primary key, nothing else")
            << QByteArray(R"({"schema":"public","table":"nopk","type":"INSERT","errors":["Error 400: Bad Request, no primary key"]})")
            << QStringList{u"Error 400: Bad Request, no primary key"_s};
        QTest::newRow("401 nulls")
            << QByteArray(R"({"schema":"public","table":"items","type":"UPDATE","columns":null,"record":null,"old_record":null,"commit_timestamp":null,"errors":["Error 401: Unauthorized"]})")
            << QStringList{u"Error 401: Unauthorized"_s};
        QTest::newRow("413 still has a record")
            << QByteArray(R"({"schema":"public","table":"items","type":"INSERT","record":{"id":1},"errors":["Error 413: Payload Too Large"]})")
            << QStringList{u"Error 413: Payload Too Large"_s};
        QTest::newRow("error as bare string")
            << QByteArray(R"({"schema":"public","table":"items","type":"DELETE","errors":"Error 401: Unauthorized"})")
            << QStringList{u"Error 401: Unauthorized"_s};
    }

    void errorShapes()
    {
        QFETCH(QByteArray, data);
        QFETCH(QStringList, errors);
        QJsonObject payload{{u"ids"_s, QJsonArray{1}}, {u"data"_s, obj(data)}};
        QString reason;
        const auto change = PostgresChange::fromPostgresChangesPayload(payload, &reason);
        QVERIFY2(change, qPrintable(reason));
        QCOMPARE(change->errors, errors);
        QVERIFY(!change->commitTimestamp.isValid() || change->commitTimestamp.timeSpec() == Qt::UTC);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("reasonPart");
        QTest::newRow("no data") << QByteArray(R"({"ids":[1]})") << u"no \"data\""_s;
        QTest::newRow("data not object") << QByteArray(R"({"ids":[1],"data":"x"})") << u"no \"data\""_s;
        QTest::newRow("no schema") << QByteArray(R"({"data":{"table":"t","type":"INSERT","record":{}}})") << u"schema"_s;
        QTest::newRow("table not string") << QByteArray(R"({"data":{"schema":"public","table":5,"type":"INSERT","record":{}}})") << u"table"_s;
        QTest::newRow("no type") << QByteArray(R"({"data":{"schema":"public","table":"t","record":{}}})") << u"unknown change type"_s;
        QTest::newRow("truncate") << QByteArray(R"({"data":{"schema":"public","table":"t","type":"TRUNCATE"}})") << u"TRUNCATE"_s;
        QTest::newRow("record not object") << QByteArray(R"({"data":{"schema":"public","table":"t","type":"INSERT","record":[1]}})") << u"\"record\" is not an object"_s;
        QTest::newRow("old_record not object") << QByteArray(R"({"data":{"schema":"public","table":"t","type":"DELETE","old_record":3}})") << u"old_record"_s;
        QTest::newRow("insert without record") << QByteArray(R"({"data":{"schema":"public","table":"t","type":"INSERT","errors":null}})") << u"INSERT without"_s;
        QTest::newRow("delete without old") << QByteArray(R"({"data":{"schema":"public","table":"t","type":"DELETE"}})") << u"DELETE without"_s;
    }

    void malformed()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, reasonPart);
        QString reason;
        QVERIFY(!PostgresChange::fromPostgresChangesPayload(obj(payload), &reason));
        QVERIFY2(reason.contains(reasonPart), qPrintable(reason));
        // Without a reason pointer it must not crash either.
        QVERIFY(!PostgresChange::fromPostgresChangesPayload(obj(payload)));
    }

    void lenientExtras()
    {
        // Lower-case type, junk columns and an unparsable timestamp do not sink the change.
        const auto change = PostgresChange::fromPostgresChangesPayload(obj(R"({"data":{
            "schema":"public","table":"t","type":"insert","record":{"id":1},
            "columns":[{"name":"id","type":"int8"},5,{"type":"text"}],"commit_timestamp":"yesterday"}})"));
        QVERIFY(change);
        QCOMPARE(change->type, PostgresChange::Type::Insert);
        QCOMPARE(change->columns.size(), 1);
        QVERIFY(!change->commitTimestamp.isValid());
    }

    void databaseBroadcast_data()
    {
        QTest::addColumn<QString>("event");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<PostgresChange::Type>("type");
        QTest::addColumn<QByteArray>("record");
        QTest::newRow("insert") << u"INSERT"_s
                                << QByteArray(R"({"schema":"public","table":"trades","operation":"INSERT","record":{"id":1,"qty":5},"old_record":null})")
                                << PostgresChange::Type::Insert << QByteArray(R"({"id":1,"qty":5})");
        QTest::newRow("update") << u"UPDATE"_s
                                << QByteArray(R"({"id":"9a6f","schema":"public","table":"trades","operation":"UPDATE","record":{"id":1,"qty":6},"old_record":{"id":1,"qty":5}})")
                                << PostgresChange::Type::Update << QByteArray(R"({"id":1,"qty":6})");
        QTest::newRow("delete") << u"DELETE"_s
                                << QByteArray(R"({"schema":"public","table":"trades","operation":"DELETE","record":null,"old_record":{"id":1}})")
                                << PostgresChange::Type::Delete << QByteArray(R"({"id":1})");
        QTest::newRow("custom event name, operation wins") << u"trade_changed"_s
                                << QByteArray(R"({"schema":"public","table":"trades","operation":"UPDATE","record":{"id":2},"old_record":{"id":2}})")
                                << PostgresChange::Type::Update << QByteArray(R"({"id":2})");
        QTest::newRow("event stands in for operation") << u"delete"_s
                                << QByteArray(R"({"schema":"public","table":"trades","old_record":{"id":3}})")
                                << PostgresChange::Type::Delete << QByteArray(R"({"id":3})");
    }

    void databaseBroadcast()
    {
        QFETCH(QString, event);
        QFETCH(QByteArray, payload);
        QFETCH(PostgresChange::Type, type);
        QFETCH(QByteArray, record);
        QString reason;
        const auto change = PostgresChange::fromDatabaseBroadcast(event, obj(payload), &reason);
        QVERIFY2(change, qPrintable(reason));
        QCOMPARE(change->type, type);
        QCOMPARE(change->schema, u"public"_s);
        QCOMPARE(change->table, u"trades"_s);
        QCOMPARE(change->record(), obj(record));
        QVERIFY(change->columns.isEmpty());
    }

    void databaseBroadcastMalformed_data()
    {
        QTest::addColumn<QString>("event");
        QTest::addColumn<QJsonValue>("payload");
        QTest::newRow("not an object") << u"INSERT"_s << QJsonValue(u"hello"_s);
        QTest::newRow("ordinary user broadcast") << u"refresh"_s << QJsonValue(obj(R"({"item_id":7})"));
        QTest::newRow("unknown operation") << u"x"_s << QJsonValue(obj(R"({"schema":"public","table":"t","operation":"MERGE","record":{}})"));
        QTest::newRow("insert without record") << u"INSERT"_s << QJsonValue(obj(R"({"schema":"public","table":"t","operation":"INSERT","record":null})"));
        QTest::newRow("record is a string") << u"INSERT"_s << QJsonValue(obj(R"({"schema":"public","table":"t","operation":"INSERT","record":"{}"})"));
    }

    void databaseBroadcastMalformed()
    {
        QFETCH(QString, event);
        QFETCH(QJsonValue, payload);
        QString reason;
        QVERIFY(!PostgresChange::fromDatabaseBroadcast(event, payload, &reason));
        QVERIFY(!reason.isEmpty());
    }

    void typeNames()
    {
        QCOMPARE(tf::changeTypeName(PostgresChange::Type::Delete), u"DELETE"_s);
        QCOMPARE(tf::changeTypeFromName(u"Update"), PostgresChange::Type::Update);
        QVERIFY(!tf::changeTypeFromName(u"*"));
    }
};

QTEST_GUILESS_MAIN(TestPostgresChange)
#include "tst_postgreschange.moc"
