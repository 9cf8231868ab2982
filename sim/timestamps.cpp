#include "timestamps.h"

#include <QDate>
#include <QDateTime>
#include <QTimeZone>

#include <chrono>

namespace tf::sim::Timestamps {

namespace {

constexpr qint64 MicrosPerSecond = 1000000;

// Splits micros into whole seconds and the fraction, rounding towards minus infinity so that
// instants before 1970 still print a non-negative fraction.
void split(qint64 micros, qint64 &seconds, qint64 &fraction)
{
    seconds = micros / MicrosPerSecond;
    fraction = micros % MicrosPerSecond;
    if (fraction < 0) {
        fraction += MicrosPerSecond;
        --seconds;
    }
}

QString dateTimePart(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
}

bool readDigits(QStringView text, qsizetype &pos, int count, int &value)
{
    if (pos + count > text.size())
        return false;
    value = 0;
    for (int i = 0; i < count; ++i) {
        const QChar c = text.at(pos + i);
        if (!c.isDigit())
            return false;
        value = value * 10 + c.digitValue();
    }
    pos += count;
    return true;
}

} // namespace

qint64 nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QString formatTimestamptz(qint64 micros)
{
    qint64 seconds = 0;
    qint64 fraction = 0;
    split(micros, seconds, fraction);
    QString text = dateTimePart(seconds);
    if (fraction != 0) {
        QString digits = QStringLiteral("%1").arg(fraction, 6, 10, QLatin1Char('0'));
        while (digits.endsWith(QLatin1Char('0')))
            digits.chop(1);
        text += QLatin1Char('.') + digits;
    }
    return text + QStringLiteral("+00:00");
}

QString formatCommitTimestamp(qint64 micros)
{
    qint64 seconds = 0;
    qint64 fraction = 0;
    split(micros, seconds, fraction);
    return dateTimePart(seconds) + QStringLiteral(".%1Z").arg(fraction / 1000, 3, 10, QLatin1Char('0'));
}

std::optional<qint64> parseTimestamptz(QStringView text)
{
    qsizetype pos = 0;
    int year = 0, month = 0, day = 0;
    if (!readDigits(text, pos, 4, year) || pos >= text.size() || text.at(pos++) != QLatin1Char('-')
        || !readDigits(text, pos, 2, month) || pos >= text.size() || text.at(pos++) != QLatin1Char('-')
        || !readDigits(text, pos, 2, day)) {
        return std::nullopt;
    }
    const QDate date(year, month, day);
    if (!date.isValid())
        return std::nullopt;

    int hour = 0, minute = 0, second = 0;
    qint64 fraction = 0;
    if (pos < text.size() && (text.at(pos) == QLatin1Char('T') || text.at(pos) == QLatin1Char(' '))) {
        ++pos;
        if (!readDigits(text, pos, 2, hour) || pos >= text.size() || text.at(pos++) != QLatin1Char(':')
            || !readDigits(text, pos, 2, minute)) {
            return std::nullopt;
        }
        if (pos < text.size() && text.at(pos) == QLatin1Char(':')) {
            ++pos;
            if (!readDigits(text, pos, 2, second))
                return std::nullopt;
            if (pos < text.size() && text.at(pos) == QLatin1Char('.')) {
                ++pos;
                int digits = 0;
                while (pos < text.size() && text.at(pos).isDigit()) {
                    if (digits < 6) {
                        fraction = fraction * 10 + text.at(pos).digitValue();
                        ++digits;
                    }
                    ++pos;
                }
                if (digits == 0)
                    return std::nullopt;
                for (; digits < 6; ++digits)
                    fraction *= 10;
            }
        }
        if (hour > 23 || minute > 59 || second > 59)
            return std::nullopt;
    }

    int offsetSeconds = 0;
    if (pos < text.size()) {
        const QChar sign = text.at(pos);
        if (sign == QLatin1Char('Z') || sign == QLatin1Char('z')) {
            ++pos;
        } else if (sign == QLatin1Char('+') || sign == QLatin1Char('-')) {
            ++pos;
            int oh = 0, om = 0;
            if (!readDigits(text, pos, 2, oh))
                return std::nullopt;
            if (pos < text.size() && text.at(pos) == QLatin1Char(':'))
                ++pos;
            if (pos < text.size() && !readDigits(text, pos, 2, om))
                return std::nullopt;
            if (oh > 15 || om > 59)
                return std::nullopt;
            offsetSeconds = (oh * 3600 + om * 60) * (sign == QLatin1Char('-') ? -1 : 1);
        } else {
            return std::nullopt;
        }
    }
    if (pos != text.size())
        return std::nullopt;

    const qint64 days = QDate(1970, 1, 1).daysTo(date);
    const qint64 seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return seconds * MicrosPerSecond + fraction;
}

} // namespace tf::sim::Timestamps
