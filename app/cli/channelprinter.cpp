#include "channelprinter.h"

#include "clicontext.h"
#include "presencestate.h"

#include <QJsonArray>

namespace tf::cli {

namespace {

QString key(const char *text)
{
    return QString::fromLatin1(text);
}

QJsonObject status(const QString &channel, const QString &statusText, const QString &reason = QString())
{
    QJsonObject line{{key("kind"), key("status")}, {key("channel"), channel}, {key("status"), statusText}};
    if (!reason.isEmpty())
        line.insert(key("reason"), reason);
    return line;
}

} // namespace

QString subscribeStatusName(RealtimeChannel::SubscribeStatus status)
{
    switch (status) {
    case RealtimeChannel::SubscribeStatus::Subscribed:
        return key("subscribed");
    case RealtimeChannel::SubscribeStatus::TimedOut:
        return key("timed_out");
    case RealtimeChannel::SubscribeStatus::Closed:
        return key("closed");
    case RealtimeChannel::SubscribeStatus::ChannelError:
        return key("channel_error");
    }
    return key("unknown");
}

ChannelPrinter::ChannelPrinter(RealtimeClient *client, RealtimeChannel *channel, const QStringList &broadcastEvents,
                               QObject *parent)
    : QObject(parent)
    , m_channel(channel)
    , m_broadcastEvents(broadcastEvents)
{
    const QString name = channel->name();
    connect(client, &RealtimeClient::stateChanged, this, [](RealtimeSocket::State state, const QString &reason) {
        CliContext::print(QJsonObject{{key("kind"), key("status")},
                                      {key("socket"), socketStateName(state)},
                                      {key("reason"), reason}});
    });
    connect(channel, &RealtimeChannel::subscribeStatusChanged, this,
            [name](RealtimeChannel::SubscribeStatus subscribeStatus, const QString &reason) {
                CliContext::print(status(name, subscribeStatusName(subscribeStatus), reason));
            });
    connect(channel, &RealtimeChannel::errorOccurred, this, [name](const ClientError &error) {
        QJsonObject line = status(name, key("error"), error.message);
        line.insert(key("class"), errorClassName(error.errorClass));
        CliContext::print(line);
    });
    connect(channel, &RealtimeChannel::postgresChangesLive, this,
            [name] { CliContext::print(status(name, key("postgres_changes_live"))); });

    connect(channel, &RealtimeChannel::postgresChange, this, [this](const PostgresChange &change) {
        QJsonObject line{{key("kind"), key("postgres_changes")},
                         {key("schema"), change.schema},
                         {key("table"), change.table},
                         {key("type"), changeTypeName(change.type)},
                         {key("new"), change.newRecord},
                         {key("old"), change.oldRecord},
                         {key("commit_timestamp"), change.commitTimestamp.isValid()
                                                       ? QJsonValue(change.commitTimestamp.toString(Qt::ISODateWithMs))
                                                       : QJsonValue()}};
        if (!change.errors.isEmpty())
            line.insert(key("errors"), QJsonArray::fromStringList(change.errors));
        printEvent(line);
    });

    const auto wanted = [this](const QString &event) {
        if (m_broadcastEvents.isEmpty())
            return true;
        for (const QString &pattern : std::as_const(m_broadcastEvents)) {
            if (RealtimeChannel::broadcastEventMatches(pattern, event))
                return true;
        }
        return false;
    };
    connect(channel, &RealtimeChannel::broadcastReceived, this,
            [this, wanted](const QString &event, const QJsonValue &payload, const QJsonObject &meta) {
                if (!wanted(event))
                    return;
                QJsonObject line{{key("kind"), key("broadcast")}, {key("event"), event}, {key("payload"), payload}};
                if (!meta.isEmpty())
                    line.insert(key("meta"), meta);
                printEvent(line);
            });
    connect(channel, &RealtimeChannel::broadcastBytesReceived, this,
            [this, wanted](const QString &event, const QByteArray &payload, const QJsonObject &meta) {
                if (!wanted(event))
                    return;
                QJsonObject line{{key("kind"), key("broadcast")},
                                 {key("event"), event},
                                 {key("payload_base64"), QString::fromLatin1(payload.toBase64())}};
                if (!meta.isEmpty())
                    line.insert(key("meta"), meta);
                printEvent(line);
            });

    if (PresenceState *presence = channel->presence()) {
        connect(presence, &PresenceState::sync, this, [] {
            CliContext::print(QJsonObject{{key("kind"), key("presence")}, {key("event"), key("sync")}});
        });
        connect(presence, &PresenceState::join, this,
                [this](const QString &presenceKey, const QJsonArray &current, const QJsonArray &joined) {
                    printPresence(key("join"), presenceKey, {{key("current"), current}, {key("new"), joined}});
                });
        connect(presence, &PresenceState::leave, this,
                [this](const QString &presenceKey, const QJsonArray &current, const QJsonArray &left) {
                    printPresence(key("leave"), presenceKey, {{key("current"), current}, {key("left"), left}});
                });
        // The library folds a re-track into one update; scripts get realtime-js's join + leave.
        connect(presence, &PresenceState::updated, this,
                [this](const QString &presenceKey, const QJsonArray &current, const QJsonArray &joined,
                       const QJsonArray &left) {
                    printPresence(key("join"), presenceKey, {{key("current"), current}, {key("new"), joined}});
                    printPresence(key("leave"), presenceKey, {{key("current"), current}, {key("left"), left}});
                });
    }
}

void ChannelPrinter::printEvent(const QJsonObject &line)
{
    if (!m_eventsEnabled)
        return;
    CliContext::print(line);
    Q_EMIT eventPrinted(++m_events);
}

void ChannelPrinter::printPresence(const QString &event, const QString &presenceKey, const QJsonObject &fields)
{
    if (!m_eventsEnabled)
        return;
    QJsonObject line{{key("kind"), key("presence")}, {key("event"), event}, {key("key"), presenceKey}};
    for (auto it = fields.begin(); it != fields.end(); ++it)
        line.insert(it.key(), it.value());
    printEvent(line);
}

} // namespace tf::cli
