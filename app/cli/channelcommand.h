#pragma once

#include "channelconfig.h"
#include "clicommand.h"
#include "realtimechannel.h"
#include "realtimeclient.h"

#include <QPointer>
#include <QTimer>

#include <chrono>

namespace tf::cli {

class ChannelPrinter;
class CliContext;

// What the realtime subcommands share: --channel NAME and --private, one joined channel whose
// life is printed as JSON lines, and the ways such a session ends:
//  * the command's own success (finish(ExitOk)),
//  * the deadline (success for tail/track, failure for broadcast),
//  * something a retry cannot fix: the connection gave up, the channel stopped with an error,
//    or the server rejected the access token (a command-line token cannot be refreshed).
class ChannelCommand : public CliCommand
{
    Q_OBJECT

public:
    using CliCommand::CliCommand;

protected:
    void addChannelOptions(QCommandLineParser &parser);
    bool readChannelOptions(const QCommandLineParser &parser, QString *error);
    // Reads a positive number of seconds from `option` (when set) into *seconds.
    static bool readSeconds(const QCommandLineParser &parser, const QString &option, double *seconds, QString *error);

    // Connects, joins the channel with m_config and prints its events. `deadlineSeconds` > 0 ends
    // the session then, with `deadlineCode`.
    void startChannel(CliContext &context, double deadlineSeconds, int deadlineCode, const QString &deadlineMessage);
    // Ends the session: leaves politely, prints `message` to stderr on failure, exits with `code`.
    void finish(int code, const QString &message = QString());

    // The channel exists (not joined yet): set up desired state such as presence here.
    virtual void channelCreated() {}
    // The first successful join.
    virtual void subscribed() {}
    virtual void eventPrinted(int total) { Q_UNUSED(total) }

    RealtimeChannel *channel() const { return m_channel; }
    RealtimeClient *client() const { return m_client; }

    QString m_channelName;
    ChannelConfig m_config;
    QStringList m_broadcastEvents; // what ChannelPrinter prints; empty = every event

private:
    QPointer<RealtimeClient> m_client;
    QPointer<RealtimeChannel> m_channel;
    ChannelPrinter *m_printer = nullptr;
    QTimer m_deadline;
    bool m_finished = false;
    bool m_subscribedOnce = false;
};

} // namespace tf::cli
