#include "launchoptions.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QHostAddress>

namespace tf {

namespace {

bool isLoopback(const QString &host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString settingString(const QSettings &settings, const char *key)
{
    return settings.value(QLatin1String(key)).toString();
}

} // namespace

QString feedModeName(FeedMode mode)
{
    return mode == FeedMode::DatabaseBroadcast ? QStringLiteral("broadcast") : QStringLiteral("postgres_changes");
}

std::optional<FeedMode> feedModeFromName(const QString &name)
{
    if (name == u"postgres_changes")
        return FeedMode::PostgresChanges;
    if (name == u"broadcast")
        return FeedMode::DatabaseBroadcast;
    return std::nullopt;
}

QString validateServerUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("the server URL \"%1\" is not a valid URL with a host").arg(url.toString());
    if (url.scheme() != u"https" && url.scheme() != u"http")
        return QStringLiteral("the server URL must start with https:// (got \"%1\")").arg(url.scheme());
    // TLS is how the anon key and the user's tokens stay private; plain HTTP only on this machine.
    if (url.scheme() == u"http" && !isLoopback(url.host()))
        return QStringLiteral("plain http:// is only allowed for a server on this machine; use https://%1").arg(url.host());
    return {};
}

LaunchParseResult parseLaunchOptions(const QStringList &arguments, const QSettings &settings)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Trading Floor — realtime trading desktop client for Supabase"));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption demoOption(QStringLiteral("demo"),
        QStringLiteral("Run on the embedded simulator (the default when no server is configured)."));
    const QCommandLineOption urlOption(QStringLiteral("url"),
        QStringLiteral("Supabase project URL, e.g. https://<ref>.supabase.co."), QStringLiteral("url"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("The project's anon (publishable) key."),
                                       QStringLiteral("key"));
    const QCommandLineOption emailOption(QStringLiteral("email"), QStringLiteral("Sign in as this user."),
                                         QStringLiteral("email"));
    const QCommandLineOption feedOption(QStringLiteral("feed"),
        QStringLiteral("Realtime feed: postgres_changes (default) or broadcast (private user channel)."),
        QStringLiteral("mode"));
    const QCommandLineOption queueOption(QStringLiteral("queue"), QStringLiteral("Offline order queue file."),
                                         QStringLiteral("file"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QStringLiteral("Grab the window to a PNG file (with --quit-after), then exit."), QStringLiteral("file"));
    const QCommandLineOption quitAfterOption(QStringLiteral("quit-after"),
        QStringLiteral("Exit after this many seconds (grabbing --screenshot first)."), QStringLiteral("seconds"));
    const QCommandLineOption dumpStateOption(QStringLiteral("dump-state"),
        QStringLiteral("On exit, write the models' rows and the connection status as JSON to this file."),
        QStringLiteral("file"));
    const QCommandLineOption demoConsoleOption(QStringLiteral("demo-console"),
        QStringLiteral("With the demo: read simulator fault commands (see docs/simulator.md) and app commands "
                       "(dump FILE, submit SYMBOL buy|sell QTY [PRICE], sim-orders ID) from standard input."));
    parser.addOptions({demoOption, urlOption, keyOption, emailOption, feedOption, queueOption, screenshotOption,
                       quitAfterOption, dumpStateOption, demoConsoleOption});

    LaunchParseResult result;
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.error = QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().constFirst());
        return result;
    }

    LaunchOptions options;
    // Without an application object Qt cannot know the program's name for the usage line.
    options.helpText = parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                 QFileInfo(arguments.value(0, QStringLiteral("trading-floor"))).fileName());
    options.showHelp = parser.isSet(helpOption) || parser.isSet(QStringLiteral("help-all"));
    options.showVersion = parser.isSet(versionOption);

    // Server: command line, then saved settings; demo unless a server URL is configured.
    ServerSettings &server = options.server;
    const QString url = parser.isSet(urlOption) ? parser.value(urlOption) : settingString(settings, SettingsKeys::Url);
    server.anonKey = parser.isSet(keyOption) ? parser.value(keyOption) : settingString(settings, SettingsKeys::AnonKey);
    server.email = parser.isSet(emailOption) ? parser.value(emailOption) : settingString(settings, SettingsKeys::Email);
    const bool savedDemo = settings.value(QLatin1String(SettingsKeys::Demo), true).toBool();
    server.demo = parser.isSet(demoOption) || (!parser.isSet(urlOption) && (savedDemo || url.isEmpty()));
    if (parser.isSet(demoOption) && parser.isSet(urlOption)) {
        result.error = QStringLiteral("--demo and --url exclude each other");
        return result;
    }
    if (!server.demo) {
        server.url = QUrl(url, QUrl::StrictMode);
        if (const QString problem = validateServerUrl(server.url); !problem.isEmpty()) {
            result.error = problem;
            return result;
        }
        if (server.anonKey.isEmpty()) {
            result.error = QStringLiteral("a server URL needs the project's anon key (--key)");
            return result;
        }
    }
    const QString feed = parser.isSet(feedOption) ? parser.value(feedOption) : settingString(settings, SettingsKeys::Feed);
    if (!feed.isEmpty()) {
        const auto mode = feedModeFromName(feed);
        if (!mode) {
            result.error = QStringLiteral("--feed must be postgres_changes or broadcast (got \"%1\")").arg(feed);
            return result;
        }
        server.feed = *mode;
    }

    options.queuePath = parser.isSet(queueOption) ? parser.value(queueOption) : settingString(settings, SettingsKeys::QueuePath);
    options.screenshotPath = parser.value(screenshotOption);
    options.dumpStatePath = parser.value(dumpStateOption);
    options.demoConsole = parser.isSet(demoConsoleOption);
    if (options.demoConsole && !server.demo) {
        result.error = QStringLiteral("--demo-console drives the embedded simulator: it needs the demo, not --url");
        return result;
    }
    if (parser.isSet(quitAfterOption)) {
        bool valid = false;
        const double seconds = parser.value(quitAfterOption).toDouble(&valid);
        if (!valid || seconds < 0) {
            result.error = QStringLiteral("--quit-after needs a number of seconds >= 0 (got \"%1\")").arg(parser.value(quitAfterOption));
            return result;
        }
        options.quitAfterSeconds = seconds;
    }
    if (!options.screenshotPath.isEmpty() && !options.quitAfterSeconds) {
        result.error = QStringLiteral("--screenshot needs --quit-after SECONDS");
        return result;
    }
    result.options = std::move(options);
    return result;
}

} // namespace tf
