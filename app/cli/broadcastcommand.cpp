#include "broadcastcommand.h"

#include "clicontext.h"
#include "push.h"
#include "realtimechannel.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tf::cli {

namespace {

const QCommandLineOption eventOption(QStringLiteral("event"), QStringLiteral("The broadcast's event name."),
                                     QStringLiteral("event"));
const QCommandLineOption payloadOption(QStringLiteral("payload"),
    QStringLiteral("The payload: any JSON value, e.g. '{\"item_id\":7}'."), QStringLiteral("json"));
const QCommandLineOption ackOption(QStringLiteral("ack"),
    QStringLiteral("Ask the server to acknowledge the broadcast and wait for it."));
const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
    QStringLiteral("Give up after this many seconds (default 15)."), QStringLiteral("s"));

} // namespace

std::optional<QJsonValue> parseJsonValue(const QString &text, QString *error)
{
    // QJsonDocument parses only objects and arrays; a scalar is read inside an array.
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray('[' + text.toUtf8() + ']'), &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                              : QStringLiteral("expected exactly one JSON value");
        return std::nullopt;
    }
    return doc.array().at(0);
}

void BroadcastCommand::addOptions(QCommandLineParser &parser)
{
    addChannelOptions(parser);
    parser.addOptions({eventOption, payloadOption, ackOption, timeoutOption});
}

bool BroadcastCommand::configure(const QCommandLineParser &parser, QString *error)
{
    if (!readChannelOptions(parser, error))
        return false;
    m_event = parser.value(eventOption);
    if (m_event.isEmpty() || m_event.toUtf8().size() > 255) {
        *error = QStringLiteral("--event NAME is required (at most 255 bytes)");
        return false;
    }
    if (!parser.isSet(payloadOption)) {
        *error = QStringLiteral("--payload JSON is required");
        return false;
    }
    QString reason;
    const auto payload = parseJsonValue(parser.value(payloadOption), &reason);
    if (!payload) {
        *error = QStringLiteral("--payload is not valid JSON: ") + reason;
        return false;
    }
    m_payload = *payload;
    m_config.broadcastAck = parser.isSet(ackOption);
    m_broadcastEvents = {QStringLiteral("*")};
    return readSeconds(parser, timeoutOption.names().constFirst(), &m_timeoutSeconds, error);
}

void BroadcastCommand::start(CliContext &context)
{
    startChannel(context, m_timeoutSeconds, ExitFailure,
                 QStringLiteral("broadcast not confirmed within %1 s").arg(m_timeoutSeconds));
}

void BroadcastCommand::subscribed()
{
    Push *push = channel()->sendBroadcast(m_event, m_payload);
    const bool ack = m_config.broadcastAck;
    connect(push, &Push::finished, this, [this, push, ack](Push::Status status, const QJsonValue &) {
        switch (status) {
        case Push::Status::Ok:
            CliContext::print(QJsonObject{{QStringLiteral("kind"), QStringLiteral("broadcast_sent")},
                                          {QStringLiteral("event"), m_event},
                                          {QStringLiteral("acknowledged"), ack}});
            finish(ExitOk);
            return;
        case Push::Status::Error:
            finish(ExitFailure, QStringLiteral("broadcast refused: ") + push->errorReason());
            return;
        case Push::Status::Timeout:
            finish(ExitFailure, QStringLiteral("broadcast not acknowledged in time"));
            return;
        case Push::Status::Pending:
            return;
        }
    });
}

} // namespace tf::cli
