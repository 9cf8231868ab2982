#pragma once

#include "settingsstore.h"

namespace tf {

class SessionManager;

// `app.settings` in QML: the saved preferences (SettingsStore) plus the sign-in actions and state
// of the Settings / sign-in page. The password only passes through signIn(); it is never stored
// (the session's refresh token lives in the keychain). Server, key and e-mail are saved once a
// sign-in with them succeeded; useDemo() saves the demo choice.
class AppSettings : public SettingsStore
{
    Q_OBJECT
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY signedInChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString signInError READ signInError NOTIFY signInErrorChanged)

public:
    // `sessions` is not owned and must outlive the settings.
    AppSettings(SessionManager *sessions, QSettings *settings = nullptr, QObject *parent = nullptr);

    bool signedIn() const;
    bool busy() const;
    QString signInError() const;

    Q_INVOKABLE void signIn(const QString &serverUrl, const QString &anonKey, const QString &email,
                            const QString &password);
    Q_INVOKABLE void useDemo();
    Q_INVOKABLE void signOut();

Q_SIGNALS:
    // One per property (QML's onSignedInChanged etc.), and sessionStateChanged for any of them.
    void signedInChanged();
    void busyChanged();
    void signInErrorChanged();
    void sessionStateChanged();

private:
    void onSessionStateChanged();

    SessionManager *m_sessions;
    bool m_signedIn = false;
    bool m_busy = false;
    QString m_signInError;
    // What the last signIn() asked for, saved when that session starts.
    QString m_pendingUrl;
    QString m_pendingKey;
    QString m_pendingEmail;
};

} // namespace tf
