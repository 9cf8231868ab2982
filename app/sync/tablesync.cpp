#include "tablesync.h"

#include "keyedrowmodel.h"
#include "postgrestclient.h"
#include "rowversion.h"
#include "synclogging.h"

#include <QTimeZone>

namespace tf {

TableSync::TableSync(const TableSpec &spec, KeyedRowModel *model, PostgrestClient *rest, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_model(model)
    , m_rest(rest)
    , m_backoff(m_options.retry)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &TableSync::startRead);
}

TableSync::~TableSync()
{
    abortReads();
}

void TableSync::setOptions(const Options &options)
{
    m_options = options;
    if (m_options.pageSize < 1)
        m_options.pageSize = 1;
    m_backoff.setPolicy(options.retry);
}

void TableSync::hold()
{
    if (m_syncing) {
        // The read in flight may predate the gap that just began: the next sync() reads anew.
        abortReads();
        m_retryTimer.stop();
        m_syncing = false;
    }
    if (!m_holding)
        qCDebug(lcSync, "%s: holding live changes", qPrintable(m_spec.table));
    m_holding = true;
}

TableSync::Kind TableSync::chooseKind(Kind requested) const
{
    if (requested == Kind::Full || m_forceFull || !m_synced || m_spec.versionColumn.isEmpty() || m_lastSeenMicros == 0)
        return Kind::Full;
    return Kind::CatchUp;
}

void TableSync::sync(Kind kind)
{
    abortReads();
    m_retryTimer.stop();
    m_holding = true;
    m_syncing = true;
    m_kind = chooseKind(kind);
    startRead();
}

void TableSync::reset()
{
    abortReads();
    m_retryTimer.stop();
    m_buffer.clear();
    m_holding = false;
    m_syncing = false;
    m_synced = false;
    m_forceFull = false;
    m_kind = Kind::Full;
    m_lastSeenMicros = 0;
    m_backoff.reset();
}

// --- reads -----------------------------------------------------------------------------------

PostgrestQuery TableSync::ownRowsQuery() const
{
    PostgrestQuery query;
    query.select(QStringLiteral("*"));
    if (!m_userId.isEmpty() && !m_spec.ownerColumn.isEmpty())
        query.eq(m_spec.ownerColumn, m_userId);
    return query;
}

PostgrestQuery TableSync::changedRowsQuery() const
{
    PostgrestQuery query = ownRowsQuery();
    query.gte(m_spec.versionColumn, catchUpSince());
    return query;
}

PostgrestQuery TableSync::keysQuery() const
{
    QStringList columns = m_model->keyFields();
    if (!columns.contains(m_spec.keysetColumn))
        columns.append(m_spec.keysetColumn);
    PostgrestQuery query;
    query.select(columns.join(u','));
    if (!m_userId.isEmpty() && !m_spec.ownerColumn.isEmpty())
        query.eq(m_spec.ownerColumn, m_userId);
    return query;
}

QString TableSync::catchUpSince() const
{
    const qint64 overlap = qint64(m_options.catchUpOverlap.count()) * 1000;
    return formatTimestamp(std::max<qint64>(0, m_lastSeenMicros - overlap));
}

QString TableSync::formatTimestamp(qint64 micros)
{
    qint64 seconds = micros / 1000000;
    qint64 fraction = micros % 1000000;
    if (fraction < 0) {
        fraction += 1000000;
        --seconds;
    }
    return QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
        + u'.' + QString::number(fraction).rightJustified(6, u'0') + QStringLiteral("+00:00");
}

QDateTime TableSync::deletionVersion(const PostgresChange &change)
{
    if (!change.commitTimestamp.isValid())
        return {}; // unknown: the model deletes at the row's own version
    return change.commitTimestamp.addMSecs(1);
}

PagedSelect *TableSync::makeSelect(const PostgrestQuery &query, bool newestFirst, int maxRows)
{
    PagedSelect::Request request;
    request.table = m_spec.table;
    request.query = query;
    request.keyColumn = m_spec.keysetColumn;
    request.descending = newestFirst;
    request.pageSize = m_options.pageSize;
    request.maxRows = maxRows;
    auto *select = new PagedSelect(m_rest, request, this);
    connect(select, &PagedSelect::failed, this, &TableSync::onReadFailed);
    return select;
}

void TableSync::startRead()
{
    abortReads();
    const int limit = m_spec.newestFirst ? m_maxRows : 0;
    qCDebug(lcSync, "%s: %s read", qPrintable(m_spec.table), m_kind == Kind::Full ? "full" : "catch-up");
    Q_EMIT syncStarted(m_kind);
    if (m_kind == Kind::Full) {
        m_fullRead = makeSelect(ownRowsQuery(), m_spec.newestFirst, limit);
        connect(m_fullRead, &PagedSelect::finished, this, &TableSync::onFullRead);
        m_fullRead->start();
        return;
    }
    m_changedRead = makeSelect(changedRowsQuery(), m_spec.newestFirst, limit);
    connect(m_changedRead, &PagedSelect::finished, this, [this](const QList<QJsonObject> &rows) {
        m_changedRows = rows;
        onCatchUpPart();
    });
    m_keysRead = makeSelect(keysQuery(), m_spec.newestFirst, limit);
    connect(m_keysRead, &PagedSelect::finished, this, [this](const QList<QJsonObject> &rows) {
        m_keyRows = rows;
        onCatchUpPart();
    });
    m_changedRead->start();
    m_keysRead->start();
}

void TableSync::abortReads()
{
    for (QPointer<PagedSelect> *read : {&m_fullRead, &m_changedRead, &m_keysRead}) {
        if (PagedSelect *select = read->data()) {
            select->disconnect(this);
            select->abort();
            select->deleteLater();
        }
        *read = nullptr;
    }
    m_changedRows.reset();
    m_keyRows.reset();
}

void TableSync::onFullRead(const QList<QJsonObject> &rows)
{
    abortReads();
    m_model->reconcile(rows);
    for (const QJsonObject &row : rows)
        noteVersion(row);
    m_forceFull = false;
    qCInfo(lcSync, "%s: reconciled with %d server rows, replaying %d buffered changes", qPrintable(m_spec.table),
           int(rows.size()), int(m_buffer.size()));
    Q_EMIT recordsApplied(rows);
    finish();
}

void TableSync::onCatchUpPart()
{
    if (!m_changedRows || !m_keyRows)
        return;
    const QList<QJsonObject> changed = *std::exchange(m_changedRows, std::nullopt);
    const QList<QJsonObject> keys = *std::exchange(m_keyRows, std::nullopt);
    abortReads();

    for (const QJsonObject &row : changed) {
        m_model->upsert(row);
        noteVersion(row);
    }
    m_model->flush();
    if (!changed.isEmpty())
        Q_EMIT recordsApplied(changed);

    // Every row the model shows must still be on the server; the key list says which are.
    int listed = 0;
    for (const QJsonObject &key : keys) {
        const QString modelKey = m_model->keyOf(key);
        if (!modelKey.isNull() && m_model->indexOfKey(modelKey) >= 0)
            ++listed;
    }
    if (listed != m_model->count()) {
        qCInfo(lcSync, "%s: %d of %d rows are no longer listed on the server (deleted meanwhile): full read",
               qPrintable(m_spec.table), m_model->count() - listed, m_model->count());
        m_kind = Kind::Full;
        startRead();
        return;
    }
    qCInfo(lcSync, "%s: caught up with %d changed rows, replaying %d buffered changes", qPrintable(m_spec.table),
           int(changed.size()), int(m_buffer.size()));
    finish();
}

void TableSync::onReadFailed(const ClientError &error, const QString &what)
{
    abortReads();
    const std::chrono::milliseconds delay = m_backoff.next(error.errorClass == ErrorClass::RateLimit);
    qCWarning(lcSync, "%s: read failed (%s: %s); retry %d in %lld ms", qPrintable(m_spec.table), qPrintable(what),
              qPrintable(error.toString()), m_backoff.attempts(), qlonglong(delay.count()));
    m_retryTimer.start(delay);
    Q_EMIT syncFailed(error, what);
}

void TableSync::finish()
{
    m_syncing = false;
    m_holding = false;
    m_synced = true;
    m_backoff.reset();
    const QList<PostgresChange> buffered = std::exchange(m_buffer, {});
    for (const PostgresChange &change : buffered)
        applyNow(change);
    Q_EMIT synced(m_kind);
}

// --- live changes ------------------------------------------------------------------------------

void TableSync::apply(const PostgresChange &change)
{
    if (change.table != m_spec.table || change.schema != m_spec.schema) {
        qCDebug(lcSync, "%s: ignoring a change of %s.%s", qPrintable(m_spec.table), qPrintable(change.schema),
                qPrintable(change.table));
        return;
    }
    if (!change.errors.isEmpty()) {
        // E.g. "Error 413: Payload Too Large": the record is incomplete or missing. Read the row
        // instead of applying half of it.
        qCWarning(lcSync, "%s: %s came with errors (%s): reading the table again", qPrintable(m_spec.table),
                  qPrintable(changeTypeName(change.type)), qPrintable(change.errors.join(u"; ")));
        sync(m_syncing ? m_kind : Kind::CatchUp);
        return;
    }
    if (!m_holding) {
        applyNow(change);
        return;
    }
    if (m_buffer.size() >= m_options.maxBufferedChanges) {
        qCWarning(lcSync, "%s: %d buffered changes, dropping them; a full read covers them", qPrintable(m_spec.table),
                  int(m_buffer.size()));
        m_buffer.clear();
        m_forceFull = true;
        if (m_syncing)
            sync(Kind::Full); // sent after every dropped change arrived, so it contains them all
        return;
    }
    m_buffer.append(change);
}

void TableSync::applyNow(const PostgresChange &change)
{
    switch (change.type) {
    case PostgresChange::Type::Insert:
    case PostgresChange::Type::Update:
        if (change.newRecord.isEmpty()) {
            qCWarning(lcSync, "%s: %s without a record ignored", qPrintable(m_spec.table),
                      qPrintable(changeTypeName(change.type)));
            return;
        }
        // Versioned by the record's own column (updated_at / executed_at), the clock REST reads share.
        m_model->upsert(change.newRecord);
        noteVersion(change.newRecord);
        Q_EMIT recordsApplied({change.newRecord});
        return;
    case PostgresChange::Type::Delete:
        m_model->removeRecord(change.oldRecord, deletionVersion(change));
        return;
    }
}

void TableSync::noteVersion(const QJsonObject &record)
{
    if (m_spec.versionColumn.isEmpty())
        return;
    const QJsonValue value = record.value(m_spec.versionColumn);
    if (!value.isString())
        return;
    qint64 micros = 0;
    if (parseTimestamp(value.toString(), &micros).isValid())
        m_lastSeenMicros = std::max(m_lastSeenMicros, micros);
}

} // namespace tf
