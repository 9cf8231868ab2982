#include "appsettings.h"

#include "sessionmanager.h"

#include <utility>

namespace tf {

AppSettings::AppSettings(SessionManager *sessions, QSettings *settings, QObject *parent)
    : SettingsStore(settings, parent)
    , m_sessions(sessions)
{
    connect(sessions, &SessionManager::stateChanged, this, &AppSettings::onSessionStateChanged);
    connect(sessions, &SessionManager::sessionStarted, this, [this](ServerConnection *connection) {
        const ServerTarget &target = connection->target();
        if (target.demo || m_pendingEmail.isEmpty() || target.email != m_pendingEmail
            || target.url.toString() != m_pendingUrl || target.anonKey != m_pendingKey)
            return;
        setServerUrl(m_pendingUrl);
        setAnonKey(m_pendingKey);
        setEmail(m_pendingEmail);
        setDemo(false);
        m_pendingEmail.clear();
    });
}

void AppSettings::onSessionStateChanged()
{
    const bool signedIn = m_sessions->isSignedIn();
    const bool busy = m_sessions->isBusy();
    const QString error = m_sessions->signInError();
    const bool signedInMoved = std::exchange(m_signedIn, signedIn) != signedIn;
    const bool busyMoved = std::exchange(m_busy, busy) != busy;
    const bool errorMoved = std::exchange(m_signInError, error) != error;
    if (signedInMoved)
        Q_EMIT signedInChanged();
    if (busyMoved)
        Q_EMIT busyChanged();
    if (errorMoved)
        Q_EMIT signInErrorChanged();
    if (signedInMoved || busyMoved || errorMoved)
        Q_EMIT sessionStateChanged();
}

bool AppSettings::signedIn() const
{
    return m_sessions->isSignedIn();
}

bool AppSettings::busy() const
{
    return m_sessions->isBusy();
}

QString AppSettings::signInError() const
{
    return m_sessions->signInError();
}

void AppSettings::signIn(const QString &serverUrl, const QString &anonKey, const QString &email,
                         const QString &password)
{
    ServerTarget target;
    target.url = QUrl(serverUrl.trimmed(), QUrl::StrictMode);
    target.anonKey = anonKey.trimmed();
    target.email = email.trimmed();
    m_pendingUrl = target.url.toString();
    m_pendingKey = target.anonKey;
    m_pendingEmail = target.email;
    m_sessions->signIn(target, password);
}

void AppSettings::useDemo()
{
    m_pendingEmail.clear();
    setDemo(true);
    m_sessions->useDemo();
}

void AppSettings::signOut()
{
    m_sessions->signOut();
}

} // namespace tf
