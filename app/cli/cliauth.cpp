#include "cliauth.h"

#include "authsession.h"
#include "gotrueclient.h"
#include "inmemorysecretbackend.h"
#include "postgrestclient.h"
#include "realtimeclient.h"
#include "tokenstore.h"

namespace tf::cli {

namespace {

const QCommandLineOption emailOption(QStringLiteral("email"),
    QStringLiteral("Sign in with this e-mail and --password instead of --token (default: $SUPABASE_EMAIL)."),
    QStringLiteral("email"));
const QCommandLineOption passwordOption(QStringLiteral("password"),
    QStringLiteral("Password for --email (default: $SUPABASE_PASSWORD, which keeps it out of the process list)."),
    QStringLiteral("password"));

} // namespace

CliAuth::CliAuth() = default;
CliAuth::~CliAuth() = default;

QUrl CliAuth::httpUrl(const QUrl &projectUrl)
{
    QUrl url = projectUrl;
    if (url.scheme() == u"ws")
        url.setScheme(QStringLiteral("http"));
    else if (url.scheme() == u"wss")
        url.setScheme(QStringLiteral("https"));
    return url;
}

void CliAuth::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({emailOption, passwordOption});
}

bool CliAuth::readOptions(const QCommandLineParser &parser, bool haveToken, QString *error)
{
    m_email = parser.isSet(emailOption) ? parser.value(emailOption) : qEnvironmentVariable("SUPABASE_EMAIL");
    m_password = parser.isSet(passwordOption) ? parser.value(passwordOption) : qEnvironmentVariable("SUPABASE_PASSWORD");
    if (m_email.isEmpty()) {
        if (parser.isSet(passwordOption)) {
            *error = QStringLiteral("--password needs --email");
            return false;
        }
        return true;
    }
    if (haveToken && parser.isSet(emailOption)) {
        *error = QStringLiteral("use either --token or --email/--password, not both");
        return false;
    }
    if (m_password.isEmpty()) {
        *error = QStringLiteral("--email needs --password (or SUPABASE_PASSWORD)");
        return false;
    }
    return true;
}

void CliAuth::signIn(const QUrl &projectUrl, const QString &apiKey,
                     const std::function<void(const QString &, const QString &)> &done)
{
    m_gotrue = std::make_unique<GoTrueClient>(projectUrl, apiKey);
    // In memory only: a command-line run must not leave a refresh token behind.
    m_store = std::make_unique<TokenStore>(QStringLiteral("TradingFloor"), new InMemorySecretBackend, nullptr);
    m_session = std::make_unique<AuthSession>(m_gotrue.get(), m_store.get());
    AuthSession *session = m_session.get();
    auto finished = std::make_shared<bool>(false);
    QObject::connect(session, &AuthSession::signedIn, session, [session, done, finished] {
        if (std::exchange(*finished, true))
            return;
        done(QString(), session->accessToken());
    });
    QObject::connect(session, &AuthSession::sessionError, session, [done, finished](const ClientError &error) {
        if (*finished) // later refresh trouble is logged by the session itself
            return;
        *finished = true;
        done(QStringLiteral("sign-in failed: ") + error.toString(), QString());
    });
    session->signInWithPassword(m_email, std::exchange(m_password, QString()));
}

bool CliAuth::attach(RealtimeClient *realtime)
{
    if (!m_session)
        return false;
    QObject::connect(m_session.get(), &AuthSession::accessTokenChanged, realtime, &RealtimeClient::setAccessToken);
    QObject::connect(realtime, &RealtimeClient::accessTokenRequired, m_session.get(), &AuthSession::refreshNow);
    return true;
}

std::unique_ptr<PostgrestClient> CliAuth::makeRestClient(const QUrl &projectUrl, const QString &apiKey,
                                                         const QString &fixedToken)
{
    auto client = std::make_unique<PostgrestClient>(projectUrl, apiKey);
    if (m_session)
        client->setTokenProvider(m_session.get());
    else
        client->setAccessToken(fixedToken);
    return client;
}

} // namespace tf::cli
