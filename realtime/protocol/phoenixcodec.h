#pragma once

#include "phoenixmessage.h"

#include <QByteArrayView>
#include <QJsonValue>

namespace tf {

// Why a frame could not be decoded. Decoding never throws: callers count and log these.
enum class DecodeError {
    None,
    Oversized,       // larger than the codec's frame limit; not parsed at all
    Malformed,       // not the envelope shape of the serializer version
    UnsupportedKind, // a binary frame of a kind this side does not accept
};

struct DecodeResult {
    std::optional<PhoenixMessage> message;
    DecodeError error = DecodeError::None;
    QString reason; // human-readable detail for the log line, empty on success

    bool ok() const { return message.has_value(); }
};

// Encodes and decodes Phoenix frames for one serializer version (protocol doc §2).
//
// The same codec serves both ends: the client decodes server frames and the simulator decodes
// client frames. Text encoding writes join_ref only when it is non-null (which is exactly how a
// V1 server frame looks when the sender nulls it).
class PhoenixCodec {
public:
    static constexpr qsizetype DefaultMaxFrameBytes = 1024 * 1024;

    explicit PhoenixCodec(SerializerVersion version = SerializerVersion::V2,
                          qsizetype maxFrameBytes = DefaultMaxFrameBytes);

    SerializerVersion version() const { return m_version; }
    qsizetype maxFrameBytes() const { return m_maxFrameBytes; }

    // Text frame (UTF-8): a JSON object for V1, a JSON array for V2.
    QByteArray encodeText(const PhoenixMessage &message) const;
    DecodeResult decodeText(QByteArrayView utf8) const;

    // Binary frames exist only with V2 (§2.3). decodeBinary accepts kind 3 (client user
    // broadcast push) and kind 4 (server user broadcast); other kinds are UnsupportedKind.
    DecodeResult decodeBinary(QByteArrayView frame) const;

    // Kind 3: client -> server user broadcast. JSON payloads use encoding 1, raw bytes encoding 0.
    // Returns an empty array if a header string is longer than 255 bytes.
    static QByteArray encodeUserBroadcastPush(const QString &joinRef, const QString &ref,
                                              const QString &topic, const QString &userEvent,
                                              const QJsonValue &jsonPayload);
    static QByteArray encodeUserBroadcastPushBytes(const QString &joinRef, const QString &ref,
                                                   const QString &topic, const QString &userEvent,
                                                   const QByteArray &rawPayload);

    // Kind 4: server -> client user broadcast. `metadata` is a JSON object text or empty.
    static QByteArray encodeUserBroadcast(const QString &topic, const QString &userEvent,
                                          const QByteArray &metadata, const QJsonValue &jsonPayload);
    static QByteArray encodeUserBroadcastBytes(const QString &topic, const QString &userEvent,
                                               const QByteArray &metadata, const QByteArray &rawPayload);

private:
    SerializerVersion m_version;
    qsizetype m_maxFrameBytes;
};

QString decodeErrorName(DecodeError error);

} // namespace tf
