#pragma once

#include "keyedrowmodel.h"
#include "quotemodel.h"

#include <QPointer>

namespace tf {

// The trader's positions, ordered by symbol, with live P&L.
//
// Fed with rows of the `positions` table (id, symbol, qty, avg_price, realized_pnl, updated_at;
// optionally last_price), keyed by its primary key `id`: a postgres_changes DELETE under RLS
// carries nothing else. Last prices come from a QuoteModel (setQuoteSource()); when quotes move,
// the affected positions are recomputed in this model's next flush, never per tick. Without any
// price a position shows an undefined last price and unrealized P&L.
//
// For flashes, each numeric cell remembers the direction of its last change (directions) and a
// serial of that change (changeSerials), both keyed by role name:
//   property int serial: model.changeSerials.lastPrice
//   onSerialChanged: flash.start(model.directions.lastPrice)
class PositionModel : public KeyedRowModel
{
    Q_OBJECT
    Q_PROPERTY(tf::QuoteModel *quoteSource READ quoteSource WRITE setQuoteSource NOTIFY quoteSourceChanged)
    Q_PROPERTY(double totalExposure READ totalExposure NOTIFY totalExposureChanged)
    Q_PROPERTY(double totalRealizedPnl READ totalRealizedPnl NOTIFY totalRealizedPnlChanged)
    Q_PROPERTY(double totalUnrealizedPnl READ totalUnrealizedPnl NOTIFY totalUnrealizedPnlChanged)
    Q_PROPERTY(double totalPnl READ totalPnl NOTIFY totalPnlChanged)

public:
    enum Roles {
        SymbolRole = FirstRole, // QString: ticker
        QtyRole,                // double: signed quantity (negative = short)
        AvgPriceRole,           // double: average entry price
        LastPriceRole,          // double: from the quote source, else the row's last_price; or undefined
        ChangeRole,             // double: the quote's change against its reference; or undefined
        UnrealizedPnlRole,      // double: qty × (last − avg); undefined without a last price
        RealizedPnlRole,        // double: from the row (0 when absent)
        UpdatedAtRole,          // QDateTime (UTC): the row's updated_at; or undefined
        DirectionsRole,         // QVariantMap role name -> Direction of that cell's last change
        ChangeSerialsRole,      // QVariantMap role name -> serial of that cell's last change (0 = never)
    };
    Q_ENUM(Roles)

    enum Direction { Down = -1, Unchanged = 0, Up = 1 };
    Q_ENUM(Direction)

    explicit PositionModel(QObject *parent = nullptr);
    ~PositionModel() override;

    QuoteModel *quoteSource() const { return m_quoteSource; }
    void setQuoteSource(QuoteModel *source);

    // Totals over all rows, recomputed once per flush.
    double totalExposure() const { return m_totals.exposure; }   // Σ |qty × last| (avg price when no last)
    double totalRealizedPnl() const { return m_totals.realized; }
    double totalUnrealizedPnl() const { return m_totals.unrealized; }
    double totalPnl() const { return m_totals.realized + m_totals.unrealized; }

Q_SIGNALS:
    void quoteSourceChanged();
    void totalExposureChanged();
    void totalRealizedPnlChanged();
    void totalUnrealizedPnlChanged();
    void totalPnlChanged();

protected:
    bool parseRecord(const QJsonObject &record, Row &row, QString *error) const override;
    bool lessThan(const Row &a, const Row &b) const override;
    void completeRow(Row &row, const Row *existing) override;
    void afterFlush(const FlushSummary &summary) override;

private:
    struct Quote
    {
        QVariant last;
        QVariant change;
    };
    struct Totals
    {
        double exposure = 0;
        double realized = 0;
        double unrealized = 0;
    };

    void takeQuotes(const QStringList &symbols);
    void recomputeTotals();

    QPointer<QuoteModel> m_quoteSource;
    QHash<QString, Quote> m_quotes; // the source's prices as of its last flush
    Totals m_totals;
    qint64 m_changeSerial = 0;
};

} // namespace tf
