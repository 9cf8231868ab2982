#pragma once

#include "backoff.h"
#include "errorclass.h"
#include "pagedselect.h"
#include "postgreschange.h"
#include "postgrestquery.h"
#include "tablespec.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <optional>

namespace tf {

class KeyedRowModel;
class PostgrestClient;

// Keeps one model level with one of the user's tables: buffer → REST read → apply → replay.
//
//   hold()         a gap began (or is about to be closed): live changes wait in a buffer
//   sync(kind)     read the table over REST and bring the model level with it, then replay the
//                  buffer; last-writer-wins drops buffered changes the read already contains
//   apply(change)  a live change: buffered while holding, applied at once otherwise
//
// Two kinds of read:
//  * Full: every row (keyset-paged), then KeyedRowModel::reconcile(): rows deleted meanwhile
//    go, new ones come, changed ones change, with minimal row operations and never a reset.
//  * CatchUp: only rows stamped at or after the newest version seen (`<version>=gte.<since>`,
//    '+' sent as %2B) plus the list of keys. The key list proves that no row of the model was
//    deleted meanwhile; if one was, the catch-up turns into a Full read. A table without a
//    version column, or one never read since reset(), always gets a Full read.
// A read that fails is retried with backoff (syncFailed() says why each time); the buffer keeps
// filling meanwhile. A buffer that overflows is dropped and the read restarted as Full: a read
// sent after the dropped changes arrived contains them all, deletes included.
class TableSync : public QObject
{
    Q_OBJECT

public:
    enum class Kind { Full, CatchUp };
    Q_ENUM(Kind)

    struct Options {
        int pageSize = 1000; // at or below the project's max-rows (Supabase default 1,000)
        // A catch-up starts this long before the newest version seen: Postgres stamps now() at
        // the start of a transaction, so a long transaction can commit a row stamped before rows
        // already seen. Re-reading the margin is cheap and idempotent (last-writer-wins).
        std::chrono::milliseconds catchUpOverlap{2000};
        int maxBufferedChanges = 50000;
        BackoffPolicy retry{std::chrono::milliseconds(500), 2.0, std::chrono::milliseconds(10000), true,
                            std::chrono::milliseconds(5000), 0};
    };

    // The model must be keyed and versioned as docs/models.md says for this table.
    TableSync(const TableSpec &spec, KeyedRowModel *model, PostgrestClient *rest, QObject *parent = nullptr);
    ~TableSync() override;

    const TableSpec &spec() const { return m_spec; }
    KeyedRowModel *model() const { return m_model; }
    void setOptions(const Options &options);
    const Options &options() const { return m_options; }
    void setUserId(const QString &userId) { m_userId = userId; }
    QString userId() const { return m_userId; }
    // Newest-first tables read at most this many rows (the model's row limit); 0 = all.
    void setMaxRows(int rows) { m_maxRows = rows; }

    void hold();
    // Starts a read now (an earlier one still running is dropped). CatchUp falls back to Full when
    // a catch-up cannot be trusted (see the class comment).
    void sync(Kind kind);
    void apply(const PostgresChange &change);
    // Forgets everything: read in flight, retry, buffer, versions seen. The model is not touched.
    void reset();

    bool isHolding() const { return m_holding; }
    bool isSyncing() const { return m_syncing; }
    bool hasSynced() const { return m_synced; }
    // Level with the server and applying live changes as they come.
    bool isCurrent() const { return m_synced && !m_syncing && !m_holding; }
    Kind currentKind() const { return m_kind; }
    int bufferedCount() const { return int(m_buffer.size()); }
    qint64 lastSeenMicros() const { return m_lastSeenMicros; }

    // What is sent, public so tests can check the wire text.
    PostgrestQuery ownRowsQuery() const;     // select=*&<owner>=eq.<user>
    PostgrestQuery changedRowsQuery() const; // …&<version>=gte.<since>
    PostgrestQuery keysQuery() const;        // select=<model key fields>,<keyset column>&<owner>=eq.<user>
    QString catchUpSince() const;            // newest version seen minus the overlap, as a timestamp
    // Microseconds since the epoch as Postgres prints a timestamptz: 2026-08-21T10:15:30.120511+00:00.
    static QString formatTimestamp(qint64 micros);
    // The version a DELETE is applied at: commit_timestamp carries milliseconds while updated_at
    // carries microseconds, so a delete committed in the same millisecond as the row's last
    // update would look older than the row and be ignored; the whole millisecond counts.
    static QDateTime deletionVersion(const PostgresChange &change);

Q_SIGNALS:
    void syncStarted(tf::TableSync::Kind kind);
    // The model is level with the server as of the read, and the buffer has been replayed.
    // `kind` is what was actually done (a catch-up that found deletes reports Full).
    void synced(tf::TableSync::Kind kind);
    // A read failed; it is retried after a backoff. `what` names the request (no secrets).
    void syncFailed(const tf::ClientError &error, const QString &what);
    // Server rows handed to the model: read rows and live INSERT/UPDATE records, in that order.
    // The model may still refuse a stale one (last-writer-wins).
    void recordsApplied(const QList<QJsonObject> &records);

private:
    Kind chooseKind(Kind requested) const;
    void startRead();
    PagedSelect *makeSelect(const PostgrestQuery &query, bool newestFirst, int maxRows);
    void abortReads();
    void onFullRead(const QList<QJsonObject> &rows);
    void onCatchUpPart();
    void onReadFailed(const ClientError &error, const QString &what);
    void finish();
    void applyNow(const PostgresChange &change);
    void noteVersion(const QJsonObject &record);

    TableSpec m_spec;
    KeyedRowModel *m_model;
    PostgrestClient *m_rest;
    Options m_options;
    QString m_userId;
    int m_maxRows = 0;

    bool m_holding = false;
    bool m_syncing = false;
    bool m_synced = false;
    bool m_forceFull = false; // the buffer overflowed: only a full read is sure to cover it
    Kind m_kind = Kind::Full;
    QList<PostgresChange> m_buffer;
    qint64 m_lastSeenMicros = 0; // 0 = none yet

    QPointer<PagedSelect> m_fullRead;
    QPointer<PagedSelect> m_changedRead;
    QPointer<PagedSelect> m_keysRead;
    std::optional<QList<QJsonObject>> m_changedRows;
    std::optional<QList<QJsonObject>> m_keyRows;

    Backoff m_backoff;
    QTimer m_retryTimer;
};

} // namespace tf
