#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>

namespace tf::sim {

// The switchboard of injectable faults. It holds the fault modes the HTTP front end and the
// realtime endpoint consult, and announces one-shot actions as signals that SimServer wires to
// the parts that carry them out. Every mode is undone by its own setter or by reset().
class FaultInjector : public QObject {
    Q_OBJECT

public:
    explicit FaultInjector(QObject *parent = nullptr);

    // One-shot actions.
    void dropAllConnections();  // abort every WebSocket and HTTP connection (no close frame)
    void expireAllTokens();     // every user access token issued so far is expired now
    void restart();             // drop everything, forget realtime state, keep tables and port
    // Stop accepting connections for `duration` (0: until stopRefusing()); the port is
    // released and re-bound afterwards, so clients see "connection refused".
    void refuseConnections(std::chrono::milliseconds duration);
    void stopRefusing();
    bool refusingConnections() const { return m_refusing; }

    // Modes.
    void setHeartbeatsSilenced(bool silenced); // heartbeats go unanswered; TCP stays open
    bool heartbeatsSilenced() const { return m_heartbeatsSilenced; }

    void setJoinError(const QString &reason);  // every phx_join is refused with this reason
    void clearJoinError() { setJoinError(QString()); }
    QString joinError() const { return m_joinError; }

    // Tenant rate limit hit: joined channels are shut down ("Too many messages per second"),
    // joins are refused with ClientJoinRateLimitReached and the socket closed, until turned off.
    void setRateLimited(bool limited);
    bool rateLimited() const { return m_rateLimited; }

    void setReplyDelay(std::chrono::milliseconds delay); // every REST/auth reply and server frame
    std::chrono::milliseconds replyDelay() const { return m_replyDelay; }

    // The next INSERT through REST is committed but its connection is dropped before the reply.
    void setLoseNextInsertReply(bool armed);
    bool loseNextInsertReplyArmed() const { return m_loseNextInsertReply; }
    bool takeLostInsertReply(); // true once per arming; disarms

    // Clears every mode, stops refusing connections and undoes the token expiry.
    void reset();

    // One line per active mode, for the console and logs.
    QStringList describe() const;

Q_SIGNALS:
    void dropAllRequested();
    void expireTokensRequested();
    void restartRequested();
    void refuseRequested();
    void refuseStopRequested();
    void rateLimitChanged(bool limited);
    void resetRequested();
    void changed();

private:
    bool m_heartbeatsSilenced = false;
    QString m_joinError;
    bool m_rateLimited = false;
    std::chrono::milliseconds m_replyDelay{0};
    bool m_loseNextInsertReply = false;
    bool m_refusing = false;
    QTimer m_refuseTimer;
};

} // namespace tf::sim
