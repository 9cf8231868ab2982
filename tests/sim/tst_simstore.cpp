// The in-memory table store: typed columns and defaults, constraints, conflict handling,
// the updated_at trigger, atomic batches and the change feed.
#include "rowstore.h"
#include "timestamps.h"
#include "tradingschema.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace tf::sim;
using namespace Qt::StringLiterals;

namespace {
const QString Me = u"11111111-1111-4111-8111-111111111111"_s;
QJsonObject order(const QString &symbol = u"AAPL"_s, double qty = 1)
{
    return QJsonObject{{u"user_id"_s, Me}, {u"symbol"_s, symbol}, {u"side"_s, u"buy"_s}, {u"qty"_s, qty}};
}
}

class TestSimStore : public QObject
{
    Q_OBJECT

private:
    RowStore *m_store = nullptr;

private Q_SLOTS:
    void init()
    {
        m_store = new RowStore(this);
        TradingSchema::install(*m_store);
    }
    void cleanup()
    {
        delete m_store;
        m_store = nullptr;
    }

    void insertFillsDefaults()
    {
        const WriteResult result = m_store->insert(TradingSchema::Orders, {order()}, InsertOptions{{}, ConflictAction::Error, Me, {}});
        QVERIFY(result.ok());
        const QJsonObject row = result.rows.first();
        QCOMPARE(row.value(u"id"_s).toInteger(), 1);
        QCOMPARE(row.value(u"status"_s).toString(), u"new"_s);
        QCOMPARE(row.value(u"type"_s).toString(), u"market"_s);
        QCOMPARE(row.value(u"filled_qty"_s).toDouble(), 0.0);
        QVERIFY(row.value(u"limit_price"_s).isNull());
        QVERIFY(!QUuid::fromString(row.value(u"client_order_id"_s).toString()).isNull());
        QVERIFY(Timestamps::parseTimestamptz(row.value(u"created_at"_s).toString()));
        QVERIFY(row.value(u"created_at"_s).toString().endsWith(u"+00:00"_s));
        QCOMPARE(row.value(u"updated_at"_s), row.value(u"created_at"_s));
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, order()).rows.first().value(u"id"_s).toInteger(), 2);
    }

    void authUidDefault()
    {
        QJsonObject row = order();
        row.remove(u"user_id"_s);
        InsertOptions options;
        options.authUid = Me;
        QCOMPARE(m_store->insert(TradingSchema::Orders, {row}, options).rows.first().value(u"user_id"_s).toString(), Me);
        // Without a user there is no auth.uid(): NOT NULL fails.
        const WriteResult anon = m_store->insert(TradingSchema::Orders, {row});
        QCOMPARE(anon.error->code, u"23502"_s);
        QCOMPARE(anon.error->message, u"null value in column \"user_id\" of relation \"orders\" violates not-null constraint"_s);
    }

    void castsAndRejectsTypes()
    {
        QJsonObject row = order();
        row.insert(u"qty"_s, u"2.5"_s); // numeric strings are accepted, as Postgres casts them
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, row).rows.first().value(u"qty"_s).toDouble(), 2.5);
        row.insert(u"qty"_s, u"lots"_s);
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, row).error->message, u"invalid input syntax for type numeric: \"lots\""_s);
        row = order();
        row.insert(u"side"_s, u"hold"_s);
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, row).error->message, u"invalid input value for enum order_side: \"hold\""_s);
        row = order();
        row.insert(u"colour"_s, u"red"_s);
        const WriteResult unknown = m_store->insertRow(TradingSchema::Orders, row);
        QCOMPARE(unknown.error->code, u"PGRST204"_s);
        QCOMPARE(unknown.error->message, u"Could not find the 'colour' column of 'orders' in the schema cache"_s);
        row = order();
        row.insert(u"created_at"_s, u"2026-08-21T12:00:00+02:00"_s);
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, row).rows.first().value(u"created_at"_s).toString(),
                 u"2026-08-21T10:00:00+00:00"_s);
        QCOMPARE(m_store->rowCount(TradingSchema::Orders), 2);
    }

    void uniqueConstraintsAndConflicts()
    {
        QJsonObject row = order();
        row.insert(u"client_order_id"_s, u"6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10"_s);
        QVERIFY(m_store->insertRow(TradingSchema::Orders, row).ok());

        const WriteResult duplicate = m_store->insertRow(TradingSchema::Orders, row);
        QCOMPARE(duplicate.error->httpStatus, 409);
        QCOMPARE(duplicate.error->code, u"23505"_s);
        QCOMPARE(duplicate.error->message, u"duplicate key value violates unique constraint \"orders_client_order_id_key\""_s);
        QCOMPARE(duplicate.error->details, u"Key (client_order_id)=(6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10) already exists."_s);

        InsertOptions ignore;
        ignore.conflictColumns = {u"client_order_id"_s};
        ignore.onConflict = ConflictAction::Ignore;
        QJsonObject other = order(u"MSFT"_s);
        const WriteResult replay = m_store->insert(TradingSchema::Orders, {row, other}, ignore);
        QVERIFY(replay.ok());
        QCOMPARE(replay.rows.size(), 1); // the existing row is left out
        QCOMPARE(replay.rows.first().value(u"symbol"_s).toString(), u"MSFT"_s);
        QCOMPARE(m_store->rowCount(TradingSchema::Orders), 2);

        InsertOptions merge = ignore;
        merge.onConflict = ConflictAction::Merge;
        row.insert(u"qty"_s, 7);
        const WriteResult merged = m_store->insert(TradingSchema::Orders, {row}, merge);
        QCOMPARE(merged.rows.first().value(u"qty"_s).toDouble(), 7.0);
        QCOMPARE(merged.rows.first().value(u"id"_s).toInteger(), 1);

        InsertOptions wrongTarget = ignore;
        wrongTarget.conflictColumns = {u"symbol"_s};
        QCOMPARE(m_store->insert(TradingSchema::Orders, {row}, wrongTarget).error->code, u"42P10"_s);
    }

    void batchesAreAtomic()
    {
        QJsonObject bad = order();
        bad.insert(u"qty"_s, u"x"_s);
        QSignalSpy changes(m_store, &RowStore::rowChanged);
        QVERIFY(!m_store->insert(TradingSchema::Orders, {order(), order(), bad}).ok());
        QCOMPARE(m_store->rowCount(TradingSchema::Orders), 0);
        QCOMPARE(changes.size(), 0);
        // The failed batch did not burn identity values visibly.
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, order()).rows.first().value(u"id"_s).toInteger(), 1);

        // A duplicate inside one batch is a conflict too.
        QJsonObject a = order();
        a.insert(u"client_order_id"_s, u"6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b11"_s);
        QCOMPARE(m_store->insert(TradingSchema::Orders, {a, a}).error->code, u"23505"_s);
    }

    void updateMaintainsUpdatedAtAndChecks()
    {
        const QJsonObject inserted = m_store->insertRow(TradingSchema::Orders, order()).rows.first();
        QSignalSpy changes(m_store, &RowStore::rowChanged);
        const WriteResult updated = m_store->updateByKey(TradingSchema::Orders, 1, QJsonObject{{u"status"_s, u"accepted"_s}});
        QVERIFY(updated.ok());
        const QJsonObject row = updated.rows.first();
        QCOMPARE(row.value(u"status"_s).toString(), u"accepted"_s);
        QVERIFY(*Timestamps::parseTimestamptz(row.value(u"updated_at"_s).toString())
                > *Timestamps::parseTimestamptz(inserted.value(u"updated_at"_s).toString()));
        QCOMPARE(row.value(u"created_at"_s), inserted.value(u"created_at"_s));
        QCOMPARE(changes.size(), 1);
        const RowChange change = changes.first().first().value<RowChange>();
        QCOMPARE(change.type, ChangeType::Update);
        QCOMPARE(change.table, u"orders"_s);
        QCOMPARE(change.oldRecord.value(u"status"_s).toString(), u"new"_s);
        QCOMPARE(change.record.value(u"status"_s).toString(), u"accepted"_s);

        // A WITH CHECK refusal leaves everything as it was.
        const WriteResult refused = m_store->update(TradingSchema::Orders, {}, QJsonObject{{u"user_id"_s, u"22222222-2222-4222-8222-222222222222"_s}},
                                                    [](const QJsonObject &) { return std::optional<DbError>(DbError{403, u"42501"_s, u"no"_s, {}, {}}); });
        QCOMPARE(refused.error->code, u"42501"_s);
        QCOMPARE(m_store->rowByKey(TradingSchema::Orders, 1)->value(u"user_id"_s).toString(), Me);

        // Unique constraints apply to updates as well.
        m_store->insertRow(TradingSchema::Positions, QJsonObject{{u"user_id"_s, Me}, {u"symbol"_s, u"AAPL"_s}});
        m_store->insertRow(TradingSchema::Positions, QJsonObject{{u"user_id"_s, Me}, {u"symbol"_s, u"MSFT"_s}});
        QCOMPARE(m_store->updateByKey(TradingSchema::Positions, 2, QJsonObject{{u"symbol"_s, u"AAPL"_s}}).error->message,
                 u"duplicate key value violates unique constraint \"positions_user_id_symbol_key\""_s);
    }

    void deleteReportsOldRows()
    {
        m_store->insertRow(TradingSchema::Orders, order(u"AAPL"_s));
        m_store->insertRow(TradingSchema::Orders, order(u"MSFT"_s));
        QSignalSpy changes(m_store, &RowStore::rowChanged);
        const WriteResult removed = m_store->remove(TradingSchema::Orders, [](const QJsonObject &row) {
            return row.value(u"symbol"_s).toString() == u"AAPL";
        });
        QCOMPARE(removed.rows.size(), 1);
        QCOMPARE(changes.size(), 1);
        const RowChange change = changes.first().first().value<RowChange>();
        QCOMPARE(change.type, ChangeType::Delete);
        QCOMPARE(change.oldRecord.value(u"symbol"_s).toString(), u"AAPL"_s);
        QVERIFY(change.record.isEmpty());
        QVERIFY(!m_store->rowByKey(TradingSchema::Orders, 1));
        QVERIFY(m_store->rowByKey(TradingSchema::Orders, 2));
        // Identity keeps counting after deletes, like a sequence.
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, order()).rows.first().value(u"id"_s).toInteger(), 3);
    }

    void explicitIdsAdvanceTheIdentity()
    {
        QJsonObject row = order();
        row.insert(u"id"_s, 41);
        QVERIFY(m_store->insertRow(TradingSchema::Orders, row).ok());
        QCOMPARE(m_store->insertRow(TradingSchema::Orders, order()).rows.first().value(u"id"_s).toInteger(), 42);
    }

    void rowsKeepInsertionOrder()
    {
        for (const QString &symbol : {u"C"_s, u"A"_s, u"B"_s})
            m_store->insertRow(TradingSchema::Orders, order(symbol));
        m_store->updateByKey(TradingSchema::Orders, 1, QJsonObject{{u"qty"_s, 9}});
        QStringList symbols;
        for (const QJsonObject &row : m_store->rows(TradingSchema::Orders))
            symbols.append(row.value(u"symbol"_s).toString());
        QCOMPARE(symbols, (QStringList{u"C"_s, u"A"_s, u"B"_s}));
    }
};

QTEST_GUILESS_MAIN(TestSimStore)
#include "tst_simstore.moc"
