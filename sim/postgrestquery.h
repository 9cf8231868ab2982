#pragma once

#include "dberror.h"
#include "rowfilter.h"

#include <QByteArrayView>
#include <QList>
#include <QPair>

#include <optional>

namespace tf::sim {

// Decodes a raw (still percent-encoded) query string the way PostgREST does: '+' is a space,
// then percent-decoding, then UTF-8. So a timestamp offset must be sent as %2B (protocol doc §11.3).
QList<QPair<QString, QString>> decodePostgrestQuery(QByteArrayView rawQuery);

struct OrderTerm {
    QString column;
    bool descending = false;
    std::optional<bool> nullsFirst; // unset: Postgres default (NULLS LAST asc, NULLS FIRST desc)
};

// The parts of a /rest/v1/<table> query string the simulator understands: select, filters,
// order, limit, offset, on_conflict. Column names are checked later against the table.
struct PostgrestQuery {
    QStringList select; // empty: *
    QList<FilterCondition> filters;
    QList<OrderTerm> order;
    std::optional<qint64> limit;
    std::optional<qint64> offset;
    QStringList onConflict;

    // Fails with PGRST100 (status 400) and PostgREST-like message/details.
    static std::optional<PostgrestQuery> parse(QByteArrayView rawQuery, DbError *error);
};

} // namespace tf::sim
