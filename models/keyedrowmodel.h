#pragma once

#include "rowversion.h"

#include <QAbstractListModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMetaEnum>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <deque>
#include <unordered_map>
#include <vector>

namespace tf {

// The one list model every Trading Floor table model is built on: rows keyed by primary key,
// changes staged and applied in batches, last-writer-wins by row version, and snapshot reconcile
// with minimal row operations.
//
// Feeding it (the sync service, GUI thread only):
//   upsert(record)            an INSERT/UPDATE record or a REST row; staged until the next flush
//   remove(key) / removeRecord(old_record)   a DELETE (old_record carries only the primary key)
//   reconcile(snapshot)       after a (re)subscribe: the model becomes the snapshot with minimal
//                             inserts/updates/removes, never a reset
//   clear()                   sign-out: the only full reset
//
// Guarantees to views, per flush: each changed row gets at most one dataChanged naming exactly the
// roles whose values changed; inserts and removals come as contiguous ranges; a row whose sort key
// changed is moved (beginMoveRows), never removed and re-added. Flushes run from a single-shot
// timer (flushInterval, default one 60 Hz frame) that is not restarted by further changes, so a
// steady stream yields at most 1000/flushInterval batches per second however fast it arrives.
//
// Last-writer-wins: a change whose version is older than the one the model holds for its key (row,
// staged change or tombstone) is ignored and counted; an equal version applies idempotently (only
// real value changes reach the view). A delete leaves a tombstone so a late, older upsert cannot
// resurrect the row; a re-insert must be strictly newer than the tombstone. Tombstones are bounded
// (tombstoneLimit, oldest forgotten first).
//
// Bad input (no key, wrong types) is logged to tradingfloor.models, counted and skipped.
class KeyedRowModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int flushInterval READ flushInterval WRITE setFlushInterval NOTIFY flushIntervalChanged)

public:
    // Roles of every concrete model start here, in the order of its Q_ENUM'd Roles enum.
    static constexpr int FirstRole = Qt::UserRole + 1;

    // One row: its key, the version it was written at and one value per role.
    struct Row
    {
        QString key;
        RowVersion version;
        QVariantList values; // index = role - FirstRole
        // A primary sort key a model may precompute (e.g. a time in ms) so lessThan() compares
        // integers instead of converting QVariants: it runs O(log n) times per inserted row.
        qint64 sortKey = 0;

        const QVariant &value(int role) const { return values.at(role - FirstRole); }
        void set(int role, const QVariant &v) { values[role - FirstRole] = v; }
    };

    ~KeyedRowModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    // Qt::DisplayRole answers with the first role's value (handy for widget views and debugging).
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rows.size()); }
    // All roles of one row by role name, for QML (`model.get(i).symbol`); empty when out of range.
    Q_INVOKABLE QVariantMap get(int row) const;
    // The row of a key, or -1. O(1) (after a structural change, the first lookup re-indexes once).
    Q_INVOKABLE int indexOfKey(const QString &key) const;
    // One value of the row with this key; invalid when the key or role is unknown.
    Q_INVOKABLE QVariant valueForKey(const QString &key, int role) const;
    // The role with this roleNames() name, or -1.
    Q_INVOKABLE int roleForName(const QString &name) const;

    // --- input, for the sync service -------------------------------------------------------------

    // Which record fields form the primary key (several for a composite key). Set before feeding.
    QStringList keyFields() const { return m_keyFields; }
    void setKeyFields(const QStringList &fields);
    // The field read as the row version when upsert() is given none (default "updated_at").
    QString versionField() const { return m_versionField; }
    void setVersionField(const QString &field) { m_versionField = field; }

    // The key of a record as the model stores it (composite keys joined by U+001F), or a null
    // QString when a key field is missing or not an identifier.
    QString keyOf(const QJsonObject &record) const;

    // Stages an INSERT/UPDATE. The version is the record's versionField unless `version` is given;
    // keep one clock per table (the record's updated_at is what the REST catch-up returns too, so
    // prefer it over Realtime's commit_timestamp). Returns false when rejected or stale.
    bool upsert(const QJsonObject &record, const QDateTime &version = QDateTime());
    // Stages a DELETE of a key (commit_timestamp is a good `version`: it is never older than the
    // row's updated_at). The tombstone keeps the newer of `version` and the row's version.
    // Returns false when stale (the model holds a newer version).
    bool remove(const QString &key, const QDateTime &version = QDateTime());
    // Stages a DELETE given Realtime's old_record (with RLS it carries only the primary key).
    bool removeRecord(const QJsonObject &oldRecord, const QDateTime &version = QDateTime());
    // Flushes staged changes, then makes the model equal to the snapshot with the fewest row
    // operations: rows absent from it are removed (deleted while offline), new ones inserted,
    // changed ones updated (only the changed roles), the rest untouched. A snapshot row older than
    // what the model holds (a live change newer than the snapshot) keeps the model's row.
    void reconcile(const QList<QJsonObject> &snapshot);
    void reconcile(const QJsonArray &snapshot);

    int flushInterval() const { return m_flushInterval; }
    void setFlushInterval(int milliseconds);
    int tombstoneLimit() const { return m_tombstoneLimit; }
    void setTombstoneLimit(int limit);
    bool hasPendingChanges() const { return !m_pending.isEmpty() || !m_touched.isEmpty(); }

    // Counters for diagnostics and tests (no NOTIFY: they move per message).
    qint64 staleCount() const { return m_staleCount; }       // changes ignored by last-writer-wins
    qint64 rejectedCount() const { return m_rejectedCount; } // records rejected as bad input
    int tombstoneCount() const { return int(m_tombstones.size()); }

public Q_SLOTS:
    // Applies every staged change now (tests call this instead of waiting for the timer).
    void flush();
    // Forgets everything, including tombstones: the only operation that resets the model.
    void clear();

Q_SIGNALS:
    void countChanged();
    void flushIntervalChanged();
    // Once per batch that had staged work: the number of rows inserted, changed or removed.
    void flushed(int changedRows);

protected:
    // `roles` is the concrete model's Q_ENUM'd role enum; its keys name the roles ("LastPriceRole"
    // -> "lastPrice") and its values must run from FirstRole without gaps.
    KeyedRowModel(const QMetaEnum &roles, const QStringList &keyFields, QObject *parent);

    // Fills row.values from a server record (row.key and row.version are set already). Returns
    // false, with a reason, to reject the record.
    virtual bool parseRecord(const QJsonObject &record, Row &row, QString *error) const = 0;
    // Row order; ties must be broken (e.g. by key) so the order is stable. Default: by key.
    virtual bool lessThan(const Row &a, const Row &b) const;
    // Derived and local values (P&L, flashes, history…) before a row is compared and stored.
    // `existing` is the row as the view has it, or null for an insert.
    virtual void completeRow(Row &row, const Row *existing);
    // Rows reconcile() keeps although the snapshot lacks them (e.g. unsent local orders).
    virtual bool keepOnReconcile(const Row &row) const;
    // The key a DELETE's old_record refers to. Default keyOf(); a model keyed by something other
    // than the table's primary key maps the primary key back here.
    virtual QString keyForDeletion(const QJsonObject &oldRecord) const;

    struct FlushSummary
    {
        QStringList changedKeys; // inserted or updated with at least one changed role
        QStringList removedKeys; // removed, trimmed by the row limit included
        bool reset = false;      // clear() ran
    };
    // Once per batch, after the view saw every change (totals, cross-model notifications).
    virtual void afterFlush(const FlushSummary &summary);

    // A blank row of the right width.
    Row makeRow(const QString &key) const;
    // The row as it will be after the next flush (staged change, else current), or null when it
    // does not exist or is staged for removal.
    const Row *peek(const QString &key) const;
    const std::vector<Row> &rows() const { return m_rows; }
    // Stages a complete row under last-writer-wins; false when stale.
    bool stage(Row row);
    // For inputs that change a few fields of a row (ticks): the staged row to edit in place, made
    // from the current row (or blank) when nothing is staged yet; null when `version` is stale.
    // Valid until the next staging call. Costs one or two hash lookups, no row copy when staged.
    Row *stageEdit(const QString &key, const RowVersion &version);
    bool stageRemoval(const QString &key, RowVersion version);
    // Asks for the row to be recompleted at the next flush (a local input such as a quote moved).
    void touch(const QString &key);
    // Applies prebuilt rows as a snapshot; see reconcile().
    void reconcileRows(std::vector<Row> snapshot);
    // Rows beyond `limit` (0 = none) are dropped from the end of the order and counted.
    void setRowLimit(int limit);
    int rowLimit() const { return m_rowLimit; }
    qint64 droppedRows() const { return m_droppedRows; }
    // Logs and counts one rejected input.
    void reject(const QString &what, const QString &why);
    // Compares keys so that numeric ids order as numbers ("9" < "10"), others as text.
    static int compareKeys(const QString &a, const QString &b);

private:
    struct Pending
    {
        Row row;
        bool removal = false;
    };
    struct Batch
    {
        QStringList removals;    // keys present in the model
        std::vector<Row> updates; // keys present, new values
        std::vector<Row> inserts; // keys absent
    };

    int rowOf(const QString &key) const;
    void invalidateIndexFrom(int row) const;
    // Version the next change of `key` must not be older than; *tombstone when it is a deletion.
    RowVersion currentVersion(const QString &key, bool *tombstone) const;
    // The same, ignoring staged changes (the caller looked those up already).
    RowVersion committedVersion(const QString &key, bool *tombstone) const;
    // Last-writer-wins, counting and logging a stale change.
    bool isStale(const QString &key, const RowVersion &incoming, const RowVersion &current,
                 bool tombstone, bool isRemoval);
    void rememberTombstone(const QString &key, const RowVersion &version);
    void forgetTombstone(const QString &key);
    void scheduleFlush();
    void applyBatch(Batch &batch);
    void removeRowsDescending(QList<int> rows, FlushSummary &summary);
    int updateRow(int row, Row &&incoming, FlushSummary &summary);
    void insertSorted(std::vector<Row> &&inserts, FlushSummary &summary);
    void enforceRowLimit(FlushSummary &summary);
    bool parseInto(const QJsonObject &record, const QDateTime &version, Row &row);

    QHash<int, QByteArray> m_roleNames;
    int m_roleCount = 0;
    QStringList m_keyFields;
    QString m_versionField = QStringLiteral("updated_at");

    struct KeyHash
    {
        size_t operator()(const QString &key) const noexcept { return qHash(key, QHashSeed::globalSeed()); }
    };

    std::vector<Row> m_rows;
    // key -> row. Entries for rows at or after m_indexValidUpTo may be stale after a structural
    // change; rowOf() refreshes that tail once per batch. The map's nodes never move, so
    // m_slots[i] points at row i's entry and the refresh is a pointer walk, not a re-hash of every
    // key (string hashing is the dominant cost here; a 10,000-row blotter gets a new top row
    // every frame).
    mutable std::unordered_map<QString, int, KeyHash> m_index;
    std::vector<int *> m_slots; // parallel to m_rows
    mutable int m_indexValidUpTo = 0;

    QHash<QString, Pending> m_pending;
    QSet<QString> m_touched;
    QTimer m_flushTimer;
    int m_flushInterval = 16;

    QHash<QString, RowVersion> m_tombstones;
    std::deque<std::pair<QString, RowVersion>> m_tombstoneOrder; // oldest first, may hold stale pairs
    int m_tombstoneLimit = 10000;

    int m_rowLimit = 0;
    qint64 m_droppedRows = 0;
    qint64 m_staleCount = 0;
    qint64 m_rejectedCount = 0;
};

} // namespace tf
