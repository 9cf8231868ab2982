#pragma once

#include <QObject>
#include <QThread>

namespace tf::sim {

class SimServer;

// Text commands that drive a running simulator's faults (the tradefloor-sim stdin interface,
// documented in docs/simulator.md). Every command answers with one line: "ok ..." or "error: ...".
//
//   help | status | drop | silence on|off | refuse <seconds> | accept | join-error <reason>|off
//   rate-limit [on|off] | expire-tokens | restart | slow <ms> | lose-insert-reply | reset | quit
class CommandConsole : public QObject {
    Q_OBJECT

public:
    explicit CommandConsole(SimServer &server, QObject *parent = nullptr);
    ~CommandConsole() override;

    QString execute(const QString &line);

    // Reads commands from standard input on a helper thread and prints each answer to stdout.
    // End of input is not a quit command: the simulator keeps running.
    void attachStandardInput();

Q_SIGNALS:
    void quitRequested();

private:
    SimServer &m_server;
    QThread *m_readerThread = nullptr;
};

} // namespace tf::sim
