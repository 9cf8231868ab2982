#include "diagnostics.h"

#include "connectionmetrics.h"
#include "connectionstatus.h"
#include "realtimechannel.h"
#include "realtimeclient.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QMetaEnum>
#include <QSysInfo>
#include <QVariantMap>

namespace tf {

namespace {

QString channelStateName(RealtimeChannel::State state)
{
    return QString::fromLatin1(QMetaEnum::fromType<RealtimeChannel::State>().valueToKey(int(state))).toLower();
}

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("—");
}

} // namespace

Diagnostics::Diagnostics(QObject *parent)
    : QObject(parent)
{
    // Old samples fall off even when no heartbeat reply comes (the link is down).
    m_pruneTimer.setInterval(5000);
    connect(&m_pruneTimer, &QTimer::timeout, this, &Diagnostics::pruneHistory);
    m_pruneTimer.start();
}

void Diagnostics::setClient(RealtimeClient *client)
{
    if (m_client == client)
        return;
    if (m_client) {
        disconnect(m_client, nullptr, this, nullptr);
        disconnect(m_client->metrics(), nullptr, this, nullptr);
        disconnect(m_client->channels(), nullptr, this, nullptr);
        for (RealtimeChannel *channel : m_client->channels()->channels())
            disconnect(channel, nullptr, this, nullptr);
    }
    m_client = client;
    m_history.clear();
    if (client) {
        ConnectionMetrics *metrics = client->metrics();
        for (auto signal : {&ConnectionMetrics::stateChanged, &ConnectionMetrics::trafficChanged,
                            &ConnectionMetrics::connectionChanged, &ConnectionMetrics::latencyChanged})
            connect(metrics, signal, this, &Diagnostics::metricsChanged);
        connect(metrics, &ConnectionMetrics::latencyChanged, this, &Diagnostics::sampleLatency);
        connect(client, &RealtimeClient::errorOccurred, this, &Diagnostics::onClientError);
        ChannelManager *manager = client->channels();
        connect(manager, &ChannelManager::channelAdded, this, [this](const QString &name) {
            watchChannel(name);
            refreshChannels();
        });
        connect(manager, &ChannelManager::channelRemoved, this, &Diagnostics::refreshChannels);
        for (RealtimeChannel *channel : manager->channels())
            watchChannel(channel->name());
    }
    refreshChannels();
    Q_EMIT metricsChanged();
    Q_EMIT latencyHistoryChanged();
}

void Diagnostics::setServer(const QString &description)
{
    if (m_server == description)
        return;
    m_server = description;
    Q_EMIT serverChanged();
}

QDateTime Diagnostics::connectedSince() const
{
    return m_client ? m_client->metrics()->connectedSince() : QDateTime();
}

int Diagnostics::disconnects() const
{
    return m_client ? m_client->metrics()->disconnectCount() : 0;
}

double Diagnostics::messagesReceived() const
{
    return m_client ? double(m_client->metrics()->messagesReceived()) : 0;
}

double Diagnostics::bytesReceived() const
{
    return m_client ? double(m_client->metrics()->bytesReceived()) : 0;
}

double Diagnostics::messagesPerSecond() const
{
    return m_client ? m_client->metrics()->messagesPerSecond() : 0;
}

double Diagnostics::framesDropped() const
{
    return m_client ? double(m_client->metrics()->framesDropped()) : 0;
}

double Diagnostics::latencyMs() const
{
    return m_client ? m_client->metrics()->latencyMs() : -1;
}

double Diagnostics::averageLatencyMs() const
{
    return m_client ? m_client->metrics()->averageLatencyMs() : -1;
}

QVariantList Diagnostics::lastErrors() const
{
    QVariantList list;
    list.reserve(m_errors.size());
    for (const ErrorEntry &entry : m_errors)
        list.append(QVariantMap{{QStringLiteral("time"), entry.at}, {QStringLiteral("text"), entry.text}});
    return list;
}

void Diagnostics::recordError(const QString &text)
{
    if (text.isEmpty())
        return;
    m_errors.append({now(), text});
    while (m_errors.size() > MaxErrors)
        m_errors.removeFirst();
    Q_EMIT lastErrorsChanged();
}

void Diagnostics::onClientError(const ClientError &error, const QString &source)
{
    recordError(QStringLiteral("%1: %2").arg(source, error.toString()));
}

void Diagnostics::sampleLatency()
{
    if (!m_client)
        return;
    if (m_history.add(now().toMSecsSinceEpoch(), m_client->metrics()->latencyMs()))
        Q_EMIT latencyHistoryChanged();
}

void Diagnostics::pruneHistory()
{
    if (m_history.prune(now().toMSecsSinceEpoch()))
        Q_EMIT latencyHistoryChanged();
}

void Diagnostics::watchChannel(const QString &name)
{
    if (!m_client)
        return;
    if (RealtimeChannel *channel = m_client->channels()->channel(name))
        connect(channel, &RealtimeChannel::stateChanged, this, &Diagnostics::refreshChannels, Qt::UniqueConnection);
}

void Diagnostics::refreshChannels()
{
    QVariantList list;
    if (m_client) {
        for (RealtimeChannel *channel : m_client->channels()->channels())
            list.append(QVariantMap{{QStringLiteral("topic"), channel->topic()},
                                    {QStringLiteral("state"), channelStateName(channel->state())}});
    }
    if (list == m_channels)
        return;
    m_channels = list;
    Q_EMIT channelsChanged();
}

QString Diagnostics::asText() const
{
    QStringList lines;
    lines << QStringLiteral("%1 %2 (Qt %3, %4)")
                 .arg(QCoreApplication::applicationName(), QCoreApplication::applicationVersion(),
                      QString::fromLatin1(qVersion()), QSysInfo::prettyProductName());
    lines << QStringLiteral("Generated: %1").arg(isoTime(now()));
    lines << QStringLiteral("Server: %1").arg(m_server.isEmpty() ? QStringLiteral("none") : m_server);
    if (m_status) {
        lines << QStringLiteral("User: %1").arg(m_status->signedInUser().isEmpty() ? QStringLiteral("not signed in")
                                                                                    : m_status->signedInUser());
        QString state = QStringLiteral("State: %1 (%2)").arg(m_status->state(), m_status->health());
        if (!m_status->reason().isEmpty())
            state += QStringLiteral(" — ") + m_status->reason();
        lines << state;
        lines << QStringLiteral("Pending orders: %1").arg(m_status->pendingOrders());
    }
    lines << QStringLiteral("Connected since: %1").arg(isoTime(connectedSince()));
    lines << QStringLiteral("Disconnects: %1").arg(disconnects());
    lines << QStringLiteral("Messages: %1 (%2 bytes), %3/s; frames dropped: %4")
                 .arg(qint64(messagesReceived()))
                 .arg(qint64(bytesReceived()))
                 .arg(messagesPerSecond(), 0, 'f', 1)
                 .arg(qint64(framesDropped()));
    QString latency = QStringLiteral("Latency: last %1 ms, average %2 ms")
                          .arg(latencyMs() >= 0 ? QString::number(latencyMs()) : QStringLiteral("—"),
                               averageLatencyMs() >= 0 ? QString::number(averageLatencyMs(), 'f', 1) : QStringLiteral("—"));
    if (!m_history.isEmpty()) {
        double low = m_history.points().front().latencyMs;
        double high = low;
        for (const LatencyHistory::Point &point : m_history.points()) {
            low = qMin(low, point.latencyMs);
            high = qMax(high, point.latencyMs);
        }
        latency += QStringLiteral("; %1 samples in the last %2 min, min %3 ms, max %4 ms")
                       .arg(m_history.size())
                       .arg(m_history.window().count() / 60000)
                       .arg(low)
                       .arg(high);
    }
    lines << latency;
    lines << QStringLiteral("Channels (%1):").arg(m_channels.size());
    for (const QVariant &channel : m_channels) {
        const QVariantMap map = channel.toMap();
        lines << QStringLiteral("  %1 %2").arg(map.value(QStringLiteral("topic")).toString(),
                                               map.value(QStringLiteral("state")).toString());
    }
    lines << QStringLiteral("Last errors (%1):").arg(m_errors.size());
    for (const ErrorEntry &entry : m_errors)
        lines << QStringLiteral("  %1 %2").arg(isoTime(entry.at), entry.text);
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace tf
