#include "faultinjector.h"

#include "simlogging.h"

namespace tf::sim {

FaultInjector::FaultInjector(QObject *parent)
    : QObject(parent)
{
    m_refuseTimer.setSingleShot(true);
    connect(&m_refuseTimer, &QTimer::timeout, this, &FaultInjector::stopRefusing);
}

void FaultInjector::dropAllConnections()
{
    qCInfo(lcSimFaults) << "dropping every connection";
    Q_EMIT dropAllRequested();
}

void FaultInjector::expireAllTokens()
{
    qCInfo(lcSimFaults) << "expiring every access token";
    Q_EMIT expireTokensRequested();
}

void FaultInjector::restart()
{
    qCInfo(lcSimFaults) << "restart requested (tables kept)";
    Q_EMIT restartRequested();
}

void FaultInjector::refuseConnections(std::chrono::milliseconds duration)
{
    qCInfo(lcSimFaults) << "refusing connections for" << duration.count() << "ms (0: until stopped)";
    m_refuseTimer.stop();
    if (duration.count() > 0)
        m_refuseTimer.start(duration);
    if (m_refusing)
        return;
    m_refusing = true;
    Q_EMIT refuseRequested();
    Q_EMIT changed();
}

void FaultInjector::stopRefusing()
{
    m_refuseTimer.stop();
    if (!m_refusing)
        return;
    m_refusing = false;
    qCInfo(lcSimFaults) << "accepting connections again";
    Q_EMIT refuseStopRequested();
    Q_EMIT changed();
}

void FaultInjector::setHeartbeatsSilenced(bool silenced)
{
    if (m_heartbeatsSilenced == silenced)
        return;
    m_heartbeatsSilenced = silenced;
    qCInfo(lcSimFaults) << "heartbeat replies" << (silenced ? "silenced" : "resumed");
    Q_EMIT changed();
}

void FaultInjector::setJoinError(const QString &reason)
{
    if (m_joinError == reason)
        return;
    m_joinError = reason;
    qCInfo(lcSimFaults) << "join error" << (reason.isEmpty() ? QStringLiteral("cleared") : reason);
    Q_EMIT changed();
}

void FaultInjector::setRateLimited(bool limited)
{
    if (m_rateLimited == limited)
        return;
    m_rateLimited = limited;
    qCInfo(lcSimFaults) << "tenant rate limit" << (limited ? "reached" : "cleared");
    Q_EMIT rateLimitChanged(limited);
    Q_EMIT changed();
}

void FaultInjector::setReplyDelay(std::chrono::milliseconds delay)
{
    if (m_replyDelay == delay)
        return;
    m_replyDelay = delay;
    qCInfo(lcSimFaults) << "reply delay" << delay.count() << "ms";
    Q_EMIT changed();
}

void FaultInjector::setLoseNextInsertReply(bool armed)
{
    if (m_loseNextInsertReply == armed)
        return;
    m_loseNextInsertReply = armed;
    qCInfo(lcSimFaults) << "lose next insert reply" << armed;
    Q_EMIT changed();
}

bool FaultInjector::takeLostInsertReply()
{
    if (!m_loseNextInsertReply)
        return false;
    setLoseNextInsertReply(false);
    return true;
}

void FaultInjector::reset()
{
    qCInfo(lcSimFaults) << "resetting every fault";
    m_heartbeatsSilenced = false;
    m_joinError.clear();
    m_replyDelay = std::chrono::milliseconds(0);
    m_loseNextInsertReply = false;
    if (m_rateLimited) {
        m_rateLimited = false;
        Q_EMIT rateLimitChanged(false);
    }
    stopRefusing();
    Q_EMIT resetRequested();
    Q_EMIT changed();
}

QStringList FaultInjector::describe() const
{
    QStringList lines;
    if (m_heartbeatsSilenced)
        lines.append(QStringLiteral("heartbeats silenced"));
    if (!m_joinError.isEmpty())
        lines.append(QStringLiteral("join error: ") + m_joinError);
    if (m_rateLimited)
        lines.append(QStringLiteral("rate limited"));
    if (m_replyDelay.count() > 0)
        lines.append(QStringLiteral("reply delay: %1 ms").arg(m_replyDelay.count()));
    if (m_loseNextInsertReply)
        lines.append(QStringLiteral("next insert reply will be lost"));
    if (m_refusing)
        lines.append(QStringLiteral("refusing connections"));
    return lines;
}

} // namespace tf::sim
