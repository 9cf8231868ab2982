#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace tf::queuefile {

// Helpers for the queue's SQLite file and its side files; internal to tf_queue.

// The files SQLite keeps next to `path` (write-ahead log, shared memory, rollback journal).
QStringList sideFiles(const QString &path);

// Creates an empty file readable and writable by its owner only (an empty file is a valid new
// SQLite database). Creating it with those permissions, rather than fixing them afterwards,
// leaves no moment in which others could open it.
bool createOwnerOnly(const QString &path, QString *error);

// Makes `path` and its existing side files owner-only. SQLite gives new side files the main
// file's mode, but files left by an older build or copied in by hand may be wider.
void restrictToOwner(const QString &path);

enum class Header {
    Valid,      // a SQLite header, or an empty file (a valid new database)
    NotSqlite,  // anything else: garbage, or shorter than a header
    Unreadable, // could not be read at all (permissions, I/O): not evidence of corruption
};
// Checks the first bytes of `path`; `problem` describes anything but Valid.
Header checkHeader(const QString &path, QString *problem);

// Moves `path` and its side files to `<path>.corrupt-<UTC yyyyMMddTHHmmssZ>[-n]`. Returns the new
// main file's path, or an empty string with `error` set.
QString moveAside(const QString &path, const QDateTime &nowUtc, QString *error);

} // namespace tf::queuefile
