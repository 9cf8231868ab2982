#include "keyedrowmodel.h"

#include "modelslogging.h"
#include "recordreader.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace tf {

namespace {
// Separates the parts of a composite key; cannot occur in ids, uuids or symbols.
constexpr QChar KeySeparator(0x1f);

QByteArray roleNameFromEnumKey(const char *key)
{
    QByteArray name(key);
    if (name.endsWith("Role"))
        name.chop(4);
    if (!name.isEmpty() && name.at(0) >= 'A' && name.at(0) <= 'Z')
        name[0] = char(name.at(0) - 'A' + 'a');
    return name;
}

bool isPlainNumber(const QString &s)
{
    if (s.isEmpty() || s.size() > 18 || (s.size() > 1 && s.front() == u'0'))
        return false;
    return std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}
} // namespace

KeyedRowModel::KeyedRowModel(const QMetaEnum &roles, const QStringList &keyFields, QObject *parent)
    : QAbstractListModel(parent), m_keyFields(keyFields)
{
    m_roleCount = roles.keyCount();
    for (int i = 0; i < m_roleCount; ++i) {
        // A gap would shift every value into the wrong role: a programming error, caught by any test.
        if (roles.value(i) != FirstRole + i)
            qFatal("%s: role %s must have value FirstRole + %d", roles.enumName(), roles.key(i), i);
        m_roleNames.insert(roles.value(i), roleNameFromEnumKey(roles.key(i)));
    }
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(m_flushInterval);
    connect(&m_flushTimer, &QTimer::timeout, this, &KeyedRowModel::flush);
}

KeyedRowModel::~KeyedRowModel() = default;

// --- read side --------------------------------------------------------------------------------

int KeyedRowModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant KeyedRowModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.column() != 0 || index.row() < 0
        || index.row() >= count())
        return {};
    if (role == Qt::DisplayRole)
        role = FirstRole;
    const int column = role - FirstRole;
    if (column < 0 || column >= m_roleCount)
        return {};
    return m_rows[size_t(index.row())].values.at(column);
}

QHash<int, QByteArray> KeyedRowModel::roleNames() const
{
    return m_roleNames;
}

QVariantMap KeyedRowModel::get(int row) const
{
    QVariantMap map;
    if (row < 0 || row >= count())
        return map;
    const QModelIndex i = index(row);
    for (auto it = m_roleNames.cbegin(); it != m_roleNames.cend(); ++it)
        map.insert(QString::fromUtf8(it.value()), data(i, it.key()));
    return map;
}

int KeyedRowModel::indexOfKey(const QString &key) const
{
    return rowOf(key);
}

QVariant KeyedRowModel::valueForKey(const QString &key, int role) const
{
    const int row = rowOf(key);
    return row < 0 ? QVariant() : data(index(row), role);
}

int KeyedRowModel::roleForName(const QString &name) const
{
    const QByteArray utf8 = name.toUtf8();
    for (auto it = m_roleNames.cbegin(); it != m_roleNames.cend(); ++it) {
        if (it.value() == utf8)
            return it.key();
    }
    return -1;
}

int KeyedRowModel::rowOf(const QString &key) const
{
    const auto it = m_index.find(key);
    if (it == m_index.end())
        return -1;
    // Stale entries always point at or after m_indexValidUpTo: structural changes only shift
    // rows from their own position on.
    if (it->second < m_indexValidUpTo)
        return it->second;
    for (int i = m_indexValidUpTo; i < count(); ++i)
        *m_slots[size_t(i)] = i;
    m_indexValidUpTo = count();
    return it->second;
}

void KeyedRowModel::invalidateIndexFrom(int row) const
{
    m_indexValidUpTo = std::min(m_indexValidUpTo, row);
}

// --- configuration ----------------------------------------------------------------------------

void KeyedRowModel::setKeyFields(const QStringList &fields)
{
    if (fields == m_keyFields)
        return;
    if (fields.isEmpty() || count() > 0 || hasPendingChanges()) {
        qCWarning(lcModels) << metaObject()->className()
                            << "key fields can only be set, non-empty, on an empty model";
        return;
    }
    m_keyFields = fields;
}

void KeyedRowModel::setFlushInterval(int milliseconds)
{
    milliseconds = std::max(0, milliseconds);
    if (milliseconds == m_flushInterval)
        return;
    m_flushInterval = milliseconds;
    m_flushTimer.setInterval(milliseconds);
    Q_EMIT flushIntervalChanged();
}

void KeyedRowModel::setTombstoneLimit(int limit)
{
    m_tombstoneLimit = std::max(0, limit);
    while (m_tombstones.size() > m_tombstoneLimit && !m_tombstoneOrder.empty()) {
        const auto [key, version] = m_tombstoneOrder.front();
        m_tombstoneOrder.pop_front();
        const auto it = m_tombstones.find(key);
        if (it != m_tombstones.end() && *it == version)
            m_tombstones.erase(it);
    }
    if (m_tombstoneLimit == 0) {
        m_tombstones.clear();
        m_tombstoneOrder.clear();
    }
}

void KeyedRowModel::setRowLimit(int limit)
{
    m_rowLimit = std::max(0, limit);
    FlushSummary summary;
    const int before = count();
    enforceRowLimit(summary);
    if (count() != before) {
        Q_EMIT countChanged();
        afterFlush(summary);
    }
}

// --- input ------------------------------------------------------------------------------------

QString KeyedRowModel::keyOf(const QJsonObject &record) const
{
    QString key;
    for (qsizetype i = 0; i < m_keyFields.size(); ++i) {
        const QString part = RecordReader::idText(record.value(m_keyFields.at(i)));
        if (part.isEmpty())
            return {};
        if (i > 0)
            key += KeySeparator;
        key += part;
    }
    return key;
}

void KeyedRowModel::reject(const QString &what, const QString &why)
{
    ++m_rejectedCount;
    qCWarning(lcModels).noquote() << metaObject()->className() << "skipped" << what << "-" << why;
}

bool KeyedRowModel::parseInto(const QJsonObject &record, const QDateTime &version, Row &row)
{
    row = makeRow(keyOf(record));
    if (row.key.isEmpty()) {
        reject(QStringLiteral("a record"),
               QStringLiteral("missing or invalid key (%1)").arg(m_keyFields.join(u',')));
        return false;
    }
    if (version.isValid()) {
        row.version = RowVersion::fromDateTime(version);
    } else {
        bool ok = true;
        row.version = RowVersion::fromJson(record.value(m_versionField), &ok);
        if (!ok) {
            reject(row.key, m_versionField + QStringLiteral(": not a timestamp or revision"));
            return false;
        }
    }
    QString error;
    if (!parseRecord(record, row, &error)) {
        reject(row.key, error);
        return false;
    }
    return true;
}

bool KeyedRowModel::upsert(const QJsonObject &record, const QDateTime &version)
{
    Row row;
    return parseInto(record, version, row) && stage(std::move(row));
}

bool KeyedRowModel::remove(const QString &key, const QDateTime &version)
{
    if (key.isEmpty()) {
        reject(QStringLiteral("a delete"), QStringLiteral("empty key"));
        return false;
    }
    return stageRemoval(key, RowVersion::fromDateTime(version));
}

bool KeyedRowModel::removeRecord(const QJsonObject &oldRecord, const QDateTime &version)
{
    const QString key = keyForDeletion(oldRecord);
    if (key.isEmpty()) {
        reject(QStringLiteral("a delete"),
               QStringLiteral("old record lacks the key (%1)").arg(m_keyFields.join(u',')));
        return false;
    }
    RowVersion v = RowVersion::fromDateTime(version);
    if (!v.isValid()) {
        bool ok = true;
        v = RowVersion::fromJson(oldRecord.value(m_versionField), &ok); // with REPLICA IDENTITY FULL
    }
    return stageRemoval(key, v);
}

void KeyedRowModel::reconcile(const QList<QJsonObject> &snapshot)
{
    std::vector<Row> rows;
    rows.reserve(size_t(snapshot.size()));
    for (const QJsonObject &record : snapshot) {
        Row row;
        if (parseInto(record, QDateTime(), row))
            rows.push_back(std::move(row));
    }
    reconcileRows(std::move(rows));
}

void KeyedRowModel::reconcile(const QJsonArray &snapshot)
{
    QList<QJsonObject> records;
    records.reserve(snapshot.size());
    for (const QJsonValue &value : snapshot) {
        if (value.isObject())
            records.append(value.toObject());
        else
            reject(QStringLiteral("a snapshot element"), QStringLiteral("not an object"));
    }
    reconcile(records);
}

// --- staging ----------------------------------------------------------------------------------

KeyedRowModel::Row KeyedRowModel::makeRow(const QString &key) const
{
    Row row;
    row.key = key;
    row.values.resize(m_roleCount);
    return row;
}

const KeyedRowModel::Row *KeyedRowModel::peek(const QString &key) const
{
    const auto pending = m_pending.constFind(key);
    if (pending != m_pending.cend())
        return pending->removal ? nullptr : &pending->row;
    const int row = rowOf(key);
    return row < 0 ? nullptr : &m_rows[size_t(row)];
}

RowVersion KeyedRowModel::currentVersion(const QString &key, bool *tombstone) const
{
    const auto pending = m_pending.constFind(key);
    if (pending != m_pending.cend()) {
        *tombstone = pending->removal;
        return pending->row.version;
    }
    return committedVersion(key, tombstone);
}

RowVersion KeyedRowModel::committedVersion(const QString &key, bool *tombstone) const
{
    *tombstone = false;
    const int row = rowOf(key);
    if (row >= 0)
        return m_rows[size_t(row)].version;
    const auto dead = m_tombstones.constFind(key);
    if (dead != m_tombstones.cend()) {
        *tombstone = true;
        return *dead;
    }
    return {};
}

bool KeyedRowModel::isStale(const QString &key, const RowVersion &incoming, const RowVersion &current,
                            bool tombstone, bool isRemoval)
{
    // Deletes win ties: a row cannot come back at the very version it was deleted at.
    const bool stale = incoming.isOlderThan(current)
            || (tombstone && !isRemoval && incoming.isValid() && incoming == current);
    if (stale) {
        ++m_staleCount;
        qCDebug(lcModels) << metaObject()->className() << "ignored a stale change of" << key;
    }
    return stale;
}

bool KeyedRowModel::stage(Row row)
{
    // One lookup in the staged changes and, when nothing is staged, one in the model: string
    // hashing is the dominant cost of a change.
    auto pending = m_pending.find(row.key);
    bool tombstone = false;
    const RowVersion current = pending != m_pending.end()
            ? (tombstone = pending->removal, pending->row.version)
            : committedVersion(row.key, &tombstone);
    if (isStale(row.key, row.version, current, tombstone, false))
        return false;
    // Over a live row the bar never drops (an unversioned change keeps the version we had); over a
    // deletion the row starts afresh at its own version.
    if (!tombstone)
        row.version = RowVersion::newest(row.version, current);
    if (pending != m_pending.end()) {
        pending->row = std::move(row);
        pending->removal = false;
    } else {
        const QString key = row.key;
        m_pending.insert(key, Pending{std::move(row), false});
    }
    scheduleFlush();
    return true;
}

KeyedRowModel::Row *KeyedRowModel::stageEdit(const QString &key, const RowVersion &version)
{
    auto pending = m_pending.find(key);
    if (pending != m_pending.end() && !pending->removal) {
        if (isStale(key, version, pending->row.version, false, false))
            return nullptr;
        pending->row.version = RowVersion::newest(version, pending->row.version);
        scheduleFlush();
        return &pending->row;
    }
    bool tombstone = pending != m_pending.end();
    RowVersion current = tombstone ? pending->row.version : RowVersion();
    const int at = tombstone ? -1 : rowOf(key);
    if (at >= 0) {
        current = m_rows[size_t(at)].version;
    } else if (!tombstone) {
        const auto dead = m_tombstones.constFind(key);
        tombstone = dead != m_tombstones.cend();
        if (tombstone)
            current = *dead;
    }
    if (isStale(key, version, current, tombstone, false))
        return nullptr;
    Row row = at >= 0 ? m_rows[size_t(at)] : makeRow(key);
    row.version = tombstone ? version : RowVersion::newest(version, current);
    if (pending != m_pending.end()) {
        pending->row = std::move(row);
        pending->removal = false;
    } else {
        pending = m_pending.insert(key, Pending{std::move(row), false});
    }
    scheduleFlush();
    return &pending->row;
}

bool KeyedRowModel::stageRemoval(const QString &key, RowVersion version)
{
    bool tombstone = false;
    const RowVersion current = currentVersion(key, &tombstone);
    if (isStale(key, version, current, tombstone, true))
        return false;
    // The deletion happened after the version we hold (row or earlier deletion), whatever the
    // event says.
    version = RowVersion::newest(version, current);
    if (!version.isValid() && !m_pending.contains(key) && rowOf(key) < 0)
        return true; // nothing to delete and nothing to remember
    Row tomb;
    tomb.key = key;
    tomb.version = version;
    m_pending.insert(key, Pending{std::move(tomb), true});
    scheduleFlush();
    return true;
}

void KeyedRowModel::touch(const QString &key)
{
    if (rowOf(key) < 0 && !m_pending.contains(key))
        return;
    m_touched.insert(key);
    scheduleFlush();
}

void KeyedRowModel::scheduleFlush()
{
    // Not restarted by later changes: a steady stream still gets one batch per interval.
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void KeyedRowModel::rememberTombstone(const QString &key, const RowVersion &version)
{
    if (!version.isValid() || m_tombstoneLimit == 0)
        return;
    m_tombstones.insert(key, version);
    m_tombstoneOrder.emplace_back(key, version);
    setTombstoneLimit(m_tombstoneLimit); // evicts the oldest beyond the limit
    // Forgotten tombstones leave stale pairs in the queue; compact it before it outgrows the hash.
    if (m_tombstoneOrder.size() > size_t(2 * m_tombstoneLimit + 64)) {
        std::deque<std::pair<QString, RowVersion>> live;
        for (auto &entry : m_tombstoneOrder) {
            const auto it = m_tombstones.constFind(entry.first);
            if (it != m_tombstones.cend() && *it == entry.second)
                live.push_back(std::move(entry));
        }
        m_tombstoneOrder.swap(live);
    }
}

void KeyedRowModel::forgetTombstone(const QString &key)
{
    m_tombstones.remove(key);
}

// --- applying ---------------------------------------------------------------------------------

void KeyedRowModel::flush()
{
    if (!hasPendingChanges())
        return;
    m_flushTimer.stop();
    QHash<QString, Pending> pending = std::exchange(m_pending, {});
    const QSet<QString> touched = std::exchange(m_touched, {});

    Batch batch;
    for (auto it = pending.begin(); it != pending.end(); ++it) {
        Row &row = it->row;
        const bool present = rowOf(row.key) >= 0;
        if (it->removal) {
            if (present)
                batch.removals.append(row.key);
            rememberTombstone(row.key, row.version);
        } else if (present) {
            batch.updates.push_back(std::move(row));
        } else {
            batch.inserts.push_back(std::move(row));
        }
    }
    for (const QString &key : touched) {
        const int row = pending.contains(key) ? -1 : rowOf(key);
        if (row >= 0)
            batch.updates.push_back(m_rows[size_t(row)]);
    }
    applyBatch(batch);
}

void KeyedRowModel::reconcileRows(std::vector<Row> snapshot)
{
    flush();

    // Duplicate keys in one snapshot: keep the newest, drop the others.
    QHash<QString, size_t> seen;
    std::vector<Row> unique;
    unique.reserve(snapshot.size());
    for (Row &row : snapshot) {
        const auto it = seen.constFind(row.key);
        if (it == seen.cend()) {
            seen.insert(row.key, unique.size());
            unique.push_back(std::move(row));
            continue;
        }
        reject(row.key, QStringLiteral("duplicate key in snapshot"));
        if (!row.version.isOlderThan(unique[*it].version))
            unique[*it] = std::move(row);
    }

    Batch batch;
    for (const Row &row : m_rows) {
        if (!seen.contains(row.key) && !keepOnReconcile(row)) {
            batch.removals.append(row.key);
            rememberTombstone(row.key, row.version);
        }
    }
    for (Row &row : unique) {
        bool tombstone = false;
        const RowVersion current = committedVersion(row.key, &tombstone);
        if (isStale(row.key, row.version, current, tombstone, false))
            continue; // the model already holds a newer (live) version, or a newer deletion
        const int at = rowOf(row.key);
        if (at >= 0) {
            row.version = RowVersion::newest(row.version, m_rows[size_t(at)].version);
            batch.updates.push_back(std::move(row));
        } else {
            batch.inserts.push_back(std::move(row));
        }
    }
    applyBatch(batch);
}

void KeyedRowModel::applyBatch(Batch &batch)
{
    FlushSummary summary;
    const int before = count();

    QList<int> removals;
    removals.reserve(batch.removals.size());
    for (const QString &key : std::as_const(batch.removals))
        removals.append(rowOf(key));
    removeRowsDescending(std::move(removals), summary);

    for (Row &row : batch.updates) {
        const int at = rowOf(row.key);
        if (at >= 0)
            updateRow(at, std::move(row), summary);
    }
    insertSorted(std::move(batch.inserts), summary);
    enforceRowLimit(summary);

    if (count() != before)
        Q_EMIT countChanged();
    afterFlush(summary);
    Q_EMIT flushed(int(summary.changedKeys.size() + summary.removedKeys.size()));
}

void KeyedRowModel::removeRowsDescending(QList<int> rows, FlushSummary &summary)
{
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    // From the bottom up, so the rows of later ranges keep their numbers.
    for (qsizetype i = 0; i < rows.size();) {
        const int last = rows.at(i);
        int first = last;
        while (++i < rows.size() && rows.at(i) == first - 1)
            --first;
        beginRemoveRows(QModelIndex(), first, last);
        for (int r = first; r <= last; ++r) {
            summary.removedKeys.append(m_rows[size_t(r)].key);
            m_index.erase(m_rows[size_t(r)].key);
        }
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        m_slots.erase(m_slots.begin() + first, m_slots.begin() + last + 1);
        invalidateIndexFrom(first);
        endRemoveRows();
    }
}

int KeyedRowModel::updateRow(int row, Row &&incoming, FlushSummary &summary)
{
    Row &current = m_rows[size_t(row)];
    completeRow(incoming, &current);

    QList<int> roles;
    for (int c = 0; c < m_roleCount; ++c) {
        if (incoming.values.at(c) != current.values.at(c))
            roles.append(FirstRole + c);
    }
    current.version = incoming.version; // callers already kept the newest
    if (roles.isEmpty())
        return row; // an idempotent repeat: nothing for the view
    current.values = std::move(incoming.values);
    current.sortKey = incoming.sortKey;
    summary.changedKeys.append(current.key);

    // Keep the order: a row whose sort key changed moves to its new place in one step.
    const auto less = [this](const Row &a, const Row &b) { return lessThan(a, b); };
    const auto begin = m_rows.begin();
    int at = row;
    if (row > 0 && lessThan(m_rows[size_t(row)], m_rows[size_t(row - 1)])) {
        const int dest = int(std::upper_bound(begin, begin + row, m_rows[size_t(row)], less) - begin);
        beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest);
        std::rotate(begin + dest, begin + row, begin + row + 1);
        std::rotate(m_slots.begin() + dest, m_slots.begin() + row, m_slots.begin() + row + 1);
        invalidateIndexFrom(dest);
        endMoveRows();
        at = dest;
    } else if (row + 1 < count() && lessThan(m_rows[size_t(row + 1)], m_rows[size_t(row)])) {
        const int dest = int(std::upper_bound(begin + row + 1, m_rows.end(), m_rows[size_t(row)], less) - begin);
        beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest);
        std::rotate(begin + row, begin + row + 1, begin + dest);
        std::rotate(m_slots.begin() + row, m_slots.begin() + row + 1, m_slots.begin() + dest);
        invalidateIndexFrom(row);
        endMoveRows();
        at = dest - 1;
    }
    const QModelIndex changed = index(at);
    Q_EMIT dataChanged(changed, changed, roles);
    return at;
}

void KeyedRowModel::insertSorted(std::vector<Row> &&inserts, FlushSummary &summary)
{
    if (inserts.empty())
        return;
    for (Row &row : inserts)
        completeRow(row, nullptr);
    const auto less = [this](const Row &a, const Row &b) { return lessThan(a, b); };
    std::sort(inserts.begin(), inserts.end(), less);

    // Rows that would land beyond the limit are never shown, rather than inserted and trimmed.
    if (m_rowLimit > 0) {
        while (!inserts.empty() && count() + inserts.size() > size_t(m_rowLimit)) {
            if (!m_rows.empty() && lessThan(inserts.back(), m_rows.back()))
                break; // an existing row is last in order: enforceRowLimit() trims it instead
            inserts.pop_back();
            ++m_droppedRows;
        }
    }

    // Rows falling into the same gap between existing rows form one contiguous insert.
    auto searchFrom = m_rows.begin();
    for (size_t first = 0; first < inserts.size();) {
        const int pos = int(std::upper_bound(searchFrom, m_rows.end(), inserts[first], less) - m_rows.begin());
        size_t last = first + 1;
        while (last < inserts.size() && (pos == count() || lessThan(inserts[last], m_rows[size_t(pos)])))
            ++last;
        const int n = int(last - first);

        beginInsertRows(QModelIndex(), pos, pos + n - 1);
        invalidateIndexFrom(pos);
        std::vector<int *> slots;
        slots.reserve(size_t(n));
        for (size_t i = first; i < last; ++i) {
            // Exact for now; rows after them are refreshed lazily by rowOf().
            const auto entry = m_index.insert_or_assign(inserts[i].key, pos + int(i - first)).first;
            slots.push_back(&entry->second);
            forgetTombstone(inserts[i].key);
            summary.changedKeys.append(inserts[i].key);
        }
        m_rows.insert(m_rows.begin() + pos, std::make_move_iterator(inserts.begin() + qsizetype(first)),
                      std::make_move_iterator(inserts.begin() + qsizetype(last)));
        m_slots.insert(m_slots.begin() + pos, slots.begin(), slots.end());
        endInsertRows();

        searchFrom = m_rows.begin() + pos + n;
        first = last;
    }
}

void KeyedRowModel::enforceRowLimit(FlushSummary &summary)
{
    if (m_rowLimit <= 0 || count() <= m_rowLimit)
        return;
    const int first = m_rowLimit;
    const int last = count() - 1;
    beginRemoveRows(QModelIndex(), first, last);
    for (int r = first; r <= last; ++r) {
        summary.removedKeys.append(m_rows[size_t(r)].key);
        m_index.erase(m_rows[size_t(r)].key);
    }
    m_rows.erase(m_rows.begin() + first, m_rows.end());
    m_slots.erase(m_slots.begin() + first, m_slots.end());
    invalidateIndexFrom(first);
    m_droppedRows += last - first + 1;
    endRemoveRows();
}

void KeyedRowModel::clear()
{
    const int before = count();
    beginResetModel();
    m_flushTimer.stop();
    m_rows.clear();
    m_slots.clear();
    m_index.clear();
    m_indexValidUpTo = 0;
    m_pending.clear();
    m_touched.clear();
    m_tombstones.clear();
    m_tombstoneOrder.clear();
    m_droppedRows = 0;
    endResetModel();
    if (before != 0)
        Q_EMIT countChanged();
    FlushSummary summary;
    summary.reset = true;
    afterFlush(summary);
}

// --- default hooks ----------------------------------------------------------------------------

bool KeyedRowModel::lessThan(const Row &a, const Row &b) const
{
    return compareKeys(a.key, b.key) < 0;
}

void KeyedRowModel::completeRow(Row &, const Row *) { }

bool KeyedRowModel::keepOnReconcile(const Row &) const
{
    return false;
}

QString KeyedRowModel::keyForDeletion(const QJsonObject &oldRecord) const
{
    return keyOf(oldRecord);
}

void KeyedRowModel::afterFlush(const FlushSummary &) { }

int KeyedRowModel::compareKeys(const QString &a, const QString &b)
{
    // Plain numbers first and by value, then everything else as text: a total order either way.
    const bool an = isPlainNumber(a);
    const bool bn = isPlainNumber(b);
    if (an != bn)
        return an ? -1 : 1;
    if (an && a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return QString::compare(a, b);
}

} // namespace tf
