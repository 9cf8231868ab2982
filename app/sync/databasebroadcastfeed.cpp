#include "databasebroadcastfeed.h"

#include "realtimechannel.h"
#include "realtimeclient.h"

namespace tf {

void DatabaseBroadcastFeed::start(const QString &userId, const QList<TableSpec> &tables)
{
    setTables(tables);
    ChannelConfig config = m_realtime->defaultChannelConfig();
    config.isPrivate = true;
    config.databaseBroadcast = true;
    if (!acquire(channelNameFor(userId), config))
        return;
    RealtimeChannel *own = channel();
    connect(own, &RealtimeChannel::subscribeStatusChanged, this,
            [this](RealtimeChannel::SubscribeStatus status, const QString &) {
                if (status == RealtimeChannel::SubscribeStatus::Subscribed)
                    goLive(Gap::Unknown);
            });
    connect(own, &RealtimeChannel::postgresChange, this,
            [this](const PostgresChange &change, const QList<int> &) { forward(change); });
    if (own->state() == RealtimeChannel::State::Joined)
        goLive(Gap::Unknown);
}

} // namespace tf
