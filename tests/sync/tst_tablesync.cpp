// TableSync against the simulator's PostgREST, with live changes fed by hand so each ordering
// case is exact: buffering between subscribe and snapshot, last-writer-wins, full reconcile with
// minimal row operations, catch-up (and its turn into a full read when rows were deleted),
// keyset paging, retries, buffer overflow, and bad input.
#include "faultinjector.h"
#include "ordermodel.h"
#include "pagedselect.h"
#include "positionmodel.h"
#include "postgrestclient.h"
#include "recordreader.h"
#include "rowstore.h"
#include "simserver.h"
#include "synctestsupport.h"
#include "tablesync.h"
#include "trademodel.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace std::chrono_literals;
using tf::PostgresChange;
using tf::TableSpec;
using tf::TableSync;

namespace {

PostgresChange change(PostgresChange::Type type, const QString &table, const QJsonObject &record,
                      const QJsonObject &oldRecord = {}, const QDateTime &commit = QDateTime::currentDateTimeUtc())
{
    PostgresChange c;
    c.schema = QStringLiteral("public");
    c.table = table;
    c.type = type;
    c.newRecord = record;
    c.oldRecord = oldRecord;
    c.commitTimestamp = commit;
    return c;
}

PostgresChange insertOf(const QString &table, const QJsonObject &row)
{
    return change(PostgresChange::Type::Insert, table, row);
}

PostgresChange updateOf(const QString &table, const QJsonObject &row)
{
    return change(PostgresChange::Type::Update, table, row, QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id"))}});
}

PostgresChange deleteOf(const QString &table, const QJsonValue &id, const QDateTime &commit = QDateTime::currentDateTimeUtc())
{
    return change(PostgresChange::Type::Delete, table, {}, QJsonObject{{QStringLiteral("id"), id}}, commit);
}

// Rows covered by a list of (first, last) signal arguments.
int rowsIn(const QSignalSpy &spy)
{
    int rows = 0;
    for (const QList<QVariant> &args : spy)
        rows += args.at(2).toInt() - args.at(1).toInt() + 1;
    return rows;
}

} // namespace

class TestTableSync : public QObject
{
    Q_OBJECT

    std::unique_ptr<tf::sim::SimServer> m_sim;
    std::unique_ptr<tf::PostgrestClient> m_rest;
    QString m_user;

    tf::sim::RowStore &store() { return m_sim->store(); }
    QList<QJsonObject> rows(const QString &table)
    {
        const QString user = m_user;
        return store().rows(table, [user](const QJsonObject &row) { return row.value(QStringLiteral("user_id")).toString() == user; });
    }
    QJsonObject addPosition(const QString &symbol, double qty)
    {
        const tf::sim::WriteResult written = store().insertRow(
            QStringLiteral("positions"),
            QJsonObject{{QStringLiteral("user_id"), m_user}, {QStringLiteral("symbol"), symbol},
                        {QStringLiteral("qty"), qty}, {QStringLiteral("avg_price"), 10.0}});
        return written.ok() ? written.rows.first() : QJsonObject();
    }
    QJsonObject updatePosition(const QJsonObject &row, const QJsonObject &patch)
    {
        const tf::sim::WriteResult written = store().updateByKey(QStringLiteral("positions"), row.value(QStringLiteral("id")), patch);
        return written.ok() ? written.rows.first() : QJsonObject();
    }
    std::unique_ptr<TableSync> makeSync(const TableSpec &spec, tf::KeyedRowModel *model)
    {
        auto sync = std::make_unique<TableSync>(spec, model, m_rest.get());
        sync->setUserId(m_user);
        TableSync::Options options;
        options.retry = tf::BackoffPolicy{50ms, 2.0, 300ms, true, 100ms, 0};
        sync->setOptions(options);
        return sync;
    }
    // A full read to start from: the model shows the server's rows.
    bool syncedOnce(TableSync &sync)
    {
        QSignalSpy synced(&sync, &TableSync::synced);
        sync.hold();
        sync.sync(TableSync::Kind::Full);
        return synced.wait(10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<QList<QJsonObject>>();
        qRegisterMetaType<tf::TableSync::Kind>();
        qRegisterMetaType<tf::ClientError>();
    }

    void init()
    {
        tf::sim::SimConfig config = synctest::fastSimConfig();
        config.tickHz = 0;
        config.simulatedTraders = 0;
        m_sim = std::make_unique<tf::sim::SimServer>(config);
        QVERIFY(m_sim->start());
        // The service role reads every row; the owner filter keeps the reads to one user.
        m_rest = std::make_unique<tf::PostgrestClient>(m_sim->url(), m_sim->serviceRoleKey());
        m_rest->setAccessToken(m_sim->serviceRoleKey());
        m_rest->setTransferTimeout(3000ms);
        m_user = m_sim->demoTrader().userId;
    }

    void cleanup()
    {
        m_rest.reset();
        m_sim.reset();
    }

    void fullReadReconcilesWithMinimalRowOperations()
    {
        tf::PositionModel model;
        synctest::watchModel(&model);
        auto sync = makeSync(TableSpec::positions(), &model);
        QVERIFY(syncedOnce(*sync));
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
        QVERIFY(model.count() >= 3);

        // While "offline": one row changed, one deleted, one added on the server.
        const QList<QJsonObject> before = rows(QStringLiteral("positions"));
        updatePosition(before.at(0), QJsonObject{{QStringLiteral("realized_pnl"), 42.5}});
        QVERIFY(store().removeByKey(QStringLiteral("positions"), before.at(1).value(QStringLiteral("id"))).ok());
        QVERIFY(!addPosition(m_sim->market().symbols().last(), 7).isEmpty());

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->hold();
        sync->sync(TableSync::Kind::Full);
        QVERIFY(synced.wait(10000));
        model.flush();

        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
        QCOMPARE(reset.count(), 0);
        QCOMPARE(rowsIn(inserted), 1);
        QCOMPARE(rowsIn(removed), 1);
        QCOMPARE(changed.count(), 1); // only the changed row, and only once
        const QModelIndex changedRow = changed.first().at(0).toModelIndex();
        QCOMPARE(model.data(changedRow, tf::PositionModel::RealizedPnlRole).toDouble(), 42.5);
    }

    void changeBetweenSubscribeAndSnapshotIsNotLost()
    {
        tf::PositionModel model;
        synctest::watchModel(&model);
        auto sync = makeSync(TableSpec::positions(), &model);
        QSignalSpy applied(sync.get(), &TableSync::recordsApplied);
        QSignalSpy synced(sync.get(), &TableSync::synced);

        // Subscribed: live changes are held. The snapshot's reply is slow to come back.
        m_sim->faults().setReplyDelay(400ms);
        sync->hold();
        sync->sync(TableSync::Kind::Full);
        QTest::qWait(100); // the request has reached the server; its answer is still on its way
        const QJsonObject late = addPosition(m_sim->market().symbols().last(), 3);
        QVERIFY(!late.isEmpty());
        sync->apply(insertOf(QStringLiteral("positions"), late)); // committed after the snapshot was taken
        QCOMPARE(sync->bufferedCount(), 1);

        QVERIFY(synced.wait(10000));
        model.flush();
        // The snapshot did not have the row; the buffer did.
        const QList<QJsonObject> snapshot = applied.first().first().value<QList<QJsonObject>>();
        for (const QJsonObject &row : snapshot)
            QVERIFY(row.value(QStringLiteral("id")) != late.value(QStringLiteral("id")));
        QVERIFY(model.indexOfKey(tf::RecordReader::idText(late.value(QStringLiteral("id")))) >= 0);
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
        QCOMPARE(sync->bufferedCount(), 0);
        QVERIFY(sync->isCurrent());
    }

    void bufferedChangeOlderThanSnapshotIsNotAppliedOverIt()
    {
        tf::PositionModel model;
        synctest::watchModel(&model);
        auto sync = makeSync(TableSpec::positions(), &model);
        const QJsonObject original = rows(QStringLiteral("positions")).first();
        const QJsonObject newer = updatePosition(original, QJsonObject{{QStringLiteral("qty"), 999.0}});
        QVERIFY(newer.value(QStringLiteral("updated_at")).toString() > original.value(QStringLiteral("updated_at")).toString());

        // The older version arrives while buffering (a change overtaken by the snapshot).
        QJsonObject stale = original;
        stale.insert(QStringLiteral("qty"), 1.0);
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->hold();
        sync->apply(updateOf(QStringLiteral("positions"), stale));
        sync->sync(TableSync::Kind::Full);
        QVERIFY(synced.wait(10000));
        model.flush();

        const QString key = tf::RecordReader::idText(original.value(QStringLiteral("id")));
        QCOMPARE(model.valueForKey(key, tf::PositionModel::QtyRole).toDouble(), 999.0);
        QVERIFY(model.staleCount() >= 1);
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
    }

    void liveChangesFollowLastWriterWins()
    {
        tf::PositionModel model;
        synctest::watchModel(&model);
        auto sync = makeSync(TableSpec::positions(), &model);
        QVERIFY(syncedOnce(*sync));
        const QJsonObject row = rows(QStringLiteral("positions")).first();
        const QString key = tf::RecordReader::idText(row.value(QStringLiteral("id")));

        QJsonObject newer = row;
        newer.insert(QStringLiteral("qty"), 5.0);
        newer.insert(QStringLiteral("updated_at"), QStringLiteral("2099-01-01T00:00:00.000002+00:00"));
        QJsonObject older = row;
        older.insert(QStringLiteral("qty"), 6.0);
        older.insert(QStringLiteral("updated_at"), QStringLiteral("2099-01-01T00:00:00.000001+00:00"));
        sync->apply(updateOf(QStringLiteral("positions"), newer));
        sync->apply(updateOf(QStringLiteral("positions"), older)); // arrives late: ignored
        model.flush();
        QCOMPARE(model.valueForKey(key, tf::PositionModel::QtyRole).toDouble(), 5.0);
        QCOMPARE(model.staleCount(), 1);

        // A delete committed in the same millisecond as the row's last update (commit_timestamp has
        // milliseconds, updated_at microseconds) still deletes.
        QJsonObject fresh = row;
        fresh.insert(QStringLiteral("id"), 900001);
        fresh.insert(QStringLiteral("updated_at"), QStringLiteral("2099-02-01T10:00:00.123456+00:00"));
        sync->apply(insertOf(QStringLiteral("positions"), fresh));
        model.flush();
        QVERIFY(model.indexOfKey(QStringLiteral("900001")) >= 0);
        sync->apply(deleteOf(QStringLiteral("positions"), 900001,
                             QDateTime::fromString(QStringLiteral("2099-02-01T10:00:00.123Z"), Qt::ISODateWithMs)));
        model.flush();
        QCOMPARE(model.indexOfKey(QStringLiteral("900001")), -1);
        // ...and the late echo of its insert does not bring it back.
        sync->apply(insertOf(QStringLiteral("positions"), fresh));
        model.flush();
        QCOMPARE(model.indexOfKey(QStringLiteral("900001")), -1);
    }

    void catchUpAsksForNewerRowsWithPlusEncoded()
    {
        tf::PositionModel model;
        auto sync = makeSync(TableSpec::positions(), &model);
        QVERIFY(syncedOnce(*sync));
        QVERIFY(sync->lastSeenMicros() > 0);
        QCOMPARE(sync->catchUpSince(), TableSync::formatTimestamp(sync->lastSeenMicros() - 2000000));
        const QByteArray query = sync->changedRowsQuery().toQueryString();
        QVERIFY2(query.contains("updated_at=gte."), query.constData());
        QVERIFY2(query.contains("%2B00%3A00"), query.constData()); // '+' would read as a space (§11.3)
        QVERIFY2(!query.contains('+'), query.constData());
        QCOMPARE(TableSync::formatTimestamp(1755771330120511), QStringLiteral("2025-08-21T10:15:30.120511+00:00"));

        // A change nobody told us about: the catch-up finds it.
        const QJsonObject row = rows(QStringLiteral("positions")).first();
        updatePosition(row, QJsonObject{{QStringLiteral("avg_price"), 77.0}});
        QSignalSpy started(sync.get(), &TableSync::syncStarted);
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->sync(TableSync::Kind::CatchUp);
        QVERIFY(synced.wait(10000));
        QCOMPARE(started.first().first().value<TableSync::Kind>(), TableSync::Kind::CatchUp);
        QCOMPARE(synced.first().first().value<TableSync::Kind>(), TableSync::Kind::CatchUp);
        model.flush();
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
    }

    void catchUpTurnsIntoFullReadWhenRowsWereDeleted()
    {
        tf::PositionModel model;
        synctest::watchModel(&model);
        auto sync = makeSync(TableSpec::positions(), &model);
        QVERIFY(syncedOnce(*sync));
        const QJsonObject gone = rows(QStringLiteral("positions")).first();
        QVERIFY(store().removeByKey(QStringLiteral("positions"), gone.value(QStringLiteral("id"))).ok());

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy started(sync.get(), &TableSync::syncStarted);
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->sync(TableSync::Kind::CatchUp);
        QVERIFY(synced.wait(10000));
        model.flush();
        QCOMPARE(started.count(), 2); // the catch-up, then the full read it turned into
        QCOMPARE(started.at(1).first().value<TableSync::Kind>(), TableSync::Kind::Full);
        QCOMPARE(synced.first().first().value<TableSync::Kind>(), TableSync::Kind::Full);
        QCOMPARE(rowsIn(removed), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
    }

    void keysetPagingReadsEveryPage()
    {
        const QStringList symbols = m_sim->market().symbols();
        for (int i = 3; i < symbols.size(); ++i)
            QVERIFY(!addPosition(symbols.at(i), i).isEmpty());
        tf::PositionModel model;
        auto sync = makeSync(TableSpec::positions(), &model);
        TableSync::Options options = sync->options();
        options.pageSize = 2;
        sync->setOptions(options);
        QVERIFY(syncedOnce(*sync));
        model.flush();
        QVERIFY(rows(QStringLiteral("positions")).size() > 5);
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());

        tf::PagedSelect::Request request;
        request.table = QStringLiteral("positions");
        request.query = sync->ownRowsQuery();
        request.keyColumn = QStringLiteral("id");
        QCOMPARE(tf::PagedSelect::pageQuery(request, QJsonValue(5), 2).toQueryString(),
                 QByteArray("select=*&user_id=eq.") + m_user.toUtf8() + "&id=gt.5&order=id.asc&limit=2");
        request.descending = true;
        QCOMPARE(tf::PagedSelect::pageQuery(request, QJsonValue(), 3).toQueryString(),
                 QByteArray("select=*&user_id=eq.") + m_user.toUtf8() + "&order=id.desc&limit=3");
    }

    void newestFirstTableReadsAtMostTheModelsRows()
    {
        // More trades than the blotter keeps.
        for (int i = 0; i < 5; ++i) {
            QVERIFY(store().insertRow(QStringLiteral("trades"),
                                      QJsonObject{{QStringLiteral("user_id"), m_user}, {QStringLiteral("order_id"), 1},
                                                  {QStringLiteral("symbol"), m_sim->market().symbols().first()},
                                                  {QStringLiteral("side"), QStringLiteral("buy")},
                                                  {QStringLiteral("qty"), 1}, {QStringLiteral("price"), 2}})
                        .ok());
        }
        tf::TradeModel model;
        synctest::watchModel(&model);
        model.setMaxRows(4);
        auto sync = makeSync(TableSpec::trades(), &model);
        sync->setMaxRows(model.maxRows());
        TableSync::Options options = sync->options();
        options.pageSize = 3;
        sync->setOptions(options);
        QVERIFY(syncedOnce(*sync));
        model.flush();
        QList<QJsonObject> all = rows(QStringLiteral("trades"));
        QVERIFY(all.size() > 4);
        std::sort(all.begin(), all.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return a.value(QStringLiteral("id")).toInteger() > b.value(QStringLiteral("id")).toInteger();
        });
        QCOMPARE(synctest::tradesDiff(model, all.mid(0, 4)), QString());
    }

    void failedReadIsRetriedUntilItWorks()
    {
        tf::PositionModel model;
        auto sync = makeSync(TableSpec::positions(), &model);
        m_sim->faults().refuseConnections(0ms);
        m_sim->faults().dropAllConnections();
        QSignalSpy failed(sync.get(), &TableSync::syncFailed);
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->hold();
        sync->sync(TableSync::Kind::Full);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().value<tf::ClientError>().errorClass, tf::ErrorClass::Network);
        QVERIFY(sync->isSyncing());
        QVERIFY(synced.isEmpty());
        m_sim->faults().stopRefusing();
        QVERIFY(synced.wait(10000));
        model.flush();
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
    }

    void bufferOverflowRestartsAsFullRead()
    {
        tf::PositionModel model;
        auto sync = makeSync(TableSpec::positions(), &model);
        TableSync::Options options = sync->options();
        options.maxBufferedChanges = 2;
        sync->setOptions(options);
        m_sim->faults().setReplyDelay(300ms);
        QSignalSpy started(sync.get(), &TableSync::syncStarted);
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->hold();
        sync->sync(TableSync::Kind::Full);
        QTest::qWait(50);
        const QStringList symbols = m_sim->market().symbols();
        for (int i = 0; i < 3; ++i) {
            const QJsonObject row = addPosition(symbols.at(4 + i), 1);
            QVERIFY(!row.isEmpty());
            sync->apply(insertOf(QStringLiteral("positions"), row));
        }
        QCOMPARE(started.count(), 2); // the third change overflowed: buffer dropped, read restarted
        QVERIFY(sync->bufferedCount() < 2);
        QVERIFY(synced.wait(10000));
        model.flush();
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
    }

    void changeWithErrorsIsReadInsteadOfApplied()
    {
        tf::PositionModel model;
        auto sync = makeSync(TableSpec::positions(), &model);
        QVERIFY(syncedOnce(*sync));
        const QJsonObject row = rows(QStringLiteral("positions")).first();
        QVERIFY(!updatePosition(row, QJsonObject{{QStringLiteral("qty"), 31.0}}).isEmpty());
        PostgresChange broken = updateOf(QStringLiteral("positions"), QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id"))}});
        broken.errors = {QStringLiteral("Error 413: Payload Too Large")};
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->apply(broken);
        QVERIFY(sync->isSyncing());
        QVERIFY(synced.wait(10000));
        model.flush();
        QCOMPARE(model.valueForKey(tf::RecordReader::idText(row.value(QStringLiteral("id"))), tf::PositionModel::QtyRole)
                     .toDouble(),
                 31.0);
        QCOMPARE(model.rejectedCount(), 0);
    }

    void malformedChangesNeverReachTheModel()
    {
        tf::PositionModel model;
        synctest::watchModel(&model);
        auto sync = makeSync(TableSpec::positions(), &model);
        QVERIFY(syncedOnce(*sync));
        model.flush();
        const int count = model.count();
        sync->apply(insertOf(QStringLiteral("positions"), QJsonObject{{QStringLiteral("symbol"), QStringLiteral("NOKEY")}}));
        sync->apply(insertOf(QStringLiteral("positions"),
                             QJsonObject{{QStringLiteral("id"), 5}, {QStringLiteral("symbol"), QJsonObject()}, {QStringLiteral("qty"), QStringLiteral("lots")}}));
        sync->apply(change(PostgresChange::Type::Delete, QStringLiteral("positions"), {}, {}));
        sync->apply(insertOf(QStringLiteral("positions"), QJsonObject())); // no record at all
        sync->apply(insertOf(QStringLiteral("orders"), QJsonObject{{QStringLiteral("id"), 1}})); // another table
        model.flush();
        QCOMPARE(model.count(), count);
        QCOMPARE(model.rejectedCount(), 3);
        QCOMPARE(synctest::positionsDiff(model, rows(QStringLiteral("positions"))), QString());
    }

    void localPendingOrderSurvivesReadsAndMergesWithTheServerRow()
    {
        tf::OrderModel model;
        synctest::watchModel(&model);
        auto sync = makeSync(TableSpec::orders(), &model);
        QVERIFY(syncedOnce(*sync));
        model.flush();
        const int serverOrders = model.count();

        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QVERIFY(model.addPending(QJsonObject{{QStringLiteral("client_order_id"), id},
                                             {QStringLiteral("symbol"), m_sim->market().symbols().first()},
                                             {QStringLiteral("side"), QStringLiteral("buy")},
                                             {QStringLiteral("qty"), 2},
                                             {QStringLiteral("type"), QStringLiteral("market")},
                                             {QStringLiteral("created_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}}));
        model.flush();
        QSignalSpy synced(sync.get(), &TableSync::synced);
        sync->sync(TableSync::Kind::Full); // the server does not have it yet: it stays, pending
        QVERIFY(synced.wait(10000));
        model.flush();
        QCOMPARE(model.count(), serverOrders + 1);
        QCOMPARE(model.valueForKey(id, tf::OrderModel::PendingRole).toBool(), true);

        const tf::sim::WriteResult written = store().insertRow(
            QStringLiteral("orders"), QJsonObject{{QStringLiteral("client_order_id"), id}, {QStringLiteral("user_id"), m_user},
                                                  {QStringLiteral("symbol"), m_sim->market().symbols().first()},
                                                  {QStringLiteral("side"), QStringLiteral("buy")}, {QStringLiteral("qty"), 2},
                                                  {QStringLiteral("type"), QStringLiteral("market")}});
        QVERIFY(written.ok());
        sync->apply(insertOf(QStringLiteral("orders"), written.rows.first()));
        model.flush();
        QCOMPARE(model.count(), serverOrders + 1); // one row, not two
        QCOMPARE(model.valueForKey(id, tf::OrderModel::PendingRole).toBool(), false);
        QCOMPARE(model.valueForKey(id, tf::OrderModel::OrderIdRole).toString(),
                 tf::RecordReader::idText(written.rows.first().value(QStringLiteral("id"))));
    }
};

QTEST_GUILESS_MAIN(TestTableSync)
#include "tst_tablesync.moc"
