#include "changefeed.h"

#include "realtimechannel.h"
#include "realtimeclient.h"
#include "synclogging.h"

namespace tf {

ChangeFeed::ChangeFeed(RealtimeClient *realtime, QObject *parent)
    : QObject(parent)
    , m_realtime(realtime)
{
}

ChangeFeed::~ChangeFeed()
{
    stop();
}

bool ChangeFeed::acquire(const QString &name, const ChannelConfig &config)
{
    stop();
    m_channelName = name;
    // High priority: the channel manager evicts views' channels before the data feed.
    RealtimeChannel *channel = m_realtime->channel(name, config, ChannelManager::Priority::High);
    if (!channel) {
        const QString why = QStringLiteral("cannot open the channel %1: %2")
                                .arg(name, m_realtime->channels()->lastError().message);
        qCWarning(lcSync, "%s", qPrintable(why));
        Q_EMIT problem(why);
        return false;
    }
    m_channel = channel;
    // Every way out of Joined is announced with a status and a reason (CHANNEL_ERROR, CLOSED,
    // TIMED_OUT); SUBSCRIBED alone is not "live" for postgres_changes (§4.3).
    connect(channel, &RealtimeChannel::subscribeStatusChanged, this,
            [this](RealtimeChannel::SubscribeStatus status, const QString &reason) {
                if (status != RealtimeChannel::SubscribeStatus::Subscribed)
                    interrupt(reason.isEmpty() ? QStringLiteral("channel closed") : reason);
            });
    connect(channel, &RealtimeChannel::errorOccurred, this, [this](const ClientError &error) {
        Q_EMIT problem(QStringLiteral("live updates: %1").arg(error.message));
    });
    connect(channel, &QObject::destroyed, this, [this] {
        // Evicted or released behind our back: nothing flows any more.
        interrupt(QStringLiteral("channel %1 removed").arg(m_channelName));
    });
    return true;
}

void ChangeFeed::stop()
{
    if (m_channel) {
        m_channel->disconnect(this);
        m_channel = nullptr;
        m_realtime->releaseChannel(m_channelName);
    }
    m_live = false;
}

void ChangeFeed::goLive(Gap gap)
{
    m_live = true;
    qCInfo(lcSync, "%s feed on %s is live (%s)", qPrintable(kindName()), qPrintable(m_channelName),
           gap == Gap::Resubscribe ? "resubscribed" : "after a gap");
    Q_EMIT live(gap);
}

void ChangeFeed::interrupt(const QString &reason)
{
    if (!m_live)
        return;
    m_live = false;
    qCInfo(lcSync, "%s feed on %s interrupted: %s", qPrintable(kindName()), qPrintable(m_channelName),
           qPrintable(reason));
    Q_EMIT interrupted(reason);
}

void ChangeFeed::forward(const PostgresChange &change)
{
    for (const TableSpec &table : std::as_const(m_tables)) {
        if (table.table == change.table && table.schema == change.schema) {
            Q_EMIT changeReceived(change);
            return;
        }
    }
    qCDebug(lcSync, "%s feed: ignoring a change of %s.%s", qPrintable(kindName()), qPrintable(change.schema),
            qPrintable(change.table));
}

} // namespace tf
