#include "rowstore.h"

#include "timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

namespace tf::sim {

namespace {

QString valueText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("null");
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

// Index key of a row for some columns; nullopt when any of them is NULL (NULLs never collide).
std::optional<QString> keyOf(const QJsonObject &row, const QStringList &columns)
{
    QJsonArray values;
    for (const QString &column : columns) {
        const QJsonValue v = row.value(column);
        if (v.isNull() || v.isUndefined())
            return std::nullopt;
        values.append(v);
    }
    return QString::fromUtf8(QJsonDocument(values).toJson(QJsonDocument::Compact));
}

DbError duplicateKey(const QString &constraint, const QStringList &columns, const QJsonObject &row)
{
    QStringList values;
    for (const QString &column : columns)
        values.append(valueText(row.value(column)));
    return DbError{409, QStringLiteral("23505"),
                   QStringLiteral("duplicate key value violates unique constraint \"%1\"").arg(constraint),
                   QStringLiteral("Key (%1)=(%2) already exists.")
                       .arg(columns.join(QStringLiteral(", ")), values.join(QStringLiteral(", "))),
                   {}};
}

DbError unknownColumn(const QString &table, const QString &column)
{
    return DbError{400, QStringLiteral("PGRST204"),
                   QStringLiteral("Could not find the '%1' column of '%2' in the schema cache").arg(column, table),
                   {}, {}};
}

DbError unknownTable(const QString &table)
{
    return DbError{404, QStringLiteral("42P01"),
                   QStringLiteral("relation \"public.%1\" does not exist").arg(table), {}, {}};
}

std::optional<DbError> checkNotNull(const TableDef &def, const QJsonObject &row)
{
    for (const ColumnDef &column : def.columns) {
        if (!column.nullable && row.value(column.name).isNull()) {
            QStringList values;
            for (const ColumnDef &c : def.columns)
                values.append(valueText(row.value(c.name)));
            return DbError{400, QStringLiteral("23502"),
                           QStringLiteral("null value in column \"%1\" of relation \"%2\" violates not-null constraint")
                               .arg(column.name, def.name),
                           QStringLiteral("Failing row contains (%1).").arg(values.join(QStringLiteral(", "))),
                           {}};
        }
    }
    return std::nullopt;
}

} // namespace

QString changeTypeName(ChangeType type)
{
    switch (type) {
    case ChangeType::Insert: return QStringLiteral("INSERT");
    case ChangeType::Update: return QStringLiteral("UPDATE");
    case ChangeType::Delete: return QStringLiteral("DELETE");
    }
    return {};
}

struct RowStore::Table {
    TableDef def;
    std::map<quint64, QJsonObject> rows; // by insertion sequence: stable "physical" order
    quint64 nextSequence = 1;
    qint64 nextIdentity = 1;
    // Unique indexes: [0] is the primary key, then def.uniques in order.
    QList<QStringList> indexColumns;
    QStringList indexNames;
    QList<QHash<QString, quint64>> indexes;

    void indexRow(const QJsonObject &row, quint64 sequence)
    {
        for (qsizetype i = 0; i < indexes.size(); ++i) {
            if (const auto key = keyOf(row, indexColumns.at(i)))
                indexes[i].insert(*key, sequence);
        }
    }
    void unindexRow(const QJsonObject &row)
    {
        for (qsizetype i = 0; i < indexes.size(); ++i) {
            if (const auto key = keyOf(row, indexColumns.at(i)))
                indexes[i].remove(*key);
        }
    }
    void bumpIdentity(const QJsonObject &row)
    {
        for (const ColumnDef &column : def.columns) {
            if (column.defaultKind == ColumnDefault::Identity && row.value(column.name).isDouble())
                nextIdentity = std::max(nextIdentity, row.value(column.name).toInteger() + 1);
        }
    }
};

RowStore::RowStore(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<tf::sim::RowChange>();
}

RowStore::~RowStore() = default;

void RowStore::createTable(const TableDef &def)
{
    auto table = std::make_unique<Table>();
    table->def = def;
    table->indexColumns.append(def.primaryKey);
    table->indexNames.append(def.primaryKeyConstraintName());
    for (const UniqueConstraint &unique : def.uniques) {
        table->indexColumns.append(unique.columns);
        table->indexNames.append(unique.name);
    }
    table->indexes.resize(table->indexColumns.size());
    m_tables[def.name] = std::move(table);
}

RowStore::Table *RowStore::find(QStringView name)
{
    const auto it = m_tables.find(name.toString());
    return it == m_tables.end() ? nullptr : it->second.get();
}

const RowStore::Table *RowStore::find(QStringView name) const
{
    const auto it = m_tables.find(name.toString());
    return it == m_tables.end() ? nullptr : it->second.get();
}

const TableDef *RowStore::table(QStringView name) const
{
    const Table *t = find(name);
    return t ? &t->def : nullptr;
}

QStringList RowStore::tableNames() const
{
    QStringList names;
    for (const auto &entry : m_tables)
        names.append(entry.first);
    return names;
}

QList<QJsonObject> RowStore::rows(const QString &table, const RowPredicate &where) const
{
    QList<QJsonObject> result;
    if (const Table *t = find(table)) {
        for (const auto &entry : t->rows) {
            if (!where || where(entry.second))
                result.append(entry.second);
        }
    }
    return result;
}

qsizetype RowStore::rowCount(const QString &table) const
{
    const Table *t = find(table);
    return t ? qsizetype(t->rows.size()) : 0;
}

std::optional<QJsonObject> RowStore::rowByKey(const QString &table, const QJsonValue &key) const
{
    const Table *t = find(table);
    if (!t || t->def.primaryKey.size() != 1)
        return std::nullopt;
    const ColumnDef *column = t->def.column(t->def.primaryKey.first());
    const auto cast = column->castJson(key, nullptr);
    if (!cast)
        return std::nullopt;
    const auto index = keyOf(QJsonObject{{column->name, *cast}}, t->def.primaryKey);
    if (!index)
        return std::nullopt;
    const auto it = t->indexes.at(0).constFind(*index);
    if (it == t->indexes.at(0).cend())
        return std::nullopt;
    return t->rows.at(*it);
}

WriteResult RowStore::insert(const QString &tableName, const QList<QJsonObject> &inputs, const InsertOptions &options)
{
    WriteResult result;
    Table *t = find(tableName);
    if (!t) {
        result.error = unknownTable(tableName);
        return result;
    }
    const TableDef &def = t->def;

    // The conflict target must be exactly the columns of the primary key or a unique constraint.
    qsizetype target = 0;
    if (!options.conflictColumns.isEmpty()) {
        const QSet<QString> wanted(options.conflictColumns.cbegin(), options.conflictColumns.cend());
        target = -1;
        for (qsizetype i = 0; i < t->indexColumns.size(); ++i) {
            const QStringList &cols = t->indexColumns.at(i);
            if (QSet<QString>(cols.cbegin(), cols.cend()) == wanted)
                target = i;
        }
        if (target < 0) {
            result.error = DbError{400, QStringLiteral("42P10"),
                                   QStringLiteral("there is no unique or exclusion constraint matching the ON CONFLICT specification"),
                                   {}, {}};
            return result;
        }
    }

    const qint64 now = Timestamps::nowMicros();
    const QString nowText = Timestamps::formatTimestamptz(now);
    qint64 identity = t->nextIdentity;

    enum class Action { Insert, Skip, Merge };
    struct Planned {
        Action action;
        QJsonObject row;
        quint64 existing = 0;
    };
    QList<Planned> plan;
    QList<QSet<QString>> batchKeys(t->indexes.size());

    for (const QJsonObject &input : inputs) {
        for (auto it = input.begin(); it != input.end(); ++it) {
            if (!def.column(it.key())) {
                result.error = unknownColumn(def.name, it.key());
                return result;
            }
        }
        QJsonObject row;
        for (const ColumnDef &column : def.columns) {
            if (input.contains(column.name)) {
                DbError error;
                const auto cast = column.castJson(input.value(column.name), &error);
                if (!cast) {
                    result.error = error;
                    return result;
                }
                row.insert(column.name, *cast);
                continue;
            }
            QJsonValue value(QJsonValue::Null);
            switch (column.defaultKind) {
            case ColumnDefault::None: break;
            case ColumnDefault::Identity: value = identity++; break;
            case ColumnDefault::Now: value = nowText; break;
            case ColumnDefault::AuthUid:
                if (!options.authUid.isEmpty())
                    value = options.authUid;
                break;
            case ColumnDefault::RandomUuid: value = QUuid::createUuid().toString(QUuid::WithoutBraces); break;
            case ColumnDefault::Constant: value = column.defaultValue; break;
            }
            row.insert(column.name, value);
        }
        if (auto error = checkNotNull(def, row)) {
            result.error = error;
            return result;
        }
        if (options.check) {
            if (auto error = options.check(row)) {
                result.error = error;
                return result;
            }
        }

        Planned planned{Action::Insert, row, 0};
        // The conflict target decides the resolution; any other unique violation is an error.
        for (qsizetype i = 0; i < t->indexes.size(); ++i) {
            const auto key = keyOf(row, t->indexColumns.at(i));
            if (!key)
                continue;
            const bool inTable = t->indexes.at(i).contains(*key);
            const bool inBatch = batchKeys.at(i).contains(*key);
            if (!inTable && !inBatch)
                continue;
            if (i == target && options.onConflict == ConflictAction::Ignore) {
                planned.action = Action::Skip;
                break;
            }
            if (i == target && options.onConflict == ConflictAction::Merge) {
                if (inBatch) {
                    result.error = DbError{400, QStringLiteral("21000"),
                                           QStringLiteral("ON CONFLICT DO UPDATE command cannot affect row a second time"),
                                           {}, QStringLiteral("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")};
                    return result;
                }
                planned.action = Action::Merge;
                planned.existing = t->indexes.at(i).value(*key);
                QJsonObject merged = t->rows.at(planned.existing);
                for (auto it = input.begin(); it != input.end(); ++it)
                    merged.insert(it.key(), row.value(it.key()));
                if (!def.updatedAtColumn.isEmpty())
                    merged.insert(def.updatedAtColumn, nowText);
                planned.row = merged;
                break;
            }
            result.error = duplicateKey(t->indexNames.at(i), t->indexColumns.at(i), row);
            return result;
        }
        if (planned.action == Action::Insert) {
            for (qsizetype i = 0; i < t->indexes.size(); ++i) {
                if (const auto key = keyOf(row, t->indexColumns.at(i)))
                    batchKeys[i].insert(*key);
            }
        }
        plan.append(planned);
    }

    // Commit.
    QList<QPair<QJsonObject, QJsonObject>> inserted;
    QList<QPair<QJsonObject, QJsonObject>> merged;
    for (const Planned &planned : plan) {
        if (planned.action == Action::Skip)
            continue;
        if (planned.action == Action::Insert) {
            const quint64 sequence = t->nextSequence++;
            t->rows.emplace(sequence, planned.row);
            t->indexRow(planned.row, sequence);
            t->bumpIdentity(planned.row);
            inserted.append({planned.row, QJsonObject()});
        } else {
            const QJsonObject old = t->rows.at(planned.existing);
            t->unindexRow(old);
            t->rows[planned.existing] = planned.row;
            t->indexRow(planned.row, planned.existing);
            merged.append({planned.row, old});
        }
        result.rows.append(planned.row);
    }
    t->nextIdentity = std::max(t->nextIdentity, identity);
    emitChanges(*t, ChangeType::Insert, inserted, now);
    emitChanges(*t, ChangeType::Update, merged, now);
    return result;
}

WriteResult RowStore::update(const QString &tableName, const RowPredicate &where, const QJsonObject &patch,
                             const RowCheck &check)
{
    WriteResult result;
    Table *t = find(tableName);
    if (!t) {
        result.error = unknownTable(tableName);
        return result;
    }
    const TableDef &def = t->def;
    QJsonObject castPatch;
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const ColumnDef *column = def.column(it.key());
        if (!column) {
            result.error = unknownColumn(def.name, it.key());
            return result;
        }
        DbError error;
        const auto cast = column->castJson(it.value(), &error);
        if (!cast) {
            result.error = error;
            return result;
        }
        castPatch.insert(it.key(), *cast);
    }

    const qint64 now = Timestamps::nowMicros();
    const QString nowText = Timestamps::formatTimestamptz(now);
    struct Planned {
        quint64 sequence;
        QJsonObject old;
        QJsonObject row;
    };
    QList<Planned> plan;
    for (const auto &[sequence, row] : t->rows) {
        if (where && !where(row))
            continue;
        QJsonObject updated = row;
        for (auto it = castPatch.begin(); it != castPatch.end(); ++it)
            updated.insert(it.key(), it.value());
        if (!def.updatedAtColumn.isEmpty())
            updated.insert(def.updatedAtColumn, nowText);
        if (auto error = checkNotNull(def, updated)) {
            result.error = error;
            return result;
        }
        if (check) {
            if (auto error = check(updated)) {
                result.error = error;
                return result;
            }
        }
        plan.append({sequence, row, updated});
    }

    // Unique constraints: only indexes whose columns the patch touches can newly collide.
    for (qsizetype i = 0; i < t->indexes.size() && !plan.isEmpty(); ++i) {
        const QStringList &cols = t->indexColumns.at(i);
        if (std::none_of(cols.cbegin(), cols.cend(), [&](const QString &c) { return castPatch.contains(c); }))
            continue;
        QHash<QString, quint64> index = t->indexes.at(i);
        for (const Planned &p : plan) {
            if (const auto key = keyOf(p.old, cols))
                index.remove(*key);
        }
        for (const Planned &p : plan) {
            const auto key = keyOf(p.row, cols);
            if (!key)
                continue;
            if (index.contains(*key)) {
                result.error = duplicateKey(t->indexNames.at(i), cols, p.row);
                return result;
            }
            index.insert(*key, p.sequence);
        }
    }

    QList<QPair<QJsonObject, QJsonObject>> changes;
    for (const Planned &p : plan) {
        t->unindexRow(p.old);
        t->rows[p.sequence] = p.row;
        t->indexRow(p.row, p.sequence);
        t->bumpIdentity(p.row);
        changes.append({p.row, p.old});
        result.rows.append(p.row);
    }
    emitChanges(*t, ChangeType::Update, changes, now);
    return result;
}

WriteResult RowStore::remove(const QString &tableName, const RowPredicate &where)
{
    WriteResult result;
    Table *t = find(tableName);
    if (!t) {
        result.error = unknownTable(tableName);
        return result;
    }
    const qint64 now = Timestamps::nowMicros();
    QList<QPair<QJsonObject, QJsonObject>> changes;
    for (auto it = t->rows.begin(); it != t->rows.end();) {
        if (where && !where(it->second)) {
            ++it;
            continue;
        }
        t->unindexRow(it->second);
        changes.append({QJsonObject(), it->second});
        result.rows.append(it->second);
        it = t->rows.erase(it);
    }
    emitChanges(*t, ChangeType::Delete, changes, now);
    return result;
}

WriteResult RowStore::insertRow(const QString &table, const QJsonObject &row)
{
    return insert(table, {row});
}

namespace {
RowPredicate keyPredicate(const TableDef *def, const QJsonValue &key)
{
    if (!def || def->primaryKey.size() != 1)
        return [](const QJsonObject &) { return false; };
    const ColumnDef column = *def->column(def->primaryKey.first());
    const auto cast = column.castJson(key, nullptr);
    return [column, cast](const QJsonObject &row) {
        return cast && !row.value(column.name).isNull() && column.compare(row.value(column.name), *cast) == 0;
    };
}
} // namespace

WriteResult RowStore::updateByKey(const QString &table, const QJsonValue &key, const QJsonObject &patch)
{
    return update(table, keyPredicate(this->table(table), key), patch);
}

WriteResult RowStore::removeByKey(const QString &table, const QJsonValue &key)
{
    return remove(table, keyPredicate(this->table(table), key));
}

void RowStore::emitChanges(const Table &table, ChangeType type, const QList<QPair<QJsonObject, QJsonObject>> &rows,
                           qint64 micros)
{
    for (const auto &[record, old] : rows) {
        RowChange change;
        change.schema = table.def.schema;
        change.table = table.def.name;
        change.type = type;
        change.record = record;
        change.oldRecord = old;
        change.commitMicros = micros;
        Q_EMIT rowChanged(change);
    }
}

} // namespace tf::sim
