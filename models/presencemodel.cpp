#include "presencemodel.h"

#include "recordreader.h"

namespace tf {

namespace {
QString refOf(const QJsonObject &meta)
{
    const QString phx = meta.value(QLatin1String("phx_ref")).toString();
    return phx.isEmpty() ? meta.value(QLatin1String("presence_ref")).toString() : phx;
}

bool sameMeta(const QJsonObject &a, const QJsonObject &b)
{
    const QString ra = refOf(a);
    return ra.isEmpty() ? a == b : ra == refOf(b);
}

QVariantMap cleaned(const QJsonObject &meta)
{
    QJsonObject copy = meta;
    copy.remove(QLatin1String("phx_ref"));
    copy.remove(QLatin1String("phx_ref_prev"));
    copy.remove(QLatin1String("presence_ref"));
    return copy.toVariantMap();
}
} // namespace

PresenceModel::PresenceModel(QObject *parent)
    : KeyedRowModel(QMetaEnum::fromType<Roles>(), {QStringLiteral("key")}, parent)
{
}

bool PresenceModel::validMetas(const QString &key, const QJsonValue &value, QJsonArray *metas)
{
    *metas = {};
    // Accept both {metas: [...]} (Phoenix) and a bare array (realtime-js presenceState()).
    if (!value.isObject() && !value.isArray()) {
        reject(key, QStringLiteral("presence entry is neither {metas: [...]} nor an array"));
        return false;
    }
    const QJsonArray raw = value.isObject() ? value.toObject().value(QLatin1String("metas")).toArray()
                                            : value.toArray();
    for (const QJsonValue &meta : raw) {
        if (meta.isObject())
            metas->append(meta);
        else
            reject(key, QStringLiteral("a meta that is not an object"));
    }
    return raw.isEmpty() || !metas->isEmpty();
}

void PresenceModel::setPresences(const QJsonObject &state)
{
    QHash<QString, QJsonArray> next;
    std::vector<Row> snapshot;
    for (auto it = state.begin(); it != state.end(); ++it) {
        if (it.key().isEmpty()) {
            reject(QStringLiteral("a presence"), QStringLiteral("empty key"));
            continue;
        }
        QJsonArray metas;
        if (!validMetas(it.key(), it.value(), &metas))
            metas = m_metas.value(it.key()); // malformed: keep what we had rather than a leave
        if (metas.isEmpty())
            continue;
        next.insert(it.key(), metas);
        snapshot.push_back(buildRow(it.key(), metas));
    }
    m_metas = next;
    reconcileRows(std::move(snapshot));
}

void PresenceModel::join(const QString &key, const QJsonArray &metas)
{
    if (key.isEmpty()) {
        reject(QStringLiteral("a join"), QStringLiteral("empty key"));
        return;
    }
    QJsonArray joined;
    if (!validMetas(key, metas, &joined))
        return;
    QJsonArray current = m_metas.value(key);
    for (const QJsonValue &value : std::as_const(joined)) {
        const QJsonObject meta = value.toObject();
        for (qsizetype i = current.size() - 1; i >= 0; --i) {
            if (sameMeta(current.at(i).toObject(), meta))
                current.removeAt(i);
        }
        current.append(meta);
    }
    commit(key, current);
}

void PresenceModel::leave(const QString &key, const QJsonArray &metas)
{
    if (!m_metas.contains(key))
        return; // Phoenix ignores leaves of unknown keys too
    QJsonArray left;
    if (!validMetas(key, metas, &left))
        return;
    QJsonArray current = m_metas.value(key);
    for (const QJsonValue &value : std::as_const(left)) {
        for (qsizetype i = current.size() - 1; i >= 0; --i) {
            if (sameMeta(value.toObject(), current.at(i).toObject()))
                current.removeAt(i);
        }
    }
    commit(key, current);
}

void PresenceModel::setPresence(const QString &key, const QJsonArray &metas)
{
    if (key.isEmpty()) {
        reject(QStringLiteral("a presence"), QStringLiteral("empty key"));
        return;
    }
    QJsonArray valid;
    if (validMetas(key, metas, &valid))
        commit(key, valid);
}

void PresenceModel::commit(const QString &key, const QJsonArray &metas)
{
    if (metas.isEmpty()) {
        m_metas.remove(key);
        stageRemoval(key, RowVersion());
    } else {
        m_metas.insert(key, metas);
        stage(buildRow(key, metas));
    }
}

int PresenceModel::connectionCount() const
{
    int n = 0;
    for (const QJsonArray &metas : m_metas)
        n += int(metas.size());
    return n;
}

KeyedRowModel::Row PresenceModel::buildRow(const QString &key, const QJsonArray &metas) const
{
    Row row = makeRow(key);
    const QJsonObject newest = metas.last().toObject();
    row.set(KeyRole, key);
    row.set(UserIdRole, RecordReader::idText(newest.value(QLatin1String("user_id"))).isEmpty()
            ? QVariant() : QVariant(RecordReader::idText(newest.value(QLatin1String("user_id")))));
    QString name = key;
    for (const char *field : {"display_name", "name", "username", "email"}) {
        const QString value = newest.value(QLatin1String(field)).toString();
        if (!value.isEmpty()) {
            name = value;
            break;
        }
    }
    row.set(DisplayNameRole, name);

    QDateTime since;
    QVariantList all;
    for (const QJsonValue &meta : metas) {
        const QDateTime at = parseTimestamp(meta.toObject().value(QLatin1String("online_at")).toString());
        if (at.isValid() && (!since.isValid() || at < since))
            since = at;
        all.append(cleaned(meta.toObject()));
    }
    row.set(OnlineSinceRole, since.isValid() ? QVariant(since) : QVariant());
    row.set(ConnectionsRole, int(metas.size()));
    const QString status = newest.value(QLatin1String("status")).toString();
    row.set(StatusRole, status.isEmpty() ? QVariant() : QVariant(status));
    row.set(MetaRole, cleaned(newest));
    row.set(MetasRole, all);
    return row;
}

bool PresenceModel::parseRecord(const QJsonObject &, Row &, QString *error) const
{
    // The meta list is state this model keeps itself (join/leave merge into it), so rows cannot
    // come in as plain records.
    *error = QStringLiteral("presence is fed with setPresences(), join(), leave() or setPresence()");
    return false;
}

bool PresenceModel::lessThan(const Row &a, const Row &b) const
{
    const int byName = QString::compare(a.value(DisplayNameRole).toString(),
                                        b.value(DisplayNameRole).toString(), Qt::CaseInsensitive);
    return byName != 0 ? byName < 0 : compareKeys(a.key, b.key) < 0;
}

void PresenceModel::completeRow(Row &row, const Row *existing)
{
    if (row.value(OnlineSinceRole).isValid())
        return;
    // No online_at in the metas: online since this model first saw the key.
    row.set(OnlineSinceRole, existing && existing->value(OnlineSinceRole).isValid()
            ? existing->value(OnlineSinceRole) : QVariant(QDateTime::currentDateTimeUtc()));
}

void PresenceModel::afterFlush(const FlushSummary &summary)
{
    if (summary.reset) {
        m_metas.clear();
        return;
    }
    // A key removed through remove() must not come back with its old metas on the next join.
    for (const QString &key : summary.removedKeys) {
        if (!peek(key))
            m_metas.remove(key);
    }
}

} // namespace tf
