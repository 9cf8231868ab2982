#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tf {

// The serializer chosen by the socket URL's `vsn` parameter (protocol doc §2).
enum class SerializerVersion {
    V1, // "1.0.0": one JSON object per text frame; server frames never carry join_ref
    V2, // "2.0.0": JSON arrays [join_ref, ref, topic, event, payload] plus binary broadcasts
};

QString vsnString(SerializerVersion version);
std::optional<SerializerVersion> serializerFromVsn(QStringView vsn);

// One Phoenix envelope, whichever frame it travelled in.
//
// A null QString (QString()) stands for JSON null / an absent field; an empty but non-null
// string is a real "" on the wire. Binary user broadcasts (kinds 3 and 4) decode into the
// same shape realtime-js gives them: event "broadcast" and payload
// {"type":"broadcast","event":<user event>,"payload":<JSON>,"meta":<metadata, if any>}.
struct PhoenixMessage {
    QString joinRef;
    QString ref;
    QString topic;
    QString event;
    QJsonObject payload;
    // Raw bytes of a binary user broadcast sent with encoding 0 (not JSON). When set, the
    // payload object has no "payload" key; the bytes are here instead.
    std::optional<QByteArray> binaryPayload;

    friend bool operator==(const PhoenixMessage &, const PhoenixMessage &) = default;
};

} // namespace tf
