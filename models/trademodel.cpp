#include "trademodel.h"

#include "recordreader.h"

namespace tf {

TradeModel::TradeModel(QObject *parent)
    : KeyedRowModel(QMetaEnum::fromType<Roles>(), {QStringLiteral("id")}, parent)
{
    setVersionField(QStringLiteral("executed_at"));
    setRowLimit(10000);
}

void TradeModel::setMaxRows(int rows)
{
    rows = std::max(1, rows);
    if (rows == rowLimit())
        return;
    setRowLimit(rows);
    Q_EMIT maxRowsChanged();
}

bool TradeModel::parseRecord(const QJsonObject &record, Row &row, QString *error) const
{
    RecordReader r(record);
    row.set(TradeIdRole, row.key);
    const QVariant time = r.time(QLatin1String("executed_at"), RecordReader::Required);
    row.set(TimeRole, time);
    row.sortKey = time.toDateTime().toMSecsSinceEpoch();
    row.set(SymbolRole, r.text(QLatin1String("symbol"), RecordReader::Required));
    const QString side = r.text(QLatin1String("side"), RecordReader::Required).toString().toLower();
    if (r.ok() && side != u"buy" && side != u"sell")
        r.fail(QLatin1String("side"), QStringLiteral("expected buy or sell, got ") + side);
    row.set(SideRole, side);
    const QVariant qty = r.number(QLatin1String("qty"), RecordReader::Required);
    if (r.ok() && qty.toDouble() <= 0)
        r.fail(QLatin1String("qty"), QStringLiteral("must be positive"));
    row.set(QtyRole, qty);
    row.set(PriceRole, r.number(QLatin1String("price"), RecordReader::Required));
    row.set(OrderIdRole, r.id(QLatin1String("order_id")));
    *error = r.error();
    return r.ok();
}

bool TradeModel::lessThan(const Row &a, const Row &b) const
{
    // Newest first (sortKey = executed_at in ms); the same millisecond by id, highest first.
    if (a.sortKey != b.sortKey)
        return a.sortKey > b.sortKey;
    return compareKeys(a.key, b.key) > 0;
}

void TradeModel::afterFlush(const FlushSummary &)
{
    if (droppedRows() != m_reportedNotShown) {
        m_reportedNotShown = droppedRows();
        Q_EMIT notShownCountChanged();
    }
}

} // namespace tf
