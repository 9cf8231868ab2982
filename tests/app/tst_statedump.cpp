// The --dump-state pieces: model rows by role name with JSON-safe values, the status, and a file
// that is written whole or not at all, with a clear error when it cannot be.
#include "connectionstatus.h"
#include "quotemodel.h"
#include "positionmodel.h"
#include "statedump.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

namespace dump = tf::statedump;

class TestStateDump : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valuesBecomeJson()
    {
        QCOMPARE(dump::toJson(QVariant()), QJsonValue(QJsonValue::Null));
        QCOMPARE(dump::toJson(qQNaN()), QJsonValue(QJsonValue::Null));
        QCOMPARE(dump::toJson(qInf()), QJsonValue(QJsonValue::Null));
        QCOMPARE(dump::toJson(2.5), QJsonValue(2.5));
        QCOMPARE(dump::toJson(QStringLiteral("AAPL")), QJsonValue(QStringLiteral("AAPL")));
        QCOMPARE(dump::toJson(true), QJsonValue(true));
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
        QCOMPARE(dump::toJson(time), QJsonValue(QStringLiteral("2023-11-14T22:13:20.123Z")));
        QCOMPARE(dump::toJson(QDateTime()), QJsonValue(QJsonValue::Null));
        const QVariantMap map{{QStringLiteral("lastPrice"), 1}, {QStringLiteral("bad"), qQNaN()}};
        QCOMPARE(dump::toJson(map), QJsonValue(QJsonObject{{QStringLiteral("lastPrice"), 1}, {QStringLiteral("bad"), QJsonValue::Null}}));
        const QList<qreal> history{1.5, 2.5};
        QCOMPARE(dump::toJson(QVariant::fromValue(history)), QJsonValue(QJsonArray{1.5, 2.5}));
    }

    void modelRowsByRoleName()
    {
        tf::QuoteModel quotes;
        QAbstractItemModelTester tester(&quotes, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(quotes.applyTick(QStringLiteral("AAPL"), 190.5, 190.4, 190.6));
        QVERIFY(quotes.applyTick(QStringLiteral("MSFT"), 410.0));
        quotes.flush();
        const QJsonArray rows = dump::modelRows(quotes);
        QCOMPARE(rows.size(), 2);
        const QJsonObject aapl = rows.at(0).toObject();
        QCOMPARE(aapl.value(QStringLiteral("symbol")).toString(), QStringLiteral("AAPL"));
        QCOMPARE(aapl.value(QStringLiteral("lastPrice")).toDouble(), 190.5);
        QCOMPARE(aapl.value(QStringLiteral("bid")).toDouble(), 190.4);
        QVERIFY(aapl.value(QStringLiteral("history")).isArray());
        const QJsonObject msft = rows.at(1).toObject();
        QVERIFY(msft.value(QStringLiteral("bid")).isNull()); // never sent: undefined, not 0
        QVERIFY(!aapl.contains(QStringLiteral("display"))); // only the named roles

        // The document is valid JSON whatever the values (NaN would not be).
        const QByteArray text = QJsonDocument(QJsonObject{{QStringLiteral("quotes"), rows}}).toJson();
        QJsonParseError error;
        QJsonDocument::fromJson(text, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    void positionsWithUndefinedPrices()
    {
        tf::PositionModel positions;
        QAbstractItemModelTester tester(&positions, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(positions.upsert(QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("symbol"), QStringLiteral("AAPL")},
                                             {QStringLiteral("qty"), 10}, {QStringLiteral("avg_price"), 180.0},
                                             {QStringLiteral("updated_at"), QStringLiteral("2026-01-01T00:00:00+00:00")}}));
        positions.flush();
        const QJsonObject row = dump::modelRows(positions).at(0).toObject();
        QCOMPARE(row.value(QStringLiteral("qty")).toDouble(), 10.0);
        QVERIFY(row.value(QStringLiteral("lastPrice")).isNull());
        QVERIFY(row.value(QStringLiteral("unrealizedPnl")).isNull());
    }

    void statusWithoutConnection()
    {
        tf::ConnectionStatus status;
        status.setSignedInUser(QStringLiteral("trader@example.com"));
        status.setPendingOrders(2);
        const QJsonObject json = dump::status(status);
        QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("connecting"));
        QCOMPARE(json.value(QStringLiteral("health")).toString(), QStringLiteral("offline"));
        QCOMPARE(json.value(QStringLiteral("pendingOrders")).toInt(), 2);
        QCOMPARE(json.value(QStringLiteral("signedInUser")).toString(), QStringLiteral("trader@example.com"));
    }

    void fileWrittenWhole()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/dir/state.json"));
        QString error;
        QVERIFY2(dump::writeFile(path, QJsonObject{{QStringLiteral("a"), 1}}, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("a")).toInt(), 1);
    }

    void unwritablePathIsAnError()
    {
        QTemporaryDir dir;
        // A folder that is a regular file cannot be created, not even by root.
        const QString blocker = dir.filePath(QStringLiteral("file"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QString error;
        QVERIFY(!dump::writeFile(blocker + QStringLiteral("/state.json"), QJsonObject{}, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStateDump)
#include "tst_statedump.moc"
