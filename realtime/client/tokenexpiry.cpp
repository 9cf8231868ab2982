#include "tokenexpiry.h"

#include "logging.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

namespace tf {

std::optional<QDateTime> jwtExpiry(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(parts.at(1).toLatin1(),
                                                        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                                                            | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QJsonDocument payload = QJsonDocument::fromJson(*decoded);
    const QJsonValue exp = payload.object().value(QStringLiteral("exp"));
    if (!payload.isObject() || !exp.isDouble())
        return std::nullopt;
    // Past the year 9999 is not a usable expiry, and converting a double outside qint64's range
    // (an exp of 1e300) would be undefined behaviour.
    constexpr double maxExpiry = 253402300799.0;
    if (!(qAbs(exp.toDouble()) <= maxExpiry))
        return std::nullopt;
    // toUTC() rather than a Qt::TimeSpec argument, which newer Qt deprecates.
    return QDateTime::fromSecsSinceEpoch(qint64(exp.toDouble())).toUTC();
}

TokenExpiry::TokenExpiry(std::chrono::milliseconds margin, QObject *parent)
    : QObject(parent)
    , m_margin(margin)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &TokenExpiry::recheck);
}

void TokenExpiry::setMargin(std::chrono::milliseconds margin)
{
    m_margin = margin;
    arm();
}

void TokenExpiry::setToken(const QString &token)
{
    m_expiresAt = jwtExpiry(token);
    m_announced = false;
    if (!m_expiresAt && !token.isEmpty())
        qCDebug(lcAuth) << "access token has no readable exp; its refresh is not scheduled";
    arm();
}

QDateTime TokenExpiry::refreshAt() const
{
    if (!m_expiresAt || m_announced)
        return QDateTime();
    return m_expiresAt->addMSecs(-m_margin.count());
}

void TokenExpiry::setWallClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    arm();
}

void TokenExpiry::recheck()
{
    if (!m_expiresAt || m_announced)
        return;
    const qint64 now = m_clock();
    const qint64 due = refreshAt().toMSecsSinceEpoch();
    if (now < due) {
        arm();
        return;
    }
    m_announced = true;
    const qint64 left = m_expiresAt->toMSecsSinceEpoch() - now;
    const QString reason = left > 0 ? QStringLiteral("access token expires in %1 s").arg(left / 1000)
                                    : QStringLiteral("access token expired %1 s ago").arg(-left / 1000);
    qCInfo(lcAuth).noquote() << reason << "— asking for a new one";
    Q_EMIT refreshDue(reason);
}

void TokenExpiry::arm()
{
    m_timer.stop();
    if (!m_expiresAt || m_announced)
        return;
    const qint64 wait = refreshAt().toMSecsSinceEpoch() - m_clock();
    if (wait <= 0) {
        // Already due: say so from the event loop, after the caller has finished setting up.
        m_timer.start(0);
        return;
    }
    // QTimer takes an int; a longer wait simply re-arms when it fires.
    m_timer.start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
}

} // namespace tf
