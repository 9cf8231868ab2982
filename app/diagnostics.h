#pragma once

#include "connectionstatus.h"
#include "latencyhistory.h"
#include "realtimeclient.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>

#include <functional>

namespace tf {

// What the Diagnostics panel shows and "Copy for support" copies: the realtime client's metrics,
// a 10-minute heartbeat latency history, the channels and their states, and the last errors
// (the client's own plus what the app reports: sync, sign-in and queue problems). Survives
// reconnects and server switches: setClient() moves it to the new client. Never holds a token.
class Diagnostics : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QDateTime connectedSince READ connectedSince NOTIFY metricsChanged)
    Q_PROPERTY(int disconnects READ disconnects NOTIFY metricsChanged)
    Q_PROPERTY(double messagesReceived READ messagesReceived NOTIFY metricsChanged)
    Q_PROPERTY(double bytesReceived READ bytesReceived NOTIFY metricsChanged)
    Q_PROPERTY(double messagesPerSecond READ messagesPerSecond NOTIFY metricsChanged)
    Q_PROPERTY(double framesDropped READ framesDropped NOTIFY metricsChanged)
    Q_PROPERTY(double latencyMs READ latencyMs NOTIFY metricsChanged)
    Q_PROPERTY(double averageLatencyMs READ averageLatencyMs NOTIFY metricsChanged)
    Q_PROPERTY(QVariantList latencyHistory READ latencyHistory NOTIFY latencyHistoryChanged)
    Q_PROPERTY(QVariantList channels READ channels NOTIFY channelsChanged)
    Q_PROPERTY(QVariantList lastErrors READ lastErrors NOTIFY lastErrorsChanged)
    Q_PROPERTY(QString server READ server NOTIFY serverChanged)

public:
    static constexpr int MaxErrors = 50;

    explicit Diagnostics(QObject *parent = nullptr);

    // The client to watch (null while signed out). A new client starts a new latency history.
    void setClient(RealtimeClient *client);
    RealtimeClient *client() const { return m_client; }
    // For the support text: the state in words and the signed-in user.
    void setStatus(ConnectionStatus *status) { m_status = status; }
    // Where we are connected ("demo (embedded simulator)", or the project URL without secrets).
    void setServer(const QString &description);
    // For tests: the clock (UTC) used to stamp samples and errors.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    QDateTime connectedSince() const;
    int disconnects() const;
    double messagesReceived() const;
    double bytesReceived() const;
    double messagesPerSecond() const;
    double framesDropped() const;
    double latencyMs() const;
    double averageLatencyMs() const;
    QVariantList latencyHistory() const { return m_history.toVariantList(); }
    const LatencyHistory &history() const { return m_history; }
    QVariantList channels() const { return m_channels; }
    QVariantList lastErrors() const;
    QString server() const { return m_server; }

    // Everything above as plain text for a support ticket (no tokens, no keys).
    Q_INVOKABLE QString asText() const;

public Q_SLOTS:
    // An app-level problem worth seeing in the panel (sync, sign-in, queue).
    void recordError(const QString &text);

Q_SIGNALS:
    void metricsChanged();
    void latencyHistoryChanged();
    void channelsChanged();
    void lastErrorsChanged();
    void serverChanged();

private:
    struct ErrorEntry {
        QDateTime at;
        QString text;
    };

    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTimeUtc(); }
    void sampleLatency();
    void pruneHistory();
    void refreshChannels();
    void watchChannel(const QString &name);
    void onClientError(const ClientError &error, const QString &source);

    QPointer<RealtimeClient> m_client;
    QPointer<ConnectionStatus> m_status;
    QString m_server;
    LatencyHistory m_history;
    QVariantList m_channels;
    QList<ErrorEntry> m_errors; // oldest first, at most MaxErrors
    QTimer m_pruneTimer;
    std::function<QDateTime()> m_clock;
};

} // namespace tf
