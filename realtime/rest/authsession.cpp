#include "authsession.h"

#include "gotrueclient.h"
#include "logging.h"
#include "resterrors.h"
#include "tokenexpiry.h"
#include "tokenstore.h"

#include <algorithm>

namespace tf {

namespace {

// How often the expiry deadline is compared with the wall clock. A monotonic timer stops while
// the machine sleeps and a coarse one may fire 5 % late; this bounds both well inside the margin.
constexpr std::chrono::seconds kExpiryCheckInterval{30};

BackoffPolicy defaultRetryPolicy()
{
    BackoffPolicy policy;
    policy.base = std::chrono::milliseconds(200); // auth-js: 200 ms·2ⁿ
    policy.factor = 2.0;
    policy.cap = std::chrono::seconds(30);
    return policy;
}

} // namespace

AuthSession::AuthSession(GoTrueClient *client, TokenStore *store, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_store(store)
    , m_expiry(new TokenExpiry(m_margin, this))
    , m_backoff(defaultRetryPolicy())
{
    Q_ASSERT(client && store);
    connect(m_expiry, &TokenExpiry::refreshDue, this, &AuthSession::refreshNow);
    m_expiryCheck.setInterval(kExpiryCheckInterval);
    m_expiryCheck.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_expiryCheck, &QTimer::timeout, m_expiry, &TokenExpiry::recheck);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { startRefresh(QStringLiteral("retrying after a failed refresh")); });
}

AuthSession::~AuthSession()
{
    ++m_generation;
    stopRefreshing();
}

void AuthSession::setRefreshMargin(std::chrono::milliseconds margin)
{
    m_margin = margin;
    if (isSignedIn())
        armExpiry();
}

QString AuthSession::accountFor(const QString &email) const
{
    return m_client->projectUrl().toString(QUrl::FullyEncoded) + u'|' + email.trimmed().toLower();
}

void AuthSession::refreshAccessToken(const QString &reason, std::function<void(bool ok)> done)
{
    if (m_tokens.refreshToken.isEmpty()) {
        QMetaObject::invokeMethod(this, [done] { done(false); }, Qt::QueuedConnection);
        return;
    }
    m_waiters.append(std::move(done));
    refreshNow(reason);
}

void AuthSession::signInWithPassword(const QString &email, const QString &password)
{
    if (email.trimmed().isEmpty() || password.isEmpty()) {
        Q_EMIT sessionError({ErrorClass::Validation, QStringLiteral("e-mail and password are required"), 0, {}});
        return;
    }
    if (m_signInReply) {
        m_signInReply->disconnect(this);
        m_signInReply->deleteLater();
    }
    if (m_state == State::SignedOut)
        setState(State::SigningIn);
    GoTrueReply *reply = m_client->signInWithPassword(email.trimmed(), password);
    m_signInReply = reply;
    const QString trimmed = email.trimmed();
    connect(reply, &RestReply::finished, this, [this, reply, trimmed] { onSignInFinished(reply, trimmed); });
}

void AuthSession::onSignInFinished(GoTrueReply *reply, const QString &email)
{
    reply->deleteLater();
    m_signInReply = nullptr;
    if (!reply->isOk()) {
        qCWarning(lcAuth) << "sign-in of" << email << "failed:" << reply->error().toString();
        if (m_state == State::SigningIn)
            setState(m_tokens.accessToken.isEmpty() ? State::SignedOut : State::SignedIn);
        Q_EMIT sessionError(reply->error());
        return;
    }
    const AuthTokens tokens = reply->tokens();
    const QString account = accountFor(tokens.user.email.isEmpty() ? email : tokens.user.email);
    if (!m_account.isEmpty() && m_account != account) {
        // Another user on this desk now: the previous user's refresh token must not linger.
        m_store->remove(m_account, nullptr, {});
    }
    stopRefreshing(); // whatever the previous session was doing is moot
    ++m_generation;
    persistThenAdopt(tokens, account, true);
}

void AuthSession::restoreSession(const QString &email)
{
    const QString account = accountFor(email);
    if (isSignedIn() && account == m_account)
        return;
    if (email.trimmed().isEmpty()) {
        Q_EMIT signInRequired(QStringLiteral("no_stored_session"));
        return;
    }
    setState(State::SigningIn);
    const quint64 generation = m_generation;
    m_store->load(account, this, [this, account, generation](const SecretResult &result) {
        if (generation != m_generation)
            return;
        if (result.status == SecretResult::Status::NotFound) {
            qCInfo(lcAuth) << "no stored session for" << account;
            setState(State::SignedOut);
            Q_EMIT signInRequired(QStringLiteral("no_stored_session"));
            return;
        }
        if (!result.isOk()) {
            setState(State::SignedOut);
            Q_EMIT sessionError({ErrorClass::Protocol, QStringLiteral("cannot read the stored session: ") + result.errorString,
                                 0, QStringLiteral("token_storage_unavailable")});
            Q_EMIT signInRequired(QStringLiteral("token_storage_unavailable"));
            return;
        }
        stopRefreshing();
        m_tokens = AuthTokens();
        m_tokens.refreshToken = result.secret;
        m_account = account;
        m_restoring = true;
        startRefresh(QStringLiteral("restoring the stored session"));
    });
}

void AuthSession::refreshNow(const QString &reason)
{
    if (m_tokens.refreshToken.isEmpty()) {
        qCDebug(lcAuth) << "refresh requested (" << reason << ") but nobody is signed in";
        resolveWaiters(false);
        return;
    }
    if (m_refreshing) {
        qCDebug(lcAuth) << "refresh requested (" << reason << "); joining the one under way";
        return;
    }
    m_retryTimer.stop();
    startRefresh(reason);
}

void AuthSession::startRefresh(const QString &reason)
{
    qCInfo(lcAuth).noquote() << "refreshing the session:" << reason;
    m_refreshing = true;
    GoTrueReply *reply = m_client->refreshSession(m_tokens.refreshToken);
    m_refreshReply = reply;
    connect(reply, &RestReply::finished, this, [this, reply] { onRefreshFinished(reply); });
}

void AuthSession::onRefreshFinished(GoTrueReply *reply)
{
    reply->deleteLater();
    m_refreshReply = nullptr;
    if (reply->isOk()) {
        persistThenAdopt(reply->tokens(), m_account, m_restoring);
        return;
    }
    m_refreshing = false;
    const ClientError error = reply->error();
    qCWarning(lcAuth) << "refresh failed:" << error.toString();
    Q_EMIT sessionError(error);
    resolveWaiters(false);
    if (isTerminalRefreshError(error))
        endSession(error.code.isEmpty() ? QStringLiteral("refresh_rejected") : error.code);
    else
        scheduleRetry(error);
}

void AuthSession::persistThenAdopt(const AuthTokens &tokens, const QString &account, bool announce)
{
    m_refreshing = true; // until the new token is in use; refresh requests meanwhile join this one
    const quint64 generation = m_generation;
    m_store->store(account, tokens.refreshToken, this, [this, tokens, account, announce, generation](const SecretResult &result) {
        if (generation != m_generation)
            return;
        if (!result.isOk()) {
            // The old stored token is spent already (rotation); use the session, but it will not
            // survive a restart.
            qCWarning(lcAuth) << "could not store the refresh token:" << result.errorString;
            Q_EMIT sessionError({ErrorClass::Protocol, QStringLiteral("could not store the session: ") + result.errorString,
                                 0, QStringLiteral("token_storage_failed")});
        }
        adopt(tokens, account, announce);
    });
}

void AuthSession::adopt(const AuthTokens &tokens, const QString &account, bool announce)
{
    const bool userChangedNow = tokens.user.id != m_tokens.user.id || tokens.user.email != m_tokens.user.email;
    m_tokens = tokens;
    m_account = account;
    m_refreshing = false;
    m_restoring = false;
    m_backoff.reset();
    m_retryTimer.stop();

    armExpiry();

    setState(State::SignedIn);
    if (userChangedNow)
        Q_EMIT userChanged();
    qCInfo(lcAuth) << "session for" << tokens.user.email << "valid until" << tokens.expiresAt.toString(Qt::ISODate)
                   << "access token" << redactToken(tokens.accessToken);
    Q_EMIT accessTokenChanged(tokens.accessToken);
    if (announce)
        Q_EMIT signedIn(tokens.user);
    resolveWaiters(true);
}

void AuthSession::armExpiry()
{
    // A margin longer than the token lives would refresh again at once, forever.
    const qint64 lifetimeMs = m_tokens.expiresIn > 0 ? m_tokens.expiresIn * 1000
                                                     : QDateTime::currentDateTimeUtc().msecsTo(m_tokens.expiresAt);
    m_expiry->setMargin(std::chrono::milliseconds(std::min<qint64>(m_margin.count(), std::max<qint64>(0, lifetimeMs / 2))));
    m_expiry->setToken(m_tokens.accessToken);
    m_expiryCheck.start();
}

void AuthSession::scheduleRetry(const ClientError &error)
{
    if (m_backoff.exhausted()) {
        qCWarning(lcAuth) << "giving up refreshing after" << m_backoff.attempts() << "attempts; next request will try again";
        m_backoff.reset();
        return;
    }
    const auto delay = m_backoff.next(error.errorClass == ErrorClass::RateLimit);
    qCInfo(lcAuth) << "retrying the refresh in" << delay.count() << "ms (attempt" << m_backoff.attempts() << ')';
    m_retryTimer.start(delay);
}

void AuthSession::endSession(const QString &reason)
{
    const bool hadSession = !m_tokens.accessToken.isEmpty();
    const QString account = m_account;
    ++m_generation;
    stopRefreshing();
    m_tokens = AuthTokens();
    m_account.clear();
    if (!account.isEmpty())
        m_store->remove(account, nullptr, {}); // a dead refresh token is worth nothing; don't keep it
    setState(State::SignedOut);
    Q_EMIT userChanged();
    if (hadSession) {
        Q_EMIT accessTokenChanged(QString());
        Q_EMIT signedOut();
    }
    qCWarning(lcAuth) << "session ended, sign-in required:" << reason;
    Q_EMIT signInRequired(reason);
}

void AuthSession::signOut()
{
    const QString accessToken = m_tokens.accessToken;
    const QString account = m_account;
    ++m_generation;
    stopRefreshing();
    if (m_signInReply) {
        m_signInReply->disconnect(this);
        m_signInReply->deleteLater();
    }
    m_tokens = AuthTokens();
    m_account.clear();
    setState(State::SignedOut);
    Q_EMIT userChanged();

    if (!account.isEmpty()) {
        m_store->remove(account, this, [](const SecretResult &result) {
            if (!result.isOk())
                qCWarning(lcAuth) << "could not remove the stored session:" << result.errorString;
        });
    }
    if (!accessToken.isEmpty()) {
        GoTrueReply *reply = m_client->signOut(accessToken);
        connect(reply, &RestReply::finished, reply, [reply] {
            if (!reply->isOk())
                qCWarning(lcAuth) << "server sign-out failed (local session cleared anyway):" << reply->error().toString();
            reply->deleteLater();
        });
    }
    qCInfo(lcAuth) << "signed out";
    Q_EMIT accessTokenChanged(QString());
    Q_EMIT signedOut();
}

void AuthSession::stopRefreshing()
{
    if (m_refreshReply) {
        m_refreshReply->disconnect(this);
        m_refreshReply->abort();
        m_refreshReply->deleteLater();
        m_refreshReply = nullptr;
    }
    m_refreshing = false;
    m_restoring = false;
    m_retryTimer.stop();
    m_expiryCheck.stop();
    m_expiry->setToken(QString());
    m_backoff.reset();
    resolveWaiters(false);
}

void AuthSession::resolveWaiters(bool ok)
{
    const auto waiters = std::exchange(m_waiters, {});
    for (const auto &done : waiters)
        done(ok);
}

void AuthSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace tf
