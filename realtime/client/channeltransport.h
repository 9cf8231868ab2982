#pragma once

#include "phoenixmessage.h"

#include <QByteArray>
#include <QString>

namespace tf {

// What a channel needs from the connection it lives on, and nothing more. RealtimeClient
// implements it over RealtimeSocket; channel unit tests implement it with a recorder.
//
// Inbound traffic flows the other way: the client routes each decoded message to the channel
// of its topic (RealtimeChannel::handleMessage) and tells channels when the socket opens or
// closes, so a channel never sees the socket itself.
class ChannelTransport {
public:
    virtual ~ChannelTransport() = default;

    virtual bool isConnected() const = 0;
    virtual SerializerVersion serializerVersion() const = 0;
    // A ref unique per push on this socket (Phoenix shares the counter with heartbeats).
    virtual QString makeRef() = 0;
    // Sends one text frame; false (and nothing sent) when the socket is not connected.
    virtual bool sendMessage(const PhoenixMessage &message) = 0;
    // Sends one V2 binary frame (user broadcast push, kind 3); false when not connected.
    virtual bool sendBinary(const QByteArray &frame) = 0;
};

} // namespace tf
