#pragma once

#include "serverconnection.h"
#include "servertarget.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace tf {

class DemoBackend;
class TokenStore;
struct AuthUser;
struct ClientError;

// Who is signed in where. Holds at most one ServerConnection; signing in elsewhere (another
// project, or the demo) replaces it. Announces a usable session with sessionStarted() and its end
// with sessionEnding() (before the connection goes away), so the app can start and stop the live
// data on them. Every failure ends in signInError, in words for the sign-in page.
class SessionManager : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool signedIn READ isSignedIn NOTIFY stateChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY stateChanged)
    Q_PROPERTY(QString signInError READ signInError NOTIFY stateChanged)
    Q_PROPERTY(QString userEmail READ userEmail NOTIFY stateChanged)

public:
    // `demo` is not owned and must outlive the manager; `network` is shared by every connection.
    SessionManager(DemoBackend *demo, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~SessionManager() override;

    void setConnectionOptions(const ConnectionOptions &options);
    const ConnectionOptions &connectionOptions() const { return m_options; }

    bool isSignedIn() const { return m_signedIn; }
    bool isBusy() const { return m_busy; }
    QString signInError() const { return m_error; }
    QString userEmail() const;
    QString userId() const;
    ServerConnection *connection() const { return m_connection; }

    // Checks the target and the password, then signs in with them (replacing any session).
    // Returns false, with signInError, when the input is refused before any request.
    bool signIn(const ServerTarget &target, const QString &password);
    // Signs in with the refresh token stored for target.email, if any.
    bool restore(const ServerTarget &target);
    // Starts the embedded simulator if needed and signs in as its demo trader.
    bool useDemo();
    // Signs out on the server, forgets the stored token, drops the connection.
    void signOut();

Q_SIGNALS:
    void stateChanged();
    void sessionStarted(tf::ServerConnection *connection);
    void sessionEnding(tf::ServerConnection *connection);
    // A sign-in (or restore) did not work, or a running session ended by itself.
    void signInFailed(const QString &message);

private:
    ServerConnection *replaceConnection(const ServerTarget &target);
    TokenStore *tokenStoreFor(const ServerTarget &target);
    void endConnection();
    void onSignedIn();
    void onSessionError(const ClientError &error);
    void onSignInRequired(const QString &reason);
    void onSessionLost();
    void fail(const QString &message);
    void setState(bool signedIn, bool busy, const QString &error);

    DemoBackend *m_demo;
    QNetworkAccessManager *m_network;
    ConnectionOptions m_options;
    QPointer<ServerConnection> m_connection;
    // One store for every connection (the account names the project and the e-mail), so a
    // session saved by one connection is restored by the next.
    TokenStore *m_keychain = nullptr;  // the OS keychain (files when there is none); made on first use
    TokenStore *m_memory = nullptr;    // the demo's, and everything's with secretsInMemory
    bool m_signedIn = false;
    bool m_busy = false;
    QString m_error;
};

} // namespace tf
