#pragma once

#include "keyedrowmodel.h"

namespace tf {

// The blotter: executed trades, newest first (by executed_at, then id).
//
// Fed with rows of the `trades` table (id, executed_at, symbol, side, qty, price, order_id), keyed
// by id. Trades are insert-only, so executed_at serves as the row version: a deleted (busted)
// trade is not brought back by a late echo of its insert. At most maxRows trades are kept; older
// ones are dropped from the end (or never inserted, when a catch-up delivers trades older than
// every row shown) and counted in notShownCount, so the view can say "N older trades not shown".
class TradeModel : public KeyedRowModel
{
    Q_OBJECT
    Q_PROPERTY(int maxRows READ maxRows WRITE setMaxRows NOTIFY maxRowsChanged)
    Q_PROPERTY(int notShownCount READ notShownCount NOTIFY notShownCountChanged)

public:
    enum Roles {
        TradeIdRole = FirstRole, // QString: the trade's id, the key
        TimeRole,                // QDateTime (UTC): executed_at
        SymbolRole,              // QString
        SideRole,                // QString: "buy" or "sell"
        QtyRole,                 // double: always positive
        PriceRole,               // double
        OrderIdRole,             // QString: the order it filled, or undefined
    };
    Q_ENUM(Roles)

    explicit TradeModel(QObject *parent = nullptr);

    int maxRows() const { return rowLimit(); }
    // Lowering it drops the oldest rows at once (one removal range).
    void setMaxRows(int rows);
    // Trades dropped or never inserted because of maxRows, since the last clear(). An update of a
    // trade that was already dropped counts again (dropped keys are not remembered).
    int notShownCount() const { return int(droppedRows()); }

Q_SIGNALS:
    void maxRowsChanged();
    void notShownCountChanged();

protected:
    bool parseRecord(const QJsonObject &record, Row &row, QString *error) const override;
    bool lessThan(const Row &a, const Row &b) const override;
    void afterFlush(const FlushSummary &summary) override;

private:
    qint64 m_reportedNotShown = 0;
};

} // namespace tf
