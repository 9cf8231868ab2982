#pragma once

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

namespace tf {

// The `exp` claim of a JWT (base64url payload, read without verifying the signature: the server
// does that; the client only needs to know when to ask for a fresh token). nullopt when the token
// is not a JWT or has no numeric exp (e.g. an sb_publishable_… key).
std::optional<QDateTime> jwtExpiry(const QString &token);

// Says when the access token needs refreshing: `margin` before its exp. The owner (the auth
// client) answers refreshDue() with a new token through setToken().
//
// Deadlines are checked against the wall clock, so a timer that slept through a suspend (a
// monotonic timer does not advance while the machine sleeps) is corrected by recheck(), which
// the client calls after a wake-up.
class TokenExpiry : public QObject
{
    Q_OBJECT

public:
    explicit TokenExpiry(std::chrono::milliseconds margin = std::chrono::seconds(60), QObject *parent = nullptr);

    void setMargin(std::chrono::milliseconds margin);
    std::chrono::milliseconds margin() const { return m_margin; }

    // Starts watching this token (an empty token or one without exp stops watching).
    void setToken(const QString &token);
    std::optional<QDateTime> expiresAt() const { return m_expiresAt; }
    // When refreshDue() will fire; invalid when not watching.
    QDateTime refreshAt() const;

    // Tests move time; production uses QDateTime::currentMSecsSinceEpoch.
    void setWallClock(std::function<qint64()> clock);

public Q_SLOTS:
    // Fires refreshDue() now if the deadline has passed; re-arms the timer otherwise.
    void recheck();

Q_SIGNALS:
    void refreshDue(const QString &reason);

private:
    void arm();

    std::chrono::milliseconds m_margin;
    std::optional<QDateTime> m_expiresAt;
    bool m_announced = false; // refreshDue() is said once per token
    QTimer m_timer;
    std::function<qint64()> m_clock;
};

} // namespace tf
