#pragma once

#include <QRandomGenerator>

#include <chrono>

namespace tf {

// How retries are spaced. Defaults: 1 s base, ×2 per attempt, 30 s cap, full jitter, no limit.
struct BackoffPolicy {
    std::chrono::milliseconds base{1000};
    double factor = 2.0;
    std::chrono::milliseconds cap{30000};
    // Full jitter (a uniform draw in [0, ceiling]) spreads a fleet of desks that lost the link at
    // the same moment over the whole window instead of having them all return in the same second.
    bool fullJitter = true;
    // Rate-limit errors wait at least this long: the server's limits are per project and it shuts
    // channels down again if we come straight back.
    std::chrono::milliseconds rateLimitFloor{15000};
    int maxAttempts = 0; // 0 = retry forever; otherwise give up after this many
};

// Exponential backoff with jitter: each call to next() is one more attempt.
class Backoff {
public:
    explicit Backoff(BackoffPolicy policy = {}, quint32 seed = QRandomGenerator::global()->generate());

    const BackoffPolicy &policy() const { return m_policy; }
    void setPolicy(const BackoffPolicy &policy) { m_policy = policy; }

    // The largest delay attempt n (1-based) may wait: min(cap, base × factor^(n-1)).
    std::chrono::milliseconds ceilingFor(int attempt) const;

    // Counts one more attempt and returns how long to wait before it. With `rateLimited` the
    // delay is at least the policy's rate-limit floor.
    std::chrono::milliseconds next(bool rateLimited = false);

    int attempts() const { return m_attempts; }
    bool exhausted() const { return m_policy.maxAttempts > 0 && m_attempts >= m_policy.maxAttempts; }
    void reset() { m_attempts = 0; }

private:
    BackoffPolicy m_policy;
    QRandomGenerator m_random;
    int m_attempts = 0;
};

} // namespace tf
