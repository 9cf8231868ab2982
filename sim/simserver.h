#pragma once

#include "simconfig.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <memory>

namespace tf::sim {

class AuthStore;
class FaultInjector;
class GoTrueHandler;
class HttpFrontend;
class PostgrestHandler;
class RowStore;
class SimTraders;

// A seeded demo account: credentials for the password grant and the user id (JWT `sub`).
struct DemoTrader {
    QString userId;
    QString email;
    QString password;
};

// The whole simulated Supabase project behind one loopback port: REST (/rest/v1), auth
// (/auth/v1) and Realtime (/realtime/v1/websocket), over an in-memory database with the trading
// tables, a seeded market with a matching engine, simulated traders, and fault injection.
//
//   SimServer server;                         // or SimServer server(config)
//   if (!server.start()) ...
//   client.connectTo(server.url(), server.anonKey());
//   client.signIn(server.demoTrader().email, server.demoTrader().password);
//   server.faults().dropAllConnections();     // and so on
class SimServer : public QObject {
    Q_OBJECT

public:
    explicit SimServer(SimConfig config = {}, QObject *parent = nullptr);
    ~SimServer() override;

    // Listens on 127.0.0.1 (config.port, 0 = free port) and starts the market. False if the
    // port cannot be bound.
    bool start();
    void stop();
    bool isRunning() const;

    quint16 port() const;
    QUrl url() const; // http://127.0.0.1:<port>
    QString anonKey() const;
    QString serviceRoleKey() const;
    DemoTrader demoTrader() const;       // the main demo account
    QList<DemoTrader> demoTraders() const; // every seeded account (the first is demoTrader())
    // What --print-config prints: {"url","anon_key","email","password","user_id","service_role_key"}.
    QJsonObject connectionInfo() const;

    const SimConfig &config() const { return m_config; }
    RowStore &store();
    AuthStore &auth();
    MarketSimulator &market();
    MatchingEngine &matching();
    RealtimeEndpoint &realtime();
    FaultInjector &faults();
    SimTraders &traders();
    HttpFrontend &http();

Q_SIGNALS:
    void started();
    void stopped();
    // After the "restart" fault: listening again on the same port with fresh realtime state.
    void restarted();

private:
    void seedDemoData();
    void wireFaults();
    void restart();

    SimConfig m_config;
    std::unique_ptr<RowStore> m_store;
    std::unique_ptr<AuthStore> m_auth;
    std::unique_ptr<FaultInjector> m_faults;
    std::unique_ptr<MarketSimulator> m_market;
    std::unique_ptr<MatchingEngine> m_matching;
    std::unique_ptr<RealtimeEndpoint> m_realtime;
    std::unique_ptr<SimTraders> m_traders;
    std::unique_ptr<PostgrestHandler> m_rest;
    std::unique_ptr<GoTrueHandler> m_gotrue;
    std::unique_ptr<HttpFrontend> m_http;
    QList<DemoTrader> m_demoTraders;
    bool m_running = false;
    bool m_restarting = false;
};

} // namespace tf::sim
