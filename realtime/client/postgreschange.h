#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace tf {

// One column of a change as the server describes it: name and Postgres typname ("int8", "_text").
struct PostgresColumn {
    QString name;
    QString type;

    friend bool operator==(const PostgresColumn &, const PostgresColumn &) = default;
};

// One row change, typed, whichever way it arrived: a `postgres_changes` message (protocol doc
// §5.1) or a broadcast from the database (§6.5). Models key rows by primary key: with RLS a
// DELETE's oldRecord holds only the primary key columns.
struct PostgresChange {
    Q_GADGET

public:
    enum class Type { Insert, Update, Delete };
    Q_ENUM(Type)

    QString schema;
    QString table;
    Type type = Type::Insert;
    QJsonObject newRecord;     // INSERT and UPDATE
    QJsonObject oldRecord;     // UPDATE and DELETE (primary key only unless REPLICA IDENTITY FULL)
    QDateTime commitTimestamp; // UTC, millisecond precision; invalid when the server sent none
    QStringList errors;        // e.g. "Error 401: Unauthorized"; records may then be empty
    QList<PostgresColumn> columns; // empty for database broadcasts

    // The record filters and keys look at: the old image for DELETE, the new one otherwise.
    const QJsonObject &record() const { return type == Type::Delete ? oldRecord : newRecord; }

    // Parses a `postgres_changes` message payload ({"ids":[…],"data":{…}}). Never throws:
    // malformed input gives nullopt and, if asked, the reason.
    static std::optional<PostgresChange> fromPostgresChangesPayload(const QJsonObject &payload,
                                                                    QString *reason = nullptr);
    // Parses the inner payload of a broadcast sent by realtime.broadcast_changes() or an equivalent
    // trigger: {schema, table, operation, record, old_record}. `event` (the broadcast's user event)
    // stands in for a missing `operation`.
    static std::optional<PostgresChange> fromDatabaseBroadcast(const QString &event, const QJsonValue &payload,
                                                               QString *reason = nullptr);

    friend bool operator==(const PostgresChange &, const PostgresChange &) = default;
};

QString changeTypeName(PostgresChange::Type type); // "INSERT", "UPDATE", "DELETE"
std::optional<PostgresChange::Type> changeTypeFromName(QStringView name); // case-insensitive

} // namespace tf

Q_DECLARE_METATYPE(tf::PostgresChange)
