#include "appcontroller.h"

#include "applogging.h"
#include "authsession.h"
#include "demobackend.h"
#include "sessionmanager.h"
#include "statedump.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QStandardPaths>

namespace tf {

namespace {

// Toast kind for an order event of the desk.
QString toastKindFor(const QString &eventKind)
{
    if (eventKind == u"filled" || eventKind == u"sent" || eventKind == u"accepted")
        return QStringLiteral("success");
    if (eventKind == u"rejected" || eventKind == u"failed")
        return QStringLiteral("error");
    if (eventKind == u"queued")
        return QStringLiteral("warning");
    return QStringLiteral("info");
}

} // namespace

const QStringList &AppController::panelNames()
{
    static const QStringList names{QStringLiteral("positions"), QStringLiteral("trades"), QStringLiteral("watchlist"),
                                   QStringLiteral("orders"),    QStringLiteral("presence"), QStringLiteral("diagnostics")};
    return names;
}

AppController::AppController(const AppControllerOptions &options, QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_network(new QNetworkAccessManager(this))
    , m_positions(new PositionModel(this))
    , m_trades(new TradeModel(this))
    , m_quotes(new QuoteModel(this))
    , m_presence(new PresenceModel(this))
    , m_orders(new OrderModel(this))
    , m_status(new ConnectionStatus(this))
    , m_diagnostics(new Diagnostics(this))
    , m_orderEntry(new OrderEntry(m_quotes, this))
    , m_demo(new DemoBackend(this))
    , m_sessions(new SessionManager(m_demo, m_network, this))
    , m_settings(new AppSettings(m_sessions, settings, this))
{
    m_sinceStart.start();
    for (const QString &panel : panelNames())
        m_panels.insert(panel, true);
    m_positions->setQuoteSource(m_quotes);
    m_diagnostics->setStatus(m_status);
    m_sessions->setConnectionOptions(options.connection);

    connect(m_sessions, &SessionManager::sessionStarted, this, &AppController::onSessionStarted);
    connect(m_sessions, &SessionManager::sessionEnding, this, &AppController::onSessionEnding);
    connect(m_sessions, &SessionManager::signInFailed, this, [this](const QString &message) {
        m_diagnostics->recordError(QStringLiteral("sign-in: ") + message);
        Q_EMIT notify(QStringLiteral("error"), message);
    });
    connect(m_settings, &SettingsStore::feedModeChanged, this, [this] {
        m_launchFeed.reset(); // the trader chose in the settings: that wins from now on
        if (m_live)
            m_live->setFeedMode(feedMode());
    });
}

AppController::~AppController()
{
    // The live session talks to the connection: it goes first. Then nothing the session manager
    // says while it is torn down may reach this half-destroyed controller.
    if (m_live)
        onSessionEnding(m_live->connection());
    disconnect(m_sessions, nullptr, this, nullptr);
}

void AppController::start(const ServerSettings &server)
{
    m_launchFeed = server.feed;
    if (server.demo) {
        m_sessions->useDemo();
        return;
    }
    ServerTarget target{server.url, server.anonKey, server.email, false};
    m_diagnostics->setServer(target.describe());
    if (!m_sessions->restore(target))
        qCInfo(lcAppSession) << "no stored session to restore: waiting for the sign-in page";
}

FeedMode AppController::feedMode() const
{
    if (m_launchFeed)
        return *m_launchFeed;
    return feedModeFromName(m_settings->feedMode()).value_or(FeedMode::PostgresChanges);
}

void AppController::onSessionStarted(ServerConnection *connection)
{
    if (m_live)
        onSessionEnding(m_live->connection());
    clearModels(); // another user's or another project's rows must not linger

    LiveSessionOptions options;
    options.feed = feedMode();
    options.queuePath = m_options.queuePath;
    // The demo's exchange forgets everything when the app exits: its orders get their own queue,
    // so they never mix with (or wait for) a real project's.
    if (options.queuePath.isEmpty() && connection->target().demo)
        options.queuePath = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
            + QStringLiteral("/demo-orders.sqlite");
    options.pollInterval = m_options.pollInterval;
    options.roomWanted = m_panels.value(QStringLiteral("watchlist")) || m_panels.value(QStringLiteral("positions"))
        || m_panels.value(QStringLiteral("presence"));
    m_live = new LiveSession(connection, AppModels{m_positions, m_trades, m_quotes, m_presence, m_orders}, options, this);

    connect(m_live, &LiveSession::feedStateChanged, m_status, &ConnectionStatus::setFeedState);
    connect(m_live, &LiveSession::feedStateChanged, this, [this](ConnectionStatus::FeedState state) {
        if (state == ConnectionStatus::FeedState::Live && !m_wasLive) {
            m_wasLive = true;
            qCInfo(lcApp) << "live floor" << m_sinceStart.elapsed() << "ms after the app object was created";
        }
    });
    connect(m_live, &LiveSession::pendingOrdersChanged, m_status, &ConnectionStatus::setPendingOrders);
    connect(m_live, &LiveSession::orderEvent, this, &AppController::onOrderEvent);
    connect(m_live, &LiveSession::syncError, m_diagnostics, [this](const QString &message) {
        m_diagnostics->recordError(QStringLiteral("sync: ") + message);
    });
    connect(m_live, &LiveSession::queueProblem, this, [this](const QString &message) {
        m_diagnostics->recordError(QStringLiteral("orders: ") + message);
        Q_EMIT notify(QStringLiteral("warning"), message);
    });

    m_status->setMetrics(connection->realtime()->metrics());
    m_status->setSignedInUser(connection->session()->email());
    m_diagnostics->setClient(connection->realtime());
    m_diagnostics->setServer(connection->target().describe());
    m_orderEntry->setDesk(m_live->desk());

    m_live->start();
    m_status->setFeedState(m_live->feedState());
    m_status->setPendingOrders(m_live->pendingOrders());
    Q_EMIT liveSessionChanged();
}

void AppController::onSessionEnding(ServerConnection *connection)
{
    if (!m_live || m_live->connection() != connection)
        return;
    m_orderEntry->setDesk(nullptr);
    m_diagnostics->setClient(nullptr);
    m_status->setMetrics(nullptr);
    m_status->setFeedState(ConnectionStatus::FeedState::Idle);
    m_status->setPendingOrders(0);
    m_status->setSignedInUser(QString());
    delete m_live;
    m_live = nullptr;
    clearModels();
    Q_EMIT liveSessionChanged();
}

void AppController::onOrderEvent(const QString &clientOrderId, const QString &kind, const QString &text)
{
    qCInfo(lcAppOrders) << "order" << clientOrderId << kind << text;
    Q_EMIT notify(toastKindFor(kind), text);
}

void AppController::clearModels()
{
    m_positions->clear();
    m_trades->clear();
    m_quotes->clear();
    m_presence->clear();
    m_orders->clear();
}

void AppController::setPanelVisible(const QString &name, bool visible)
{
    if (!m_panels.contains(name)) {
        qCWarning(lcApp) << "setPanelVisible: unknown panel" << name << "- known:" << panelNames();
        return;
    }
    if (m_panels.value(name) == visible)
        return;
    m_panels.insert(name, visible);
    qCDebug(lcApp) << "panel" << name << (visible ? "shown" : "hidden");
    updateRoomWanted();
}

bool AppController::isPanelVisible(const QString &name) const
{
    return m_panels.value(name, false);
}

void AppController::retryNow()
{
    if (!m_live)
        return;
    qCInfo(lcApp) << "retry now requested";
    m_live->retryNow();
}

void AppController::updateRoomWanted()
{
    // room:trading-floor carries the quotes (watchlist, and the positions' last prices) and who
    // is on the floor: it is wanted while any panel showing those is visible.
    const bool wanted = m_panels.value(QStringLiteral("watchlist")) || m_panels.value(QStringLiteral("positions"))
        || m_panels.value(QStringLiteral("presence"));
    if (m_live)
        m_live->setRoomWanted(wanted);
}

QJsonObject AppController::stateDump() const
{
    QJsonObject models{{QStringLiteral("positions"), statedump::modelRows(*m_positions)},
                       {QStringLiteral("trades"), statedump::modelRows(*m_trades)},
                       {QStringLiteral("quotes"), statedump::modelRows(*m_quotes)},
                       {QStringLiteral("presence"), statedump::modelRows(*m_presence)},
                       {QStringLiteral("orders"), statedump::modelRows(*m_orders)}};

    // Orders not yet in a final state: queued, sending, failed (waiting for the trader) or working.
    QJsonArray pending;
    for (const QJsonValue &row : models.value(QStringLiteral("orders")).toArray()) {
        const QJsonObject order = row.toObject();
        const QString state = order.value(QStringLiteral("stateName")).toString();
        if (order.value(QStringLiteral("pending")).toBool() || state == u"queued" || state == u"sending"
            || state == u"failed")
            pending.append(order);
    }

    QJsonObject panels;
    for (auto it = m_panels.cbegin(); it != m_panels.cend(); ++it)
        panels.insert(it.key(), it.value());

    QJsonObject dump{{QStringLiteral("generatedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                     {QStringLiteral("app"), QJsonObject{{QStringLiteral("name"), QCoreApplication::applicationName()},
                                                         {QStringLiteral("version"), QCoreApplication::applicationVersion()}}},
                     {QStringLiteral("server"), m_diagnostics->server()},
                     {QStringLiteral("signedIn"), m_sessions->isSignedIn()},
                     {QStringLiteral("user"), m_sessions->userEmail()},
                     {QStringLiteral("signInError"), m_sessions->signInError()},
                     {QStringLiteral("status"), statedump::status(*m_status)},
                     {QStringLiteral("feedState"),
                      QString::fromLatin1(QMetaEnum::fromType<ConnectionStatus::FeedState>().valueToKey(
                          int(m_live ? m_live->feedState() : ConnectionStatus::FeedState::Idle)))},
                     {QStringLiteral("orderEntry"), QJsonObject{{QStringLiteral("canSubmit"), m_orderEntry->canSubmit()},
                                                                {QStringLiteral("refusalReason"), m_orderEntry->refusalReason()}}},
                     {QStringLiteral("models"), models},
                     {QStringLiteral("pendingOrders"), pending},
                     {QStringLiteral("panels"), panels},
                     {QStringLiteral("diagnostics"), statedump::diagnostics(*m_diagnostics)}};
    if (m_uiProbe)
        dump.insert(QStringLiteral("ui"), m_uiProbe());
    return dump;
}

} // namespace tf
