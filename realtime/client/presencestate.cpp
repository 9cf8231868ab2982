#include "presencestate.h"

#include "logging.h"

#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace tf {

namespace {

QString refOf(const QJsonObject &meta)
{
    return meta.value(u"phx_ref"_s).toString();
}

template <typename Metas>
QSet<QString> refsOf(const Metas &metas)
{
    QSet<QString> refs;
    for (const QJsonObject &meta : metas)
        refs.insert(refOf(meta));
    return refs;
}

template <typename Metas>
QJsonArray publicMetas(const Metas &metas)
{
    QJsonArray array;
    for (const QJsonObject &meta : metas)
        array.append(PresenceState::publicMeta(meta));
    return array;
}

} // namespace

PresenceState::PresenceState(QObject *parent)
    : QObject(parent)
{
}

QJsonObject PresenceState::publicMeta(const QJsonObject &meta)
{
    QJsonObject out = meta;
    out.remove(u"phx_ref_prev"_s);
    if (out.contains(u"phx_ref"_s))
        out.insert(u"presence_ref"_s, out.take(u"phx_ref"_s));
    return out;
}

// {key: {metas: [meta…]}}. A meta is identified by its phx_ref, so one without it could never
// leave again: such metas (and anything not shaped like this) are skipped with a warning.
PresenceState::Entries PresenceState::parseEntries(const QJsonObject &object, const char *what)
{
    Entries entries;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QJsonArray metas = it.value().toObject().value(u"metas"_s).toArray();
        Metas valid;
        for (const QJsonValue &meta : metas) {
            if (meta.isObject() && meta.toObject().value(u"phx_ref"_s).isString()
                && !meta.toObject().value(u"phx_ref"_s).toString().isEmpty()) {
                valid.append(meta.toObject());
            } else {
                qCWarning(lcPresence, "%s: skipping a meta without phx_ref for key %s", what, qPrintable(it.key()));
            }
        }
        if (valid.isEmpty()) {
            qCWarning(lcPresence, "%s: skipping key %s without usable metas", what, qPrintable(it.key()));
            continue;
        }
        entries.insert(it.key(), valid);
    }
    return entries;
}

void PresenceState::handleState(const QJsonObject &state, const QString &channelJoinRef)
{
    m_joinRef = channelJoinRef;
    applyDiff(diffFromState(parseEntries(state, "presence_state")));
    const QList<Diff> pending = std::exchange(m_pendingDiffs, {});
    for (const Diff &diff : pending)
        applyDiff(diff);
    qCDebug(lcPresence, "state applied (%d keys, %d queued diffs)", count(), int(pending.size()));
    Q_EMIT sync();
}

void PresenceState::handleDiff(const QJsonObject &payload, const QString &channelJoinRef)
{
    const QJsonValue joins = payload.value(u"joins"_s);
    const QJsonValue leaves = payload.value(u"leaves"_s);
    if ((!joins.isObject() && !joins.isUndefined() && !joins.isNull())
        || (!leaves.isObject() && !leaves.isUndefined() && !leaves.isNull())) {
        qCWarning(lcPresence, "ignoring a presence_diff whose joins/leaves are not objects");
        return;
    }
    const Diff diff{parseEntries(joins.toObject(), "presence_diff joins"),
                    parseEntries(leaves.toObject(), "presence_diff leaves")};
    if (isSyncPending(channelJoinRef)) {
        if (m_pendingDiffs.size() >= m_maxPendingDiffs) {
            qCWarning(lcPresence, "%d presence diffs waiting for a presence_state (is presence.enabled set?); "
                                  "dropping the oldest", int(m_pendingDiffs.size()));
            m_pendingDiffs.removeFirst();
        }
        m_pendingDiffs.append(diff);
        return;
    }
    applyDiff(diff);
    Q_EMIT sync();
}

void PresenceState::clear()
{
    const Entries old = std::exchange(m_state, {});
    m_pendingDiffs.clear();
    m_joinRef = QString();
    if (old.isEmpty())
        return;
    for (auto it = old.begin(); it != old.end(); ++it)
        Q_EMIT leave(it.key(), QJsonArray(), publicMetas(it.value()));
    Q_EMIT sync();
}

bool PresenceState::isSyncPending(const QString &channelJoinRef) const
{
    return m_joinRef.isNull() || m_joinRef != channelJoinRef;
}

QList<Presence> PresenceState::list() const
{
    QList<Presence> presences;
    presences.reserve(m_state.size());
    for (auto it = m_state.begin(); it != m_state.end(); ++it)
        presences.append({it.key(), publicMetas(it.value())});
    return presences;
}

QJsonArray PresenceState::metas(const QString &key) const
{
    return publicMetas(m_state.value(key));
}

QStringList PresenceState::keys() const
{
    return m_state.keys();
}

// syncState of §7.3: a full snapshot becomes a diff against the current state.
PresenceState::Diff PresenceState::diffFromState(const Entries &newState) const
{
    Diff diff;
    for (auto it = m_state.begin(); it != m_state.end(); ++it) {
        if (!newState.contains(it.key()))
            diff.leaves.insert(it.key(), it.value());
    }
    for (auto it = newState.begin(); it != newState.end(); ++it) {
        const auto current = m_state.constFind(it.key());
        if (current == m_state.end()) {
            diff.joins.insert(it.key(), it.value());
            continue;
        }
        const QSet<QString> currentRefs = refsOf(*current);
        const QSet<QString> newRefs = refsOf(it.value());
        Metas joined, left;
        for (const QJsonObject &meta : it.value()) {
            if (!currentRefs.contains(refOf(meta)))
                joined.append(meta);
        }
        for (const QJsonObject &meta : *current) {
            if (!newRefs.contains(refOf(meta)))
                left.append(meta);
        }
        if (!joined.isEmpty())
            diff.joins.insert(it.key(), joined);
        if (!left.isEmpty())
            diff.leaves.insert(it.key(), left);
    }
    return diff;
}

// syncDiff of §7.3: joins first (old metas not re-sent are kept in front), then leaves.
void PresenceState::applyDiff(const Diff &diff)
{
    struct Event {
        enum Kind { Join, Leave, Update } kind;
        QString key;
        Metas a, b, c;
    };
    QList<Event> events;
    QMap<QString, bool> hadKey; // keys both joining and leaving: were they present before?

    for (auto it = diff.joins.begin(); it != diff.joins.end(); ++it) {
        const QString &key = it.key();
        const bool existed = m_state.contains(key);
        const Metas current = m_state.value(key);
        const QSet<QString> newRefs = refsOf(it.value());
        Metas merged;
        for (const QJsonObject &meta : current) {
            if (!newRefs.contains(refOf(meta)))
                merged.append(meta);
        }
        merged.append(it.value());
        m_state.insert(key, merged);
        if (diff.leaves.contains(key))
            hadKey.insert(key, existed);
        else
            events.append({Event::Join, key, current, it.value(), {}});
    }

    for (auto it = diff.leaves.begin(); it != diff.leaves.end(); ++it) {
        const QString &key = it.key();
        auto current = m_state.find(key);
        if (current == m_state.end())
            continue;
        const QSet<QString> leftRefs = refsOf(it.value());
        current->removeIf([&leftRefs](const QJsonObject &meta) { return leftRefs.contains(refOf(meta)); });
        const Metas remaining = *current;
        if (remaining.isEmpty())
            m_state.erase(current);

        const auto folded = hadKey.constFind(key);
        if (folded == hadKey.constEnd()) {
            events.append({Event::Leave, key, remaining, it.value(), {}});
        } else if (!*folded && !remaining.isEmpty()) {
            events.append({Event::Join, key, {}, remaining, {}});
        } else if (*folded && remaining.isEmpty()) {
            events.append({Event::Leave, key, {}, it.value(), {}});
        } else if (*folded) {
            events.append({Event::Update, key, remaining, diff.joins.value(key), it.value()});
        }
        // Not there before and gone again: nothing to tell.
    }

    for (const Event &event : std::as_const(events)) {
        switch (event.kind) {
        case Event::Join:
            qCDebug(lcPresence, "join %s", qPrintable(event.key));
            Q_EMIT join(event.key, publicMetas(event.a), publicMetas(event.b));
            break;
        case Event::Leave:
            qCDebug(lcPresence, "leave %s", qPrintable(event.key));
            Q_EMIT leave(event.key, publicMetas(event.a), publicMetas(event.b));
            break;
        case Event::Update:
            qCDebug(lcPresence, "update %s", qPrintable(event.key));
            Q_EMIT updated(event.key, publicMetas(event.a), publicMetas(event.b), publicMetas(event.c));
            break;
        }
    }
}

} // namespace tf
