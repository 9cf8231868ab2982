#pragma once

#include <QObject>
#include <QPointer>
#include <QQuickWindow>

namespace tf {

class AppController;

namespace sim {
class CommandConsole;
class SimServer;
} // namespace sim

// `trading-floor --demo --demo-console`: drives the running demo from standard input, one command
// per line, one answer line each on stdout ("ok …" or "error: …"). For scripted checks and the app
// test, which cannot reach into the process otherwise. The simulator's own fault commands
// (docs/simulator.md: drop, refuse, accept, silence, join-error, rate-limit, expire-tokens,
// restart, slow, lose-insert-reply, reset, status) go to its CommandConsole; the app adds:
//
//   dump FILE                       write the --dump-state JSON to FILE now
//   screenshot FILE                 grab the window to a PNG now
//   submit SYMBOL buy|sell QTY [LIMIT]   an order through the ticket's path (validation, desk)
//   sim-orders CLIENT_ORDER_ID      how many rows the simulator's orders table has with that id
//   state                           the status bar's state and the feed state
//   panel NAME on|off               show or hide a panel (lazy channels)
//   quit                            exit like closing the window (the dump is written)
class DemoConsole : public QObject
{
    Q_OBJECT

public:
    DemoConsole(AppController *app, sim::SimServer *server, QObject *parent = nullptr);
    ~DemoConsole() override;

    // The window `screenshot` grabs (not owned).
    void setWindow(QQuickWindow *window) { m_window = window; }

    QString execute(const QString &line);
    // Reads standard input on a helper thread; answers go to stdout.
    void attachStandardInput();

private:
    QString submit(const QStringList &words);
    QString simOrders(const QStringList &words) const;

    QString screenshot(const QStringList &words) const;

    AppController *m_app;
    QPointer<QQuickWindow> m_window;
    sim::SimServer *m_server;
    sim::CommandConsole *m_simConsole;
};

} // namespace tf
