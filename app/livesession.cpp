#include "livesession.h"

#include "applogging.h"
#include "authsession.h"
#include "orderdesk.h"
#include "serverconnection.h"

#if TF_HAVE_SYNC
#include "syncservice.h"
#endif

namespace tf {

LiveSession::LiveSession(ServerConnection *connection, const AppModels &models, const LiveSessionOptions &options,
                         QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_models(models)
    , m_options(options)
{
#if TF_HAVE_SYNC
    m_sync = new SyncService(connection->realtime(), connection->rest(),
                             SyncModels{models.positions, models.trades, models.quotes, models.presence, models.orders},
                             this);
    m_sync->setFeedMode(options.feed);
    m_sync->setPollInterval(options.pollInterval);
    m_sync->setQuotesWanted(options.roomWanted);
    connect(m_sync, &SyncService::feedStateChanged, this, &LiveSession::feedStateChanged);
    connect(m_sync, &SyncService::syncError, this, &LiveSession::syncError);
    connect(m_sync, &SyncService::snapshotApplied, this, &LiveSession::snapshotApplied);
#else
    // SEAM(sync): tf::SyncService (app/sync) feeds the models here once it lands.
    qCWarning(lcAppSession) << "this build has no sync service: the models stay empty";
#endif
    OrderDeskOptions deskOptions;
    deskOptions.queueFile = options.queuePath;
    m_desk = new OrderDesk(deskOptions, connection->rest(), models.orders, this);
    connect(m_desk, &OrderDesk::pendingCountChanged, this, &LiveSession::pendingOrdersChanged);
    connect(m_desk, &OrderDesk::orderEvent, this, &LiveSession::orderEvent);
    connect(m_desk, &OrderDesk::queueProblem, this, &LiveSession::queueProblem);
    connect(m_desk, &OrderDesk::sendingPaused, this, &LiveSession::queueProblem);
    // A fresh token (refresh, or signed in again) lets paused sending resume.
    connect(connection->session(), &AuthSession::accessTokenChanged, m_desk, &OrderDesk::tokenRefreshed);
#if TF_HAVE_SYNC
    connect(m_sync, &SyncService::orderRecordReceived, m_desk, &OrderDesk::applyServerOrder);
#endif
    connect(connection->realtime(), &RealtimeClient::stateChanged, this, &LiveSession::updateOnline);
}

LiveSession::~LiveSession()
{
#if TF_HAVE_SYNC
    m_sync->stop();
#endif
}

void LiveSession::start()
{
    const AuthSession *session = m_connection->session();
    m_userId = session->userId();
#if TF_HAVE_SYNC
    QJsonObject meta{{QStringLiteral("user_id"), m_userId},
                     {QStringLiteral("email"), session->email()},
                     {QStringLiteral("display_name"), session->email().section(u'@', 0, 0)},
                     {QStringLiteral("status"), QStringLiteral("active")}};
    m_sync->setPresenceMeta(meta);
    m_sync->start(m_userId);
#endif
    m_desk->setUserId(m_userId);
    updateOnline();
}

void LiveSession::setFeedMode(FeedMode mode)
{
    if (m_options.feed == mode)
        return;
    m_options.feed = mode;
#if TF_HAVE_SYNC
    qCInfo(lcAppSession) << "switching the change feed to" << feedModeName(mode);
    m_sync->stop();
    m_sync->setFeedMode(mode);
    if (!m_userId.isEmpty())
        m_sync->start(m_userId);
#endif
}

void LiveSession::setRoomWanted(bool wanted)
{
    if (m_options.roomWanted == wanted)
        return;
    m_options.roomWanted = wanted;
#if TF_HAVE_SYNC
    m_sync->setQuotesWanted(wanted);
#endif
}

void LiveSession::retryNow()
{
    m_connection->realtime()->connectToServer();
    if (m_desk)
        m_desk->flush();
}

ConnectionStatus::FeedState LiveSession::feedState() const
{
#if TF_HAVE_SYNC
    return m_sync->feedState();
#else
    return ConnectionStatus::FeedState::Idle;
#endif
}

int LiveSession::pendingOrders() const
{
    return m_desk ? m_desk->pendingCount() : 0;
}

void LiveSession::updateOnline()
{
    // Orders go out while the realtime link is up; otherwise they wait in the durable queue and
    // the trader sees "queued" (a link that cannot even hold a socket is no place to send orders).
    if (m_desk)
        m_desk->setOnline(m_connection->realtime()->state() == RealtimeSocket::State::Connected);
}

} // namespace tf
