#pragma once

#include "clicommand.h"

namespace tf {
class PostgrestReply;
}

namespace tf::cli {

// Shared by the PostgREST subcommands (select, insert): the --table option, and finishing with
// the reply — each returned row as one JSON line on stdout (exit 0), or the classified error on
// stderr (exit 1).
class RestCommand : public CliCommand
{
    Q_OBJECT

public:
    using CliCommand::CliCommand;

protected:
    static void addTableOption(QCommandLineParser &parser);
    bool readTable(const QCommandLineParser &parser, QString *error);
    void finishWith(PostgrestReply *reply);

    QString m_table;
};

} // namespace tf::cli
