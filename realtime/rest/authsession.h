#pragma once

#include "accesstokenprovider.h"
#include "authtypes.h"
#include "backoff.h"
#include "errorclass.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>

namespace tf {

class GoTrueClient;
class GoTrueReply;
class TokenExpiry;
class TokenStore;

// The signed-in user's session: signs in, keeps the access token fresh, persists the rotating
// refresh token, signs out. The app connects accessTokenChanged() to
// RealtimeClient::setAccessToken and sets the session as the PostgrestClient's token provider.
//
// Refresh happens
//  * on schedule, refreshMargin() before the access token expires (default 90 s, as auth-js);
//    the margin shrinks to half the token's lifetime for short-lived tokens so it never loops;
//  * when asked: refreshNow() (realtime saw an expired token) or refreshAccessToken() (PostgREST
//    rejected it). Concurrent requests share one refresh.
// Each refresh rotates the refresh token (§11.8): the new one is written to the TokenStore first,
// and only then is the new session used, so a crash in between never leaves an already-used token
// on disk. Network, 5xx and rate-limit failures are retried with Backoff (200 ms·2ⁿ, capped);
// a refresh token the server will never accept again (refresh_token_not_found, already_used,
// session_expired, …) ends the session with signInRequired() instead of looping.
class AuthSession : public QObject, public AccessTokenProvider
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString userId READ userId NOTIFY userChanged)
    Q_PROPERTY(QString email READ email NOTIFY userChanged)
    Q_PROPERTY(QDateTime expiresAt READ expiresAt NOTIFY accessTokenChanged)

public:
    enum class State {
        SignedOut,
        SigningIn, // a password sign-in or a stored-session restore is under way
        SignedIn,
    };
    Q_ENUM(State)

    // Neither is owned; both must outlive the session (make them its siblings or parents).
    AuthSession(GoTrueClient *client, TokenStore *store, QObject *parent = nullptr);
    ~AuthSession() override;

    State state() const { return m_state; }
    bool isSignedIn() const { return m_state == State::SignedIn; }
    const AuthUser &user() const { return m_tokens.user; }
    QString userId() const { return m_tokens.user.id; }
    QString email() const { return m_tokens.user.email; }
    QDateTime expiresAt() const { return m_tokens.expiresAt; }
    bool isRefreshing() const { return m_refreshing; }

    void setRefreshMargin(std::chrono::milliseconds margin);
    std::chrono::milliseconds refreshMargin() const { return m_margin; }
    // Spacing of retries after network/server/rate-limit failures of a refresh.
    void setRetryPolicy(const BackoffPolicy &policy) { m_backoff.setPolicy(policy); }

    // The TokenStore account a user's refresh token lives under: "<project url>|<email>".
    QString accountFor(const QString &email) const;

    // AccessTokenProvider
    QString accessToken() const override { return m_tokens.accessToken; }
    void refreshAccessToken(const QString &reason, std::function<void(bool ok)> done) override;

public Q_SLOTS:
    // Ends in signedIn() or sessionError() (wrong password: Auth class, code invalid_credentials).
    void signInWithPassword(const QString &email, const QString &password);
    // Signs in with the refresh token stored for `email` (the app remembers the last e-mail in
    // its settings). Ends in signedIn(), or signInRequired("no_stored_session" / the server's code).
    void restoreSession(const QString &email);
    // Refreshes now (coalesced with one already running). `reason` is logged.
    void refreshNow(const QString &reason);
    // Ends the session locally at once (token cleared, stored refresh token removed) and tells
    // GoTrue (POST /logout, scope local); a failing server call is logged, nothing more.
    void signOut();

Q_SIGNALS:
    void stateChanged(tf::AuthSession::State state);
    void userChanged();
    // The token to use from now on; empty when signed out (clients then send the project key).
    void accessTokenChanged(const QString &token);
    void signedIn(const tf::AuthUser &user);
    // A session ended: signOut(), or a refresh token the server no longer accepts.
    void signedOut();
    // The user has to type the password: no stored session, or it can no longer be refreshed.
    // `reason` is a code: "no_stored_session", "token_storage_unavailable" or GoTrue's error_code.
    void signInRequired(const QString &reason);
    void sessionError(const tf::ClientError &error);

private:
    void onSignInFinished(GoTrueReply *reply, const QString &email);
    void startRefresh(const QString &reason);
    void onRefreshFinished(GoTrueReply *reply);
    void persistThenAdopt(const AuthTokens &tokens, const QString &account, bool announce);
    void adopt(const AuthTokens &tokens, const QString &account, bool announce);
    void armExpiry();
    void scheduleRetry(const ClientError &error);
    void endSession(const QString &reason);
    void stopRefreshing();
    void resolveWaiters(bool ok);
    void setState(State state);

    GoTrueClient *m_client;
    TokenStore *m_store;
    AuthTokens m_tokens;
    QString m_account;
    State m_state = State::SignedOut;
    std::chrono::milliseconds m_margin{90000};
    TokenExpiry *m_expiry;
    QTimer m_expiryCheck;
    QTimer m_retryTimer;
    Backoff m_backoff;
    QPointer<GoTrueReply> m_signInReply;
    QPointer<GoTrueReply> m_refreshReply;
    QList<std::function<void(bool)>> m_waiters;
    quint64 m_generation = 0; // bumped when a session ends: late callbacks of the old one are dropped
    bool m_refreshing = false; // from the request until the new token is stored and in use
    bool m_restoring = false;
};

} // namespace tf
