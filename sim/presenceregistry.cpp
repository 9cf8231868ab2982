#include "presenceregistry.h"

#include <QJsonArray>
#include <QRandomGenerator>

namespace tf::sim {

namespace {

void addMeta(QJsonObject &side, const QString &key, const QJsonObject &meta)
{
    QJsonObject entry = side.value(key).toObject();
    QJsonArray metas = entry.value(QStringLiteral("metas")).toArray();
    metas.append(meta);
    entry.insert(QStringLiteral("metas"), metas);
    side.insert(key, entry);
}

} // namespace

QJsonObject PresenceDiff::toJson() const
{
    return QJsonObject{{QStringLiteral("joins"), joins}, {QStringLiteral("leaves"), leaves}};
}

QString PresenceRegistry::newPhxRef()
{
    // Phoenix refs are base64url renderings of unique binaries, 11 characters like "GBu9ZkQ0-1o".
    quint64 value = QRandomGenerator::global()->generate64();
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(&value), sizeof value)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QJsonObject PresenceRegistry::state(const QString &topic) const
{
    QJsonObject state;
    for (const Entry &entry : m_topics.value(topic)) {
        QJsonObject meta = entry.meta;
        meta.remove(QStringLiteral("phx_ref_prev"));
        addMeta(state, entry.key, meta);
    }
    return state;
}

PresenceDiff PresenceRegistry::track(const QString &topic, const QString &tracker, const QString &key,
                                     const QJsonObject &payload)
{
    PresenceDiff diff;
    QList<Entry> &entries = m_topics[topic];
    for (Entry &entry : entries) {
        if (entry.tracker != tracker)
            continue;
        if (entry.payload == payload && entry.key == key)
            return diff;
        addMeta(diff.leaves, entry.key, entry.meta);
        QJsonObject meta = payload;
        meta.insert(QStringLiteral("phx_ref"), newPhxRef());
        meta.insert(QStringLiteral("phx_ref_prev"), entry.meta.value(QStringLiteral("phx_ref")));
        entry.key = key;
        entry.payload = payload;
        entry.meta = meta;
        addMeta(diff.joins, key, meta);
        return diff;
    }
    QJsonObject meta = payload;
    meta.insert(QStringLiteral("phx_ref"), newPhxRef());
    entries.append(Entry{tracker, key, payload, meta});
    addMeta(diff.joins, key, meta);
    return diff;
}

PresenceDiff PresenceRegistry::untrack(const QString &topic, const QString &tracker)
{
    PresenceDiff diff;
    auto it = m_topics.find(topic);
    if (it == m_topics.end())
        return diff;
    QList<Entry> &entries = *it;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (entries.at(i).tracker == tracker) {
            addMeta(diff.leaves, entries.at(i).key, entries.at(i).meta);
            entries.removeAt(i);
            break;
        }
    }
    if (entries.isEmpty())
        m_topics.erase(it);
    return diff;
}

QList<QPair<QString, PresenceDiff>> PresenceRegistry::untrackAll(const QString &tracker)
{
    QList<QPair<QString, PresenceDiff>> result;
    const QStringList topics = m_topics.keys();
    for (const QString &topic : topics) {
        PresenceDiff diff = untrack(topic, tracker);
        if (!diff.isEmpty())
            result.append({topic, diff});
    }
    return result;
}

void PresenceRegistry::clear()
{
    m_topics.clear();
}

} // namespace tf::sim
