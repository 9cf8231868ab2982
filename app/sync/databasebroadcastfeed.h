#pragma once

#include "changefeed.h"

namespace tf {

// Broadcast from the database on the private channel user:<sub> (§6.5, the path Supabase
// recommends at scale): a trigger publishes every change of the user's rows as a broadcast
// {schema, table, operation, record, old_record}; RLS on realtime.messages keeps the channel to
// its owner. No database subscription sits between join and delivery, so the join reply
// (SUBSCRIBED) is the moment changes flow.
class DatabaseBroadcastFeed : public ChangeFeed
{
    Q_OBJECT

public:
    using ChangeFeed::ChangeFeed;

    static QString channelNameFor(const QString &userId) { return QStringLiteral("user:") + userId; }

    void start(const QString &userId, const QList<TableSpec> &tables) override;
    QString kindName() const override { return QStringLiteral("broadcast"); }
};

} // namespace tf
