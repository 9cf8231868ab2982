#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <optional>

namespace tf {

// One outgoing channel push and its outcome (protocol doc §4.1).
//
// A push resolves exactly once: Ok, Error (with the server's response, which may be an object
// such as {"reason": …} or a bare string such as "payload_size_exceeded", §6.2) or Timeout.
// Later resolutions are ignored. The owning channel sends it, matches the reply by ref and
// deletes it after finished(); hold it in a QPointer if you keep it around.
class Push : public QObject {
    Q_OBJECT

public:
    enum class Status { Pending, Ok, Error, Timeout };
    Q_ENUM(Status)

    // timeout <= 0 means no timer: something else resolves the push.
    Push(const QString &event, const QJsonObject &payload, std::chrono::milliseconds timeout,
         QObject *parent = nullptr);

    QString eventName() const { return m_event; }
    QJsonObject payload() const { return m_payload; }
    // Raw bytes of a binary user broadcast (encoding 0); nullopt for JSON pushes.
    const std::optional<QByteArray> &binaryPayload() const { return m_binaryPayload; }
    void setBinaryPayload(const QByteArray &bytes) { m_binaryPayload = bytes; }

    QString ref() const { return m_ref; } // null until sent
    void setRef(const QString &ref) { m_ref = ref; }

    Status status() const { return m_status; }
    bool isFinished() const { return m_status != Status::Pending; }
    QJsonValue response() const { return m_response; }
    // The error text: response.reason, or the bare string response.
    QString errorReason() const;

    std::chrono::milliseconds timeout() const { return m_timeout; }
    void startTimeout(); // from now; no-op without a timeout or once finished

    // Resolves from a phx_reply payload {"status": "ok"|"error", "response": …}; anything but
    // "ok" counts as an error.
    void resolveFromReply(const QJsonObject &replyPayload);
    void resolve(Status status, const QJsonValue &response = QJsonValue());
    // Resolves on the next event-loop turn, so a caller that just created the push can still
    // connect to finished().
    void resolveLater(Status status, const QJsonValue &response = QJsonValue());

Q_SIGNALS:
    void finished(tf::Push::Status status, const QJsonValue &response);

private:
    QString m_event;
    QJsonObject m_payload;
    std::optional<QByteArray> m_binaryPayload;
    QString m_ref;
    std::chrono::milliseconds m_timeout;
    QTimer m_timer;
    Status m_status = Status::Pending;
    QJsonValue m_response;
};

} // namespace tf
