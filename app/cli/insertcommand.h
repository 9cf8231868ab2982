#pragma once

#include "postgrestclient.h"
#include "restcommand.h"

#include <QJsonArray>

namespace tf::cli {

// insert --table T --json ROW [--on-conflict COL[,COL…]]
// ROW is one JSON object or an array of objects with the same keys. With --on-conflict the insert
// is idempotent (resolution=ignore-duplicates): rows that already exist are skipped, not failed.
// Prints each row the server returns as one JSON line (none for rows that already existed).
class InsertCommand : public RestCommand
{
    Q_OBJECT

public:
    using RestCommand::RestCommand;

    void addOptions(QCommandLineParser &parser) override;
    bool configure(const QCommandLineParser &parser, QString *error) override;
    void start(CliContext &context) override;

private:
    QJsonArray m_rows;
    InsertOptions m_options;
};

} // namespace tf::cli
