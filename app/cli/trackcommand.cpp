#include "trackcommand.h"

#include "broadcastcommand.h"
#include "clicontext.h"
#include "push.h"
#include "realtimechannel.h"

namespace tf::cli {

namespace {

const QCommandLineOption payloadOption(QStringLiteral("payload"),
    QStringLiteral("What to track: a JSON object, e.g. '{\"user\":\"ops\"}'."), QStringLiteral("json"));
const QCommandLineOption presenceKeyOption(QStringLiteral("presence-key"),
    QStringLiteral("Presence key of this client (default: one the server makes up)."), QStringLiteral("key"));
const QCommandLineOption secondsOption(QStringLiteral("seconds"),
    QStringLiteral("Stay this many seconds (default 10), then exit 0."), QStringLiteral("s"));

} // namespace

void TrackCommand::addOptions(QCommandLineParser &parser)
{
    addChannelOptions(parser);
    parser.addOptions({payloadOption, presenceKeyOption, secondsOption});
}

bool TrackCommand::configure(const QCommandLineParser &parser, QString *error)
{
    if (!readChannelOptions(parser, error))
        return false;
    QString reason;
    const auto payload = parseJsonValue(parser.value(payloadOption), &reason);
    if (!parser.isSet(payloadOption) || !payload || !payload->isObject()) {
        *error = QStringLiteral("--payload must be a JSON object%1")
                     .arg(reason.isEmpty() ? QString() : QStringLiteral(" (") + reason + u')');
        return false;
    }
    m_payload = payload->toObject();
    m_config.presenceEnabled = true;
    m_config.presenceKey = parser.value(presenceKeyOption);
    return readSeconds(parser, secondsOption.names().constFirst(), &m_seconds, error);
}

void TrackCommand::start(CliContext &context)
{
    startChannel(context, m_seconds, ExitOk, QStringLiteral("%1 s are over").arg(m_seconds));
}

void TrackCommand::channelCreated()
{
    // Presence is desired state: set before the join, the channel sends it once joined (and
    // again after every rejoin).
    Push *push = channel()->track(m_payload);
    connect(push, &Push::finished, this, [this, push](Push::Status status, const QJsonValue &) {
        if (status == Push::Status::Ok) {
            CliContext::print(QJsonObject{{QStringLiteral("kind"), QStringLiteral("status")},
                                          {QStringLiteral("channel"), m_channelName},
                                          {QStringLiteral("status"), QStringLiteral("tracked")}});
        } else if (status != Push::Status::Pending) {
            finish(ExitFailure, QStringLiteral("track refused: ") + (status == Push::Status::Timeout
                                                                          ? QStringLiteral("no reply in time")
                                                                          : push->errorReason()));
        }
    });
}

} // namespace tf::cli
