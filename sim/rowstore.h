#pragma once

#include "tableschema.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <map>
#include <optional>

namespace tf::sim {

enum class ChangeType { Insert, Update, Delete };
QString changeTypeName(ChangeType type); // "INSERT", "UPDATE", "DELETE"

// One committed row change, as logical replication would report it. `oldRecord` is always the
// full old row; what a subscriber gets of it (PK only or everything) is the consumer's business.
struct RowChange {
    QString schema;
    QString table;
    ChangeType type = ChangeType::Insert;
    QJsonObject record;    // INSERT, UPDATE
    QJsonObject oldRecord; // UPDATE, DELETE
    qint64 commitMicros = 0;
};

enum class ConflictAction {
    Error,  // duplicate key -> 23505
    Ignore, // ON CONFLICT DO NOTHING (PostgREST resolution=ignore-duplicates)
    Merge,  // ON CONFLICT DO UPDATE (resolution=merge-duplicates)
};

// Row-level-security WITH CHECK: an error for a row that may not be written.
using RowCheck = std::function<std::optional<DbError>(const QJsonObject &row)>;

struct InsertOptions {
    QStringList conflictColumns; // empty: the primary key
    ConflictAction onConflict = ConflictAction::Error;
    QString authUid;             // value of auth.uid() for AuthUid defaults
    RowCheck check;
};

struct WriteResult {
    QList<QJsonObject> rows; // rows as written (inserted, updated, merged or deleted)
    std::optional<DbError> error;

    bool ok() const { return !error.has_value(); }
};

// An in-memory stand-in for the project's Postgres tables: typed columns, defaults (identity,
// now(), auth.uid()), NOT NULL, primary keys and unique constraints, an updated_at trigger, and
// a change feed. Each write is atomic: it applies to every row or to none.
//
// This is the service-role view: no row-level security here; callers pass predicates and checks.
// rowChanged() is emitted synchronously after a write commits, one signal per row; slots must
// not write to the store from inside it (queue the work instead).
class RowStore : public QObject {
    Q_OBJECT

public:
    explicit RowStore(QObject *parent = nullptr);
    ~RowStore() override;

    void createTable(const TableDef &table);
    const TableDef *table(QStringView name) const;
    QStringList tableNames() const;

    // Rows in insertion order (like a heap without updates moving rows), optionally filtered.
    QList<QJsonObject> rows(const QString &table, const RowPredicate &where = {}) const;
    qsizetype rowCount(const QString &table) const;
    // By a single-column primary key.
    std::optional<QJsonObject> rowByKey(const QString &table, const QJsonValue &key) const;

    WriteResult insert(const QString &table, const QList<QJsonObject> &rows, const InsertOptions &options = {});
    WriteResult update(const QString &table, const RowPredicate &where, const QJsonObject &patch,
                       const RowCheck &check = {});
    WriteResult remove(const QString &table, const RowPredicate &where);

    // Single-row conveniences for the matching engine and tests (service role, no checks).
    WriteResult insertRow(const QString &table, const QJsonObject &row);
    WriteResult updateByKey(const QString &table, const QJsonValue &key, const QJsonObject &patch);
    WriteResult removeByKey(const QString &table, const QJsonValue &key);

Q_SIGNALS:
    void rowChanged(const tf::sim::RowChange &change);

private:
    struct Table;
    Table *find(QStringView name);
    const Table *find(QStringView name) const;
    void emitChanges(const Table &table, ChangeType type, const QList<QPair<QJsonObject, QJsonObject>> &rows,
                     qint64 micros);

    std::map<QString, std::unique_ptr<Table>> m_tables;
};

} // namespace tf::sim

Q_DECLARE_METATYPE(tf::sim::RowChange)
