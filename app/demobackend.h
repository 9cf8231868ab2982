#pragma once

#include "servertarget.h"

#include <QObject>

#include <memory>

namespace tf {

namespace sim {
class SimServer;
}

// The zero-configuration demo: the Supabase simulator (tf::sim::SimServer) running inside the app
// on a free loopback port, with its seeded market and demo trader. Started on first use, so a
// configured app never pays for it.
class DemoBackend : public QObject
{
    Q_OBJECT

public:
    explicit DemoBackend(QObject *parent = nullptr);
    ~DemoBackend() override;

    // Starts the simulator on 127.0.0.1 and a free port. True when it runs (also when it already
    // did); false with the reason in *error when it could not listen.
    bool start(QString *error = nullptr);
    void stop();
    bool isRunning() const;

    // Valid while running.
    ServerTarget target() const;
    QString demoPassword() const;
    sim::SimServer *server() const { return m_server.get(); }

private:
    std::unique_ptr<sim::SimServer> m_server;
};

} // namespace tf
