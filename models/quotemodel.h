#pragma once

#include "keyedrowmodel.h"

#include <QList>

namespace tf {

// Prices per symbol, for the watchlist and for PositionModel's last prices.
//
// Fed by price ticks: applyTick(), e.g. with the simulator's `price-update` broadcast payload
// {symbol, price, bid, ask, ts}. Rows of a quotes table work too (upsert()/reconcile(): symbol,
// price or last, bid, ask, prev_close, open, updated_at). Ticks are batched like any change:
// however many a symbol gets between two flushes, the view sees one dataChanged for it, yet every
// accepted tick adds a point to the symbol's sparkline history.
//
// Change and change percent are measured against the reference price: `prev_close` when the feed
// gives one, else `open`, else the first price this model saw for the symbol.
class QuoteModel : public KeyedRowModel
{
    Q_OBJECT
    Q_PROPERTY(int historyLength READ historyLength WRITE setHistoryLength NOTIFY historyLengthChanged)

public:
    enum Roles {
        SymbolRole = FirstRole, // QString: ticker, the key
        LastPriceRole,          // double: last traded price
        BidRole,                // double, or undefined when the feed never sent one
        AskRole,                // double, or undefined
        ReferencePriceRole,     // double: what change is measured against (see class comment)
        ChangeRole,             // double: last - reference
        ChangePercentRole,      // double: change / |reference| * 100; undefined when reference is 0
        UpdatedAtRole,          // QDateTime (UTC) of the last accepted tick or row
        HistoryRole,            // QList<qreal>: recent prices, oldest first, at most historyLength
    };
    Q_ENUM(Roles)

    explicit QuoteModel(QObject *parent = nullptr);

    // Stages one price tick. `bid`/`ask` NaN = not in this tick (the previous values stay). A tick
    // older than the quote's time is ignored; without `time` the tick is stamped now and always
    // applies. Returns false when rejected (empty symbol, non-finite price) or stale.
    bool applyTick(const QString &symbol, double price, double bid = qQNaN(), double ask = qQNaN(),
                   const QDateTime &time = QDateTime());
    // The same from a broadcast payload {symbol, price, bid?, ask?, ts?}; bad payloads are rejected.
    bool applyTick(const QJsonObject &payload);

    // Shown values (as of the last flush); undefined for an unknown symbol.
    Q_INVOKABLE QVariant lastPrice(const QString &symbol) const;
    Q_INVOKABLE QVariant change(const QString &symbol) const;

    int historyLength() const { return m_historyLength; }
    // Applies to each symbol from its next update on.
    void setHistoryLength(int points);

Q_SIGNALS:
    void historyLengthChanged();
    // Once per flush: symbols whose quote changed, was added or was removed.
    void quotesChanged(const QStringList &symbols);

protected:
    bool parseRecord(const QJsonObject &record, Row &row, QString *error) const override;
    bool lessThan(const Row &a, const Row &b) const override;
    void completeRow(Row &row, const Row *existing) override;
    void afterFlush(const FlushSummary &summary) override;

private:
    void appendToHistory(QVariant &history, double price) const;

    int m_historyLength = 120;
};

} // namespace tf
