#include "push.h"

#include "logging.h"

using namespace Qt::Literals::StringLiterals;

namespace tf {

Push::Push(const QString &event, const QJsonObject &payload, std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent)
    , m_event(event)
    , m_payload(payload)
    , m_timeout(timeout)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        qCDebug(lcChannel, "push %s (ref %s) timed out after %lld ms", qPrintable(m_event), qPrintable(m_ref),
                qlonglong(m_timeout.count()));
        resolve(Status::Timeout);
    });
}

QString Push::errorReason() const
{
    if (m_response.isString())
        return m_response.toString();
    return m_response.toObject().value(u"reason"_s).toString();
}

void Push::startTimeout()
{
    if (m_timeout.count() > 0 && !isFinished())
        m_timer.start(m_timeout);
}

void Push::resolveFromReply(const QJsonObject &replyPayload)
{
    const bool ok = replyPayload.value(u"status"_s).toString() == u"ok";
    resolve(ok ? Status::Ok : Status::Error, replyPayload.value(u"response"_s));
}

void Push::resolve(Status status, const QJsonValue &response)
{
    if (isFinished() || status == Status::Pending)
        return;
    m_timer.stop();
    m_status = status;
    m_response = response;
    Q_EMIT finished(status, response);
}

void Push::resolveLater(Status status, const QJsonValue &response)
{
    QMetaObject::invokeMethod(this, [this, status, response] { resolve(status, response); }, Qt::QueuedConnection);
}

} // namespace tf
