#include "sessionmanager.h"

#include "applogging.h"
#include "authsession.h"
#include "demobackend.h"
#include "inmemorysecretbackend.h"
#include "launchoptions.h"
#include "tokenstore.h"

#include <QTimer>

namespace tf {

namespace {

QString describeError(const ClientError &error, const ServerTarget &target)
{
    if (error.errorClass == ErrorClass::Auth && (error.code == u"invalid_credentials" || error.code == u"invalid_grant"))
        return QStringLiteral("Wrong e-mail or password.");
    if (error.errorClass == ErrorClass::Network)
        return QStringLiteral("Cannot reach %1: %2").arg(target.url.host(), error.message);
    if (error.errorClass == ErrorClass::RateLimit)
        return QStringLiteral("Too many sign-in attempts; wait a moment and try again.");
    return error.message.isEmpty() ? error.toString() : error.message;
}

} // namespace

SessionManager::SessionManager(DemoBackend *demo, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_demo(demo)
    , m_network(network)
{
}

SessionManager::~SessionManager()
{
    endConnection();
    // Connections (also those still waiting for deleteLater) before the token stores they use.
    qDeleteAll(findChildren<ServerConnection *>(QString(), Qt::FindDirectChildrenOnly));
}

void SessionManager::setConnectionOptions(const ConnectionOptions &options)
{
    m_options = options;
}

TokenStore *SessionManager::tokenStoreFor(const ServerTarget &target)
{
    if (target.demo || m_options.secretsInMemory) {
        if (!m_memory)
            m_memory = new TokenStore(QStringLiteral("TradingFloor"), new InMemorySecretBackend, nullptr, this);
        return m_memory;
    }
    if (!m_keychain)
        m_keychain = new TokenStore(QStringLiteral("TradingFloor"), this);
    return m_keychain;
}

QString SessionManager::userEmail() const
{
    return m_signedIn && m_connection ? m_connection->session()->email() : QString();
}

QString SessionManager::userId() const
{
    return m_signedIn && m_connection ? m_connection->session()->userId() : QString();
}

bool SessionManager::signIn(const ServerTarget &target, const QString &password)
{
    if (!target.demo) {
        if (const QString problem = validateServerUrl(target.url); !problem.isEmpty()) {
            fail(problem.at(0).toUpper() + problem.mid(1) + u'.');
            return false;
        }
        if (target.anonKey.trimmed().isEmpty()) {
            fail(QStringLiteral("Enter the project's anon key."));
            return false;
        }
    }
    if (!target.email.contains(u'@')) {
        fail(QStringLiteral("Enter the e-mail address you sign in with."));
        return false;
    }
    if (password.isEmpty()) {
        fail(QStringLiteral("Enter your password."));
        return false;
    }
    replaceConnection(target)->signIn(password);
    return true;
}

bool SessionManager::restore(const ServerTarget &target)
{
    if (!target.demo && !validateServerUrl(target.url).isEmpty())
        return false;
    if (target.email.isEmpty() || target.anonKey.isEmpty())
        return false;
    replaceConnection(target)->restore();
    return true;
}

bool SessionManager::useDemo()
{
    QString error;
    if (!m_demo || !m_demo->start(&error)) {
        fail(QStringLiteral("The demo could not start: %1.").arg(m_demo ? error : QStringLiteral("not available")));
        return false;
    }
    return signIn(m_demo->target(), m_demo->demoPassword());
}

void SessionManager::signOut()
{
    if (!m_connection)
        return;
    qCInfo(lcAppSession) << "signing out of" << m_connection->target().describe();
    ServerConnection *connection = m_connection;
    if (m_signedIn)
        Q_EMIT sessionEnding(connection);
    m_signedIn = false;
    connection->signOut();
    m_connection = nullptr;
    // The logout request is under way: let it leave before the clients go.
    connect(connection->session(), &AuthSession::signedOut, connection, &QObject::deleteLater);
    QTimer::singleShot(5000, connection, &QObject::deleteLater);
    setState(false, false, QString());
}

ServerConnection *SessionManager::replaceConnection(const ServerTarget &target)
{
    endConnection();
    auto *connection = new ServerConnection(target, m_options, tokenStoreFor(target), m_network, this);
    m_connection = connection;
    AuthSession *session = connection->session();
    connect(session, &AuthSession::signedIn, this, &SessionManager::onSignedIn);
    connect(session, &AuthSession::sessionError, this, &SessionManager::onSessionError);
    connect(session, &AuthSession::signInRequired, this, &SessionManager::onSignInRequired);
    connect(session, &AuthSession::signedOut, this, &SessionManager::onSessionLost);
    setState(false, true, QString());
    return connection;
}

void SessionManager::endConnection()
{
    if (!m_connection)
        return;
    ServerConnection *connection = m_connection;
    m_connection = nullptr;
    if (m_signedIn)
        Q_EMIT sessionEnding(connection);
    disconnect(connection->session(), nullptr, this, nullptr);
    connection->realtime()->disconnectFromServer();
    // Switching away keeps the stored session (the user may come back); it is not a sign-out.
    connection->deleteLater();
    m_signedIn = false;
}

void SessionManager::onSignedIn()
{
    if (!m_connection || sender() != m_connection->session())
        return;
    qCInfo(lcAppSession) << "signed in as" << m_connection->session()->email() << "at"
                         << m_connection->target().describe();
    setState(true, false, QString());
    Q_EMIT sessionStarted(m_connection);
}

void SessionManager::onSessionError(const ClientError &error)
{
    if (!m_connection || sender() != m_connection->session())
        return;
    // Refresh failures while signed in are retried by the session itself; only a failing
    // sign-in ends here.
    if (m_signedIn)
        return;
    qCWarning(lcAppSession) << "sign-in failed:" << error.toString();
    const QString message = describeError(error, m_connection->target());
    endConnection();
    fail(message);
}

void SessionManager::onSignInRequired(const QString &reason)
{
    if (!m_connection || sender() != m_connection->session())
        return;
    qCInfo(lcAppSession) << "the stored session cannot be used:" << reason;
    const bool wasSignedIn = m_signedIn;
    endConnection();
    fail(wasSignedIn ? QStringLiteral("Your session ended (%1). Sign in again.").arg(reason)
                     : QStringLiteral("Sign in with your password."));
}

void SessionManager::onSessionLost()
{
    if (!m_connection || sender() != m_connection->session() || !m_signedIn)
        return;
    endConnection();
    fail(QStringLiteral("You were signed out. Sign in again."));
}

void SessionManager::fail(const QString &message)
{
    setState(false, false, message);
    Q_EMIT signInFailed(message);
}

void SessionManager::setState(bool signedIn, bool busy, const QString &error)
{
    if (m_signedIn == signedIn && m_busy == busy && m_error == error)
        return;
    m_signedIn = signedIn;
    m_busy = busy;
    m_error = error;
    Q_EMIT stateChanged();
}

} // namespace tf
