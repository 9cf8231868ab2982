#pragma once

// A ChannelTransport that records what channels send, for channel and manager unit tests.

#include "channeltransport.h"
#include "phoenixcodec.h"

#include <QList>

namespace tf::test {

class FakeChannelTransport : public ChannelTransport {
public:
    explicit FakeChannelTransport(SerializerVersion version = SerializerVersion::V2)
        : version(version)
    {
    }

    bool isConnected() const override { return connected; }
    SerializerVersion serializerVersion() const override { return version; }
    QString makeRef() override { return QString::number(++refCounter); }

    bool sendMessage(const PhoenixMessage &message) override
    {
        if (!connected)
            return false;
        // Round-trip through the real codec so tests see exactly what would be on the wire.
        const PhoenixCodec codec(version);
        const QByteArray frame = codec.encodeText(message);
        textFrames.append(frame);
        sent.append(message);
        return true;
    }

    bool sendBinary(const QByteArray &frame) override
    {
        if (!connected)
            return false;
        binaryFrames.append(frame);
        // Recorded as the decoded push too, so "what was sent" reads the same for both forms.
        const auto decoded = PhoenixCodec(SerializerVersion::V2).decodeBinary(frame);
        if (decoded.ok())
            sent.append(*decoded.message);
        return true;
    }

    // Messages of one event, in send order.
    QList<PhoenixMessage> sentEvents(const QString &event) const
    {
        QList<PhoenixMessage> out;
        for (const PhoenixMessage &message : sent) {
            if (message.event == event)
                out.append(message);
        }
        return out;
    }

    std::optional<PhoenixMessage> lastSent(const QString &event) const
    {
        const QList<PhoenixMessage> all = sentEvents(event);
        if (all.isEmpty())
            return std::nullopt;
        return all.last();
    }

    void clear()
    {
        sent.clear();
        textFrames.clear();
        binaryFrames.clear();
    }

    SerializerVersion version;
    bool connected = true;
    int refCounter = 0;
    QList<PhoenixMessage> sent;
    QList<QByteArray> textFrames;
    QList<QByteArray> binaryFrames;
};

} // namespace tf::test
