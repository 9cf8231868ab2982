// tradefloor-cli: the realtime library from a shell. One JSON object per line on stdout, logs on
// stderr; exit 0 on success, 1 when the server or the network said no, 2 for bad arguments.
#include "clicommand.h"
#include "clicontext.h"

#include <QCoreApplication>
#include <QTimer>

#include <algorithm>

using namespace tf::cli;

namespace {

QString commandList()
{
    QString text = QStringLiteral("Commands:\n");
    for (const CliCommandEntry &entry : cliCommands())
        text += QStringLiteral("  %1  %2\n").arg(entry.name, -10).arg(entry.summary);
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tradefloor-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TF_VERSION));
    qSetMessagePattern(QStringLiteral("%{time hh:mm:ss.zzz} %{category} %{type}: %{message}"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Talks to a Supabase project's Realtime from the command line; prints JSON lines.\n\n")
        + commandList());
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    CliContext::addCommonOptions(parser);
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("The subcommand (see above)."));

    // First pass: only to find the subcommand, whose options are not known yet.
    parser.parse(app.arguments());
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        if (parser.isSet(versionOption))
            parser.showVersion();
        if (parser.isSet(helpOption))
            parser.showHelp(ExitOk);
        CliContext::printError(QStringLiteral("no command given\n") + commandList()
                               + QStringLiteral("Run with --help for the options."));
        return ExitUsage;
    }
    const QString name = positional.constFirst();
    const auto &commands = cliCommands();
    const auto entry = std::find_if(commands.cbegin(), commands.cend(),
                                    [&name](const CliCommandEntry &e) { return e.name == name; });
    if (entry == commands.cend()) {
        CliContext::printError(QStringLiteral("unknown command \"%1\"\n").arg(name) + commandList());
        return ExitUsage;
    }

    std::unique_ptr<CliCommand> command = entry->create();
    parser.clearPositionalArguments();
    parser.addPositionalArgument(name, entry->summary);
    command->addOptions(parser);
    if (!parser.parse(app.arguments())) {
        CliContext::printError(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(helpOption))
        parser.showHelp(ExitOk);
    if (parser.positionalArguments().size() > 1 + command->extraArguments()) {
        CliContext::printError(QStringLiteral("unexpected argument \"%1\"")
                                   .arg(parser.positionalArguments().at(1 + command->extraArguments())));
        return ExitUsage;
    }

    CliContext context;
    QString error;
    if ((command->needsProject(parser) && !context.readCommonOptions(parser, &error))
        || !command->configure(parser, &error)) {
        CliContext::printError(error);
        return ExitUsage;
    }

    QObject::connect(command.get(), &CliCommand::finished, &app, [](int code) { QCoreApplication::exit(code); },
                     Qt::QueuedConnection);
    // Started from the event loop, so that an early exit() is not lost before exec().
    QTimer::singleShot(0, &app, [&] {
        context.authenticate([&](const QString &authError) {
            if (!authError.isEmpty()) {
                CliContext::printError(authError);
                QCoreApplication::exit(ExitFailure);
                return;
            }
            command->start(context);
        });
    });
    return app.exec();
}
