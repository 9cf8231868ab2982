#pragma once

#include <QDateTime>
#include <QJsonValue>

namespace tf {

// The version of a row for last-writer-wins: microseconds since the epoch (from `updated_at` or a
// `commit_timestamp`), or an integer revision column. An invalid version means "unknown": such a
// change always applies, because nothing can be said about its age.
class RowVersion
{
public:
    constexpr RowVersion() = default;

    static constexpr RowVersion fromValue(qint64 value) { return RowVersion(value); }
    // Milliseconds are all a QDateTime holds; an invalid time gives an invalid version.
    static RowVersion fromDateTime(const QDateTime &time);
    // A JSON string is read as a timestamp (kept to the microsecond, unlike QDateTime), a JSON
    // integer as a revision number. Absent or null: invalid, *ok true. Anything else: invalid,
    // *ok false (the caller rejects the row rather than guessing).
    static RowVersion fromJson(const QJsonValue &value, bool *ok = nullptr);

    constexpr bool isValid() const { return m_valid; }
    constexpr qint64 value() const { return m_value; }

    // True when a change carrying this version must lose against `current`. Unknown versions never
    // lose and never win: they apply.
    constexpr bool isOlderThan(const RowVersion &current) const
    {
        return m_valid && current.m_valid && m_value < current.m_value;
    }
    constexpr bool isNewerThan(const RowVersion &current) const
    {
        return m_valid && current.m_valid && m_value > current.m_value;
    }

    // The newer of two versions; an invalid one counts as older than any valid one.
    static constexpr RowVersion newest(const RowVersion &a, const RowVersion &b)
    {
        if (!a.m_valid)
            return b;
        if (!b.m_valid)
            return a;
        return a.m_value >= b.m_value ? a : b;
    }

    friend constexpr bool operator==(const RowVersion &, const RowVersion &) = default;

private:
    constexpr explicit RowVersion(qint64 value) : m_value(value), m_valid(true) { }

    qint64 m_value = 0;
    bool m_valid = false;
};

// Parses a Postgres/ISO-8601 timestamp as PostgREST and Realtime send it
// (`2026-08-21T10:15:30.120511+00:00`, `…123Z`, `2026-08-21 10:15:30+00`, `…+0530`) into UTC. A
// time without an offset is taken as UTC. With `micros`, also returns microseconds since the epoch,
// which QDateTime (milliseconds) cannot hold. Strict: anything else (no time part, out-of-range
// fields, trailing text) gives an invalid QDateTime.
QDateTime parseTimestamp(const QString &text, qint64 *micros = nullptr);

} // namespace tf
