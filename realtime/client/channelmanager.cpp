#include "channelmanager.h"

#include "logging.h"
#include "ratelimiter.h"
#include "realtimechannel.h"

using namespace Qt::Literals::StringLiterals;

namespace tf {

namespace {
const QString TopicPrefix = u"realtime:"_s;

QString priorityName(ChannelManager::Priority priority)
{
    switch (priority) {
    case ChannelManager::Priority::Low:
        return u"low"_s;
    case ChannelManager::Priority::Normal:
        return u"normal"_s;
    case ChannelManager::Priority::High:
        return u"high"_s;
    }
    return {};
}
} // namespace

ChannelManager::ChannelManager(ChannelTransport *transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_rateLimiter(new RateLimiter(this))
{
    Q_ASSERT(transport);
}

ChannelManager::~ChannelManager() = default;

RealtimeChannel *ChannelManager::refuse(ErrorClass errorClass, const QString &message)
{
    m_lastError = ClientError{errorClass, message, 0, QString()};
    qCWarning(lcChannel, "acquire refused: %s", qPrintable(message));
    return nullptr;
}

RealtimeChannel *ChannelManager::acquire(const QString &name, const ChannelConfig &config, Priority priority)
{
    if (name.isEmpty())
        return refuse(ErrorClass::Validation, u"channel name is empty (the server would answer TopicNameRequired)"_s);

    const auto existing = m_entries.find(name);
    if (existing != m_entries.end()) {
        Entry &entry = *existing;
        ++entry.references;
        entry.lastAcquired = ++m_acquireCounter;
        entry.priority = std::max(entry.priority, priority);
        if (entry.channel->config().joinPayload() != config.joinPayload()
            || entry.channel->config().databaseBroadcast != config.databaseBroadcast) {
            qCWarning(lcChannel, "channel %s is already in use with another configuration; keeping the first one",
                      qPrintable(name));
        }
        if (!entry.channel->isWanted())
            entry.channel->subscribe();
        m_lastError = {};
        return entry.channel;
    }

    while (m_entries.size() >= m_maxChannels) {
        if (!evictOne(priority, false)) {
            return refuse(ErrorClass::Validation,
                          u"cannot open channel %1: the limit of %2 channels is reached and every open channel has a "
                          "higher priority than %3"_s.arg(name).arg(m_maxChannels).arg(priorityName(priority)));
        }
    }

    auto *channel = new RealtimeChannel(name, config, m_transport, this);
    channel->setRateLimiter(m_rateLimiter);
    if (!m_accessToken.isEmpty())
        channel->setAccessToken(m_accessToken);
    connect(channel, &RealtimeChannel::accessTokenRejected, this, &ChannelManager::accessTokenRejected);
    m_entries.insert(name, Entry{channel, 1, priority, ++m_acquireCounter});
    m_lastError = {};
    qCDebug(lcChannel, "channel %s added (%d open)", qPrintable(name), count());
    Q_EMIT channelAdded(name);
    channel->subscribe(); // lazy: a channel joins when someone first needs it
    return channel;
}

// Evicts the lowest-priority, then least recently acquired channel, unless (without `force`) it
// outranks a newcomer of priority `newcomer`.
bool ChannelManager::evictOne(Priority newcomer, bool force)
{
    auto victim = m_entries.end();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (victim == m_entries.end() || it->priority < victim->priority
            || (it->priority == victim->priority && it->lastAcquired < victim->lastAcquired)) {
            victim = it;
        }
    }
    if (victim == m_entries.end() || (!force && victim->priority > newcomer))
        return false;
    const QString name = victim.key();
    qCInfo(lcChannel, "channel limit %d reached: evicting %s (%s priority, %d users)", m_maxChannels, qPrintable(name),
           qPrintable(priorityName(victim->priority)), victim->references);
    Q_EMIT channelEvicted(name);
    remove(name);
    return true;
}

void ChannelManager::release(const QString &name)
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end()) {
        qCWarning(lcChannel, "release of unknown channel %s ignored (evicted or released too often?)", qPrintable(name));
        return;
    }
    if (--it->references > 0)
        return;
    remove(name);
}

void ChannelManager::remove(const QString &name)
{
    RealtimeChannel *channel = m_entries.take(name).channel;
    retire(channel);
    qCDebug(lcChannel, "channel %s removed (%d open)", qPrintable(name), count());
    Q_EMIT channelRemoved(name);
}

void ChannelManager::retire(RealtimeChannel *channel)
{
    disconnect(channel, &RealtimeChannel::accessTokenRejected, this, &ChannelManager::accessTokenRejected);
    channel->unsubscribe();
    if (channel->state() == RealtimeChannel::State::Closed) {
        channel->deleteLater();
        return;
    }
    // Keep it reachable by route() until its leave is answered (or times out).
    m_leaving.append(channel);
    connect(channel, &RealtimeChannel::stateChanged, this, [this, channel](RealtimeChannel::State state) {
        if (state != RealtimeChannel::State::Closed)
            return;
        m_leaving.removeOne(channel);
        channel->deleteLater();
    });
}

RealtimeChannel *ChannelManager::channel(const QString &name) const
{
    return m_entries.value(name).channel;
}

RealtimeChannel *ChannelManager::channelForTopic(const QString &topic) const
{
    if (!topic.startsWith(TopicPrefix))
        return nullptr;
    return channel(topic.mid(TopicPrefix.size()));
}

QList<RealtimeChannel *> ChannelManager::channels() const
{
    QList<RealtimeChannel *> list;
    list.reserve(m_entries.size());
    for (const Entry &entry : m_entries)
        list.append(entry.channel);
    return list;
}

int ChannelManager::referenceCount(const QString &name) const
{
    return m_entries.value(name).references;
}

void ChannelManager::setMaxChannels(int max)
{
    m_maxChannels = std::max(1, max);
    while (m_entries.size() > m_maxChannels && evictOne(Priority::High, true)) {
    }
}

void ChannelManager::route(const PhoenixMessage &message)
{
    bool delivered = false;
    if (RealtimeChannel *active = channelForTopic(message.topic)) {
        active->handleMessage(message);
        delivered = true;
    }
    const QList<RealtimeChannel *> leaving = m_leaving;
    for (RealtimeChannel *channel : leaving) {
        if (channel->topic() == message.topic && m_leaving.contains(channel)) {
            channel->handleMessage(message);
            delivered = true;
        }
    }
    if (!delivered)
        qCDebug(lcChannel, "no channel for topic %s: %s ignored", qPrintable(message.topic), qPrintable(message.event));
}

void ChannelManager::handleTransportOpened()
{
    for (RealtimeChannel *channel : channels())
        channel->handleTransportOpened();
}

void ChannelManager::handleTransportClosed(const QString &reason)
{
    const QList<RealtimeChannel *> leaving = m_leaving;
    for (RealtimeChannel *channel : leaving)
        channel->handleTransportClosed(reason);
    for (RealtimeChannel *channel : channels())
        channel->handleTransportClosed(reason);
}

void ChannelManager::setAccessToken(const QString &token)
{
    m_accessToken = token;
    for (RealtimeChannel *channel : channels())
        channel->setAccessToken(token);
}

} // namespace tf
