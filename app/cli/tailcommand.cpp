#include "tailcommand.h"

#include "clicontext.h"

#include <QHash>

namespace tf::cli {

namespace {

const QCommandLineOption tableOption(QStringLiteral("table"),
    QStringLiteral("Subscribe to postgres_changes of this table (\"*\" = all); repeat for more bindings."),
    QStringLiteral("table"));
const QCommandLineOption schemaOption(QStringLiteral("schema"),
    QStringLiteral("Schema of the preceding --table (default public)."), QStringLiteral("schema"));
const QCommandLineOption eventOption(QStringLiteral("event"),
    QStringLiteral("Event of the preceding --table: *, INSERT, UPDATE or DELETE (default *)."), QStringLiteral("event"));
const QCommandLineOption filterOption(QStringLiteral("filter"),
    QStringLiteral("Filter of the preceding --table, e.g. user_id=eq.42 (several joined with &)."),
    QStringLiteral("filter"));
const QCommandLineOption broadcastOption(QStringLiteral("broadcast"),
    QStringLiteral("Print broadcasts of this event (\"*\" = all); repeatable. Default: all."), QStringLiteral("event"));
const QCommandLineOption presenceOption(QStringLiteral("presence"),
    QStringLiteral("Receive presence (sync/join/leave)."));
const QCommandLineOption countOption(QStringLiteral("count"),
    QStringLiteral("Exit 0 after this many events."), QStringLiteral("n"));
const QCommandLineOption secondsOption(QStringLiteral("seconds"),
    QStringLiteral("Exit 0 after this many seconds."), QStringLiteral("s"));

} // namespace

void TailCommand::addOptions(QCommandLineParser &parser)
{
    addChannelOptions(parser);
    parser.addOptions({tableOption, schemaOption, eventOption, filterOption, broadcastOption, presenceOption,
                       countOption, secondsOption});
}

bool TailCommand::readBindings(const QCommandLineParser &parser, ChannelConfig *config, QString *error)
{
    // QCommandLineParser keeps each option's values in order and the names in order of
    // appearance; walking the names pairs every value with the --table before it.
    QHash<QString, int> nextValue;
    QList<PostgresChangesBinding> bindings;
    const auto takeValue = [&](const QCommandLineOption &option) {
        const QString name = option.names().constFirst();
        return parser.values(option).value(nextValue[name]++);
    };
    for (const QString &name : parser.optionNames()) {
        if (name == tableOption.names().constFirst()) {
            PostgresChangesBinding binding;
            binding.table = takeValue(tableOption);
            bindings.append(binding);
            continue;
        }
        const bool schema = name == schemaOption.names().constFirst();
        const bool event = name == eventOption.names().constFirst();
        const bool filter = name == filterOption.names().constFirst();
        if (!schema && !event && !filter)
            continue;
        if (bindings.isEmpty()) {
            *error = QStringLiteral("--%1 must follow the --table it belongs to").arg(name);
            return false;
        }
        PostgresChangesBinding &binding = bindings.last();
        if (schema)
            binding.schema = takeValue(schemaOption);
        else if (event)
            binding.event = takeValue(eventOption);
        else
            binding.filter = takeValue(filterOption);
    }
    for (const PostgresChangesBinding &binding : std::as_const(bindings)) {
        QString reason;
        if (!config->addPostgresChanges(binding, &reason)) {
            *error = QStringLiteral("--table %1: %2").arg(binding.table, reason);
            return false;
        }
    }
    return true;
}

bool TailCommand::configure(const QCommandLineParser &parser, QString *error)
{
    if (!readChannelOptions(parser, error) || !readBindings(parser, &m_config, error))
        return false;
    m_broadcastEvents = parser.values(broadcastOption);
    for (const QString &event : std::as_const(m_broadcastEvents)) {
        if (event.isEmpty()) {
            *error = QStringLiteral("--broadcast needs an event name (or \"*\")");
            return false;
        }
    }
    m_config.presenceEnabled = parser.isSet(presenceOption);
    if (parser.isSet(countOption)) {
        bool ok = false;
        m_count = parser.value(countOption).toInt(&ok);
        if (!ok || m_count <= 0) {
            *error = QStringLiteral("--count must be a number > 0");
            return false;
        }
    }
    return readSeconds(parser, secondsOption.names().constFirst(), &m_seconds, error);
}

void TailCommand::start(CliContext &context)
{
    startChannel(context, m_seconds, ExitOk, QStringLiteral("%1 s are over").arg(m_seconds));
}

void TailCommand::eventPrinted(int total)
{
    if (m_count > 0 && total >= m_count)
        finish(ExitOk);
}

} // namespace tf::cli
