#include "queueschema.h"

#include "logging.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <initializer_list>
#include <iterator>

namespace tf::queueschema {

namespace {

// Each migration's statements end with its own literal user_version: PRAGMA takes no bound
// parameters, and keeping the number in the text avoids building SQL at run time.
const std::initializer_list<const char *> kMigrationV1 = {
    "CREATE TABLE queue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE orders ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT," // insertion order: FIFO, never reused
    " client_order_id TEXT NOT NULL UNIQUE,"
    " user_id TEXT NOT NULL,"
    " symbol TEXT NOT NULL,"
    " side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),"
    " quantity REAL NOT NULL CHECK (quantity > 0),"
    " order_type TEXT NOT NULL CHECK (order_type IN ('market', 'limit')),"
    " limit_price REAL,"
    " created_at INTEGER NOT NULL," // ms since the epoch, UTC
    " state TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '',"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " last_attempt_at INTEGER,"
    " server_id TEXT,"
    " updated_at INTEGER NOT NULL)",
    "CREATE INDEX orders_state ON orders (state, updated_at)",
    "PRAGMA user_version = 1",
};

const std::initializer_list<const char *> kMigrationV2 = {
    "ALTER TABLE orders ADD COLUMN last_error TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE orders ADD COLUMN ever_sent INTEGER NOT NULL DEFAULT 0",
    // v1 did not record whether a send started; an attempt or a server id proves one did.
    "UPDATE orders SET ever_sent = 1 WHERE attempts > 0 OR server_id IS NOT NULL"
    " OR state IN ('sending', 'accepted', 'cancel_requested', 'filled')",
    "CREATE INDEX orders_user_fifo ON orders (user_id, state, seq)",
    "PRAGMA user_version = 2",
};

const std::initializer_list<const char *> kMigrations[] = {kMigrationV1, kMigrationV2};
static_assert(int(std::size(kMigrations)) == kCurrentVersion);

QString sqlErrorText(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        *error = sqlErrorText(query.lastError());
        return false;
    }
    return true;
}

} // namespace

int version(QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        *error = sqlErrorText(query.lastError());
        return -1;
    }
    return query.value(0).toInt();
}

bool hasForeignTables(QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) || !query.next()) {
        *error = sqlErrorText(query.lastError());
        return false;
    }
    return query.value(0).toInt() > 0;
}

bool migrate(QSqlDatabase &db, int fromVersion, QString *error)
{
    for (int target = fromVersion + 1; target <= kCurrentVersion; ++target) {
        if (!exec(db, QStringLiteral("BEGIN IMMEDIATE"), error))
            return false;
        for (const char *statement : kMigrations[target - 1]) {
            if (!exec(db, QString::fromLatin1(statement), error)) {
                *error = QStringLiteral("migration to schema %1 failed: %2").arg(target).arg(*error);
                QString ignored;
                exec(db, QStringLiteral("ROLLBACK"), &ignored);
                return false;
            }
        }
        if (!exec(db, QStringLiteral("COMMIT"), error)) {
            QString ignored;
            exec(db, QStringLiteral("ROLLBACK"), &ignored);
            return false;
        }
        qCInfo(lcOrders) << "order queue schema migrated to version" << target;
    }
    return true;
}

} // namespace tf::queueschema
