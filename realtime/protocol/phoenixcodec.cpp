#include "phoenixcodec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tf {

namespace {

constexpr quint8 KindUserBroadcastPush = 3;
constexpr quint8 KindUserBroadcast = 4;
constexpr quint8 EncodingRaw = 0;
constexpr quint8 EncodingJson = 1;
constexpr qsizetype MaxHeaderString = 255;

DecodeResult failure(DecodeError error, QString reason)
{
    DecodeResult result;
    result.error = error;
    result.reason = std::move(reason);
    return result;
}

QJsonValue refToJson(const QString &ref)
{
    return ref.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(ref);
}

// A ref on the wire is a string or null; numbers are tolerated (some clients send them).
std::optional<QString> refFromJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toInteger());
    default:
        return std::nullopt;
    }
}

// QJsonDocument only parses objects and arrays at the top level; a broadcast payload may be
// any JSON value, so scalars are parsed inside a one-element array.
std::optional<QJsonValue> parseAnyJson(QByteArrayView bytes)
{
    QJsonParseError error{};
    qsizetype first = 0;
    while (first < bytes.size() && QChar::isSpace(uchar(bytes[first])))
        ++first;
    if (first < bytes.size() && (bytes[first] == '{' || bytes[first] == '[')) {
        const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError)
            return std::nullopt;
        return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    }
    QByteArray wrapped;
    wrapped.reserve(bytes.size() + 2);
    wrapped.append('[').append(bytes.data(), bytes.size()).append(']');
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().at(0);
}

QByteArray jsonBytes(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    // Scalars: serialise inside an array and strip the brackets.
    QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// Writes a binary header: kind, one length byte per string, optional trailing bytes, strings.
QByteArray binaryFrame(quint8 kind, const QList<QByteArray> &strings, const QByteArray &extraHeader,
                       const QByteArray &payload)
{
    for (const QByteArray &s : strings) {
        if (s.size() > MaxHeaderString)
            return {};
    }
    QByteArray frame;
    qsizetype size = 1 + strings.size() + extraHeader.size() + payload.size();
    for (const QByteArray &s : strings)
        size += s.size();
    frame.reserve(size);
    frame.append(char(kind));
    for (const QByteArray &s : strings)
        frame.append(char(quint8(s.size())));
    frame.append(extraHeader);
    for (const QByteArray &s : strings)
        frame.append(s);
    frame.append(payload);
    return frame;
}

QJsonObject broadcastPayload(const QString &userEvent)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("broadcast")},
                       {QStringLiteral("event"), userEvent}};
}

} // namespace

PhoenixCodec::PhoenixCodec(SerializerVersion version, qsizetype maxFrameBytes)
    : m_version(version)
    , m_maxFrameBytes(maxFrameBytes)
{
}

QByteArray PhoenixCodec::encodeText(const PhoenixMessage &message) const
{
    if (m_version == SerializerVersion::V2) {
        const QJsonArray array{refToJson(message.joinRef), refToJson(message.ref), message.topic,
                               message.event, message.payload};
        return QJsonDocument(array).toJson(QJsonDocument::Compact);
    }
    QJsonObject object{{QStringLiteral("topic"), message.topic},
                       {QStringLiteral("event"), message.event},
                       {QStringLiteral("payload"), message.payload},
                       {QStringLiteral("ref"), refToJson(message.ref)}};
    if (!message.joinRef.isNull())
        object.insert(QStringLiteral("join_ref"), message.joinRef);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

DecodeResult PhoenixCodec::decodeText(QByteArrayView utf8) const
{
    if (utf8.size() > m_maxFrameBytes) {
        return failure(DecodeError::Oversized, QStringLiteral("text frame of %1 bytes exceeds the %2-byte limit")
                                                   .arg(utf8.size()).arg(m_maxFrameBytes));
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(utf8.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(DecodeError::Malformed, QStringLiteral("invalid JSON: ") + parseError.errorString());

    QJsonValue joinRef, ref, topic, event, payload;
    if (m_version == SerializerVersion::V2) {
        if (!doc.isArray() || doc.array().size() < 5)
            return failure(DecodeError::Malformed, QStringLiteral("expected V2 array of 5 elements"));
        const QJsonArray array = doc.array();
        joinRef = array.at(0);
        ref = array.at(1);
        topic = array.at(2);
        event = array.at(3);
        payload = array.at(4);
    } else {
        if (!doc.isObject())
            return failure(DecodeError::Malformed, QStringLiteral("expected V1 object"));
        const QJsonObject object = doc.object();
        for (const auto key : {u"topic", u"event", u"payload", u"ref"}) {
            if (!object.contains(QStringView(key)))
                return failure(DecodeError::Malformed,
                               QStringLiteral("V1 message lacks \"%1\"").arg(QStringView(key)));
        }
        joinRef = object.value(QStringLiteral("join_ref"));
        ref = object.value(QStringLiteral("ref"));
        topic = object.value(QStringLiteral("topic"));
        event = object.value(QStringLiteral("event"));
        payload = object.value(QStringLiteral("payload"));
    }

    const auto joinRefText = refFromJson(joinRef);
    const auto refText = refFromJson(ref);
    if (!joinRefText || !refText)
        return failure(DecodeError::Malformed, QStringLiteral("join_ref/ref must be strings or null"));
    if (!topic.isString() || !event.isString())
        return failure(DecodeError::Malformed, QStringLiteral("topic and event must be strings"));
    if (!payload.isObject())
        return failure(DecodeError::Malformed, QStringLiteral("payload must be an object"));

    DecodeResult result;
    result.message = PhoenixMessage{*joinRefText, *refText, topic.toString(), event.toString(),
                                    payload.toObject(), std::nullopt};
    return result;
}

DecodeResult PhoenixCodec::decodeBinary(QByteArrayView frame) const
{
    if (m_version != SerializerVersion::V2)
        return failure(DecodeError::UnsupportedKind, QStringLiteral("binary frames need vsn 2.0.0"));
    if (frame.size() > m_maxFrameBytes) {
        return failure(DecodeError::Oversized, QStringLiteral("binary frame of %1 bytes exceeds the %2-byte limit")
                                                   .arg(frame.size()).arg(m_maxFrameBytes));
    }
    if (frame.isEmpty())
        return failure(DecodeError::Malformed, QStringLiteral("empty binary frame"));

    const quint8 kind = quint8(frame[0]);
    // Kind 3 carries join_ref and ref before topic/event/metadata; kind 4 does not.
    qsizetype stringCount = 0;
    if (kind == KindUserBroadcastPush)
        stringCount = 5;
    else if (kind == KindUserBroadcast)
        stringCount = 3;
    else
        return failure(DecodeError::UnsupportedKind, QStringLiteral("binary frame kind %1 is not supported").arg(kind));

    const qsizetype headerSize = 1 + stringCount + 1; // kind, lengths, encoding
    if (frame.size() < headerSize)
        return failure(DecodeError::Malformed, QStringLiteral("binary frame header truncated"));
    const quint8 encoding = quint8(frame[headerSize - 1]);
    if (encoding != EncodingRaw && encoding != EncodingJson)
        return failure(DecodeError::Malformed, QStringLiteral("unknown payload encoding %1").arg(encoding));

    QList<QByteArrayView> strings;
    qsizetype offset = headerSize;
    for (qsizetype i = 0; i < stringCount; ++i) {
        const qsizetype length = quint8(frame[1 + i]);
        if (offset + length > frame.size())
            return failure(DecodeError::Malformed, QStringLiteral("binary frame string %1 overruns the frame").arg(i));
        strings.append(frame.sliced(offset, length));
        offset += length;
    }
    const QByteArrayView body = frame.sliced(offset);
    const QByteArrayView metadata = strings.at(stringCount - 1);

    PhoenixMessage message;
    if (kind == KindUserBroadcastPush) {
        message.joinRef = QString::fromUtf8(strings.at(0));
        message.ref = QString::fromUtf8(strings.at(1));
    }
    message.topic = QString::fromUtf8(strings.at(stringCount - 3));
    message.event = QStringLiteral("broadcast");
    message.payload = broadcastPayload(QString::fromUtf8(strings.at(stringCount - 2)));

    if (!metadata.isEmpty()) {
        const auto meta = parseAnyJson(metadata);
        if (!meta || !meta->isObject())
            return failure(DecodeError::Malformed, QStringLiteral("binary frame metadata is not a JSON object"));
        message.payload.insert(QStringLiteral("meta"), *meta);
    }
    if (encoding == EncodingJson) {
        const auto json = parseAnyJson(body);
        if (!json)
            return failure(DecodeError::Malformed, QStringLiteral("binary frame JSON payload does not parse"));
        message.payload.insert(QStringLiteral("payload"), *json);
    } else {
        message.binaryPayload = body.toByteArray();
    }

    DecodeResult result;
    result.message = std::move(message);
    return result;
}

QByteArray PhoenixCodec::encodeUserBroadcastPush(const QString &joinRef, const QString &ref, const QString &topic,
                                                 const QString &userEvent, const QJsonValue &jsonPayload)
{
    return binaryFrame(KindUserBroadcastPush,
                       {joinRef.toUtf8(), ref.toUtf8(), topic.toUtf8(), userEvent.toUtf8(), QByteArray()},
                       QByteArray(1, char(EncodingJson)), jsonBytes(jsonPayload));
}

QByteArray PhoenixCodec::encodeUserBroadcastPushBytes(const QString &joinRef, const QString &ref, const QString &topic,
                                                      const QString &userEvent, const QByteArray &rawPayload)
{
    return binaryFrame(KindUserBroadcastPush,
                       {joinRef.toUtf8(), ref.toUtf8(), topic.toUtf8(), userEvent.toUtf8(), QByteArray()},
                       QByteArray(1, char(EncodingRaw)), rawPayload);
}

QByteArray PhoenixCodec::encodeUserBroadcast(const QString &topic, const QString &userEvent,
                                             const QByteArray &metadata, const QJsonValue &jsonPayload)
{
    return binaryFrame(KindUserBroadcast, {topic.toUtf8(), userEvent.toUtf8(), metadata},
                       QByteArray(1, char(EncodingJson)), jsonBytes(jsonPayload));
}

QByteArray PhoenixCodec::encodeUserBroadcastBytes(const QString &topic, const QString &userEvent,
                                                  const QByteArray &metadata, const QByteArray &rawPayload)
{
    return binaryFrame(KindUserBroadcast, {topic.toUtf8(), userEvent.toUtf8(), metadata},
                       QByteArray(1, char(EncodingRaw)), rawPayload);
}

QString decodeErrorName(DecodeError error)
{
    switch (error) {
    case DecodeError::None:
        return QStringLiteral("none");
    case DecodeError::Oversized:
        return QStringLiteral("oversized");
    case DecodeError::Malformed:
        return QStringLiteral("malformed");
    case DecodeError::UnsupportedKind:
        return QStringLiteral("unsupported-kind");
    }
    return QStringLiteral("unknown");
}

} // namespace tf
