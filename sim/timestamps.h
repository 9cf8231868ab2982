#pragma once

#include <QString>

#include <optional>

namespace tf::sim {

// Time as Postgres and Realtime print it. The store keeps microseconds since the epoch (UTC)
// because timestamptz has microsecond precision and catch-up queries compare at that grain.
namespace Timestamps {

qint64 nowMicros();

// timestamptz as PostgREST/to_jsonb print it: 2026-08-21T10:15:30.120511+00:00 (trailing zeros
// of the fraction dropped, no fraction at all on a whole second).
QString formatTimestamptz(qint64 micros);

// Realtime's commit_timestamp: UTC, millisecond precision, 2026-08-21T10:15:30.123Z.
QString formatCommitTimestamp(qint64 micros);

// Parses what Postgres accepts for timestamptz in the forms clients send: a date, an optional
// time ('T' or one space as separator) with up to 6 fraction digits, and an optional zone
// (Z, +HH, +HH:MM, +HHMM, same with -). No zone means UTC (the session time zone of Supabase).
// Returns nullopt for anything else, e.g. "...30.120511 00:00" (a '+' decoded as a space).
std::optional<qint64> parseTimestamptz(QStringView text);

} // namespace Timestamps
} // namespace tf::sim
