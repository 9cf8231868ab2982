#pragma once

#include <QString>

class QSqlDatabase;

namespace tf::queueschema {

// The queue file's schema, versioned with PRAGMA user_version; internal to tf_queue.
//   v1  orders (one row per order with its delivery state) and queue_meta (key/value)
//   v2  orders.last_error, orders.ever_sent (filled from v1 data), index for per-user FIFO
inline constexpr int kCurrentVersion = 2;

// PRAGMA user_version of the open database, or -1 with `error` set.
int version(QSqlDatabase &db, QString *error);

// Whether a version-0 file already holds tables, i.e. is some other program's database.
bool hasForeignTables(QSqlDatabase &db, QString *error);

// Runs every migration above `fromVersion`, each in its own transaction that also sets
// user_version, so a crash leaves the file at the last completed version.
bool migrate(QSqlDatabase &db, int fromVersion, QString *error);

} // namespace tf::queueschema
