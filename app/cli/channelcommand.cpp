#include "channelcommand.h"

#include "channelprinter.h"
#include "clicontext.h"
#include "realtimechannel.h"
#include "realtimeclient.h"

namespace tf::cli {

namespace {

const QCommandLineOption channelOption(QStringLiteral("channel"),
    QStringLiteral("Channel name (the topic is realtime:<name>)."), QStringLiteral("name"));
const QCommandLineOption privateOption(QStringLiteral("private"),
    QStringLiteral("Join as a private (RLS-authorised) channel."));

} // namespace

void ChannelCommand::addChannelOptions(QCommandLineParser &parser)
{
    parser.addOptions({channelOption, privateOption});
}

bool ChannelCommand::readChannelOptions(const QCommandLineParser &parser, QString *error)
{
    m_channelName = parser.value(channelOption);
    if (m_channelName.isEmpty()) {
        *error = QStringLiteral("--channel NAME is required");
        return false;
    }
    if (parser.values(channelOption).size() > 1) {
        *error = QStringLiteral("--channel may be given once");
        return false;
    }
    m_config.isPrivate = parser.isSet(privateOption);
    return true;
}

bool ChannelCommand::readSeconds(const QCommandLineParser &parser, const QString &option, double *seconds,
                                 QString *error)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok || value <= 0 || value > 7 * 24 * 3600) {
        *error = QStringLiteral("--%1 must be a number of seconds > 0").arg(option);
        return false;
    }
    *seconds = value;
    return true;
}

void ChannelCommand::startChannel(CliContext &context, double deadlineSeconds, int deadlineCode,
                                  const QString &deadlineMessage)
{
    m_client = context.realtime();
    connect(m_client, &RealtimeClient::stateChanged, this, [this](RealtimeSocket::State state, const QString &reason) {
        if (state == RealtimeSocket::State::GaveUp)
            finish(ExitFailure, QStringLiteral("gave up connecting: ") + reason);
    });

    m_channel = m_client->channel(m_channelName, m_config);
    m_printer = new ChannelPrinter(m_client, m_channel, m_broadcastEvents, this);
    connect(m_printer, &ChannelPrinter::eventPrinted, this, [this](int total) { eventPrinted(total); });
    connect(m_channel, &RealtimeChannel::subscribeStatusChanged, this,
            [this](RealtimeChannel::SubscribeStatus status, const QString &reason) {
                if (status == RealtimeChannel::SubscribeStatus::Subscribed) {
                    if (!std::exchange(m_subscribedOnce, true))
                        subscribed();
                } else if (status == RealtimeChannel::SubscribeStatus::ChannelError && !m_channel->isWanted()) {
                    // The channel gave up by itself: the error is one a retry cannot fix.
                    finish(ExitFailure, QStringLiteral("channel %1: %2").arg(m_channelName, reason));
                }
            });
    connect(m_channel, &RealtimeChannel::errorOccurred, this, [this](const ClientError &error) {
        // Refusals that a retry would only repeat (bad bindings or filter, private-only project…);
        // a malformed message on a joined channel is merely skipped.
        const bool unfixable = error.errorClass == ErrorClass::Validation
            || (error.errorClass == ErrorClass::Protocol && m_channel->state() != RealtimeChannel::State::Joined);
        if (unfixable)
            finish(ExitFailure, QStringLiteral("channel %1: %2").arg(m_channelName, error.message));
    });
    connect(m_channel, &RealtimeChannel::accessTokenRejected, this, [this](const ClientError &error) {
        finish(ExitFailure, QStringLiteral("the server rejected the access token (%1); pass a fresh --token")
                                .arg(error.message));
    });

    channelCreated();
    if (deadlineSeconds > 0) {
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this,
                [this, deadlineCode, deadlineMessage] { finish(deadlineCode, deadlineMessage); });
        m_deadline.start(std::chrono::milliseconds(qint64(deadlineSeconds * 1000)));
    }
    m_client->connectToServer();
}

void ChannelCommand::finish(int code, const QString &message)
{
    if (std::exchange(m_finished, true))
        return;
    m_deadline.stop();
    if (!message.isEmpty()) {
        if (code == ExitOk)
            qCInfo(lcCli).noquote() << message;
        else
            CliContext::printError(message);
    }
    // No event beyond --count; but the status lines of what is being reported right now (a
    // join error's channel_error after its error line) still come out before the teardown.
    if (m_printer)
        m_printer->setEventsEnabled(false);
    QMetaObject::invokeMethod(
        this,
        [this, code] {
            // Our own disconnect is not news for the output.
            delete std::exchange(m_printer, nullptr);
            if (m_client) {
                disconnect(m_client, nullptr, this, nullptr);
                m_client->socket()->flush(); // whatever was sent last (a broadcast) leaves before we do
                m_client->disconnectFromServer();
            }
            Q_EMIT finished(code);
        },
        Qt::QueuedConnection);
}

} // namespace tf::cli
