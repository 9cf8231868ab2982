#include "realtimeclient.h"

#include "logging.h"
#include "realtimechannel.h"

namespace tf {

RealtimeClient::RealtimeClient(const RealtimeOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_socket(new RealtimeSocket(options, this))
    , m_channels(new ChannelManager(this, this))
    , m_tokenExpiry(options.tokenRefreshMargin)
{
    m_channels->setMaxChannels(m_options.maxChannels);

    // Inbound: every message to the channel of its topic (heartbeat replies never get here).
    connect(m_socket, &RealtimeSocket::messageReceived, m_channels, &ChannelManager::route);
    // Each open is a fresh server session: every wanted channel joins again, in full.
    connect(m_socket, &RealtimeSocket::opened, m_channels, &ChannelManager::handleTransportOpened);
    connect(m_socket, &RealtimeSocket::closed, m_channels, &ChannelManager::handleTransportClosed);
    connect(m_socket, &RealtimeSocket::stateChanged, this, &RealtimeClient::stateChanged);
    connect(m_socket, &RealtimeSocket::errorOccurred, this,
            [this](const ClientError &error) { recordError(error, QStringLiteral("socket")); });

    connect(m_channels, &ChannelManager::channelAdded, this, &RealtimeClient::watchChannel);
    connect(m_channels, &ChannelManager::accessTokenRejected, this, [this](const ClientError &error) {
        requestAccessToken(QStringLiteral("the server rejected the access token: ") + error.message);
    });

    connect(&m_tokenExpiry, &TokenExpiry::refreshDue, this, &RealtimeClient::requestAccessToken);
    // A timer does not run while the machine sleeps: look at the wall clock again on waking.
    connect(m_socket->networkMonitor(), &NetworkMonitor::wokeUp, &m_tokenExpiry, &TokenExpiry::recheck);
}

RealtimeClient::~RealtimeClient()
{
    // Channels may still talk to their transport (this object) while they go: let them go first.
    delete m_channels;
    m_channels = nullptr;
}

ChannelConfig RealtimeClient::defaultChannelConfig() const
{
    ChannelConfig config;
    config.tuning = m_options.channelDefaults;
    return config;
}

RealtimeChannel *RealtimeClient::channel(const QString &name, const ChannelConfig &config,
                                         ChannelManager::Priority priority)
{
    RealtimeChannel *channel = m_channels->acquire(name, config, priority);
    if (channel && !channel->isWanted())
        channel->subscribe();
    return channel;
}

void RealtimeClient::releaseChannel(const QString &name)
{
    m_channels->release(name);
}

void RealtimeClient::setAccessToken(const QString &token)
{
    m_tokenRequested = false; // a new answer: the next expiry or rejection asks again
    m_accessToken = token;
    qCInfo(lcAuth).noquote() << "access token set:" << redactToken(token);
    m_tokenExpiry.setToken(token);
    // Kept for every future (re)join and pushed as access_token to joined channels; channels
    // waiting after a rejection rejoin with it.
    m_channels->setAccessToken(token);
}

void RealtimeClient::connectToServer()
{
    m_socket->connectToServer();
}

void RealtimeClient::disconnectFromServer()
{
    m_socket->disconnectFromServer();
}

void RealtimeClient::notifyAppActivated()
{
    m_socket->networkMonitor()->notifyAppActivated();
}

void RealtimeClient::watchChannel(const QString &name)
{
    RealtimeChannel *channel = m_channels->channel(name);
    if (!channel)
        return;
    const QString source = QStringLiteral("channel ") + name;
    connect(channel, &RealtimeChannel::errorOccurred, this, [this, source](const ClientError &error) {
        recordError(error, source);
        // "Too many joins per second" and friends: the server also closes the socket, and coming
        // straight back would only repeat it.
        if (error.errorClass == ErrorClass::RateLimit)
            m_socket->penalizeNextReconnect();
    });
}

void RealtimeClient::recordError(const ClientError &error, const QString &source)
{
    m_recentErrors.append(RealtimeErrorRecord{QDateTime::currentDateTimeUtc(), source, error});
    while (m_recentErrors.size() > std::max(1, m_options.maxRecentErrors))
        m_recentErrors.removeFirst();
    qCDebug(lcSocket).noquote() << source << "error:" << error.toString() << "→" << recoveryName(error.recovery());
    Q_EMIT errorOccurred(error, source);
}

void RealtimeClient::requestAccessToken(const QString &reason)
{
    // Several channels rejecting the same token, or the timer and a rejection, make one request.
    if (m_tokenRequested)
        return;
    m_tokenRequested = true;
    Q_EMIT accessTokenRequired(reason);
}

} // namespace tf
