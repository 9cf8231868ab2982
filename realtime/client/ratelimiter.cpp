#include "ratelimiter.h"

#include "logging.h"

#include <algorithm>
#include <cmath>

namespace tf {

namespace {
std::chrono::milliseconds steadyNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch());
}
} // namespace

RateLimiter::RateLimiter(QObject *parent)
    : RateLimiter(DefaultEventsPerSecond, DefaultBurst, parent)
{
}

RateLimiter::RateLimiter(double eventsPerSecond, int burst, QObject *parent)
    : QObject(parent)
    , m_clock(steadyNow)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RateLimiter::drain);
    setRate(eventsPerSecond, burst);
}

void RateLimiter::setRate(double eventsPerSecond, int burst)
{
    m_rate = eventsPerSecond;
    m_burst = std::max(1, burst);
    m_tokens = m_burst;
    m_lastRefill = m_clock();
    drain();
}

void RateLimiter::setClock(Clock clock)
{
    m_clock = std::move(clock);
    m_lastRefill = m_clock();
}

double RateLimiter::availableTokens()
{
    refill();
    return m_tokens;
}

void RateLimiter::refill()
{
    const std::chrono::milliseconds now = m_clock();
    const auto elapsed = now - m_lastRefill;
    if (elapsed.count() <= 0)
        return;
    m_tokens = std::min(double(m_burst), m_tokens + double(elapsed.count()) * m_rate / 1000.0);
    m_lastRefill = now;
}

bool RateLimiter::takeToken()
{
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

void RateLimiter::submit(const QObject *context, std::function<void()> send)
{
    if (m_rate <= 0) {
        send();
        return;
    }
    refill();
    if (m_queue.isEmpty() && takeToken()) {
        send();
        return;
    }
    m_queue.append({context, std::move(send)});
    if (!m_throttling) {
        m_throttling = true;
        qCInfo(lcChannel, "outgoing event budget (%.1f/s, burst %d) exhausted: queueing sends", m_rate, m_burst);
        Q_EMIT throttled(int(m_queue.size()));
    }
    scheduleDrain();
}

void RateLimiter::drain()
{
    if (m_rate > 0)
        refill();
    while (!m_queue.isEmpty()) {
        if (!m_queue.first().context) {
            m_queue.removeFirst();
            continue;
        }
        if (m_rate > 0 && !takeToken())
            break;
        const Pending pending = m_queue.takeFirst();
        pending.send(); // may submit again: that lands behind the queue
    }
    if (m_queue.isEmpty()) {
        m_timer.stop();
        if (m_throttling) {
            m_throttling = false;
            qCInfo(lcChannel, "outgoing event queue drained");
        }
        return;
    }
    scheduleDrain();
}

void RateLimiter::scheduleDrain()
{
    const double missing = std::max(0.0, 1.0 - m_tokens);
    const auto wait = std::max<qint64>(1, qint64(std::ceil(missing / m_rate * 1000.0)));
    m_timer.start(std::chrono::milliseconds(wait));
}

} // namespace tf
