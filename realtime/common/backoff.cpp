#include "backoff.h"

#include <algorithm>
#include <cmath>

namespace tf {

Backoff::Backoff(BackoffPolicy policy, quint32 seed)
    : m_policy(policy)
    , m_random(seed)
{
}

std::chrono::milliseconds Backoff::ceilingFor(int attempt) const
{
    const double exponent = std::max(0, attempt - 1);
    const double raw = double(m_policy.base.count()) * std::pow(std::max(1.0, m_policy.factor), exponent);
    const double capped = std::min(raw, double(m_policy.cap.count()));
    return std::chrono::milliseconds(qint64(capped));
}

std::chrono::milliseconds Backoff::next(bool rateLimited)
{
    ++m_attempts;
    const qint64 ceiling = ceilingFor(m_attempts).count();
    qint64 delay = ceiling;
    if (m_policy.fullJitter && ceiling > 0)
        delay = qint64(m_random.bounded(quint64(ceiling) + 1));
    if (rateLimited)
        delay = std::max(delay, qint64(m_policy.rateLimitFloor.count()));
    return std::chrono::milliseconds(delay);
}

} // namespace tf
