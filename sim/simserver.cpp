#include "simserver.h"

#include "authstore.h"
#include "faultinjector.h"
#include "gotruehandler.h"
#include "httpfrontend.h"
#include "postgresthandler.h"
#include "rowstore.h"
#include "simlogging.h"
#include "simtraders.h"
#include "tradingschema.h"

#include <QJsonArray>
#include <QTimer>

namespace tf::sim {

SimServer::SimServer(SimConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_store = std::make_unique<RowStore>();
    TradingSchema::install(*m_store);
    m_auth = std::make_unique<AuthStore>(m_config.jwtSecret, m_config.tokenLifetime);
    m_faults = std::make_unique<FaultInjector>();
    m_market = std::make_unique<MarketSimulator>(
        MarketSettings{m_config.seed, m_config.symbolCount, m_config.tickHz, MarketSettings().volatility});
    m_market->installInstruments(*m_store);
    m_matching = std::make_unique<MatchingEngine>(*m_store, *m_market, m_config.matching);
    m_realtime = std::make_unique<RealtimeEndpoint>(m_config.realtime, *m_auth, *m_store, *m_faults);
    m_traders = std::make_unique<SimTraders>(*m_realtime, m_config.simulatedTraders, m_config.seed,
                                             m_config.traderChurnInterval);
    m_rest = std::make_unique<PostgrestHandler>(*m_store, *m_auth, m_faults.get());
    m_gotrue = std::make_unique<GoTrueHandler>(*m_auth);
    m_http = std::make_unique<HttpFrontend>(*m_rest, *m_gotrue, *m_realtime, *m_faults);

    m_demoTraders = {
        {QStringLiteral("5f0c2a6e-8c1b-4a57-9d43-6a1f3b2c7e01"), QStringLiteral("trader@example.com"),
         QStringLiteral("trading-floor-demo")},
        {QStringLiteral("9b7d4e21-3c5a-4f68-8e19-2d6c0a4b5f02"), QStringLiteral("rival@example.com"),
         QStringLiteral("trading-floor-rival")},
    };
    for (const DemoTrader &trader : std::as_const(m_demoTraders))
        m_auth->addUser(trader.userId, trader.email, trader.password);
    if (m_config.seedDemoData)
        seedDemoData();

    connect(m_market.get(), &MarketSimulator::quoteChanged, this, [this](const Quote &quote) {
        m_realtime->broadcast(SimTraders::Channel, QStringLiteral("price-update"), quote.toJson());
    });
    wireFaults();
}

SimServer::~SimServer()
{
    // Sockets first: they refer to the endpoint, which refers to the store and auth.
    m_http.reset();
    m_realtime.reset();
}

void SimServer::wireFaults()
{
    FaultInjector *faults = m_faults.get();
    connect(faults, &FaultInjector::dropAllRequested, this, [this] {
        m_realtime->dropAllConnections();
        m_http->dropHttpConnections();
    });
    connect(faults, &FaultInjector::expireTokensRequested, m_auth.get(), &AuthStore::expireAllTokens);
    connect(m_auth.get(), &AuthStore::tokensExpired, m_realtime.get(), &RealtimeEndpoint::recheckTokens);
    connect(faults, &FaultInjector::restartRequested, this, &SimServer::restart);
    connect(faults, &FaultInjector::refuseRequested, this, [this] {
        if (m_running)
            m_http->stopListening();
    });
    connect(faults, &FaultInjector::refuseStopRequested, this, [this] {
        if (m_running && !m_restarting)
            m_http->resumeListening();
    });
    connect(faults, &FaultInjector::rateLimitChanged, this, [this](bool limited) {
        if (limited)
            m_realtime->shutdownAllChannels(QStringLiteral("Too many messages per second"));
    });
    connect(faults, &FaultInjector::resetRequested, m_auth.get(), &AuthStore::clearTokenExpiry);
}

bool SimServer::start()
{
    if (m_running)
        return true;
    if (!m_http->listenOnLoopback(m_config.port))
        return false;
    m_running = true;
    m_auth->setIssuer(url().toString() + QStringLiteral("/auth/v1"));
    m_traders->trackAll();
    m_market->start();
    qCInfo(lcSim) << "simulator up at" << url().toString() << "seed" << m_config.seed;
    Q_EMIT started();
    return true;
}

void SimServer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_market->stop();
    m_http->stopListening();
    m_realtime->reset();
    m_http->dropHttpConnections();
    Q_EMIT stopped();
}

bool SimServer::isRunning() const
{
    return m_running;
}

void SimServer::restart()
{
    if (!m_running || m_restarting)
        return;
    m_restarting = true;
    qCInfo(lcSim) << "restarting: dropping connections and realtime state, keeping tables";
    m_http->stopListening();
    m_realtime->reset();
    m_http->dropHttpConnections();
    QTimer::singleShot(m_config.restartDowntime, this, [this] {
        m_restarting = false;
        if (!m_running)
            return;
        if (!m_faults->refusingConnections())
            m_http->resumeListening();
        m_traders->trackAll();
        qCInfo(lcSim) << "restarted on port" << port();
        Q_EMIT restarted();
    });
}

quint16 SimServer::port() const
{
    return m_http->port();
}

QUrl SimServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

QString SimServer::anonKey() const
{
    return m_auth->anonKey();
}

QString SimServer::serviceRoleKey() const
{
    return m_auth->serviceRoleKey();
}

DemoTrader SimServer::demoTrader() const
{
    return m_demoTraders.first();
}

QList<DemoTrader> SimServer::demoTraders() const
{
    return m_demoTraders;
}

QJsonObject SimServer::connectionInfo() const
{
    const DemoTrader trader = demoTrader();
    return QJsonObject{{QStringLiteral("url"), url().toString()},
                       {QStringLiteral("anon_key"), anonKey()},
                       {QStringLiteral("email"), trader.email},
                       {QStringLiteral("password"), trader.password},
                       {QStringLiteral("user_id"), trader.userId},
                       {QStringLiteral("service_role_key"), serviceRoleKey()}};
}

RowStore &SimServer::store() { return *m_store; }
AuthStore &SimServer::auth() { return *m_auth; }
MarketSimulator &SimServer::market() { return *m_market; }
MatchingEngine &SimServer::matching() { return *m_matching; }
RealtimeEndpoint &SimServer::realtime() { return *m_realtime; }
FaultInjector &SimServer::faults() { return *m_faults; }
SimTraders &SimServer::traders() { return *m_traders; }
HttpFrontend &SimServer::http() { return *m_http; }

void SimServer::seedDemoData()
{
    // A few open positions per demo trader, each backed by the filled order and the trade that
    // opened it, so the three tables agree. Quantities are fixed; prices are the seeded
    // market's opening prices.
    struct Holding {
        int trader;
        int instrument;
        double qty; // negative: short
    };
    const Holding holdings[] = {{0, 0, 100}, {0, 1, 40}, {0, 2, -25}, {1, 1, 75}, {1, 3, 200}};
    const QList<Instrument> instruments = m_market->instruments();
    for (const Holding &holding : holdings) {
        if (holding.instrument >= instruments.size())
            continue;
        const DemoTrader &trader = m_demoTraders.at(holding.trader);
        const Instrument &instrument = instruments.at(holding.instrument);
        const double qty = std::abs(holding.qty);
        const QString side = holding.qty > 0 ? QStringLiteral("buy") : QStringLiteral("sell");
        const WriteResult order = m_store->insertRow(TradingSchema::Orders, QJsonObject{
            {QStringLiteral("user_id"), trader.userId},
            {QStringLiteral("symbol"), instrument.symbol},
            {QStringLiteral("side"), side},
            {QStringLiteral("qty"), qty},
            {QStringLiteral("type"), QStringLiteral("market")},
            {QStringLiteral("status"), QStringLiteral("filled")},
            {QStringLiteral("filled_qty"), qty},
            {QStringLiteral("avg_fill_price"), instrument.initialPrice},
        });
        if (!order.ok())
            continue;
        m_store->insertRow(TradingSchema::Trades, QJsonObject{
            {QStringLiteral("user_id"), trader.userId},
            {QStringLiteral("order_id"), order.rows.first().value(QStringLiteral("id"))},
            {QStringLiteral("symbol"), instrument.symbol},
            {QStringLiteral("side"), side},
            {QStringLiteral("qty"), qty},
            {QStringLiteral("price"), instrument.initialPrice},
        });
        m_store->insertRow(TradingSchema::Positions, QJsonObject{
            {QStringLiteral("user_id"), trader.userId},
            {QStringLiteral("symbol"), instrument.symbol},
            {QStringLiteral("qty"), holding.qty},
            {QStringLiteral("avg_price"), instrument.initialPrice},
            {QStringLiteral("realized_pnl"), 0},
        });
    }
}

} // namespace tf::sim
