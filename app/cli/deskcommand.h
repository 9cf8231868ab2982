#pragma once

#include "clicommand.h"
#include "order.h"
#include "orderdesk.h"

#include <QJsonObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace tf::cli {

class CliContext;

// What the order subcommands share (`order submit`, `queue list`, `queue flush`): an action word
// after the command name, --queue FILE (default: the desktop app's queue, so the CLI sees the
// trader's orders) and --wait-seconds S, the OrderDesk over that file for the signed-in user,
// and orders printed as JSON lines ({"kind":"order", …}).
class DeskCommand : public CliCommand
{
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    ~DeskCommand() override;

    int extraArguments() const override { return 1; }

    // The desktop app's queue file: its setting "orders/queueFile", else its AppDataLocation.
    static QString appQueueFile();
    // The `sub` claim of a JWT (the user id), read without verifying (the server does that).
    static QString jwtSubject(const QString &token);
    // One order as a JSON line: ids, fields, state, state_text, reason, attempts, last_error, ages.
    static QJsonObject orderLine(const Order &order);

protected:
    // `actions`: the words this command accepts after its name.
    void addDeskOptions(QCommandLineParser &parser, bool withWait);
    bool readDeskOptions(const QCommandLineParser &parser, const QStringList &actions, QString *error);
    // Opens the desk for the signed-in user and goes online; false (and finished) when it cannot.
    bool openDesk(CliContext &context);
    // Stops waiting after --wait-seconds: `onDeadline` decides the exit code.
    void startDeadline(const std::function<void()> &onDeadline);
    void finish(int code, const QString &message = QString());

    QString m_action;
    QString m_queueFile;
    double m_waitSeconds = 0;
    std::unique_ptr<OrderDesk> m_desk;

private:
    QTimer m_deadline;
    bool m_withWait = false;
    bool m_finished = false;
};

} // namespace tf::cli
