#pragma once

#include "realtimechannel.h"
#include "realtimeclient.h"

#include <QObject>

#include <functional>

namespace tf::cli {

// Prints what happens on one channel (and its connection) as JSON lines:
//   {"kind":"status","socket":"connected","reason":…}
//   {"kind":"status","channel":…,"status":"subscribed|timed_out|closed|channel_error","reason":…}
//   {"kind":"status","channel":…,"status":"postgres_changes_live"}
//   {"kind":"status","channel":…,"status":"error","class":"auth|rate-limit|…","reason":…}
//   {"kind":"postgres_changes","schema":…,"table":…,"type":…,"new":…,"old":…,"commit_timestamp":…}
//   {"kind":"broadcast","event":…,"payload":…[,"meta":…]}
//   {"kind":"presence","event":"sync|join|leave",…}
// and counts the events (changes, broadcasts, presence joins/leaves; not sync or status lines).
class ChannelPrinter : public QObject
{
    Q_OBJECT

public:
    // `broadcastEvents`: print only these user events ("*" or empty = all).
    ChannelPrinter(RealtimeClient *client, RealtimeChannel *channel, const QStringList &broadcastEvents,
                   QObject *parent = nullptr);

    int eventCount() const { return m_events; }
    // Off: events are no longer printed (status lines still are).
    void setEventsEnabled(bool enabled) { m_eventsEnabled = enabled; }

Q_SIGNALS:
    void eventPrinted(int total);

private:
    void printEvent(const QJsonObject &line);
    void printPresence(const QString &event, const QString &key, const QJsonObject &fields);

    RealtimeChannel *m_channel;
    QStringList m_broadcastEvents;
    int m_events = 0;
    bool m_eventsEnabled = true;
};

QString subscribeStatusName(RealtimeChannel::SubscribeStatus status);

} // namespace tf::cli
