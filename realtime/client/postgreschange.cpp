#include "postgreschange.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace tf {

namespace {

std::nullopt_t fail(QString *reason, const QString &why)
{
    if (reason)
        *reason = why;
    return std::nullopt;
}

// A record slot: an object, or absent/null (empty). Anything else is malformed.
bool readRecord(const QJsonObject &data, const QString &key, QJsonObject *out, QString *why)
{
    const QJsonValue value = data.value(key);
    if (value.isObject()) {
        *out = value.toObject();
        return true;
    }
    if (value.isNull() || value.isUndefined())
        return true;
    *why = u"\"%1\" is not an object"_s.arg(key);
    return false;
}

QStringList readErrors(const QJsonValue &value)
{
    QStringList errors;
    if (value.isString()) {
        errors.append(value.toString());
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &entry : array) {
            if (entry.isString())
                errors.append(entry.toString());
        }
    }
    return errors;
}

QList<PostgresColumn> readColumns(const QJsonValue &value)
{
    QList<PostgresColumn> columns;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &entry : array) {
        const QJsonObject column = entry.toObject();
        const QString name = column.value(u"name"_s).toString();
        if (!name.isEmpty())
            columns.append({name, column.value(u"type"_s).toString()});
    }
    return columns;
}

QDateTime readTimestamp(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    const QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return parsed.isValid() ? parsed.toUTC() : QDateTime();
}

// The parts both shapes share: schema, table, type, records.
std::optional<PostgresChange> readCommon(const QJsonObject &data, const QJsonValue &typeValue, QString *reason)
{
    PostgresChange change;
    const QJsonValue schema = data.value(u"schema"_s);
    const QJsonValue table = data.value(u"table"_s);
    if (!schema.isString() || schema.toString().isEmpty())
        return fail(reason, u"missing \"schema\""_s);
    if (!table.isString() || table.toString().isEmpty())
        return fail(reason, u"missing \"table\""_s);
    change.schema = schema.toString();
    change.table = table.toString();

    const auto type = changeTypeFromName(typeValue.toString());
    if (!type)
        return fail(reason, u"unknown change type \"%1\""_s.arg(typeValue.toString()));
    change.type = *type;

    QString why;
    if (!readRecord(data, u"record"_s, &change.newRecord, &why) || !readRecord(data, u"old_record"_s, &change.oldRecord, &why))
        return fail(reason, why);
    return change;
}

} // namespace

QString changeTypeName(PostgresChange::Type type)
{
    switch (type) {
    case PostgresChange::Type::Insert:
        return u"INSERT"_s;
    case PostgresChange::Type::Update:
        return u"UPDATE"_s;
    case PostgresChange::Type::Delete:
        return u"DELETE"_s;
    }
    return {};
}

std::optional<PostgresChange::Type> changeTypeFromName(QStringView name)
{
    if (name.compare(u"INSERT", Qt::CaseInsensitive) == 0)
        return PostgresChange::Type::Insert;
    if (name.compare(u"UPDATE", Qt::CaseInsensitive) == 0)
        return PostgresChange::Type::Update;
    if (name.compare(u"DELETE", Qt::CaseInsensitive) == 0)
        return PostgresChange::Type::Delete;
    return std::nullopt;
}

std::optional<PostgresChange> PostgresChange::fromPostgresChangesPayload(const QJsonObject &payload, QString *reason)
{
    const QJsonValue dataValue = payload.value(u"data"_s);
    if (!dataValue.isObject())
        return fail(reason, u"postgres_changes payload has no \"data\" object"_s);
    const QJsonObject data = dataValue.toObject();

    auto change = readCommon(data, data.value(u"type"_s), reason);
    if (!change)
        return std::nullopt;
    change->errors = readErrors(data.value(u"errors"_s));
    change->columns = readColumns(data.value(u"columns"_s));
    change->commitTimestamp = readTimestamp(data.value(u"commit_timestamp"_s));

    // With 400/401 errors the server sends no records; otherwise a change without its image is
    // unusable for a keyed model, so it is refused rather than delivered half-empty.
    if (change->errors.isEmpty()) {
        if (change->type != Type::Delete && !data.value(u"record"_s).isObject())
            return fail(reason, u"%1 without \"record\""_s.arg(changeTypeName(change->type)));
        if (change->type == Type::Delete && !data.value(u"old_record"_s).isObject())
            return fail(reason, u"DELETE without \"old_record\""_s);
    }
    return change;
}

std::optional<PostgresChange> PostgresChange::fromDatabaseBroadcast(const QString &event, const QJsonValue &payload,
                                                                    QString *reason)
{
    if (!payload.isObject())
        return fail(reason, u"database broadcast payload is not an object"_s);
    const QJsonObject data = payload.toObject();
    const QJsonValue operation = data.contains(u"operation"_s) ? data.value(u"operation"_s) : QJsonValue(event);

    auto change = readCommon(data, operation, reason);
    if (!change)
        return std::nullopt;
    change->commitTimestamp = readTimestamp(data.value(u"commit_timestamp"_s));
    if (change->type != Type::Delete && !data.value(u"record"_s).isObject())
        return fail(reason, u"%1 without \"record\""_s.arg(changeTypeName(change->type)));
    if (change->type == Type::Delete && !data.value(u"old_record"_s).isObject())
        return fail(reason, u"DELETE without \"old_record\""_s);
    return change;
}

} // namespace tf
