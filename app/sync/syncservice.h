#pragma once

#include "changefeed.h"
#include "connectionstatus.h"
#include "launchoptions.h"
#include "newestrecordgate.h"
#include "tablesync.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <chrono>
#include <memory>

namespace tf {

class FloorRoom;
class KeyedRowModel;
class OrderModel;
class PollingFallback;
class PositionModel;
class PostgrestClient;
class PresenceModel;
class QuoteModel;
class RealtimeClient;
class TradeModel;

// The models the sync service feeds. None is owned; all must outlive the service.
struct SyncModels {
    PositionModel *positions = nullptr;
    TradeModel *trades = nullptr;
    QuoteModel *quotes = nullptr;
    PresenceModel *presence = nullptr;
    OrderModel *orders = nullptr;
};

// Feeds the models from Supabase and keeps them equal to the server's rows (docs/sync.md).
//
// Per (re)subscribe: live changes are buffered from the moment the feed is (re)joined, the REST
// read starts only when changes actually flow ("Subscribed to PostgreSQL", or the join of the
// broadcast channel), and the buffer is replayed on top of it, so nothing committed in between is
// lost and nothing older than the read overwrites it. After every reconnect the tables are read in
// full and reconciled (deletes made while offline included, minimal row operations, never a
// reset); a resubscribe without reconnect and each poll catch up from the newest version seen.
// When the socket cannot be held, REST polling takes over (feed state Polling) until the feed is
// live again. Quotes and presence come from room:trading-floor (FloorRoom).
//
// It owns no connection: the app connects and authenticates the RealtimeClient and the
// PostgrestClient (token provider) and calls start() once signed in.
class SyncService : public QObject
{
    Q_OBJECT
    Q_PROPERTY(tf::ConnectionStatus::FeedState feedState READ feedState NOTIFY feedStateChanged)

public:
    SyncService(RealtimeClient *realtime, PostgrestClient *rest, SyncModels models, QObject *parent = nullptr);
    ~SyncService() override;

    // Takes effect at once when started (the new feed starts with a full read).
    void setFeedMode(FeedMode mode);
    FeedMode feedMode() const { return m_mode; }
    void setPollInterval(std::chrono::milliseconds interval); // default 5 s
    // How long the feed may stay down before polling starts (default 10 s; at once when the
    // socket gave up), and how often a socket that gave up is retried while REST works (30 s).
    void setFallbackDelay(std::chrono::milliseconds delay);
    void setSocketRetryInterval(std::chrono::milliseconds interval);
    // Paging, catch-up overlap, buffer bound and read retries of every table.
    void setTableOptions(const TableSync::Options &options);
    void setPresenceMeta(const QJsonObject &meta); // tracked on room:trading-floor (user, email, name)

    // Starts syncing the signed-in user's rows (`userId` = the JWT's sub). A different user than
    // last time empties the models first (clear(): the one reset a switch of account warrants).
    void start(const QString &userId);
    // Stops feeding (channels released, reads cancelled, polling off). Models keep what they show.
    void stop();
    bool isStarted() const { return m_started; }
    QString userId() const { return m_userId; }

    ConnectionStatus::FeedState feedState() const { return m_state; }
    // Panel visibility: joins or releases room:trading-floor (lazy channel).
    void setQuotesWanted(bool wanted);
    bool quotesWanted() const { return m_quotesWanted; }
    // Convenience for the app: the status bar's metrics and feed state, kept current.
    void setConnectionStatus(ConnectionStatus *status);

    // Parts, for diagnostics and tests.
    QList<TableSync *> tableSyncs() const { return m_tables; }
    TableSync *tableSync(const QString &table) const;
    ChangeFeed *changeFeed() const { return m_feed.get(); }
    PollingFallback *pollingFallback() const { return m_fallback; }
    FloorRoom *floorRoom() const { return m_room; }

Q_SIGNALS:
    void feedStateChanged(tf::ConnectionStatus::FeedState state);
    // Every server `orders` row applied (read or change), each version once and never an older
    // one after a newer one: the order desk feeds its queue with it.
    void orderRecordReceived(const QJsonObject &record);
    // After each round of reads (initial snapshot, reconcile after a reconnect, catch-up, poll)
    // that brought every table level with the server.
    void snapshotApplied();
    // REST/realtime problems in words for the UI.
    void syncError(const QString &message);

private:
    void addTable(const TableSpec &spec, KeyedRowModel *model);
    void prepareRead(TableSync *table) const;
    void startFeed();
    void onFeedLive(ChangeFeed::Gap gap);
    void onFeedInterrupted(const QString &reason);
    void onTableSynced();
    void onPollingChanged(bool polling);
    void onPollDue();
    void setState(ConnectionStatus::FeedState state);
    bool allTablesCurrent() const;

    RealtimeClient *m_realtime;
    PostgrestClient *m_rest;
    SyncModels m_models;
    FeedMode m_mode = FeedMode::PostgresChanges;
    QList<TableSync *> m_tables;
    std::unique_ptr<ChangeFeed> m_feed;
    PollingFallback *m_fallback;
    FloorRoom *m_room;
    NewestRecordGate m_orderGate;
    QPointer<ConnectionStatus> m_status;

    ConnectionStatus::FeedState m_state = ConnectionStatus::FeedState::Idle;
    QSet<QString> m_failingTables; // tables whose reads fail, told once per streak
    QSet<QString> m_feedProblems;  // feed problems told since the feed was last live
    QString m_userId;
    QString m_lastUserId;
    bool m_started = false;
    bool m_quotesWanted = true;
};

} // namespace tf
