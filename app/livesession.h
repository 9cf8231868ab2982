#pragma once

#include "appmodels.h"
#include "connectionstatus.h"
#include "launchoptions.h"

#include <QObject>

#include <chrono>

namespace tf {

class OrderDesk;
class ServerConnection;
class SyncService;

struct LiveSessionOptions {
    FeedMode feed = FeedMode::PostgresChanges;
    QString queuePath; // empty: the order queue's default file
    std::chrono::milliseconds pollInterval{5000};
    bool roomWanted = true; // quotes and presence (room:trading-floor) subscribed
};

// The live data of one signed-in session: the SyncService that feeds the models over Realtime
// (and REST polling when the socket cannot be held) and the OrderDesk that owns the offline order
// queue. Created when a session starts, deleted when it ends; the models outlive it.
class LiveSession : public QObject
{
    Q_OBJECT

public:
    LiveSession(ServerConnection *connection, const AppModels &models, const LiveSessionOptions &options,
                QObject *parent = nullptr);
    ~LiveSession() override;

    // Starts syncing for the connection's signed-in user.
    void start();
    // Restarts the sync with the other feed; the models are reconciled, not reset.
    void setFeedMode(FeedMode mode);
    // Hidden panels release room:trading-floor (quotes, presence); shown ones join it again.
    void setRoomWanted(bool wanted);
    // Reconnects now (fresh attempt count) and sends queued orders without waiting.
    void retryNow();

    ServerConnection *connection() const { return m_connection; }
    OrderDesk *desk() const { return m_desk; }
    SyncService *sync() const { return m_sync; }
    ConnectionStatus::FeedState feedState() const;
    int pendingOrders() const;

Q_SIGNALS:
    void feedStateChanged(tf::ConnectionStatus::FeedState state);
    void pendingOrdersChanged(int count);
    // Order toasts: kind "sent", "queued", "filled", "rejected", "failed", …
    void orderEvent(const QString &clientOrderId, const QString &kind, const QString &text);
    // Something the trader should know about the queue (file moved aside, not writable).
    void queueProblem(const QString &message);
    // Sync trouble in words, for the diagnostics panel.
    void syncError(const QString &message);
    void snapshotApplied();

private:
    void updateOnline();

    ServerConnection *m_connection;
    AppModels m_models;
    LiveSessionOptions m_options;
    SyncService *m_sync = nullptr;
    OrderDesk *m_desk = nullptr;
    QString m_userId;
};

} // namespace tf
