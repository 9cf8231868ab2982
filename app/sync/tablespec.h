#pragma once

#include <QList>
#include <QString>

namespace tf {

// What the sync needs to know about one of the signed-in user's tables: how to select the user's
// rows, how to page through them, which column tells how new a row is, and what a DELETE event
// carries.
struct TableSpec {
    QString schema = QStringLiteral("public");
    QString table;
    // Rows belong to the user whose id is here (RLS does the same; the filter keeps the select
    // and the realtime bindings to the user's own rows even for a role that sees more).
    QString ownerColumn = QStringLiteral("user_id");
    // The primary key, used to page: keyset paging on a column that never changes cannot skip or
    // repeat a row when rows are inserted or deleted between two pages (offset paging can).
    QString keysetColumn = QStringLiteral("id");
    // The column the server stamps on every write (a trigger): catch-ups ask for rows at or
    // after the newest one seen. Empty: the table cannot be caught up and is always reconciled.
    QString versionColumn = QStringLiteral("updated_at");
    // Newest rows first and at most the model's row limit (the trade blotter); otherwise all rows.
    bool newestFirst = false;
    // REPLICA IDENTITY FULL: a DELETE's old image holds the owner column, so the owner filter
    // sees deletes. Without it (and always with RLS) the old record is the primary key only, so
    // the postgres_changes feed adds an unfiltered DELETE binding for the table (§5.3).
    bool deleteImageHasOwner = true;

    // The Trading Floor tables (packaging/supabase/migrations, docs/deploy.md).
    static TableSpec positions();
    static TableSpec trades();
    static TableSpec orders();
    static QList<TableSpec> tradingTables(); // positions, trades, orders
};

} // namespace tf
