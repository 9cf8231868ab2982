#pragma once

#include "deskcommand.h"

#include <QSet>
#include <QUuid>

namespace tf::cli {

// queue list [--queue FILE]
//   Every order in the queue file, oldest first, one JSON line each (all traders; the file is
//   only read: a running app's sends are not disturbed). Needs no --url/--key.
// queue flush [--queue FILE] [--wait-seconds S]
//   Sends the signed-in trader's backlog now (batches, idempotent), waits up to S seconds
//   (default 10) until nothing is left to send, looks up working orders, and prints every order
//   that was open when it started with its state. Exit 0 when nothing is left queued, sending or
//   failed; 1 otherwise (the link is down, sign-in refused, orders failed).
class QueueCommand : public DeskCommand
{
    Q_OBJECT

public:
    using DeskCommand::DeskCommand;

    void addOptions(QCommandLineParser &parser) override;
    bool configure(const QCommandLineParser &parser, QString *error) override;
    bool needsProject(const QCommandLineParser &parser) const override;
    void start(CliContext &context) override;

private:
    void list();
    void flush(CliContext &context);
    void checkFlushed();
    void printFlushed(bool deadline);

    QList<QUuid> m_open; // the trader's open orders when the flush started
    bool m_lookupStarted = false;
    bool m_lookedUp = false;
};

} // namespace tf::cli
