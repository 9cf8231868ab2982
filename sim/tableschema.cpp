#include "tableschema.h"

#include "timestamps.h"

#include <QUuid>

#include <cmath>

namespace tf::sim {

namespace {

DbError invalidInput(const ColumnDef &column, const QString &text)
{
    DbError error;
    error.httpStatus = 400;
    switch (column.type) {
    case ColumnType::Timestamptz:
        error.code = QStringLiteral("22007");
        error.message = QStringLiteral("invalid input syntax for type timestamp with time zone: \"%1\"").arg(text);
        break;
    case ColumnType::Enum:
        error.code = QStringLiteral("22P02");
        error.message = QStringLiteral("invalid input value for enum %1: \"%2\"").arg(column.enumName, text);
        break;
    default:
        error.code = QStringLiteral("22P02");
        error.message = QStringLiteral("invalid input syntax for type %1: \"%2\"").arg(column.sqlTypeName(), text);
        break;
    }
    return error;
}

std::optional<QJsonValue> fail(DbError *out, DbError error)
{
    if (out)
        *out = std::move(error);
    return std::nullopt;
}

QString jsonAsText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::floor(d) == d && std::abs(d) < 9.0e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    default:
        return {};
    }
}

} // namespace

QString ColumnDef::pgTypeName() const
{
    switch (type) {
    case ColumnType::Int8: return QStringLiteral("int8");
    case ColumnType::Numeric: return QStringLiteral("numeric");
    case ColumnType::Text: return QStringLiteral("text");
    case ColumnType::Uuid: return QStringLiteral("uuid");
    case ColumnType::Timestamptz: return QStringLiteral("timestamptz");
    case ColumnType::Bool: return QStringLiteral("bool");
    case ColumnType::Enum: return enumName;
    }
    return {};
}

QString ColumnDef::sqlTypeName() const
{
    switch (type) {
    case ColumnType::Int8: return QStringLiteral("bigint");
    case ColumnType::Numeric: return QStringLiteral("numeric");
    case ColumnType::Text: return QStringLiteral("text");
    case ColumnType::Uuid: return QStringLiteral("uuid");
    case ColumnType::Timestamptz: return QStringLiteral("timestamp with time zone");
    case ColumnType::Bool: return QStringLiteral("boolean");
    case ColumnType::Enum: return enumName;
    }
    return {};
}

std::optional<QJsonValue> ColumnDef::castText(const QString &text, DbError *error) const
{
    switch (type) {
    case ColumnType::Int8: {
        bool ok = false;
        const qint64 v = text.trimmed().toLongLong(&ok);
        if (!ok)
            return fail(error, invalidInput(*this, text));
        return QJsonValue(v);
    }
    case ColumnType::Numeric: {
        bool ok = false;
        const double v = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return fail(error, invalidInput(*this, text));
        return QJsonValue(v);
    }
    case ColumnType::Text:
        return QJsonValue(text);
    case ColumnType::Uuid: {
        const QUuid uuid = QUuid::fromString(text.trimmed());
        if (uuid.isNull() && text.trimmed() != u"00000000-0000-0000-0000-000000000000")
            return fail(error, invalidInput(*this, text));
        return QJsonValue(uuid.toString(QUuid::WithoutBraces));
    }
    case ColumnType::Timestamptz: {
        const auto micros = Timestamps::parseTimestamptz(text.trimmed());
        if (!micros)
            return fail(error, invalidInput(*this, text));
        return QJsonValue(Timestamps::formatTimestamptz(*micros));
    }
    case ColumnType::Bool: {
        const QString t = text.trimmed().toLower();
        if (t == u"true" || t == u"t" || t == u"yes" || t == u"on" || t == u"1")
            return QJsonValue(true);
        if (t == u"false" || t == u"f" || t == u"no" || t == u"off" || t == u"0")
            return QJsonValue(false);
        return fail(error, invalidInput(*this, text));
    }
    case ColumnType::Enum:
        if (!enumValues.contains(text))
            return fail(error, invalidInput(*this, text));
        return QJsonValue(text);
    }
    return fail(error, invalidInput(*this, text));
}

std::optional<QJsonValue> ColumnDef::castJson(const QJsonValue &value, DbError *error) const
{
    if (value.isNull() || value.isUndefined())
        return QJsonValue(QJsonValue::Null);
    if (value.isObject() || value.isArray()) {
        DbError e;
        e.code = QStringLiteral("22P02");
        e.message = QStringLiteral("invalid input syntax for type %1").arg(sqlTypeName());
        return fail(error, e);
    }
    switch (type) {
    case ColumnType::Int8:
        if (value.isDouble()) {
            const double d = value.toDouble();
            if (std::floor(d) != d)
                return fail(error, invalidInput(*this, jsonAsText(value)));
            return QJsonValue(qint64(d));
        }
        break;
    case ColumnType::Numeric:
        if (value.isDouble())
            return value;
        break;
    case ColumnType::Bool:
        if (value.isBool())
            return value;
        break;
    default:
        break;
    }
    return castText(jsonAsText(value), error);
}

int ColumnDef::compare(const QJsonValue &a, const QJsonValue &b) const
{
    const auto three = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (type) {
    case ColumnType::Int8:
    case ColumnType::Numeric:
        return three(a.toDouble(), b.toDouble());
    case ColumnType::Bool:
        return three(int(a.toBool()), int(b.toBool()));
    case ColumnType::Timestamptz:
        return three(Timestamps::parseTimestamptz(a.toString()).value_or(0),
                     Timestamps::parseTimestamptz(b.toString()).value_or(0));
    case ColumnType::Enum:
        return three(enumValues.indexOf(a.toString()), enumValues.indexOf(b.toString()));
    case ColumnType::Text:
    case ColumnType::Uuid:
        return three(a.toString(), b.toString());
    }
    return 0;
}

const ColumnDef *TableDef::column(QStringView columnName) const
{
    for (const ColumnDef &c : columns) {
        if (c.name == columnName)
            return &c;
    }
    return nullptr;
}

QStringList TableDef::columnNames() const
{
    QStringList names;
    for (const ColumnDef &c : columns)
        names.append(c.name);
    return names;
}

} // namespace tf::sim
