#include "marketsimulator.h"

#include "rowstore.h"
#include "simlogging.h"
#include "timestamps.h"
#include "tradingschema.h"

#include <cmath>
#include <numbers>

#include <iterator>

namespace tf::sim {

namespace {

struct Listing {
    const char *symbol;
    const char *name;
};

constexpr Listing Listings[] = {
    {"AAPL", "Apple Inc."}, {"MSFT", "Microsoft Corp."}, {"NVDA", "NVIDIA Corp."},
    {"AMZN", "Amazon.com Inc."}, {"GOOGL", "Alphabet Inc."}, {"META", "Meta Platforms Inc."},
    {"TSLA", "Tesla Inc."}, {"JPM", "JPMorgan Chase & Co."}, {"V", "Visa Inc."},
    {"JNJ", "Johnson & Johnson"}, {"WMT", "Walmart Inc."}, {"PG", "Procter & Gamble Co."},
    {"XOM", "Exxon Mobil Corp."}, {"UNH", "UnitedHealth Group Inc."}, {"HD", "Home Depot Inc."},
    {"MA", "Mastercard Inc."}, {"BAC", "Bank of America Corp."}, {"KO", "Coca-Cola Co."},
    {"PEP", "PepsiCo Inc."}, {"DIS", "Walt Disney Co."}, {"NFLX", "Netflix Inc."},
    {"INTC", "Intel Corp."}, {"AMD", "Advanced Micro Devices Inc."}, {"CSCO", "Cisco Systems Inc."},
    {"ORCL", "Oracle Corp."}, {"CRM", "Salesforce Inc."}, {"ADBE", "Adobe Inc."},
    {"NKE", "Nike Inc."}, {"MCD", "McDonald's Corp."}, {"IBM", "International Business Machines"},
};

} // namespace

double roundToTick(double price, double tick)
{
    if (tick <= 0)
        return price;
    // Rounded in tick units, then to 8 decimals so the JSON shows 101.23, not 101.22999999.
    const double ticks = std::round(price / tick);
    return std::round(ticks * tick * 1e8) / 1e8;
}

QJsonObject Quote::toJson() const
{
    return QJsonObject{{QStringLiteral("symbol"), symbol},
                       {QStringLiteral("price"), price},
                       {QStringLiteral("bid"), bid},
                       {QStringLiteral("ask"), ask},
                       {QStringLiteral("ts"), Timestamps::formatCommitTimestamp(timestampMicros)}};
}

MarketSimulator::MarketSimulator(MarketSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_random(settings.seed)
{
    const int count = std::max(1, m_settings.symbolCount);
    for (int i = 0; i < count; ++i) {
        Instrument instrument;
        if (i < int(std::size(Listings))) {
            instrument.symbol = QString::fromLatin1(Listings[i].symbol);
            instrument.name = QString::fromLatin1(Listings[i].name);
        } else {
            instrument.symbol = QStringLiteral("SIM%1").arg(i + 1, 3, 10, QLatin1Char('0'));
            instrument.name = QStringLiteral("Simulated Instrument %1").arg(i + 1);
        }
        instrument.tickSize = 0.01;
        instrument.initialPrice = roundToTick(20.0 + m_random.bounded(480.0), instrument.tickSize);
        m_instruments.append(instrument);
        m_quotes.insert(instrument.symbol, makeQuote(instrument, instrument.initialPrice));
    }
    connect(&m_timer, &QTimer::timeout, this, &MarketSimulator::step);
    setTickHz(m_settings.tickHz);
}

QStringList MarketSimulator::symbols() const
{
    QStringList list;
    for (const Instrument &instrument : m_instruments)
        list.append(instrument.symbol);
    return list;
}

void MarketSimulator::installInstruments(RowStore &store) const
{
    QList<QJsonObject> rows;
    for (const Instrument &instrument : m_instruments) {
        rows.append(QJsonObject{{QStringLiteral("symbol"), instrument.symbol},
                                {QStringLiteral("name"), instrument.name},
                                {QStringLiteral("tick_size"), instrument.tickSize}});
    }
    InsertOptions options;
    options.onConflict = ConflictAction::Ignore;
    store.insert(TradingSchema::Instruments, rows, options);
}

void MarketSimulator::setTickHz(double hz)
{
    m_settings.tickHz = hz;
    if (hz > 0)
        m_timer.setInterval(std::max(1, int(std::lround(1000.0 / hz))));
    else
        m_timer.stop();
}

void MarketSimulator::start()
{
    if (m_settings.tickHz > 0)
        m_timer.start();
}

void MarketSimulator::stop()
{
    m_timer.stop();
}

double MarketSimulator::normal()
{
    // Box-Muller from two uniforms of the seeded generator: reproducible on every platform.
    const double u1 = std::max(m_random.generateDouble(), 1e-12);
    const double u2 = m_random.generateDouble();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

Quote MarketSimulator::makeQuote(const Instrument &instrument, double price) const
{
    Quote quote;
    quote.symbol = instrument.symbol;
    quote.price = price;
    const double halfSpread = std::max(instrument.tickSize, roundToTick(price * 0.0002, instrument.tickSize));
    quote.bid = roundToTick(price - halfSpread, instrument.tickSize);
    quote.ask = roundToTick(price + halfSpread, instrument.tickSize);
    quote.timestampMicros = Timestamps::nowMicros();
    return quote;
}

void MarketSimulator::step()
{
    ++m_ticks;
    for (const Instrument &instrument : std::as_const(m_instruments)) {
        const double previous = m_quotes.value(instrument.symbol).price;
        const double moved = previous * std::exp(m_settings.volatility * normal());
        const double price = std::max(instrument.tickSize, roundToTick(moved, instrument.tickSize));
        const Quote quote = makeQuote(instrument, price);
        m_quotes.insert(instrument.symbol, quote);
        Q_EMIT quoteChanged(quote);
    }
    Q_EMIT ticked(m_ticks);
}

void MarketSimulator::setPrice(const QString &symbol, double price)
{
    for (const Instrument &instrument : std::as_const(m_instruments)) {
        if (instrument.symbol == symbol) {
            const Quote quote = makeQuote(instrument, roundToTick(price, instrument.tickSize));
            m_quotes.insert(symbol, quote);
            Q_EMIT quoteChanged(quote);
            return;
        }
    }
}

} // namespace tf::sim
