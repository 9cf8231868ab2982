#pragma once

#include "cliauth.h"
#include "logging.h"
#include "postgrestclient.h"
#include "realtimeclient.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>
#include <QLoggingCategory>

#include <functional>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcCli) // tradingfloor.cli

namespace tf::cli {

// Exit codes: scripts can tell "you called me wrong" from "it did not work".
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1, // the server refused, an ack failed or timed out, the connection gave up
    ExitUsage = 2,   // bad arguments; nothing was sent
};

// What every subcommand shares: the project to talk to (--url, --key, --token, --vsn,
// --heartbeat-ms, --max-attempts, --verbose), the JSON-lines output on stdout, and the realtime
// client, created on first use so that HTTP-only subcommands never open a socket.
class CliContext
{
public:
    // The common options, added to the parser before the subcommand's own.
    static void addCommonOptions(QCommandLineParser &parser);

    // Reads the common options (falling back to SUPABASE_URL, SUPABASE_ANON_KEY and
    // SUPABASE_ACCESS_TOKEN, which keep keys out of shell history). False with *error set.
    bool readCommonOptions(const QCommandLineParser &parser, QString *error);

    // Signs in if needed and hands over the access token, then calls done(error) — an empty
    // error means ready. The token comes from --token, or from a password sign-in
    // (--email/--password, see CliAuth) whose session then keeps it fresh.
    void authenticate(const std::function<void(const QString &error)> &done);

    const RealtimeOptions &realtimeOptions() const { return m_options; }
    QString accessToken() const { return m_accessToken; }
    bool verbose() const { return m_verbose; }

    // The realtime connection, configured from the options, with the access token set.
    RealtimeClient *realtime();
    // The PostgREST client (select, insert), created on first use, with the session or --token.
    PostgrestClient *rest();

    // One JSON object per line on stdout, flushed at once (a pipe reader sees it immediately).
    static void print(const QJsonObject &line);
    // A message for humans on stderr: "tradefloor-cli: <message>".
    static void printError(const QString &message);

private:
    RealtimeOptions m_options;
    QString m_accessToken;
    bool m_verbose = false;
    std::unique_ptr<RealtimeClient> m_realtime;
    CliAuth m_auth; // --email/--password (before m_rest: the REST client points at its session)
    std::unique_ptr<PostgrestClient> m_rest;
};

} // namespace tf::cli
