#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>

namespace tf {

// A token bucket for outgoing channel events (broadcasts, presence), shared by every channel of
// a ChannelManager. Supabase limits events per second per PROJECT and shuts channels down when
// it is exceeded (§10.1), so one desk must not burst. Over budget nothing is dropped: sends wait
// in order until tokens return.
class RateLimiter : public QObject {
    Q_OBJECT

public:
    using Clock = std::function<std::chrono::milliseconds()>;

    // Conservative defaults: the Free plan allows 100 events/s for the whole project, incoming
    // messages included.
    static constexpr double DefaultEventsPerSecond = 10.0;
    static constexpr int DefaultBurst = 20;

    explicit RateLimiter(QObject *parent = nullptr);
    RateLimiter(double eventsPerSecond, int burst, QObject *parent = nullptr);

    // eventsPerSecond <= 0 disables limiting. The bucket starts full.
    void setRate(double eventsPerSecond, int burst);
    double eventsPerSecond() const { return m_rate; }
    int burst() const { return m_burst; }

    // Replaces the monotonic clock (tests); call before use.
    void setClock(Clock clock);

    // Runs `send` now if a token is free and nothing waits before it, otherwise queues it. A
    // queued send whose `context` has been destroyed is skipped without using a token.
    void submit(const QObject *context, std::function<void()> send);
    int queuedCount() const { return int(m_queue.size()); }
    double availableTokens();

public Q_SLOTS:
    // Runs the queued sends the bucket allows now; the internal timer calls it.
    void drain();

Q_SIGNALS:
    // The budget ran out and sends started to queue (once per episode, not per send).
    void throttled(int queued);

private:
    struct Pending {
        QPointer<const QObject> context;
        std::function<void()> send;
    };

    void refill();
    bool takeToken();
    void scheduleDrain();

    double m_rate = DefaultEventsPerSecond;
    int m_burst = DefaultBurst;
    double m_tokens = DefaultBurst;
    std::chrono::milliseconds m_lastRefill{0};
    Clock m_clock;
    QList<Pending> m_queue;
    QTimer m_timer;
    bool m_throttling = false;
};

} // namespace tf
