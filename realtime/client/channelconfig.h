#pragma once

#include "backoff.h"
#include "postgresfilter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <chrono>

namespace tf {

// One postgres_changes subscription (protocol doc §3.2, §5). `filter` may be compound
// (`a=eq.1&b=eq.open`): the first condition goes to the server, the rest is checked by the client.
struct PostgresChangesBinding {
    QString event = QStringLiteral("*"); // "*", "INSERT", "UPDATE" or "DELETE" (any case)
    QString schema = QStringLiteral("public");
    QString table;                      // "*" for every published table
    QString filter;                     // PostgresFilter syntax; empty = no filter

    friend bool operator==(const PostgresChangesBinding &, const PostgresChangesBinding &) = default;
};

// How one channel behaves on this side; nothing here goes on the wire.
struct ChannelTuning {
    // Must stay well above the server's ~5 s delay before a join error reply (§9), or real
    // reasons turn into TIMED_OUT.
    std::chrono::milliseconds joinTimeout{10000};
    std::chrono::milliseconds pushTimeout{10000}; // leave, acked broadcasts, presence
    // Rejoin spacing: 1 s, ×2, capped at 10 s (realtime-js tops out at 10 s too), full jitter;
    // rate-limit errors wait at least the policy's 15 s floor.
    BackoffPolicy rejoinBackoff{std::chrono::milliseconds(1000), 2.0, std::chrono::milliseconds(10000), true,
                                std::chrono::milliseconds(15000), 0};
    int maxBufferedPushes = 100; // pushes made while not joined; the oldest is dropped beyond this
    // The server shuts a channel down after more than 5 presence messages in 30 s (§7.1).
    int presenceMaxCalls = 5;
    std::chrono::milliseconds presenceWindow{30000};
};

// Everything about one channel: what the phx_join asks for plus client-side behaviour.
class ChannelConfig {
public:
    bool broadcastAck = false;  // config.broadcast.ack: the server acknowledges each broadcast
    bool broadcastSelf = false; // config.broadcast.self: receive our own broadcasts
    QString presenceKey;        // config.presence.key; empty = the server generates one
    bool presenceEnabled = false; // needed to receive presence_state/diff (§7.4)
    bool isPrivate = false;     // config.private: RLS-authorised channel
    // Turn broadcasts shaped like realtime.broadcast_changes() payloads into postgresChange
    // signals (§6.5) as well as delivering them as broadcasts. Client-side only.
    bool databaseBroadcast = false;
    ChannelTuning tuning;

    // Adds a subscription after validating it: the event name, a non-empty table and schema, a
    // parsable filter, and no identical binding already present (identical entries get the same
    // server id, §4.2). Returns false and leaves the config unchanged otherwise, with the reason
    // in *error.
    bool addPostgresChanges(const PostgresChangesBinding &binding, QString *error = nullptr);
    const QList<PostgresChangesBinding> &postgresChanges() const { return m_bindings; }
    // The parsed filter of binding `index`.
    const PostgresFilter &filterFor(qsizetype index) const { return m_filters.at(index); }
    // Bindings that differ only in their client-side conditions share one wire entry (and so one
    // server id); this is the index into postgresChangesPayload() for binding `index`.
    qsizetype wireIndexFor(qsizetype index) const { return m_wireIndex.at(index); }

    // config.postgres_changes as sent: unique entries, no "filter" key when there is none.
    const QJsonArray &postgresChangesPayload() const { return m_wire; }
    // The complete phx_join payload (§3.2); access_token only when one is given.
    QJsonObject joinPayload(const QString &accessToken = QString()) const;

private:
    QList<PostgresChangesBinding> m_bindings; // normalised (event upper case, canonical filter)
    QList<PostgresFilter> m_filters;
    QList<qsizetype> m_wireIndex;
    QJsonArray m_wire;
};

} // namespace tf
