#pragma once

#include "realtimeclient.h"
#include "servertarget.h"

#include <QObject>

class QNetworkAccessManager;

namespace tf {

class AuthSession;
class GoTrueClient;
class PostgrestClient;
class TokenStore;

struct ConnectionOptions {
    // Tuning of the realtime link; projectUrl and apiKey are filled in from the target.
    RealtimeOptions realtime;
    // Keep refresh tokens in process memory only (tests): never touch the keychain. The demo's
    // token is always kept in memory.
    bool secretsInMemory = false;
};

// Everything that talks to one Supabase project for one user: GoTrue and the session (its refresh
// token in the given TokenStore), PostgREST, and the Realtime client, with the token plumbing between them:
// a new access token goes to Realtime, Realtime asking for one makes the session refresh, and
// PostgREST refreshes through the session on 401. The Realtime link is opened once signed in.
class ServerConnection : public QObject
{
    Q_OBJECT

public:
    // `tokens` (where the refresh token is kept) and `network` are shared and not owned.
    ServerConnection(const ServerTarget &target, const ConnectionOptions &options, TokenStore *tokens,
                     QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ServerConnection() override;

    const ServerTarget &target() const { return m_target; }
    AuthSession *session() const { return m_session; }
    PostgrestClient *rest() const { return m_rest; }
    RealtimeClient *realtime() const { return m_realtime; }
    TokenStore *tokenStore() const { return m_tokens; }

    void signIn(const QString &password);
    // Signs in with the refresh token the keychain holds for target().email.
    void restore();
    // Ends the session on the server and forgets the stored refresh token.
    void signOut();

private:
    ServerTarget m_target;
    TokenStore *m_tokens;
    GoTrueClient *m_gotrue;
    AuthSession *m_session;
    PostgrestClient *m_rest;
    RealtimeClient *m_realtime;
};

} // namespace tf
