#include "quotemodel.h"

#include "modelslogging.h"
#include "recordreader.h"

#include <cmath>

namespace tf {

QuoteModel::QuoteModel(QObject *parent)
    : KeyedRowModel(QMetaEnum::fromType<Roles>(), {QStringLiteral("symbol")}, parent)
{
}

bool QuoteModel::applyTick(const QString &symbol, double price, double bid, double ask,
                           const QDateTime &time)
{
    if (symbol.isEmpty() || !std::isfinite(price)) {
        reject(QStringLiteral("a tick for \"%1\"").arg(symbol), QStringLiteral("empty symbol or non-finite price"));
        return false;
    }
    // Edit the staged row in place: at tens of thousands of ticks a second, copying rows and
    // hashing symbols again per tick is what would cost.
    Row *row = stageEdit(symbol, RowVersion::fromDateTime(time));
    if (!row)
        return false;
    row->set(SymbolRole, symbol);
    row->set(LastPriceRole, price);
    if (std::isfinite(bid))
        row->set(BidRole, bid);
    if (std::isfinite(ask))
        row->set(AskRole, ask);
    row->set(UpdatedAtRole, time.isValid() ? time.toUTC() : QDateTime::currentDateTimeUtc());
    if (!row->value(ReferencePriceRole).isValid())
        row->set(ReferencePriceRole, price); // the first price seen, until a prev_close/open says otherwise
    // Every accepted tick is a sparkline point, however many arrive between two flushes.
    QVariant &history = row->values[HistoryRole - FirstRole];
    if (!history.isValid())
        history = QVariant::fromValue(QList<qreal>());
    appendToHistory(history, price);
    return true;
}

void QuoteModel::appendToHistory(QVariant &history, double price) const
{
    // data() detaches the variant from the shown row's copy; the list then grows in place.
    auto *points = static_cast<QList<qreal> *>(history.data());
    points->append(price);
    if (points->size() > m_historyLength)
        points->remove(0, points->size() - m_historyLength);
}

bool QuoteModel::applyTick(const QJsonObject &payload)
{
    RecordReader r(payload);
    const QString symbol = r.text(QLatin1String("symbol"), RecordReader::Required).toString();
    const QVariant price = r.number(QLatin1String("price"), RecordReader::Required);
    const QVariant bid = r.number(QLatin1String("bid"));
    const QVariant ask = r.number(QLatin1String("ask"));
    const QVariant time = r.time(QLatin1String("ts"));
    if (!r.ok()) {
        reject(QStringLiteral("a tick"), r.error());
        return false;
    }
    return applyTick(symbol, price.toDouble(), bid.isValid() ? bid.toDouble() : qQNaN(),
                     ask.isValid() ? ask.toDouble() : qQNaN(), time.toDateTime());
}

QVariant QuoteModel::lastPrice(const QString &symbol) const
{
    return valueForKey(symbol, LastPriceRole);
}

QVariant QuoteModel::change(const QString &symbol) const
{
    return valueForKey(symbol, ChangeRole);
}

void QuoteModel::setHistoryLength(int points)
{
    points = std::max(1, points);
    if (points == m_historyLength)
        return;
    m_historyLength = points;
    Q_EMIT historyLengthChanged();
}

bool QuoteModel::parseRecord(const QJsonObject &record, Row &row, QString *error) const
{
    RecordReader r(record);
    row.set(SymbolRole, r.text(QLatin1String("symbol"), RecordReader::Required));
    const QLatin1String priceField(r.has(QLatin1String("price")) ? "price" : "last");
    row.set(LastPriceRole, r.number(priceField, RecordReader::Required));
    row.set(BidRole, r.number(QLatin1String("bid")));
    row.set(AskRole, r.number(QLatin1String("ask")));
    QVariant reference = r.number(QLatin1String("prev_close"));
    const QVariant open = r.number(QLatin1String("open"));
    row.set(ReferencePriceRole, reference.isValid() ? reference : open);
    const QVariant updated = r.time(QLatin1String(r.has(QLatin1String("updated_at")) ? "updated_at" : "ts"));
    row.set(UpdatedAtRole, updated.isValid() ? updated : QVariant(QDateTime::currentDateTimeUtc()));
    *error = r.error();
    return r.ok();
}

bool QuoteModel::lessThan(const Row &a, const Row &b) const
{
    return a.key < b.key; // symbols: plain text order
}

void QuoteModel::completeRow(Row &row, const Row *existing)
{
    const double last = row.value(LastPriceRole).toDouble();
    if (existing) {
        // Quote rows from a table may carry no bid/ask/reference/history: keep what we know.
        for (int role : {BidRole, AskRole, ReferencePriceRole}) {
            if (!row.value(role).isValid())
                row.set(role, existing->value(role));
        }
    }
    if (!row.value(ReferencePriceRole).isValid())
        row.set(ReferencePriceRole, last);

    if (!row.value(HistoryRole).isValid()) {
        // A row from a table (ticks fill the history as they come) is one point, unless it
        // repeats what the view has.
        QVariant history = existing ? existing->value(HistoryRole) : QVariant::fromValue(QList<qreal>());
        if (!existing || existing->version != row.version || existing->value(LastPriceRole) != row.value(LastPriceRole))
            appendToHistory(history, last);
        row.set(HistoryRole, history);
    }

    const double reference = row.value(ReferencePriceRole).toDouble();
    row.set(ChangeRole, last - reference);
    row.set(ChangePercentRole, reference != 0 ? QVariant((last - reference) / std::abs(reference) * 100.0)
                                              : QVariant());
}

void QuoteModel::afterFlush(const FlushSummary &summary)
{
    if (!summary.changedKeys.isEmpty() || !summary.removedKeys.isEmpty())
        Q_EMIT quotesChanged(summary.changedKeys + summary.removedKeys);
}

} // namespace tf
