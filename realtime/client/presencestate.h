#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

namespace tf {

// One presence key and its metas as callers see them: `phx_ref` renamed to `presence_ref` and
// `phx_ref_prev` removed, like realtime-js's presenceState().
struct Presence {
    QString key;
    QJsonArray metas;

    friend bool operator==(const Presence &, const Presence &) = default;
};

// Who is on a channel: the Phoenix Presence algorithm of protocol doc §7.3, verbatim, plus the
// driver rule that diffs wait for the state of the current join.
//
// Signals fire after the whole state or diff has been applied, so handlers always read a
// consistent list(). A key that leaves and joins within one diff (a re-track, a device
// reconnecting) gives ONE updated() instead of leave() then join(), so views do not flicker.
// All metas in signals are in the caller form (presence_ref).
class PresenceState : public QObject {
    Q_OBJECT

public:
    static constexpr int DefaultMaxPendingDiffs = 1000;

    explicit PresenceState(QObject *parent = nullptr);

    // A presence_state payload, received while the channel's join ref is `channelJoinRef`.
    // Applies it as a diff against what we had (stale users leave), then the queued diffs.
    void handleState(const QJsonObject &state, const QString &channelJoinRef);
    // A presence_diff payload. Queued until the state of `channelJoinRef` has arrived.
    void handleDiff(const QJsonObject &diff, const QString &channelJoinRef);
    // Forgets everyone (the channel closed): a leave per key, then sync. Pending diffs are dropped.
    void clear();

    QList<Presence> list() const;
    QJsonArray metas(const QString &key) const; // caller form; empty when absent
    QStringList keys() const;
    int count() const { return int(m_state.size()); }
    bool isEmpty() const { return m_state.isEmpty(); }
    // True until the presence_state of `channelJoinRef` has been applied.
    bool isSyncPending(const QString &channelJoinRef) const;
    int pendingDiffCount() const { return int(m_pendingDiffs.size()); }
    // Diffs beyond this while waiting for a state are dropped oldest first, with a warning (a
    // channel joined without presence.enabled never gets a state, §7.4).
    void setMaxPendingDiffs(int max) { m_maxPendingDiffs = max; }

    // The caller form of one meta.
    static QJsonObject publicMeta(const QJsonObject &meta);

Q_SIGNALS:
    void sync();
    // currentMetas: the key's metas before the join (empty for a new key).
    void join(const QString &key, const QJsonArray &currentMetas, const QJsonArray &newMetas);
    // currentMetas: what remains after the leave (empty when the key is gone).
    void leave(const QString &key, const QJsonArray &currentMetas, const QJsonArray &leftMetas);
    // A key present before and after a diff that both joined and left metas for it.
    void updated(const QString &key, const QJsonArray &currentMetas, const QJsonArray &joinedMetas,
                 const QJsonArray &leftMetas);

private:
    using Metas = QList<QJsonObject>;
    using Entries = QMap<QString, Metas>;
    struct Diff {
        Entries joins;
        Entries leaves;
    };

    static Entries parseEntries(const QJsonObject &object, const char *what);
    void applyDiff(const Diff &diff);
    Diff diffFromState(const Entries &newState) const;

    Entries m_state;
    QString m_joinRef; // join ref whose state has been applied; null before the first state
    QList<Diff> m_pendingDiffs;
    int m_maxPendingDiffs = DefaultMaxPendingDiffs;
};

} // namespace tf
