#pragma once

#include "channelconfig.h"
#include "errorclass.h"
#include "phoenixmessage.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

namespace tf {

class ChannelTransport;
class RateLimiter;
class RealtimeChannel;

// The registry of channels on one connection: reference-counted, lazy, bounded.
//
// Views acquire() the channel they need and release() it when done; the first acquire creates
// and subscribes it, the last release leaves and deletes it, so channels never leak against the
// server's limit of 100 per connection. Beyond maxChannels() the lowest-priority, then least
// recently acquired channel is evicted (channelEvicted()); a channel pointer may therefore
// die: hold it in a QPointer or listen to channelRemoved().
//
// The client feeds it: route() every inbound channel message, handleTransportOpened/Closed(),
// setAccessToken(). All channels share one outgoing-event budget (rateLimiter()).
class ChannelManager : public QObject {
    Q_OBJECT

public:
    enum class Priority { Low, Normal, High };
    Q_ENUM(Priority)
    static constexpr int DefaultMaxChannels = 100; // the server's max_channels_per_client

    // `transport` must outlive the manager.
    explicit ChannelManager(ChannelTransport *transport, QObject *parent = nullptr);
    ~ChannelManager() override;

    // Gets or creates channel `name` and counts one more user. A new channel subscribes at once.
    // For an existing channel `config` is ignored (a warning is logged when it differs) and its
    // priority is raised to `priority` if higher. Returns nullptr, with lastError(), for an empty
    // name or when the limit is reached and every channel outranks `priority`.
    RealtimeChannel *acquire(const QString &name, const ChannelConfig &config = {}, Priority priority = Priority::Normal);
    // One user fewer; the last release unsubscribes (phx_leave) and deletes the channel once
    // closed. Unknown names are ignored with a warning.
    void release(const QString &name);

    RealtimeChannel *channel(const QString &name) const;
    RealtimeChannel *channelForTopic(const QString &topic) const;
    QList<RealtimeChannel *> channels() const;
    int referenceCount(const QString &name) const;
    int count() const { return int(m_entries.size()); }

    // Lowering the limit below count() evicts at once.
    void setMaxChannels(int max);
    int maxChannels() const { return m_maxChannels; }
    RateLimiter *rateLimiter() const { return m_rateLimiter; }
    ClientError lastError() const { return m_lastError; }

    // Delivers a message to the channel of its topic (and to channels still leaving it, which
    // wait for their leave reply). Unknown topics are ignored with a debug line.
    void route(const PhoenixMessage &message);
    void handleTransportOpened();
    void handleTransportClosed(const QString &reason);
    void setAccessToken(const QString &token);

Q_SIGNALS:
    void channelAdded(const QString &name);
    void channelRemoved(const QString &name);
    void channelEvicted(const QString &name);
    void accessTokenRejected(const tf::ClientError &error);

private:
    struct Entry {
        RealtimeChannel *channel = nullptr;
        int references = 0;
        Priority priority = Priority::Normal;
        quint64 lastAcquired = 0;
    };

    bool evictOne(Priority newcomer, bool force);
    void remove(const QString &name);
    void retire(RealtimeChannel *channel);
    RealtimeChannel *refuse(ErrorClass errorClass, const QString &message);

    ChannelTransport *m_transport;
    RateLimiter *m_rateLimiter;
    QHash<QString, Entry> m_entries;
    QList<RealtimeChannel *> m_leaving; // released, waiting for their leave to finish
    QString m_accessToken;
    int m_maxChannels = DefaultMaxChannels;
    quint64 m_acquireCounter = 0;
    ClientError m_lastError;
};

} // namespace tf
