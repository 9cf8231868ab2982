#pragma once

#include "deskcommand.h"

namespace tf::cli {

// order submit --symbol S --side buy|sell --qty N [--type market|limit] [--limit P]
//              [--client-order-id ID] [--queue FILE] [--wait-seconds S]
// Saves the order in the queue (durably, before anything else), sends it, and waits up to S
// seconds (default 10; 0 = not at all) for a final state: filled, canceled, rejected or failed.
// Prints {"kind":"submitted","outcome":"sent"|"queued"|"refused",…} then the order with its
// final or current state ({"kind":"order",…,"final":true|false}). Exit 0 when the order is saved
// and not refused by the exchange (queued ones are sent by a later run or by the app), 1 when it
// was refused, rejected or failed, 2 for a bad ticket. The same --client-order-id again is
// harmless: it reports the order placed before.
class OrderCommand : public DeskCommand
{
    Q_OBJECT

public:
    using DeskCommand::DeskCommand;

    void addOptions(QCommandLineParser &parser) override;
    bool configure(const QCommandLineParser &parser, QString *error) override;
    bool needsProject(const QCommandLineParser &parser) const override;
    void start(CliContext &context) override;

private:
    void follow();
    void printAndFinish(bool deadline);

    QJsonObject m_ticket;
    QString m_id;
    QTimer m_poll;
};

} // namespace tf::cli
