#pragma once

#include "rowfilter.h"
#include "rowsecurity.h"
#include "rowstore.h"

#include <QJsonObject>

#include <optional>

namespace tf::sim {

// One entry of a channel's config.postgres_changes (protocol doc §3.2, §4.2, §5).
class PostgresBinding {
public:
    // The id the join reply attaches to the entry: a deterministic hash of the entry exactly as
    // sent (like the server's phash2), so equal entries get equal ids on every join and client.
    // Integer in [0, 2^27).
    static qint64 bindingId(const QJsonObject &entry);

    // Validates an entry against the published tables. On failure `error` holds the text the
    // server puts in its `system` postgres_changes error.
    static std::optional<PostgresBinding> create(const QJsonObject &entry, const RowStore &store, QString *error);

    qint64 id() const { return m_id; }
    const QJsonObject &entry() const { return m_entry; }

    // Whether a change is for this binding: event, schema, table and filter. The filter sees the
    // new record for INSERT/UPDATE and the old image (as replicated) for DELETE.
    bool matches(const RowChange &change, const QJsonObject &filterImage) const;

private:
    QJsonObject m_entry;
    qint64 m_id = 0;
    QString m_event;  // "*", "INSERT", "UPDATE", "DELETE"
    QString m_schema; // may be "*"
    QString m_table;  // may be "*"
    QList<FilterCondition> m_conditions;
    std::optional<RowFilter> m_filter; // bound when the table is concrete
};

} // namespace tf::sim
