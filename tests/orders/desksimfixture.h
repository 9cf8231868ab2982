#pragma once

// What the order desk tests against the simulator share: an in-process SimServer (no ticks, no
// simulated traders: the tests move the market), the demo trader signed in with a real
// AuthSession, a PostgrestClient that refreshes through it, and the server's view of the orders
// table for the exactly-once checks.

#include "authsession.h"
#include "gotrueclient.h"
#include "inmemorysecretbackend.h"
#include "postgrestclient.h"
#include "rowstore.h"
#include "simserver.h"
#include "tokenstore.h"

#include <QJsonObject>
#include <QMap>
#include <QSignalSpy>

#include <memory>

namespace tf::testing {

class DeskSimFixture
{
public:
    // Starts the simulator; `tweak` adjusts its config first.
    bool start(const std::function<void(sim::SimConfig &)> &tweak = {})
    {
        sim::SimConfig config;
        config.simulatedTraders = 0;
        config.tickHz = 0; // prices move only when a test says so
        config.realtime.postgresSubscribeDelay = std::chrono::milliseconds(50);
        if (tweak)
            tweak(config);
        server = std::make_unique<sim::SimServer>(config);
        if (!server->start())
            return false;
        gotrue = std::make_unique<GoTrueClient>(server->url(), server->anonKey());
        tokens = std::make_unique<TokenStore>(QStringLiteral("TradingFloorTest"), new InMemorySecretBackend, nullptr);
        session = std::make_unique<AuthSession>(gotrue.get(), tokens.get());
        QSignalSpy signedIn(session.get(), &AuthSession::signedIn);
        session->signInWithPassword(server->demoTrader().email, server->demoTrader().password);
        if (!signedIn.wait(10000))
            return false;
        rest = restClient(server->url());
        return true;
    }

    void stop()
    {
        rest.reset();
        session.reset();
        tokens.reset();
        gotrue.reset();
        server.reset();
    }

    // A REST client for `url` (the simulator, or a proxy in front of it) using the session.
    std::unique_ptr<PostgrestClient> restClient(const QUrl &url) const
    {
        auto client = std::make_unique<PostgrestClient>(url, server->anonKey());
        client->setTokenProvider(session.get());
        return client;
    }

    QString userId() const { return server->demoTrader().userId; }

    // The demo trader's rows in the server's orders table, by client_order_id.
    QList<QJsonObject> serverOrders() const
    {
        const QString user = userId();
        return server->store().rows(QStringLiteral("orders"), [user](const QJsonObject &row) {
            return row.value(QStringLiteral("user_id")).toString() == user;
        });
    }
    // How many rows the server holds for each client_order_id.
    QMap<QString, int> rowsPerClientOrderId() const
    {
        QMap<QString, int> counts;
        for (const QJsonObject &row : serverOrders())
            ++counts[row.value(QStringLiteral("client_order_id")).toString()];
        return counts;
    }
    QJsonObject serverOrder(const QString &clientOrderId) const
    {
        for (const QJsonObject &row : serverOrders()) {
            if (row.value(QStringLiteral("client_order_id")).toString() == clientOrderId)
                return row;
        }
        return {};
    }

    std::unique_ptr<sim::SimServer> server;
    std::unique_ptr<GoTrueClient> gotrue;
    std::unique_ptr<TokenStore> tokens;
    std::unique_ptr<AuthSession> session;
    std::unique_ptr<PostgrestClient> rest;
};

inline QJsonObject ticket(const QString &symbol, const QString &side, double qty, const QString &type = QStringLiteral("market"),
                          std::optional<double> limit = std::nullopt)
{
    QJsonObject t{{QStringLiteral("symbol"), symbol},
                  {QStringLiteral("side"), side},
                  {QStringLiteral("qty"), qty},
                  {QStringLiteral("type"), type}};
    if (limit)
        t.insert(QStringLiteral("limit_price"), *limit);
    return t;
}

} // namespace tf::testing
