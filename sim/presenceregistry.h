#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace tf::sim {

// A presence_diff payload: {"joins": {key: {"metas": [...]}}, "leaves": {...}}.
struct PresenceDiff {
    QJsonObject joins;
    QJsonObject leaves;

    bool isEmpty() const { return joins.isEmpty() && leaves.isEmpty(); }
    QJsonObject toJson() const;
};

// Who is present on which topic (protocol doc §7). Each tracker (one channel connection, or a
// simulated trader) holds at most one meta per topic under its presence key; every meta carries
// a unique phx_ref, and an update carries the previous one as phx_ref_prev.
class PresenceRegistry {
public:
    // The presence_state payload of a topic.
    QJsonObject state(const QString &topic) const;

    // Track or update; an identical payload is a no-op (empty diff).
    PresenceDiff track(const QString &topic, const QString &tracker, const QString &key, const QJsonObject &payload);
    PresenceDiff untrack(const QString &topic, const QString &tracker);
    // Everything a tracker held, per topic (the channel or socket went away).
    QList<QPair<QString, PresenceDiff>> untrackAll(const QString &tracker);
    void clear();

    static QString newPhxRef();

private:
    struct Entry {
        QString tracker;
        QString key;
        QJsonObject payload; // as tracked, without phx_ref
        QJsonObject meta;    // payload + phx_ref (+ phx_ref_prev)
    };
    QHash<QString, QList<Entry>> m_topics;
};

} // namespace tf::sim
