#pragma once

#include <QCommandLineParser>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace tf::cli {

class CliContext;

// One subcommand of tradefloor-cli (tail, broadcast, track, …).
//
// Life cycle: addOptions() → configure() validates everything that can be checked offline (bad
// input exits with ExitUsage before any connection) → start() does the work and ends with
// finished(exitCode). A command prints its results as JSON lines through CliContext::print().
class CliCommand : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual void addOptions(QCommandLineParser &parser) = 0;
    virtual bool configure(const QCommandLineParser &parser, QString *error) = 0;
    virtual void start(CliContext &context) = 0;
    // Words after the command name it takes (`order submit`, `queue list`): read in configure().
    virtual int extraArguments() const { return 0; }
    // Whether it talks to the project (needs --url/--key). `queue list` only reads a local file.
    virtual bool needsProject(const QCommandLineParser &parser) const
    {
        Q_UNUSED(parser)
        return true;
    }

Q_SIGNALS:
    void finished(int exitCode);
};

// The dispatch table entry of a subcommand. New subcommands add one line to cliCommands().
struct CliCommandEntry {
    QString name;
    QString summary;
    std::function<std::unique_ptr<CliCommand>()> create;
};

const QList<CliCommandEntry> &cliCommands();

} // namespace tf::cli
