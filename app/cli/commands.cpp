// The dispatch table of tradefloor-cli: one line per subcommand.
#include "broadcastcommand.h"
#include "clicommand.h"
#include "insertcommand.h"
#include "ordercommand.h"
#include "queuecommand.h"
#include "selectcommand.h"
#include "tailcommand.h"
#include "trackcommand.h"

namespace tf::cli {

namespace {

template <typename Command>
std::unique_ptr<CliCommand> make()
{
    return std::make_unique<Command>();
}

} // namespace

const QList<CliCommandEntry> &cliCommands()
{
    static const QList<CliCommandEntry> commands{
        {QStringLiteral("tail"), QStringLiteral("print a channel's changes, broadcasts and presence"), make<TailCommand>},
        {QStringLiteral("broadcast"), QStringLiteral("send one broadcast (optionally acknowledged)"), make<BroadcastCommand>},
        {QStringLiteral("track"), QStringLiteral("track presence on a channel for a while"), make<TrackCommand>},
        {QStringLiteral("select"), QStringLiteral("print rows of a table (PostgREST filters)"), make<SelectCommand>},
        {QStringLiteral("insert"), QStringLiteral("insert rows, optionally idempotent (--on-conflict)"), make<InsertCommand>},
        {QStringLiteral("order"), QStringLiteral("order submit: save an order in the queue and send it"), make<OrderCommand>},
        {QStringLiteral("queue"), QStringLiteral("queue list | queue flush: show or send the order queue"), make<QueueCommand>},
    };
    return commands;
}

} // namespace tf::cli
