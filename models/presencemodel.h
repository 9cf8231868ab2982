#pragma once

#include "keyedrowmodel.h"

#include <QJsonArray>

namespace tf {

// Who is on the floor: one row per presence key (a trader), however many connections they have.
//
// Fed in the shapes the realtime presence layer produces (Phoenix Presence, protocol §7):
//   setPresences(state)   a full state {key: {metas: [...]}} or realtime-js {key: [...]}; keys
//                         missing from it leave (e.g. after a rejoin's presence_state)
//   join(key, metas)      metas that joined (replacing any with the same phx_ref/presence_ref)
//   leave(key, metas)     metas that left; the row goes when its last meta leaves
//   setPresence(key, metas)  the key's complete current metas (empty = gone)
// A leave and a join of the same key between two flushes (a presence update) reach the view as one
// dataChanged, never as a remove and an insert: no flicker.
//
// upsert()/reconcile() records are rejected: this model keeps the meta lists itself.
// Meta fields read: display_name (else name, username, email, the key), user_id, online_at, status.
class PresenceModel : public KeyedRowModel
{
    Q_OBJECT

public:
    enum Roles {
        KeyRole = FirstRole, // QString: presence key
        UserIdRole,          // QString: user_id of the newest meta, or undefined
        DisplayNameRole,     // QString: see the class comment
        OnlineSinceRole,     // QDateTime (UTC): earliest online_at of its metas, else when first seen
        ConnectionsRole,     // int: number of metas (tabs, devices)
        StatusRole,          // QString: status of the newest meta ("active", "away"…), or undefined
        MetaRole,            // QVariantMap: the newest meta without phx_ref/phx_ref_prev/presence_ref
        MetasRole,           // QVariantList of QVariantMap: all metas, same cleaning, oldest first
    };
    Q_ENUM(Roles)

    explicit PresenceModel(QObject *parent = nullptr);

    void setPresences(const QJsonObject &state);
    void join(const QString &key, const QJsonArray &metas);
    void leave(const QString &key, const QJsonArray &metas);
    void setPresence(const QString &key, const QJsonArray &metas);

    // Number of connections across all keys, as of the next flush.
    int connectionCount() const;

protected:
    bool parseRecord(const QJsonObject &record, Row &row, QString *error) const override;
    bool lessThan(const Row &a, const Row &b) const override;
    void completeRow(Row &row, const Row *existing) override;
    void afterFlush(const FlushSummary &summary) override;

private:
    // The object metas of an entry; false (logged) when the entry is malformed or held metas of
    // which none is usable, so the caller keeps what it had instead of treating it as a leave.
    bool validMetas(const QString &key, const QJsonValue &value, QJsonArray *metas);
    Row buildRow(const QString &key, const QJsonArray &metas) const;
    void commit(const QString &key, const QJsonArray &metas);

    QHash<QString, QJsonArray> m_metas; // current input state, ahead of the rows until the flush
};

} // namespace tf
