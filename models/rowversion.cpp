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

namespace {
// Reads `count` ASCII digits at `pos`.
bool readDigits(QStringView s, qsizetype pos, int count, int *out)
{
    if (pos + count > s.size())
        return false;
    int value = 0;
    for (qsizetype i = pos; i < pos + count; ++i) {
        const char16_t c = s.at(i).unicode();
        if (c < u'0' || c > u'9')
            return false;
        value = value * 10 + (c - u'0');
    }
    *out = value;
    return true;
}

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = int(y - era * 400);
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
} // namespace

QDateTime parseTimestamp(const QString &text, qint64 *micros)
{
    // Hand-parsed: this runs once or twice per incoming row, and QDateTime::fromString costs
    // ~50 times more than these few digit reads.
    const QStringView s = QStringView(text).trimmed();
    int year, month, day, hour, minute, second;
    if (s.size() < 19 || !readDigits(s, 0, 4, &year) || s.at(4) != u'-' || !readDigits(s, 5, 2, &month)
        || s.at(7) != u'-' || !readDigits(s, 8, 2, &day) || (s.at(10) != u'T' && s.at(10) != u' ')
        || !readDigits(s, 11, 2, &hour) || s.at(13) != u':' || !readDigits(s, 14, 2, &minute)
        || s.at(16) != u':' || !readDigits(s, 17, 2, &second))
        return {};
    if (!QDate::isValid(year, month, day) || hour > 23 || minute > 59 || second > 59)
        return {};

    qsizetype pos = 19;
    qint64 fraction = 0; // microseconds below the second; finer digits are dropped
    if (pos < s.size() && s.at(pos) == u'.') {
        int digits = 0;
        while (++pos < s.size() && s.at(pos).isDigit()) {
            if (digits++ < 6)
                fraction = fraction * 10 + s.at(pos).digitValue();
        }
        if (digits == 0)
            return {};
        for (; digits < 6; ++digits)
            fraction *= 10;
    }

    int offsetSeconds = 0; // none: Postgres `timestamp` without zone, taken as UTC
    if (pos < s.size()) {
        const QChar sign = s.at(pos);
        if (sign == u'Z' || sign == u'z') {
            ++pos;
        } else if (sign == u'+' || sign == u'-') {
            int hours = 0, minutes = 0;
            if (!readDigits(s, pos + 1, 2, &hours))
                return {};
            pos += 3;
            if (pos < s.size() && s.at(pos) == u':')
                ++pos;
            if (pos < s.size() && (!readDigits(s, pos, 2, &minutes) || (pos += 2, false)))
                return {};
            if (hours > 23 || minutes > 59)
                return {};
            offsetSeconds = (hours * 3600 + minutes * 60) * (sign == u'-' ? -1 : 1);
        }
        if (pos != s.size())
            return {}; // trailing garbage
    }

    const qint64 seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
            - offsetSeconds;
    const qint64 us = seconds * 1000000 + fraction;
    if (micros)
        *micros = us;
    const qint64 ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

} // namespace tf
