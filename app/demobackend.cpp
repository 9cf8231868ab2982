#include "demobackend.h"

#include "applogging.h"
#include "simserver.h"

namespace tf {

DemoBackend::DemoBackend(QObject *parent)
    : QObject(parent)
{
}

DemoBackend::~DemoBackend() = default;

bool DemoBackend::start(QString *error)
{
    if (m_server && m_server->isRunning())
        return true;
    sim::SimConfig config;
    config.port = 0; // never collide with a tradefloor-sim or a local Supabase on 54321
    m_server = std::make_unique<sim::SimServer>(config);
    if (!m_server->start()) {
        m_server.reset();
        const QString reason = QStringLiteral("the embedded simulator could not listen on a loopback port");
        qCWarning(lcAppDemo) << reason;
        if (error)
            *error = reason;
        return false;
    }
    qCInfo(lcAppDemo) << "embedded simulator listening on" << m_server->url().toString();
    return true;
}

void DemoBackend::stop()
{
    if (!m_server)
        return;
    m_server->stop();
    m_server.reset();
    qCInfo(lcAppDemo) << "embedded simulator stopped";
}

bool DemoBackend::isRunning() const
{
    return m_server && m_server->isRunning();
}

ServerTarget DemoBackend::target() const
{
    if (!isRunning())
        return {};
    return {m_server->url(), m_server->anonKey(), m_server->demoTrader().email, true};
}

QString DemoBackend::demoPassword() const
{
    return isRunning() ? m_server->demoTrader().password : QString();
}

} // namespace tf
