#include "queueavailability.h"

#include "logging.h"
#include "orderqueue.h"

namespace tf {

QueueAvailability::QueueAvailability(OrderQueue *queue, std::chrono::milliseconds recheckInterval, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
{
    m_recheck.setInterval(recheckInterval);
    connect(&m_recheck, &QTimer::timeout, this, &QueueAvailability::recheck);
    connect(m_queue, &OrderQueue::writableChanged, this, &QueueAvailability::followQueue);
    connect(m_queue, &OrderQueue::fileQuarantined, this, [this](const QString &path, const QString &why) {
        report(QStringLiteral("The order queue could not be read and was set aside (%1). Orders saved in it were "
                              "not sent. File: %2")
                   .arg(why, path));
    });
}

bool QueueAvailability::open()
{
    const OpenResult result = m_queue->open();
    if (!result.ok)
        report(QStringLiteral("The order queue cannot be used: %1").arg(result.error));
    else if (result.recoveredOrders > 0)
        qCInfo(lcOrders) << result.recoveredOrders << "orders caught sending when the app stopped will be sent again";
    followQueue();
    return isAvailable();
}

bool QueueAvailability::isAvailable() const
{
    return m_queue->isOpen() && m_queue->isWritable();
}

QString QueueAvailability::reason() const
{
    if (isAvailable())
        return {};
    return QStringLiteral("Order entry is disabled: %1").arg(m_queue->notWritableReason());
}

void QueueAvailability::recheck()
{
    if (isAvailable())
        return;
    if (!m_queue->isOpen()) {
        // Nothing can be in flight on a queue that is not open: reopening is safe.
        if (m_queue->open().ok)
            qCInfo(lcOrders) << "the order queue could be opened again";
    } else {
        m_queue->checkWritable();
    }
    followQueue();
}

void QueueAvailability::followQueue()
{
    const bool available = isAvailable();
    if (available)
        m_recheck.stop();
    else if (!m_recheck.isActive() && m_recheck.interval() > 0)
        m_recheck.start();
    Q_EMIT availabilityChanged();
}

void QueueAvailability::report(const QString &message)
{
    m_lastProblem = message;
    qCWarning(lcOrders).noquote() << message;
    Q_EMIT problem(message);
}

} // namespace tf
