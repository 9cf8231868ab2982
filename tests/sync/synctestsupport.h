#pragma once

// A signed-in Trading Floor client against the in-process simulator, with every timing short
// (heartbeats, backoff, polling, token lifetime) so fault scenarios run in seconds, plus the
// comparisons "model equals the simulator's rows" the sync tests assert.
#include "authsession.h"
#include "gotrueclient.h"
#include "inmemorysecretbackend.h"
#include "launchoptions.h"
#include "ordermodel.h"
#include "positionmodel.h"
#include "postgrestclient.h"
#include "presencemodel.h"
#include "quotemodel.h"
#include "realtimeclient.h"
#include "simserver.h"
#include "syncservice.h"
#include "tokenstore.h"
#include "trademodel.h"

#include <QJsonObject>
#include <QObject>
#include <QUuid>

#include <memory>

namespace synctest {

// Timings of a fast but realistic project: join errors after 100 ms, "Subscribed to PostgreSQL"
// 30 ms after the join reply, access tokens valid for `tokenLifetime`.
tf::sim::SimConfig fastSimConfig();
// Heartbeat every 250 ms (dead after 500 ms), reconnects and rejoins within 50–400 ms, rate-limit
// floors of 300 ms, tokens refreshed 1 s before they expire.
tf::RealtimeOptions fastRealtimeOptions(const QUrl &url, const QString &apiKey);

class Harness : public QObject
{
    Q_OBJECT

public:
    explicit Harness(const tf::sim::SimConfig &config = fastSimConfig(), QObject *parent = nullptr);
    ~Harness() override;

    tf::sim::SimServer &sim() { return *m_sim; }
    tf::AuthSession &session() { return *m_session; }
    tf::PostgrestClient &rest() { return *m_rest; }
    tf::RealtimeClient &realtime() { return *m_realtime; }
    tf::SyncService &service() { return *m_service; }
    tf::PositionModel &positions() { return m_positions; }
    tf::TradeModel &trades() { return m_trades; }
    tf::QuoteModel &quotes() { return m_quotes; }
    tf::PresenceModel &presence() { return m_presence; }
    tf::OrderModel &orders() { return m_orders; }
    QString userId() const;
    QString rivalId() const;

    // Signs the demo trader in and creates the realtime client and the sync service (short
    // timings, feed `mode`). `options` may replace the realtime options (e.g. a retry limit).
    bool setUp(tf::FeedMode mode, std::optional<tf::RealtimeOptions> options = std::nullopt);
    // start(userId) and connect; true once the feed is Live and the first snapshot applied.
    bool startAndWaitLive(int timeoutMs = 20000);

    // Empty when the model shows exactly the simulator's rows of the user, else what differs.
    QString positionsDiff() const;
    QString tradesDiff() const;
    QString ordersDiff() const;
    QString allDiff() const;

    // The user's rows in the simulator (service role view).
    QList<QJsonObject> storeRows(const QString &table, const QString &userId) const;
    QList<QJsonObject> storeRows(const QString &table) const { return storeRows(table, userId()); }
    QString firstSymbol() const;

private:
    std::unique_ptr<tf::sim::SimServer> m_sim;
    std::unique_ptr<tf::GoTrueClient> m_gotrue;
    std::unique_ptr<tf::TokenStore> m_tokens;
    std::unique_ptr<tf::AuthSession> m_session;
    std::unique_ptr<tf::PostgrestClient> m_rest;
    std::unique_ptr<tf::RealtimeClient> m_realtime;
    tf::PositionModel m_positions;
    tf::TradeModel m_trades;
    tf::QuoteModel m_quotes;
    tf::PresenceModel m_presence;
    tf::OrderModel m_orders;
    std::unique_ptr<tf::SyncService> m_service;
};

// What the server status word means for OrderModel::State (the queue's spelling).
tf::OrderModel::State orderStateForStatus(const QString &status);

// Empty when the model shows exactly `rows` (keys, values, versions), else what differs.
QString positionsDiff(const tf::PositionModel &model, const QList<QJsonObject> &rows);
QString tradesDiff(const tf::TradeModel &model, const QList<QJsonObject> &rows);
QString ordersDiff(const tf::OrderModel &model, const QList<QJsonObject> &rows);

// Any broken model contract aborts the test (QAbstractItemModelTester, Fatal).
void watchModel(QAbstractItemModel *model);

} // namespace synctest
