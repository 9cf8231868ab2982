#include "tradingschema.h"

#include "rowstore.h"

namespace tf::sim::TradingSchema {

namespace {

ColumnDef col(const char *name, ColumnType type, bool nullable = true, ColumnDefault def = ColumnDefault::None,
              QJsonValue defaultValue = {})
{
    ColumnDef c;
    c.name = QString::fromLatin1(name);
    c.type = type;
    c.nullable = nullable;
    c.defaultKind = def;
    c.defaultValue = defaultValue;
    return c;
}

ColumnDef enumCol(const char *name, const char *enumName, const QStringList &values,
                  const QString &defaultValue = QString())
{
    ColumnDef c = col(name, ColumnType::Enum, false,
                      defaultValue.isEmpty() ? ColumnDefault::None : ColumnDefault::Constant, defaultValue);
    c.enumName = QString::fromLatin1(enumName);
    c.enumValues = values;
    return c;
}

ColumnDef identity() { return col("id", ColumnType::Int8, false, ColumnDefault::Identity); }
ColumnDef owner() { return col("user_id", ColumnType::Uuid, false, ColumnDefault::AuthUid); }
ColumnDef now(const char *name) { return col(name, ColumnType::Timestamptz, false, ColumnDefault::Now); }

} // namespace

TableDef instruments()
{
    TableDef t;
    t.name = Instruments;
    t.columns = {col("symbol", ColumnType::Text, false),
                 col("name", ColumnType::Text, false),
                 col("tick_size", ColumnType::Numeric, false),
                 col("lot_size", ColumnType::Numeric, false, ColumnDefault::Constant, 1),
                 col("currency", ColumnType::Text, false, ColumnDefault::Constant, QStringLiteral("USD")),
                 now("created_at")};
    t.primaryKey = {QStringLiteral("symbol")};
    // Everybody reads the instrument list (anon too: see docs/simulator.md); nobody but the
    // service role writes it.
    t.access.anonSelect = true;
    return t;
}

TableDef orders()
{
    TableDef t;
    t.name = Orders;
    t.columns = {identity(),
                 col("client_order_id", ColumnType::Uuid, false, ColumnDefault::RandomUuid),
                 owner(),
                 col("symbol", ColumnType::Text, false),
                 enumCol("side", "order_side", OrderSides),
                 col("qty", ColumnType::Numeric, false),
                 enumCol("type", "order_type", OrderTypes, QStringLiteral("market")),
                 col("limit_price", ColumnType::Numeric),
                 enumCol("status", "order_status", OrderStatuses, QStringLiteral("new")),
                 col("reject_reason", ColumnType::Text),
                 col("filled_qty", ColumnType::Numeric, false, ColumnDefault::Constant, 0),
                 col("avg_fill_price", ColumnType::Numeric),
                 now("created_at"),
                 now("updated_at")};
    t.primaryKey = {QStringLiteral("id")};
    t.uniques = {{QStringLiteral("orders_client_order_id_key"), {QStringLiteral("client_order_id")}}};
    t.ownerColumn = QStringLiteral("user_id");
    // Migration 0002: a trader inserts the order-entry columns of their own orders and may then
    // only ask to cancel an open one. Status, fills and timestamps belong to the matching engine.
    t.access.insertColumns = {QStringLiteral("client_order_id"), QStringLiteral("user_id"), QStringLiteral("symbol"),
                              QStringLiteral("side"), QStringLiteral("qty"), QStringLiteral("type"),
                              QStringLiteral("limit_price")};
    t.access.updateColumns = {QStringLiteral("status")};
    t.access.updateUsing = [](const QJsonObject &row) {
        const QString status = row.value(QStringLiteral("status")).toString();
        return status == u"new" || status == u"accepted" || status == u"partially_filled";
    };
    t.access.updateCheck = [](const QJsonObject &row) {
        return row.value(QStringLiteral("status")).toString() == u"cancel_requested";
    };
    t.updatedAtColumn = QStringLiteral("updated_at");
    return t;
}

TableDef trades()
{
    TableDef t;
    t.name = Trades;
    t.columns = {identity(),
                 owner(),
                 col("order_id", ColumnType::Int8, false),
                 col("symbol", ColumnType::Text, false),
                 enumCol("side", "order_side", OrderSides),
                 col("qty", ColumnType::Numeric, false),
                 col("price", ColumnType::Numeric, false),
                 now("executed_at")};
    t.primaryKey = {QStringLiteral("id")};
    t.ownerColumn = QStringLiteral("user_id");
    return t;
}

TableDef positions()
{
    TableDef t;
    t.name = Positions;
    t.columns = {identity(),
                 owner(),
                 col("symbol", ColumnType::Text, false),
                 col("qty", ColumnType::Numeric, false, ColumnDefault::Constant, 0),
                 col("avg_price", ColumnType::Numeric, false, ColumnDefault::Constant, 0),
                 col("realized_pnl", ColumnType::Numeric, false, ColumnDefault::Constant, 0),
                 now("updated_at")};
    t.primaryKey = {QStringLiteral("id")};
    t.uniques = {{QStringLiteral("positions_user_id_symbol_key"), {QStringLiteral("user_id"), QStringLiteral("symbol")}}};
    t.ownerColumn = QStringLiteral("user_id");
    t.updatedAtColumn = QStringLiteral("updated_at");
    return t;
}

void install(RowStore &store)
{
    store.createTable(instruments());
    store.createTable(orders());
    store.createTable(trades());
    store.createTable(positions());
}

} // namespace tf::sim::TradingSchema
