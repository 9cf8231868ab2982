#pragma once

#include "changefeed.h"

namespace tf {

// postgres_changes on the channel desk:<sub>: per table one binding filtered to the user's rows
// (`user_id=eq.<sub>`), plus an unfiltered DELETE binding for tables whose DELETE carries only
// the primary key (the owner filter cannot see those; ids of other users' rows then simply match
// nothing in the models).
//
// Live means live: the server's `system` "Subscribed to PostgreSQL", not the join reply (§4.3).
// The same message again while still joined (the server re-created the subscription after a
// token change, delivering nothing meanwhile) is a Resubscribe gap.
class PostgresChangesFeed : public ChangeFeed
{
    Q_OBJECT

public:
    using ChangeFeed::ChangeFeed;

    static QString channelNameFor(const QString &userId) { return QStringLiteral("desk:") + userId; }
    // The bindings start() subscribes (for tests and the docs).
    static ChannelConfig configFor(const ChannelConfig &base, const QString &userId, const QList<TableSpec> &tables,
                                   QString *error = nullptr);

    void start(const QString &userId, const QList<TableSpec> &tables) override;
    QString kindName() const override { return QStringLiteral("postgres_changes"); }
};

} // namespace tf
