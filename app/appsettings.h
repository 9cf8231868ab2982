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
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY sessionStateChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY sessionStateChanged)
    Q_PROPERTY(QString signInError READ signInError NOTIFY sessionStateChanged)

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
    void sessionStateChanged();

private:
    SessionManager *m_sessions;
    // What the last signIn() asked for, saved when that session starts.
    QString m_pendingUrl;
    QString m_pendingKey;
    QString m_pendingEmail;
};

} // namespace tf
