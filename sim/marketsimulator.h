#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

namespace tf::sim {

class RowStore;

struct Instrument {
    QString symbol;
    QString name;
    double tickSize = 0.01;
    double initialPrice = 0;
};

// One price of one symbol after a tick.
struct Quote {
    QString symbol;
    double price = 0;
    double bid = 0;
    double ask = 0;
    qint64 timestampMicros = 0;

    // The `price-update` broadcast payload: {symbol, price, bid, ask, ts}.
    QJsonObject toJson() const;
};

struct MarketSettings {
    quint32 seed = 42;
    int symbolCount = 20;
    double tickHz = 2.0;       // ticks per second; <= 0 disables the timer (step() by hand)
    double volatility = 0.002; // standard deviation of the log return per tick
};

// A seeded random-walk market. Everything random comes from one QRandomGenerator seeded with
// settings.seed and is drawn in a fixed order, so the same seed gives the same instruments,
// initial prices and price path tick by tick, whatever the tick rate.
class MarketSimulator : public QObject {
    Q_OBJECT

public:
    explicit MarketSimulator(MarketSettings settings, QObject *parent = nullptr);

    const MarketSettings &settings() const { return m_settings; }
    QList<Instrument> instruments() const { return m_instruments; }
    QStringList symbols() const;
    bool hasSymbol(const QString &symbol) const { return m_quotes.contains(symbol); }
    Quote quote(const QString &symbol) const { return m_quotes.value(symbol); }
    quint64 tickCount() const { return m_ticks; }

    // Fills the instruments table (once, skipping symbols already there).
    void installInstruments(RowStore &store) const;

    void start(); // ticks at settings.tickHz
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    void setTickHz(double hz);

    // One tick: every symbol's price moves once, in symbol order.
    void step();
    // Pins a price (tests: make a limit order cross). Emits quoteChanged.
    void setPrice(const QString &symbol, double price);

Q_SIGNALS:
    void quoteChanged(const tf::sim::Quote &quote);
    void ticked(quint64 tick);

private:
    double normal();
    Quote makeQuote(const Instrument &instrument, double price) const;

    MarketSettings m_settings;
    QRandomGenerator m_random;
    QList<Instrument> m_instruments;
    QHash<QString, Quote> m_quotes;
    QTimer m_timer;
    quint64 m_ticks = 0;
};

double roundToTick(double price, double tick);

} // namespace tf::sim
