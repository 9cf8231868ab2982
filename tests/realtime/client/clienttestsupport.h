#pragma once

// Shared set-up of the RealtimeClient tests: fast, deterministic timings against the in-test
// server (heartbeat 100 ms, retries 20 ms doubling to 200 ms without jitter, rate-limit floor 5 s
// — asserted as a scheduled value, never waited for).
#include "fakerealtimeserver.h"
#include "realtimechannel.h"
#include "realtimeclient.h"

#include <QJsonArray>
#include <QTest>

namespace tf::test {

using namespace std::chrono_literals;

constexpr int WaitMs = 5000;
constexpr qint64 RateLimitFloorMs = 5000;

inline QString str(const char *text)
{
    return QString::fromUtf8(text);
}

inline RealtimeOptions clientOptions(const QUrl &url, SerializerVersion vsn = SerializerVersion::V2)
{
    RealtimeOptions options;
    options.projectUrl = url;
    options.apiKey = str("anon-key");
    options.vsn = vsn;
    options.heartbeatInterval = 100ms;
    options.connectTimeout = 2000ms;
    options.reconnect.base = 20ms;
    options.reconnect.cap = 200ms;
    options.reconnect.fullJitter = false;
    options.reconnect.rateLimitFloor = std::chrono::milliseconds(RateLimitFloorMs);
    options.network.useSystemReachability = false;
    options.network.followApplicationState = false;
    options.metricsInterval = 50ms;
    options.channelDefaults.joinTimeout = 3000ms;
    options.channelDefaults.pushTimeout = 3000ms;
    options.channelDefaults.rejoinBackoff =
        BackoffPolicy{20ms, 2.0, 200ms, false, std::chrono::milliseconds(RateLimitFloorMs), 0};
    return options;
}

// A config with one postgres_changes binding on public.items.
inline ChannelConfig itemsConfig(const RealtimeClient &client, const QString &filter = str("user_id=eq.42"))
{
    ChannelConfig config = client.defaultChannelConfig();
    PostgresChangesBinding binding;
    binding.table = str("items");
    binding.filter = filter;
    config.addPostgresChanges(binding);
    return config;
}

inline QString jwtExpiringIn(qint64 seconds, const QString &subject = str("user-1"))
{
    return FakeRealtimeServer::makeJwt(QDateTime::currentSecsSinceEpoch() + seconds, subject);
}

inline QStringList topicsOf(const QList<PhoenixMessage> &messages)
{
    QStringList topics;
    for (const PhoenixMessage &message : messages)
        topics << message.topic;
    topics.sort();
    return topics;
}

// Received messages with `event` that arrived on connection `connection`.
inline QList<PhoenixMessage> messagesOn(const FakeRealtimeServer &server, int connection, const QString &event)
{
    QList<PhoenixMessage> result;
    for (const ReceivedFrame &frame : server.frames()) {
        if (frame.connection == connection && frame.message && frame.message->event == event)
            result << *frame.message;
    }
    return result;
}

} // namespace tf::test
