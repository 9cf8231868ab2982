// Fuzz target: the Phoenix envelope decoder, vsn 1.0.0 and 2.0.0, text and binary frames.
//
// Every input is offered to all four decoders (what a client of either version may be sent).
// Checks: a decode either succeeds or names its error with a reason; frames over the codec's
// limit are refused as Oversized without parsing; whatever decodes encodes back to a frame that
// decodes to the same message (no field is lost or altered on the way through).
#include "fuzzsupport.h"

#include "phoenixcodec.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace tf;

namespace {

constexpr qsizetype MaxFrame = 64 * 1024; // small, so the fuzzer reaches the limit

QString describe(const PhoenixMessage &m)
{
    return QStringLiteral("join_ref=%1 ref=%2 topic=%3 event=%4 payload=%5")
        .arg(m.joinRef, m.ref, m.topic, m.event,
             QString::fromUtf8(QJsonDocument(m.payload).toJson(QJsonDocument::Compact)));
}

void checkResultShape(const DecodeResult &result)
{
    if (result.ok()) {
        TF_FUZZ_CHECK(result.error == DecodeError::None, result.reason);
        TF_FUZZ_CHECK(result.reason.isEmpty(), result.reason);
    } else {
        TF_FUZZ_CHECK(result.error != DecodeError::None, QStringLiteral("failure without an error"));
        TF_FUZZ_CHECK(!result.reason.isEmpty(), decodeErrorName(result.error));
    }
}

void checkText(const PhoenixCodec &codec, QByteArrayView frame)
{
    const DecodeResult result = codec.decodeText(frame);
    checkResultShape(result);
    if (frame.size() > MaxFrame)
        TF_FUZZ_CHECK(result.error == DecodeError::Oversized, result.reason);
    if (!result.ok())
        return;
    const PhoenixMessage &message = *result.message;
    TF_FUZZ_CHECK(!message.binaryPayload, QStringLiteral("a text frame produced raw bytes"));
    const QByteArray again = codec.encodeText(message);
    if (again.size() > MaxFrame)
        return; // re-encoding may grow (escapes); the limit is not what is being checked here
    const DecodeResult second = codec.decodeText(again);
    TF_FUZZ_CHECK(second.ok(), second.reason + u" for " + QString::fromUtf8(again));
    TF_FUZZ_CHECK(*second.message == message, describe(message) + u" became " + describe(*second.message));
}

void checkBinary(const PhoenixCodec &codec, QByteArrayView frame)
{
    const DecodeResult result = codec.decodeBinary(frame);
    checkResultShape(result);
    if (codec.version() == SerializerVersion::V1) {
        TF_FUZZ_CHECK(result.error == DecodeError::UnsupportedKind, QStringLiteral("V1 accepted a binary frame"));
        return;
    }
    if (frame.size() > MaxFrame)
        TF_FUZZ_CHECK(result.error == DecodeError::Oversized, result.reason);
    if (!result.ok())
        return;
    const PhoenixMessage &message = *result.message;
    TF_FUZZ_CHECK(message.event == u"broadcast", message.event);
    TF_FUZZ_CHECK(message.payload.value(u"type").toString() == u"broadcast", describe(message));
    TF_FUZZ_CHECK(message.binaryPayload.has_value() != message.payload.contains(u"payload"), describe(message));

    // Re-encode what was understood and decode it again.
    const quint8 kind = quint8(frame[0]);
    const QString userEvent = message.payload.value(u"event").toString();
    const QJsonValue meta = message.payload.value(u"meta");
    QByteArray again;
    if (kind == 4) {
        const QByteArray metadata = meta.isObject() ? QJsonDocument(meta.toObject()).toJson(QJsonDocument::Compact)
                                                    : QByteArray();
        again = message.binaryPayload
            ? PhoenixCodec::encodeUserBroadcastBytes(message.topic, userEvent, metadata, *message.binaryPayload)
            : PhoenixCodec::encodeUserBroadcast(message.topic, userEvent, metadata, message.payload.value(u"payload"));
    } else {
        TF_FUZZ_CHECK(kind == 3, QStringLiteral("decoded binary kind %1").arg(kind));
        if (meta.isObject())
            return; // the kind-3 encoder writes no metadata (clients never send any)
        again = message.binaryPayload
            ? PhoenixCodec::encodeUserBroadcastPushBytes(message.joinRef, message.ref, message.topic, userEvent,
                                                         *message.binaryPayload)
            : PhoenixCodec::encodeUserBroadcastPush(message.joinRef, message.ref, message.topic, userEvent,
                                                    message.payload.value(u"payload"));
    }
    if (again.isEmpty() || again.size() > MaxFrame)
        return; // invalid UTF-8 in a header string grows when re-encoded; past 255 bytes it cannot be sent
    const DecodeResult second = codec.decodeBinary(again);
    TF_FUZZ_CHECK(second.ok(), second.reason);
    TF_FUZZ_CHECK(*second.message == message, describe(message) + u" became " + describe(*second.message));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const PhoenixCodec v1(SerializerVersion::V1, MaxFrame);
    static const PhoenixCodec v2(SerializerVersion::V2, MaxFrame);
    const QByteArrayView frame(reinterpret_cast<const char *>(data), qsizetype(size));
    checkText(v1, frame);
    checkText(v2, frame);
    checkBinary(v1, frame);
    checkBinary(v2, frame);
    return 0;
}
