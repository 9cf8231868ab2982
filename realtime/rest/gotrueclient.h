#pragma once

#include "authtypes.h"
#include "restreply.h"

#include <QObject>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;

namespace tf {

// The outcome of one GoTrue call. For sign-in and refresh, tokens() holds the new session.
class GoTrueReply : public RestReply
{
    Q_OBJECT

public:
    // Valid when isOk() and the call returns a session (sign-in, refresh).
    const AuthTokens &tokens() const { return m_tokens; }

private:
    friend class GoTrueClient;
    GoTrueReply(bool expectsSession, QObject *parent);
    void handleResponse() override;

    AuthTokens m_tokens;
    bool m_expectsSession;
};

// Stateless client for a project's GoTrue API (<project>/auth/v1): the HTTP calls and nothing
// else. AuthSession keeps the state (current session, timers, storage). Request bodies carry
// passwords and refresh tokens, responses carry tokens: neither is ever logged.
class GoTrueClient : public QObject
{
    Q_OBJECT

public:
    enum class SignOutScope { Local, Global, Others };

    explicit GoTrueClient(const QUrl &projectUrl, const QString &apiKey,
                          QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);

    QUrl projectUrl() const { return m_projectUrl; }
    QUrl baseUrl() const { return m_baseUrl; }
    void setTransferTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // POST /token?grant_type=password (§11.7).
    GoTrueReply *signInWithPassword(const QString &email, const QString &password);
    // POST /token?grant_type=refresh_token (§11.8). The reply's tokens hold the rotated refresh token.
    GoTrueReply *refreshSession(const QString &refreshToken);
    // POST /logout?scope=… with the user's bearer. Local (the default) ends only this session,
    // so the trader's other desks stay signed in.
    GoTrueReply *signOut(const QString &accessToken, SignOutScope scope = SignOutScope::Local);

private:
    GoTrueReply *post(const QString &path, const QByteArray &query, const QByteArray &body, const QString &bearer,
                      bool expectsSession);

    QUrl m_projectUrl;
    QUrl m_baseUrl;
    QString m_apiKey;
    QNetworkAccessManager *m_network = nullptr;
    std::chrono::milliseconds m_timeout{30000};
};

} // namespace tf
