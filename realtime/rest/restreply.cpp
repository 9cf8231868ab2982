#include "restreply.h"

#include <QLoggingCategory>
#include <QNetworkReply>
#include <QTimer>

namespace tf {

RestReply::RestReply(CategoryFunction category, QObject *parent)
    : QObject(parent)
    , m_category(category)
{
}

RestReply::~RestReply()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QByteArray RestReply::rawHeader(const QByteArray &name) const
{
    for (const auto &[key, value] : m_headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

void RestReply::abort()
{
    if (m_finished)
        return;
    m_aborted = true;
    if (m_reply) {
        m_reply->abort(); // emits finished() synchronously -> onNetworkFinished()
        return;
    }
    finishWithError({ErrorClass::Network, QStringLiteral("request aborted"), 0, {}});
}

void RestReply::track(QNetworkReply *reply, std::chrono::milliseconds timeout)
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->deleteLater();
    }
    m_reply = reply;
    m_timeout = timeout;
    m_sslErrors.clear();
    connect(reply, &QNetworkReply::finished, this, &RestReply::onNetworkFinished);
#if QT_CONFIG(ssl)
    // Never ignored: the handshake then fails and the call ends with a Network error.
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            m_sslErrors << error.errorString();
        qCWarning(m_category) << "TLS verification failed for" << m_reply->url().host() << ':'
                              << m_sslErrors.join(QStringLiteral("; "));
    });
#endif
}

void RestReply::onNetworkFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();

    m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_headers = reply->rawHeaderPairs();
    // An aborted reply is closed: reading it only makes QIODevice warn "device not open".
    m_body = reply->isOpen() ? reply->readAll() : QByteArray();

    if (m_status == 0) {
        ClientError error{ErrorClass::Network, reply->errorString(), 0, {}};
        const auto code = reply->error();
        if (m_aborted) {
            error.message = QStringLiteral("request aborted");
        } else if (code == QNetworkReply::TimeoutError || code == QNetworkReply::OperationCanceledError) {
            // setTransferTimeout() aborts the reply; we never abort it ourselves without m_aborted.
            error.message = QStringLiteral("no response within %1 ms").arg(m_timeout.count());
            error.code = QStringLiteral("timeout");
        } else if (!m_sslErrors.isEmpty()) {
            error.message = QStringLiteral("TLS verification failed: ") + m_sslErrors.join(QStringLiteral("; "));
            error.code = QStringLiteral("tls");
        }
        qCWarning(m_category) << reply->url().path() << "failed:" << error.toString();
        finishWithError(error);
        return;
    }
    handleResponse();
}

void RestReply::finishOk()
{
    finish(false, {});
}

void RestReply::finishWithError(const ClientError &error)
{
    finish(true, error);
}

void RestReply::finishWithErrorLater(const ClientError &error)
{
    QTimer::singleShot(0, this, [this, error] { finishWithError(error); });
}

void RestReply::finish(bool failed, const ClientError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_failed = failed;
    m_error = error;
    Q_EMIT finished();
}

} // namespace tf
