#include "positionmodel.h"

#include "quotemodel.h"
#include "recordreader.h"

#include <cmath>

namespace tf {

namespace {
// The cells that flash, with the names QML reads them by in directions/changeSerials.
constexpr std::pair<int, const char *> FlashingCells[] = {
    {PositionModel::QtyRole, "qty"},
    {PositionModel::AvgPriceRole, "avgPrice"},
    {PositionModel::LastPriceRole, "lastPrice"},
    {PositionModel::ChangeRole, "change"},
    {PositionModel::UnrealizedPnlRole, "unrealizedPnl"},
    {PositionModel::RealizedPnlRole, "realizedPnl"},
};
} // namespace

PositionModel::PositionModel(QObject *parent)
    : KeyedRowModel(QMetaEnum::fromType<Roles>(), {QStringLiteral("id")}, parent)
{
}

PositionModel::~PositionModel() = default;

void PositionModel::setQuoteSource(QuoteModel *source)
{
    if (source == m_quoteSource)
        return;
    if (m_quoteSource)
        disconnect(m_quoteSource, nullptr, this, nullptr);
    m_quoteSource = source;
    m_quotes.clear();
    if (source) {
        connect(source, &QuoteModel::quotesChanged, this, &PositionModel::takeQuotes);
        connect(source, &QObject::destroyed, this, &PositionModel::quoteSourceChanged);
        QStringList symbols;
        for (int i = 0; i < source->rowCount(); ++i)
            symbols.append(source->data(source->index(i), QuoteModel::SymbolRole).toString());
        takeQuotes(symbols);
    }
    Q_EMIT quoteSourceChanged();
}

void PositionModel::takeQuotes(const QStringList &symbols)
{
    if (!m_quoteSource)
        return;
    QSet<QString> moved;
    for (const QString &symbol : symbols) {
        const QVariant last = m_quoteSource->lastPrice(symbol);
        if (last.isValid())
            m_quotes.insert(symbol, Quote{last, m_quoteSource->change(symbol)});
        else
            m_quotes.remove(symbol); // the position keeps the last price it showed
        moved.insert(symbol);
    }
    // One pass over the positions per quote batch (positions are few; quotes are many).
    for (const Row &row : rows()) {
        if (moved.contains(row.value(SymbolRole).toString()))
            touch(row.key);
    }
}

bool PositionModel::parseRecord(const QJsonObject &record, Row &row, QString *error) const
{
    RecordReader r(record);
    row.set(SymbolRole, r.text(QLatin1String("symbol"), RecordReader::Required));
    row.set(QtyRole, r.number(QLatin1String("qty"), RecordReader::Required));
    row.set(AvgPriceRole, r.number(QLatin1String("avg_price"), RecordReader::Required));
    const QVariant realized = r.number(QLatin1String("realized_pnl"));
    row.set(RealizedPnlRole, realized.isValid() ? realized : QVariant(0.0));
    row.set(LastPriceRole, r.number(QLatin1String("last_price")));
    row.set(UpdatedAtRole, r.time(QLatin1String("updated_at")));
    *error = r.error();
    return r.ok();
}

bool PositionModel::lessThan(const Row &a, const Row &b) const
{
    const int bySymbol = QString::compare(a.value(SymbolRole).toString(), b.value(SymbolRole).toString());
    return bySymbol != 0 ? bySymbol < 0 : compareKeys(a.key, b.key) < 0;
}

void PositionModel::completeRow(Row &row, const Row *existing)
{
    const auto quote = m_quotes.constFind(row.value(SymbolRole).toString());
    if (quote != m_quotes.cend()) {
        row.set(LastPriceRole, quote->last);
        row.set(ChangeRole, quote->change);
    } else if (existing && !row.value(LastPriceRole).isValid()) {
        row.set(LastPriceRole, existing->value(LastPriceRole));
        row.set(ChangeRole, existing->value(ChangeRole));
    } else if (existing && row.value(LastPriceRole) == existing->value(LastPriceRole)) {
        row.set(ChangeRole, existing->value(ChangeRole));
    }

    const QVariant last = row.value(LastPriceRole);
    row.set(UnrealizedPnlRole, last.isValid()
            ? QVariant(row.value(QtyRole).toDouble() * (last.toDouble() - row.value(AvgPriceRole).toDouble()))
            : QVariant());

    QVariantMap directions = existing ? existing->value(DirectionsRole).toMap() : QVariantMap();
    QVariantMap serials = existing ? existing->value(ChangeSerialsRole).toMap() : QVariantMap();
    for (const auto &[role, name] : FlashingCells) {
        const QString key = QLatin1String(name);
        const QVariant now = row.value(role);
        const QVariant before = existing ? existing->value(role) : QVariant();
        if (!existing) {
            directions.insert(key, Unchanged);
            serials.insert(key, qint64(0));
        } else if (now.isValid() && before.isValid() && now.toDouble() != before.toDouble()) {
            directions.insert(key, now.toDouble() > before.toDouble() ? Up : Down);
            serials.insert(key, ++m_changeSerial);
        }
    }
    row.set(DirectionsRole, directions);
    row.set(ChangeSerialsRole, serials);
}

void PositionModel::afterFlush(const FlushSummary &summary)
{
    if (summary.reset) {
        // Quotes stay: they belong to the source, which was not cleared.
        m_changeSerial = 0;
    }
    recomputeTotals();
}

void PositionModel::recomputeTotals()
{
    // Exact sums once per flush: O(positions), no drift from incremental floating-point updates.
    Totals t;
    for (const Row &row : rows()) {
        const double qty = row.value(QtyRole).toDouble();
        const QVariant last = row.value(LastPriceRole);
        const double mark = last.isValid() ? last.toDouble() : row.value(AvgPriceRole).toDouble();
        t.exposure += std::abs(qty * mark);
        t.realized += row.value(RealizedPnlRole).toDouble();
        t.unrealized += row.value(UnrealizedPnlRole).toDouble(); // undefined reads as 0
    }
    const Totals old = std::exchange(m_totals, t);
    if (old.exposure != t.exposure)
        Q_EMIT totalExposureChanged();
    if (old.realized != t.realized)
        Q_EMIT totalRealizedPnlChanged();
    if (old.unrealized != t.unrealized)
        Q_EMIT totalUnrealizedPnlChanged();
    if (old.realized + old.unrealized != t.realized + t.unrealized)
        Q_EMIT totalPnlChanged();
}

} // namespace tf
