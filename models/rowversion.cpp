#include "rowversion.h"

#include <QTimeZone>

#include <cmath>

namespace tf {

RowVersion RowVersion::fromDateTime(const QDateTime &time)
{
    return time.isValid() ? RowVersion(time.toMSecsSinceEpoch() * 1000) : RowVersion();
}

RowVersion RowVersion::fromJson(const QJsonValue &value, bool *ok)
{
    if (ok)
        *ok = true;
    if (value.isUndefined() || value.isNull())
        return {};
    if (value.isString()) {
        qint64 micros = 0;
        if (parseTimestamp(value.toString(), &micros).isValid())
            return RowVersion(micros);
    } else if (value.isDouble()) {
        const double d = value.toDouble();
        // A revision counter; a fractional "version" is not something we can order reliably.
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.0e15)
            return RowVersion(value.toInteger());
    }
    if (ok)
        *ok = false;
    return {};
}

QDateTime parseTimestamp(const QString &text, qint64 *micros)
{
    QString s = text.trimmed();
    // "YYYY-MM-DDTHH:MM:SS" is 19 characters; Postgres' own text form uses a space.
    if (s.size() < 19 || s.at(4) != u'-' || s.at(7) != u'-')
        return {};
    if (s.at(10) == u' ')
        s[10] = u'T';

    qint64 fraction = 0; // microseconds below the second
    if (s.size() > 19 && s.at(19) == u'.') {
        qsizetype end = 20;
        int digits = 0;
        while (end < s.size() && s.at(end).isDigit()) {
            if (digits < 6) {
                fraction = fraction * 10 + s.at(end).digitValue();
                ++digits;
            }
            ++end;
        }
        if (end == 20)
            return {};
        for (; digits < 6; ++digits)
            fraction *= 10;
        s.remove(19, end - 19);
    }

    const QStringView offset = QStringView(s).mid(19);
    if (offset.size() == 3 && (offset.front() == u'+' || offset.front() == u'-'))
        s += QStringLiteral(":00"); // Postgres writes "+00"; Qt wants "+00:00"

    QDateTime time = QDateTime::fromString(s, Qt::ISODate);
    if (!time.isValid())
        return {};
    if (offset.isEmpty())
        time = QDateTime(time.date(), time.time(), QTimeZone::utc());
    time = time.toUTC();
    const qint64 wholeSeconds = time.toMSecsSinceEpoch() * 1000;
    if (micros)
        *micros = wholeSeconds + fraction;
    return time.addMSecs(fraction / 1000);
}

} // namespace tf
