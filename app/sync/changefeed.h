#pragma once

#include "channelconfig.h"
#include "channelmanager.h"
#include "postgreschange.h"
#include "realtimechannel.h"
#include "tablespec.h"

#include <QObject>
#include <QPointer>

namespace tf {

class RealtimeClient;

// Where the user's row changes come from: one realtime channel, seen as a stream of
// PostgresChange plus two moments the sync acts on.
//
//   live(gap)          changes flow from now on; what happened before this moment must be read
//                      over REST. gap = Unknown after a (re)join: anything may have happened,
//                      deletes included. gap = Resubscribe when the channel stayed joined and only
//                      the server's database subscription was re-created (after a token change):
//                      a short gap.
//   interrupted(why)   changes stopped flowing (connection lost, channel closed or refused…).
//
// Two implementations: PostgresChangesFeed (filtered postgres_changes bindings) and
// DatabaseBroadcastFeed (the private channel user:<sub>). The sync treats both alike.
class ChangeFeed : public QObject
{
    Q_OBJECT

public:
    enum class Gap { Unknown, Resubscribe };
    Q_ENUM(Gap)

    explicit ChangeFeed(RealtimeClient *realtime, QObject *parent = nullptr);
    ~ChangeFeed() override;

    // Acquires the channel for `userId`'s changes to `tables`. Changes of other tables are dropped.
    virtual void start(const QString &userId, const QList<TableSpec> &tables) = 0;
    // Releases the channel. No signal follows.
    void stop();

    bool isLive() const { return m_live; }
    QString channelName() const { return m_channelName; }
    RealtimeChannel *channel() const { return m_channel; }
    // For logs and the diagnostics panel: "postgres_changes" or "broadcast".
    virtual QString kindName() const = 0;

Q_SIGNALS:
    void live(tf::ChangeFeed::Gap gap);
    void interrupted(const QString &reason);
    void changeReceived(const tf::PostgresChange &change);
    // A channel problem in words (refused join, failed subscription…), for the UI.
    void problem(const QString &message);

protected:
    // Acquires (ref-counted) and watches the channel; false when the client refuses it.
    bool acquire(const QString &name, const ChannelConfig &config);
    void goLive(Gap gap);
    void interrupt(const QString &reason);
    // Passes a change on when it belongs to one of the tables.
    void forward(const PostgresChange &change);
    void setTables(const QList<TableSpec> &tables) { m_tables = tables; }

    RealtimeClient *m_realtime;

private:
    QPointer<RealtimeChannel> m_channel;
    QString m_channelName;
    QList<TableSpec> m_tables;
    bool m_live = false;
};

} // namespace tf
