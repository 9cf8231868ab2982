#include "serverconnection.h"

#include "applogging.h"
#include "authsession.h"
#include "gotrueclient.h"
#include "postgrestclient.h"
#include "tokenstore.h"

namespace tf {

ServerConnection::ServerConnection(const ServerTarget &target, const ConnectionOptions &options, TokenStore *tokens,
                                   QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_target(target)
    , m_tokens(tokens)
{
    m_gotrue = new GoTrueClient(target.url, target.anonKey, network, this);
    m_session = new AuthSession(m_gotrue, m_tokens, this);
    m_rest = new PostgrestClient(target.url, target.anonKey, network, this);
    m_rest->setTokenProvider(m_session);

    RealtimeOptions realtimeOptions = options.realtime;
    realtimeOptions.projectUrl = target.url;
    realtimeOptions.apiKey = target.anonKey;
    // On the loopback demo a heartbeat costs nothing: measure latency every 5 s instead of every
    // 25 s, so the status bar and the diagnostics chart have figures from the first seconds.
    if (target.demo && realtimeOptions.heartbeatInterval == SocketOptions{}.heartbeatInterval)
        realtimeOptions.heartbeatInterval = std::chrono::seconds(5);
    m_realtime = new RealtimeClient(realtimeOptions, this);

    connect(m_session, &AuthSession::accessTokenChanged, m_realtime, &RealtimeClient::setAccessToken);
    connect(m_realtime, &RealtimeClient::accessTokenRequired, m_session, &AuthSession::refreshNow);
    // Joins carry the user's token: connect only once there is one.
    connect(m_session, &AuthSession::signedIn, m_realtime, [this] {
        m_realtime->setAccessToken(m_session->accessToken());
        m_realtime->connectToServer();
    });
    connect(m_session, &AuthSession::signedOut, m_realtime, &RealtimeClient::disconnectFromServer);
}

ServerConnection::~ServerConnection()
{
    // Users of the session first: the REST client must never ask a destroyed session for a token.
    m_rest->setTokenProvider(nullptr);
    delete m_realtime;
    delete m_rest;
    delete m_session;
    delete m_gotrue;
}

void ServerConnection::signIn(const QString &password)
{
    qCInfo(lcAppSession) << "signing in to" << m_target.describe() << "as" << m_target.email;
    m_session->signInWithPassword(m_target.email, password);
}

void ServerConnection::restore()
{
    qCInfo(lcAppSession) << "restoring the session of" << m_target.email << "at" << m_target.describe();
    m_session->restoreSession(m_target.email);
}

void ServerConnection::signOut()
{
    m_realtime->disconnectFromServer();
    m_session->signOut();
}

} // namespace tf
