#include "clicontext.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>

Q_LOGGING_CATEGORY(lcCli, "tradingfloor.cli", QtInfoMsg)

namespace tf::cli {

namespace {

const QCommandLineOption urlOption(QStringLiteral("url"),
    QStringLiteral("Project base URL, e.g. https://<ref>.supabase.co (default: $SUPABASE_URL)."), QStringLiteral("url"));
const QCommandLineOption keyOption(QStringLiteral("key"),
    QStringLiteral("Project anon/publishable key (default: $SUPABASE_ANON_KEY)."), QStringLiteral("key"));
const QCommandLineOption tokenOption(QStringLiteral("token"),
    QStringLiteral("User access token (JWT) for joins (default: $SUPABASE_ACCESS_TOKEN; none = the key's role)."),
    QStringLiteral("jwt"));
const QCommandLineOption vsnOption(QStringLiteral("vsn"),
    QStringLiteral("Serializer: 2.0.0 (default, binary broadcasts) or 1.0.0."), QStringLiteral("version"),
    QStringLiteral("2.0.0"));
const QCommandLineOption heartbeatOption(QStringLiteral("heartbeat-ms"),
    QStringLiteral("Heartbeat interval in ms (default 25000; the server drops sockets silent for 60 s)."),
    QStringLiteral("ms"));
const QCommandLineOption maxAttemptsOption(QStringLiteral("max-attempts"),
    QStringLiteral("Give up after this many reconnect attempts (default 0 = never)."), QStringLiteral("n"));
const QCommandLineOption verboseOption(QStringLiteral("verbose"),
    QStringLiteral("Log connection details and every frame to stderr (tokens redacted)."));

QString valueOrEnv(const QCommandLineParser &parser, const QCommandLineOption &option, const char *variable)
{
    if (parser.isSet(option))
        return parser.value(option);
    return qEnvironmentVariable(variable);
}

} // namespace

void CliContext::addCommonOptions(QCommandLineParser &parser)
{
    parser.addOptions({urlOption, keyOption, tokenOption, vsnOption, heartbeatOption, maxAttemptsOption, verboseOption});
    CliAuth::addOptions(parser);
}

bool CliContext::readCommonOptions(const QCommandLineParser &parser, QString *error)
{
    m_verbose = parser.isSet(verboseOption);
    // stderr carries warnings by default; --verbose adds the connection story and the frames.
    QLoggingCategory::setFilterRules(m_verbose ? QStringLiteral("tradingfloor.*.debug=true")
                                               : QStringLiteral("tradingfloor.*.info=false\ntradingfloor.*.debug=false"));

    const QString url = valueOrEnv(parser, urlOption, "SUPABASE_URL");
    if (url.isEmpty()) {
        *error = QStringLiteral("--url is required (or set SUPABASE_URL)");
        return false;
    }
    m_options.projectUrl = QUrl(url, QUrl::StrictMode);
    const QString scheme = m_options.projectUrl.scheme();
    if (!m_options.projectUrl.isValid() || m_options.projectUrl.host().isEmpty()
        || !(scheme == u"http" || scheme == u"https" || scheme == u"ws" || scheme == u"wss")) {
        *error = QStringLiteral("--url must look like https://<ref>.supabase.co, got \"%1\"").arg(url);
        return false;
    }
    m_options.apiKey = valueOrEnv(parser, keyOption, "SUPABASE_ANON_KEY");
    if (m_options.apiKey.isEmpty()) {
        *error = QStringLiteral("--key is required (or set SUPABASE_ANON_KEY)");
        return false;
    }
    m_accessToken = valueOrEnv(parser, tokenOption, "SUPABASE_ACCESS_TOKEN");
    if (!m_auth.readOptions(parser, !m_accessToken.isEmpty(), error))
        return false;

    QString vsn = parser.value(vsnOption);
    if (vsn == u"1" || vsn == u"2")
        vsn += QStringLiteral(".0.0");
    const auto serializer = serializerFromVsn(vsn);
    if (!serializer) {
        *error = QStringLiteral("--vsn must be 1.0.0 or 2.0.0, got \"%1\"").arg(parser.value(vsnOption));
        return false;
    }
    m_options.vsn = *serializer;

    if (parser.isSet(heartbeatOption)) {
        bool ok = false;
        const int ms = parser.value(heartbeatOption).toInt(&ok);
        if (!ok || ms < 10 || ms > 55000) {
            *error = QStringLiteral("--heartbeat-ms must be a number of ms between 10 and 55000");
            return false;
        }
        m_options.heartbeatInterval = std::chrono::milliseconds(ms);
    }
    if (parser.isSet(maxAttemptsOption)) {
        bool ok = false;
        const int attempts = parser.value(maxAttemptsOption).toInt(&ok);
        if (!ok || attempts < 0) {
            *error = QStringLiteral("--max-attempts must be a number >= 0");
            return false;
        }
        m_options.reconnect.maxAttempts = attempts;
    }
    return true;
}

void CliContext::authenticate(const std::function<void(const QString &)> &done)
{
    if (m_auth.wantsSignIn()) {
        m_auth.signIn(CliAuth::httpUrl(m_options.projectUrl), m_options.apiKey,
                      [this, done](const QString &error, const QString &token) {
                          m_accessToken = token;
                          done(error);
                      });
        return;
    }
    if (!m_accessToken.isEmpty())
        qCInfo(lcCli).noquote() << "using access token" << redactToken(m_accessToken);
    done(QString());
}

RealtimeClient *CliContext::realtime()
{
    if (!m_realtime) {
        m_realtime = std::make_unique<RealtimeClient>(m_options);
        if (!m_accessToken.isEmpty())
            m_realtime->setAccessToken(m_accessToken);
        if (m_auth.attach(m_realtime.get()))
            return m_realtime.get(); // signed in with --email: the session refreshes the token
        // A token given on the command line cannot be refreshed: say so, once per request.
        QObject::connect(m_realtime.get(), &RealtimeClient::accessTokenRequired, m_realtime.get(),
                         [](const QString &reason) {
                             print(QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")},
                                               {QStringLiteral("status"), QStringLiteral("access_token_required")},
                                               {QStringLiteral("reason"), reason}});
                             qCWarning(lcCli).noquote() << reason << "— pass a fresh --token to keep going";
                         });
    }
    return m_realtime.get();
}

PostgrestClient *CliContext::rest()
{
    if (!m_rest)
        m_rest = m_auth.makeRestClient(CliAuth::httpUrl(m_options.projectUrl), m_options.apiKey, m_accessToken);
    return m_rest.get();
}

void CliContext::print(const QJsonObject &line)
{
    static QFile out;
    if (!out.isOpen())
        out.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered);
    out.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    out.flush(); // stdout is block-buffered when piped; a reader must see each line as it happens
}

void CliContext::printError(const QString &message)
{
    std::fprintf(stderr, "tradefloor-cli: %s\n", qUtf8Printable(message));
    std::fflush(stderr);
}

} // namespace tf::cli
