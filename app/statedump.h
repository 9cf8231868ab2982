#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QVariant>

class QAbstractItemModel;

namespace tf {

class ConnectionStatus;
class Diagnostics;

// The pieces of `--dump-state`: what the app shows, as JSON a test or a support ticket can read.
namespace statedump {

// A model value as JSON: dates as ISO 8601 UTC with milliseconds, NaN/infinite/undefined as null,
// maps and lists (also QList<qreal> sparkline histories) recursively.
QJsonValue toJson(const QVariant &value);
// Every row of a list model as {roleName: value}.
QJsonArray modelRows(const QAbstractItemModel &model);
// The status bar's view of the connection.
QJsonObject status(const ConnectionStatus &status);
// The diagnostics panel's figures (the latency history as its length, the errors in full).
QJsonObject diagnostics(const Diagnostics &diagnostics);
// Writes `object` to `path` atomically (a reader never sees half a file). False with *error.
bool writeFile(const QString &path, const QJsonObject &object, QString *error = nullptr);

} // namespace statedump
} // namespace tf
