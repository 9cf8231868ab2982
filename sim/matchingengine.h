#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace tf::sim {

class MarketSimulator;
class RowStore;
struct RowChange;
struct Quote;

struct MatchingSettings {
    // Largest quantity filled per order per pass (0: the whole order at once). With a limit,
    // big orders go through partially_filled over several ticks.
    double maxFillQty = 0;
};

// The exchange behind the orders table. It watches the store's change feed:
//   INSERT with status new -> rejected (unknown symbol, qty <= 0, limit without a positive
//     limit_price, with reject_reason) or accepted; market orders then fill at once at the
//     current price, limit orders when the price reaches the limit (buy: price <= limit,
//     sell: price >= limit), checked on every market tick;
//   UPDATE to cancel_requested -> canceled, unless the order was already filled, rejected or
//     canceled (then its previous status is restored).
// A fill writes a trades row, upserts the positions row (qty, avg_price, realized_pnl) and
// updates the order (filled_qty, avg_fill_price, status partially_filled/filled), in that order.
// Work is queued, never done inside the change signal, so every step is its own change event.
class MatchingEngine : public QObject {
    Q_OBJECT

public:
    MatchingEngine(RowStore &store, MarketSimulator &market, MatchingSettings settings = {},
                   QObject *parent = nullptr);

    const MatchingSettings &settings() const { return m_settings; }
    void setSettings(const MatchingSettings &settings) { m_settings = settings; }

    // Handles queued order events now (tests; otherwise it runs from the event loop).
    void processPending();
    // Tries to fill every working order at the current prices.
    void matchWorkingOrders();

Q_SIGNALS:
    // After each order event or fill was handled; status is the order's new status.
    void orderUpdated(qint64 orderId, const QString &status);

private:
    void onRowChange(const RowChange &change);
    void schedule();
    void processOrder(qint64 orderId, const QString &previousStatus);
    void accept(const QJsonObject &order);
    void tryFill(const QJsonObject &order);
    void fill(const QJsonObject &order, double qty, double price);
    void setStatus(qint64 orderId, const QJsonObject &patch);

    RowStore &m_store;
    MarketSimulator &m_market;
    MatchingSettings m_settings;
    QList<QPair<qint64, QString>> m_pending; // order id, status before the event
    bool m_scheduled = false;
};

} // namespace tf::sim
