#include "recordreader.h"

#include "rowversion.h"

#include <cmath>

namespace tf {

namespace {
QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble());
    case QJsonValue::String:
        return u'"' + value.toString().left(40) + u'"';
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("null");
    }
}
} // namespace

bool RecordReader::has(QLatin1String field) const
{
    const QJsonValue v = m_record.value(field);
    return !v.isUndefined() && !v.isNull();
}

void RecordReader::fail(QLatin1String field, const QString &problem)
{
    if (m_error.isEmpty())
        m_error = QString(field) + QStringLiteral(": ") + problem;
}

void RecordReader::wrongType(QLatin1String field, const char *expected, const QJsonValue &got)
{
    fail(field, QStringLiteral("expected %1, got %2").arg(QLatin1String(expected), describe(got)));
}

QJsonValue RecordReader::fetch(QLatin1String field, Need need)
{
    const QJsonValue v = m_record.value(field);
    if ((v.isUndefined() || v.isNull()) && need == Required)
        fail(field, QStringLiteral("missing"));
    return v;
}

QVariant RecordReader::number(QLatin1String field, Need need)
{
    const QJsonValue v = fetch(field, need);
    double d = 0;
    if (v.isDouble()) {
        d = v.toDouble();
    } else if (v.isString()) {
        bool ok = false;
        d = v.toString().trimmed().toDouble(&ok);
        if (!ok) {
            wrongType(field, "a number", v);
            return {};
        }
    } else {
        if (!v.isUndefined() && !v.isNull())
            wrongType(field, "a number", v);
        return {};
    }
    if (!std::isfinite(d)) {
        wrongType(field, "a finite number", v);
        return {};
    }
    return d;
}

QVariant RecordReader::text(QLatin1String field, Need need)
{
    const QJsonValue v = fetch(field, need);
    if (v.isString()) {
        if (need == Required && v.toString().isEmpty())
            fail(field, QStringLiteral("empty"));
        return v.toString();
    }
    if (!v.isUndefined() && !v.isNull())
        wrongType(field, "a string", v);
    return {};
}

QString RecordReader::idText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.0e15)
            return QString::number(value.toInteger());
    }
    return {};
}

QVariant RecordReader::id(QLatin1String field, Need need)
{
    const QJsonValue v = fetch(field, need);
    if (v.isUndefined() || v.isNull())
        return {};
    const QString text = idText(v);
    if (text.isEmpty()) {
        wrongType(field, "an identifier", v);
        return {};
    }
    return text;
}

QVariant RecordReader::time(QLatin1String field, Need need)
{
    const QJsonValue v = fetch(field, need);
    if (v.isUndefined() || v.isNull())
        return {};
    const QDateTime t = v.isString() ? parseTimestamp(v.toString()) : QDateTime();
    if (!t.isValid()) {
        wrongType(field, "a timestamp", v);
        return {};
    }
    return t;
}

} // namespace tf
