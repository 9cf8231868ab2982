#include "synctestsupport.h"

#include "recordreader.h"
#include "rowstore.h"
#include "rowversion.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace std::chrono_literals;

namespace synctest {

tf::sim::SimConfig fastSimConfig()
{
    tf::sim::SimConfig config;
    config.seed = 7;
    config.symbolCount = 8;
    config.tickHz = 4;
    config.tokenLifetime = std::chrono::seconds(8);
    config.realtime.joinErrorDelay = 100ms;
    config.realtime.postgresSubscribeDelay = 30ms;
    config.simulatedTraders = 2;
    config.traderChurnInterval = 2000ms;
    config.restartDowntime = 150ms;
    return config;
}

tf::RealtimeOptions fastRealtimeOptions(const QUrl &url, const QString &apiKey)
{
    tf::RealtimeOptions options;
    options.projectUrl = url;
    options.apiKey = apiKey;
    options.heartbeatInterval = 250ms;
    options.heartbeatTimeout = 500ms;
    options.connectTimeout = 2000ms;
    options.reconnect = tf::BackoffPolicy{50ms, 2.0, 400ms, true, 300ms, 0};
    options.network.useSystemReachability = false;
    options.network.followApplicationState = false;
    options.tokenRefreshMargin = 1000ms;
    options.channelDefaults.joinTimeout = 3000ms;
    options.channelDefaults.pushTimeout = 3000ms;
    options.channelDefaults.rejoinBackoff = tf::BackoffPolicy{50ms, 2.0, 400ms, true, 300ms, 0};
    return options;
}

Harness::Harness(const tf::sim::SimConfig &config, QObject *parent)
    : QObject(parent)
    , m_sim(std::make_unique<tf::sim::SimServer>(config))
{
    for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{&m_positions, &m_trades, &m_quotes,
                                                                               &m_presence, &m_orders})
        watchModel(model);
}

Harness::~Harness()
{
    m_service.reset();
    m_realtime.reset();
}

QString Harness::userId() const
{
    return m_sim->demoTrader().userId;
}

QString Harness::rivalId() const
{
    return m_sim->demoTraders().value(1).userId;
}

bool Harness::setUp(tf::FeedMode mode, std::optional<tf::RealtimeOptions> options)
{
    if (!m_sim->isRunning() && !m_sim->start())
        return false;
    m_gotrue = std::make_unique<tf::GoTrueClient>(m_sim->url(), m_sim->anonKey());
    m_tokens = std::make_unique<tf::TokenStore>(QStringLiteral("TradingFloorSyncTest"), new tf::InMemorySecretBackend,
                                                nullptr);
    m_session = std::make_unique<tf::AuthSession>(m_gotrue.get(), m_tokens.get());
    m_session->setRetryPolicy(tf::BackoffPolicy{100ms, 2.0, 1000ms, true, 300ms, 0});
    QSignalSpy signedIn(m_session.get(), &tf::AuthSession::signedIn);
    m_session->signInWithPassword(m_sim->demoTrader().email, m_sim->demoTrader().password);
    if (!signedIn.wait(10000))
        return false;

    m_rest = std::make_unique<tf::PostgrestClient>(m_sim->url(), m_sim->anonKey());
    m_rest->setTokenProvider(m_session.get());
    m_rest->setTransferTimeout(5000ms);

    m_realtime = std::make_unique<tf::RealtimeClient>(options ? *options : fastRealtimeOptions(m_sim->url(), m_sim->anonKey()));
    connect(m_session.get(), &tf::AuthSession::accessTokenChanged, m_realtime.get(), &tf::RealtimeClient::setAccessToken);
    connect(m_realtime.get(), &tf::RealtimeClient::accessTokenRequired, m_session.get(), &tf::AuthSession::refreshNow);
    m_realtime->setAccessToken(m_session->accessToken());

    m_service = std::make_unique<tf::SyncService>(
        m_realtime.get(), m_rest.get(), tf::SyncModels{&m_positions, &m_trades, &m_quotes, &m_presence, &m_orders});
    m_service->setFeedMode(mode);
    m_service->setPollInterval(300ms);
    m_service->setFallbackDelay(1500ms);
    m_service->setSocketRetryInterval(1000ms);
    tf::TableSync::Options tableOptions;
    tableOptions.retry = tf::BackoffPolicy{100ms, 2.0, 1000ms, true, 300ms, 0};
    m_service->setTableOptions(tableOptions);
    m_service->setPresenceMeta(QJsonObject{{QStringLiteral("user_id"), userId()},
                                           {QStringLiteral("email"), m_sim->demoTrader().email},
                                           {QStringLiteral("display_name"), QStringLiteral("Demo Trader")}});
    return true;
}

bool Harness::startAndWaitLive(int timeoutMs)
{
    m_service->start(userId());
    m_realtime->connectToServer();
    return QTest::qWaitFor([this] { return m_service->feedState() == tf::ConnectionStatus::FeedState::Live; },
                           timeoutMs);
}

QList<QJsonObject> Harness::storeRows(const QString &table, const QString &user) const
{
    return m_sim->store().rows(table, [user](const QJsonObject &row) {
        return row.value(QStringLiteral("user_id")).toString() == user;
    });
}

QString Harness::firstSymbol() const
{
    return m_sim->market().symbols().value(0);
}

namespace {

struct Column {
    enum Kind { Number, Time, Id, Text, OrderState };
    const char *field;
    int role;
    Kind kind;
};

bool sameValue(const QJsonValue &server, const QVariant &shown, Column::Kind kind)
{
    switch (kind) {
    case Column::Number: {
        if (server.isNull())
            return !shown.isValid();
        const double a = server.isString() ? server.toString().toDouble() : server.toDouble();
        const double b = shown.toDouble();
        return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a));
    }
    case Column::Time:
        return tf::parseTimestamp(server.toString()) == shown.toDateTime();
    case Column::Id:
        return tf::RecordReader::idText(server) == shown.toString();
    case Column::Text:
        return server.toString() == shown.toString();
    case Column::OrderState:
        return int(orderStateForStatus(server.toString())) == shown.toInt();
    }
    return false;
}

QString compareTable(const char *name, const tf::KeyedRowModel &model, const QList<QJsonObject> &rows,
                     const char *keyField, std::initializer_list<Column> columns)
{
    QStringList problems;
    if (model.count() != rows.size())
        problems.append(QStringLiteral("%1 rows shown, %2 on the server").arg(model.count()).arg(rows.size()));
    for (const QJsonObject &row : rows) {
        const QString key = tf::RecordReader::idText(row.value(QLatin1String(keyField)));
        if (model.indexOfKey(key) < 0) {
            problems.append(QStringLiteral("%1 missing").arg(key));
            continue;
        }
        for (const Column &column : columns) {
            const QJsonValue server = row.value(QLatin1String(column.field));
            const QVariant shown = model.valueForKey(key, column.role);
            if (!sameValue(server, shown, column.kind)) {
                problems.append(QStringLiteral("%1.%2: shown %3, server %4")
                                    .arg(key, QLatin1String(column.field), shown.toString(),
                                         server.toVariant().toString()));
            }
        }
        if (problems.size() > 8)
            break;
    }
    if (problems.isEmpty())
        return {};
    return QLatin1String(name) + u": " + problems.join(QStringLiteral("; "));
}

} // namespace

tf::OrderModel::State orderStateForStatus(const QString &status)
{
    using S = tf::OrderModel::State;
    if (status == u"new" || status == u"accepted")
        return S::Accepted;
    if (status == u"partially_filled")
        return S::PartiallyFilled;
    if (status == u"filled")
        return S::Filled;
    if (status == u"cancel_requested")
        return S::CancelRequested;
    if (status == u"canceled")
        return S::Canceled;
    if (status == u"rejected")
        return S::Rejected;
    return S::Unknown;
}

QString positionsDiff(const tf::PositionModel &model, const QList<QJsonObject> &rows)
{
    using R = tf::PositionModel;
    return compareTable("positions", model, rows, "id",
                        {{"symbol", R::SymbolRole, Column::Text},
                         {"qty", R::QtyRole, Column::Number},
                         {"avg_price", R::AvgPriceRole, Column::Number},
                         {"realized_pnl", R::RealizedPnlRole, Column::Number},
                         {"updated_at", R::UpdatedAtRole, Column::Time}});
}

QString tradesDiff(const tf::TradeModel &model, const QList<QJsonObject> &rows)
{
    using R = tf::TradeModel;
    return compareTable("trades", model, rows, "id",
                        {{"symbol", R::SymbolRole, Column::Text},
                         {"qty", R::QtyRole, Column::Number},
                         {"price", R::PriceRole, Column::Number},
                         {"executed_at", R::TimeRole, Column::Time},
                         {"order_id", R::OrderIdRole, Column::Id}});
}

QString ordersDiff(const tf::OrderModel &model, const QList<QJsonObject> &rows)
{
    using R = tf::OrderModel;
    return compareTable("orders", model, rows, "client_order_id",
                        {{"id", R::OrderIdRole, Column::Id},
                         {"symbol", R::SymbolRole, Column::Text},
                         {"status", R::StateRole, Column::OrderState},
                         {"filled_qty", R::FilledQtyRole, Column::Number},
                         {"updated_at", R::UpdatedAtRole, Column::Time}});
}

void watchModel(QAbstractItemModel *model)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::Fatal, model);
}

QString Harness::positionsDiff() const
{
    return synctest::positionsDiff(m_positions, storeRows(QStringLiteral("positions")));
}

QString Harness::tradesDiff() const
{
    return synctest::tradesDiff(m_trades, storeRows(QStringLiteral("trades")));
}

QString Harness::ordersDiff() const
{
    return synctest::ordersDiff(m_orders, storeRows(QStringLiteral("orders")));
}

QString Harness::allDiff() const
{
    QStringList parts;
    for (const QString &diff : {positionsDiff(), tradesDiff(), ordersDiff()}) {
        if (!diff.isEmpty())
            parts.append(diff);
    }
    return parts.join(u'\n');
}

} // namespace synctest
