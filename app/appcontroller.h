#pragma once

#include "appmodels.h"
#include "appsettings.h"
#include "connectionstatus.h"
#include "diagnostics.h"
#include "launchoptions.h"
#include "livesession.h"
#include "orderentry.h"
#include "ordermodel.h"
#include "positionmodel.h"
#include "presencemodel.h"
#include "quotemodel.h"
#include "serverconnection.h"
#include "trademodel.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;
class QSettings;

namespace tf {

class DemoBackend;
class SessionManager;

struct AppControllerOptions {
    ConnectionOptions connection;  // realtime tuning, where secrets live
    QString queuePath;             // the order queue file; empty = its default
    std::chrono::milliseconds pollInterval{5000};
};

// The `app` object the QML views bind to (qml/Main.qml: `required property QtObject app`):
// the models, the connection status, order entry, diagnostics and settings, plus panel
// visibility and toasts (notify). It composes small pieces and owns no logic of its own beyond
// routing: DemoBackend (embedded simulator), SessionManager (sign-in, one ServerConnection),
// LiveSession (sync service + order desk of the signed-in session), Diagnostics, OrderEntry,
// AppSettings. See docs/app.md.
class AppController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(tf::PositionModel *positions READ positions CONSTANT)
    Q_PROPERTY(tf::TradeModel *trades READ trades CONSTANT)
    Q_PROPERTY(tf::QuoteModel *quotes READ quotes CONSTANT)
    Q_PROPERTY(tf::PresenceModel *presence READ presence CONSTANT)
    Q_PROPERTY(tf::OrderModel *orders READ orders CONSTANT)
    Q_PROPERTY(tf::ConnectionStatus *status READ status CONSTANT)
    Q_PROPERTY(tf::OrderEntry *orderEntry READ orderEntry CONSTANT)
    Q_PROPERTY(tf::Diagnostics *diagnostics READ diagnostics CONSTANT)
    Q_PROPERTY(tf::AppSettings *settings READ settings CONSTANT)

public:
    // The panels setPanelVisible() knows.
    static const QStringList &panelNames();

    // `settings` (not owned, may be null = the application's QSettings) holds the preferences.
    explicit AppController(const AppControllerOptions &options = {}, QSettings *settings = nullptr,
                           QObject *parent = nullptr);
    ~AppController() override;

    PositionModel *positions() const { return m_positions; }
    TradeModel *trades() const { return m_trades; }
    QuoteModel *quotes() const { return m_quotes; }
    PresenceModel *presence() const { return m_presence; }
    OrderModel *orders() const { return m_orders; }
    ConnectionStatus *status() const { return m_status; }
    OrderEntry *orderEntry() const { return m_orderEntry; }
    Diagnostics *diagnostics() const { return m_diagnostics; }
    AppSettings *settings() const { return m_settings; }

    DemoBackend *demo() const { return m_demo; }
    SessionManager *sessions() const { return m_sessions; }
    LiveSession *liveSession() const { return m_live; }

    // Connects as the launch options say: the demo, or the configured server (restoring the
    // stored session of its e-mail; without one the sign-in page asks for the password).
    void start(const ServerSettings &server);

    // Hidden panels release their channels; shown ones subscribe again. Unknown names are
    // ignored with a warning.
    Q_INVOKABLE void setPanelVisible(const QString &name, bool visible);
    Q_INVOKABLE bool isPanelVisible(const QString &name) const;
    // "Retry now": reconnects at once (fresh attempt count, no backoff wait) and sends the order
    // backlog without waiting for its retry timer.
    Q_INVOKABLE void retryNow();

    // Everything --dump-state writes (models, status, pending orders, diagnostics, panels, and the
    // window through the UI probe when one is set).
    QJsonObject stateDump() const;
    void setUiProbe(std::function<QJsonObject()> probe) { m_uiProbe = std::move(probe); }

Q_SIGNALS:
    // A toast: kind "info" | "success" | "warning" | "error".
    void notify(const QString &kind, const QString &text);
    // A session's live data started (tests, scripted checks).
    void liveSessionChanged();

private:
    void onSessionStarted(ServerConnection *connection);
    void onSessionEnding(ServerConnection *connection);
    void onOrderEvent(const QString &clientOrderId, const QString &kind, const QString &text);
    void updateRoomWanted();
    void clearModels();
    FeedMode feedMode() const;

    AppControllerOptions m_options;
    QNetworkAccessManager *m_network;
    PositionModel *m_positions;
    TradeModel *m_trades;
    QuoteModel *m_quotes;
    PresenceModel *m_presence;
    OrderModel *m_orders;
    ConnectionStatus *m_status;
    Diagnostics *m_diagnostics;
    OrderEntry *m_orderEntry;
    DemoBackend *m_demo;
    SessionManager *m_sessions;
    AppSettings *m_settings;
    LiveSession *m_live = nullptr;
    QHash<QString, bool> m_panels;
    std::optional<FeedMode> m_launchFeed; // the command line's --feed wins over the saved one
    std::function<QJsonObject()> m_uiProbe;
    QElapsedTimer m_sinceStart; // for the "live after N ms" log line
    bool m_wasLive = false;
};

} // namespace tf
