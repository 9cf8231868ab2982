#pragma once

#include <QSettings>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace tf {

// Which realtime path feeds positions, trades and orders (docs/sync.md): postgres_changes with
// per-user filters, or broadcast from the database on the private channel user:<sub>.
enum class FeedMode { PostgresChanges, DatabaseBroadcast };

// Where the app connects. Demo = the embedded simulator on a free loopback port.
struct ServerSettings {
    bool demo = true;
    QUrl url;          // https://<ref>.supabase.co (http only for loopback)
    QString anonKey;   // public by design; RLS protects the data
    QString email;     // the password is never stored; the session lives in the keychain
    FeedMode feed = FeedMode::PostgresChanges;
};

struct LaunchOptions {
    ServerSettings server;
    QString queuePath;               // empty = <AppDataLocation>/orders.sqlite
    QString screenshotPath;          // --screenshot FILE (needs --quit-after)
    std::optional<double> quitAfterSeconds;
    QString dumpStatePath;           // --dump-state FILE, written on exit
    // --demo-console: read simulator fault commands (and dump/submit) from stdin, for tests.
    bool demoConsole = false;
    bool showHelp = false;
    bool showVersion = false;
    QString helpText;
};

struct LaunchParseResult {
    std::optional<LaunchOptions> options;
    QString error; // a sentence for the user when options is empty

    bool ok() const { return options.has_value(); }
};

// Command line over saved settings over the demo default. Never exits the process: the caller
// prints the error or the help text, which keeps this testable.
LaunchParseResult parseLaunchOptions(const QStringList &arguments, const QSettings &settings);

// The settings/command-line spelling of a feed mode ("postgres_changes", "broadcast") and back.
QString feedModeName(FeedMode mode);
std::optional<FeedMode> feedModeFromName(const QString &name);

// Checks a server URL the way both the command line and the Settings page need it.
// Returns an empty string when acceptable, else the reason.
QString validateServerUrl(const QUrl &url);

// Settings keys, shared by the parser and the Settings page.
namespace SettingsKeys {
inline constexpr auto Demo = "server/demo";
inline constexpr auto Url = "server/url";
inline constexpr auto AnonKey = "server/anonKey";
inline constexpr auto Email = "server/email";
inline constexpr auto Feed = "server/feed";
inline constexpr auto QueuePath = "orders/queuePath";
inline constexpr auto ConfirmOrders = "orders/confirm";
} // namespace SettingsKeys

} // namespace tf
