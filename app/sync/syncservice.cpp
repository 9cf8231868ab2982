#include "syncservice.h"

#include "databasebroadcastfeed.h"
#include "floorroom.h"
#include "ordermodel.h"
#include "pollingfallback.h"
#include "positionmodel.h"
#include "postgreschangesfeed.h"
#include "presencemodel.h"
#include "quotemodel.h"
#include "realtimeclient.h"
#include "synclogging.h"
#include "trademodel.h"

namespace tf {

SyncService::SyncService(RealtimeClient *realtime, PostgrestClient *rest, SyncModels models, QObject *parent)
    : QObject(parent)
    , m_realtime(realtime)
    , m_rest(rest)
    , m_models(models)
    , m_fallback(new PollingFallback(realtime->socket(), this))
    , m_room(new FloorRoom(realtime, models.quotes, models.presence, this))
    , m_orderGate(QStringLiteral("id"), QStringLiteral("updated_at"))
{
    if (models.positions && models.quotes && !models.positions->quoteSource())
        models.positions->setQuoteSource(models.quotes);
    if (models.positions)
        addTable(TableSpec::positions(), models.positions);
    if (models.trades)
        addTable(TableSpec::trades(), models.trades);
    if (models.orders)
        addTable(TableSpec::orders(), models.orders);

    connect(m_fallback, &PollingFallback::pollingChanged, this, &SyncService::onPollingChanged);
    connect(m_fallback, &PollingFallback::pollDue, this, &SyncService::onPollDue);
    connect(m_room, &FloorRoom::problem, this, &SyncService::syncError);
}

SyncService::~SyncService()
{
    stop();
}

void SyncService::addTable(const TableSpec &spec, KeyedRowModel *model)
{
    auto *table = new TableSync(spec, model, m_rest, this);
    connect(table, &TableSync::synced, this, [this, table] {
        m_failingTables.remove(table->spec().table);
        if (m_fallback->isPolling())
            m_fallback->pollSucceeded();
        onTableSynced();
    });
    connect(table, &TableSync::syncFailed, this, [this, table](const ClientError &error, const QString &) {
        // Said once per streak of failures: the retries that follow are in the log.
        if (!m_failingTables.contains(table->spec().table)) {
            m_failingTables.insert(table->spec().table);
            Q_EMIT syncError(QStringLiteral("Could not load %1 (retrying): %2").arg(table->spec().table, error.message));
        }
    });
    if (model == m_models.orders) {
        connect(table, &TableSync::recordsApplied, this, [this](const QList<QJsonObject> &records) {
            for (const QJsonObject &record : records) {
                if (m_orderGate.admit(record))
                    Q_EMIT orderRecordReceived(record);
            }
        });
    }
    m_tables.append(table);
}

TableSync *SyncService::tableSync(const QString &table) const
{
    for (TableSync *sync : m_tables) {
        if (sync->spec().table == table)
            return sync;
    }
    return nullptr;
}

void SyncService::setFeedMode(FeedMode mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    if (m_started) {
        const QString user = m_userId;
        stop();
        start(user);
    }
}

void SyncService::setPollInterval(std::chrono::milliseconds interval)
{
    m_fallback->setPollInterval(interval);
}

void SyncService::setFallbackDelay(std::chrono::milliseconds delay)
{
    m_fallback->setFallbackDelay(delay);
}

void SyncService::setSocketRetryInterval(std::chrono::milliseconds interval)
{
    m_fallback->setSocketRetryInterval(interval);
}

void SyncService::setTableOptions(const TableSync::Options &options)
{
    for (TableSync *table : std::as_const(m_tables))
        table->setOptions(options);
}

void SyncService::setPresenceMeta(const QJsonObject &meta)
{
    m_room->setPresenceMeta(meta);
}

void SyncService::setQuotesWanted(bool wanted)
{
    m_quotesWanted = wanted;
    if (!m_started)
        return;
    if (wanted)
        m_room->join(m_userId);
    else
        m_room->leave();
}

void SyncService::setConnectionStatus(ConnectionStatus *status)
{
    m_status = status;
    if (!status)
        return;
    status->setMetrics(m_realtime->metrics());
    status->setFeedState(m_state);
}

void SyncService::start(const QString &userId)
{
    if (userId.isEmpty()) {
        Q_EMIT syncError(QStringLiteral("Cannot sync without a signed-in user"));
        return;
    }
    stop();
    if (!m_lastUserId.isEmpty() && m_lastUserId != userId) {
        // Another account: nothing of the previous one may stay on screen.
        qCInfo(lcSync, "switching account: clearing the models");
        for (TableSync *table : std::as_const(m_tables))
            table->model()->clear();
        m_orderGate.clear();
    }
    m_userId = userId;
    m_lastUserId = userId;
    m_started = true;
    for (TableSync *table : std::as_const(m_tables)) {
        table->reset();
        table->setUserId(userId);
        table->hold();
    }
    setState(ConnectionStatus::FeedState::CatchingUp);
    m_fallback->start(); // before the feed: a feed that is live at once must find it watching
    startFeed();
    if (m_quotesWanted)
        m_room->join(userId);
}

void SyncService::stop()
{
    if (!m_started)
        return;
    m_started = false;
    m_fallback->stop();
    if (m_feed) {
        m_feed->disconnect(this);
        m_feed->stop();
        m_feed.reset();
    }
    m_room->leave();
    for (TableSync *table : std::as_const(m_tables))
        table->reset();
    m_failingTables.clear();
    m_feedProblems.clear();
    setState(ConnectionStatus::FeedState::Idle);
}

void SyncService::startFeed()
{
    if (m_mode == FeedMode::DatabaseBroadcast)
        m_feed = std::make_unique<DatabaseBroadcastFeed>(m_realtime);
    else
        m_feed = std::make_unique<PostgresChangesFeed>(m_realtime);
    ChangeFeed *feed = m_feed.get();
    connect(feed, &ChangeFeed::live, this, &SyncService::onFeedLive);
    connect(feed, &ChangeFeed::interrupted, this, &SyncService::onFeedInterrupted);
    connect(feed, &ChangeFeed::problem, this, [this](const QString &message) {
        // A refused join comes back with every retry: say each distinct problem once per outage.
        if (m_feedProblems.contains(message))
            return;
        m_feedProblems.insert(message);
        Q_EMIT syncError(message);
    });
    connect(feed, &ChangeFeed::changeReceived, this, [this](const PostgresChange &change) {
        for (TableSync *table : std::as_const(m_tables)) {
            if (table->spec().table == change.table) {
                table->apply(change);
                return;
            }
        }
    });
    QList<TableSpec> specs;
    for (TableSync *table : std::as_const(m_tables))
        specs.append(table->spec());
    qCInfo(lcSync, "syncing %d tables over %s", int(specs.size()), qPrintable(feed->kindName()));
    feed->start(m_userId, specs);
}

void SyncService::prepareRead(TableSync *table) const
{
    if (m_models.trades && table->model() == m_models.trades)
        table->setMaxRows(m_models.trades->maxRows());
}

void SyncService::onFeedLive(ChangeFeed::Gap gap)
{
    m_feedProblems.clear();
    m_fallback->feedLive();
    // After a (re)join anything may have happened, deletes included: read everything. A
    // resubscribe on a channel that stayed joined is a short gap: catch up (which still turns
    // into a full read when the key list shows a delete).
    const TableSync::Kind kind = gap == ChangeFeed::Gap::Resubscribe ? TableSync::Kind::CatchUp : TableSync::Kind::Full;
    setState(ConnectionStatus::FeedState::CatchingUp);
    for (TableSync *table : std::as_const(m_tables)) {
        prepareRead(table);
        table->sync(kind);
    }
}

void SyncService::onFeedInterrupted(const QString &reason)
{
    qCInfo(lcSync, "live updates interrupted (%s): holding changes until the feed is back", qPrintable(reason));
    for (TableSync *table : std::as_const(m_tables))
        table->hold();
    m_fallback->feedLost();
    if (!m_fallback->isPolling())
        setState(ConnectionStatus::FeedState::CatchingUp);
}

bool SyncService::allTablesCurrent() const
{
    for (TableSync *table : m_tables) {
        if (!table->isCurrent())
            return false;
    }
    return true;
}

void SyncService::onTableSynced()
{
    if (!m_started || !allTablesCurrent())
        return;
    if (m_feed && m_feed->isLive())
        setState(ConnectionStatus::FeedState::Live);
    else if (m_fallback->isPolling())
        setState(ConnectionStatus::FeedState::Polling);
    Q_EMIT snapshotApplied();
}

void SyncService::onPollingChanged(bool polling)
{
    if (!m_started)
        return;
    if (polling) {
        setState(ConnectionStatus::FeedState::Polling);
        Q_EMIT syncError(QStringLiteral("Live updates are unavailable; refreshing every %1 s")
                             .arg(double(m_fallback->pollInterval().count()) / 1000.0));
    } else {
        setState(ConnectionStatus::FeedState::CatchingUp);
    }
}

void SyncService::onPollDue()
{
    if (!m_started)
        return;
    for (TableSync *table : std::as_const(m_tables)) {
        if (table->isSyncing())
            continue; // the previous poll (or its retry) is still at it
        prepareRead(table);
        table->sync(TableSync::Kind::CatchUp);
    }
}

void SyncService::setState(ConnectionStatus::FeedState state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCInfo(lcSync) << "feed state" << state;
    if (m_status)
        m_status->setFeedState(state);
    Q_EMIT feedStateChanged(state);
}

} // namespace tf
