#include "tablespec.h"

namespace tf {

TableSpec TableSpec::positions()
{
    TableSpec spec;
    spec.table = QStringLiteral("positions");
    return spec; // REPLICA IDENTITY FULL (migration 0003)
}

TableSpec TableSpec::trades()
{
    TableSpec spec;
    spec.table = QStringLiteral("trades");
    // Insert-only: executed_at is the row's version; a DELETE (busted trade) carries only its id.
    spec.versionColumn = QStringLiteral("executed_at");
    spec.newestFirst = true;
    spec.deleteImageHasOwner = false;
    return spec;
}

TableSpec TableSpec::orders()
{
    TableSpec spec;
    spec.table = QStringLiteral("orders");
    return spec; // REPLICA IDENTITY FULL (migration 0003)
}

QList<TableSpec> TableSpec::tradingTables()
{
    return {positions(), trades(), orders()};
}

} // namespace tf
