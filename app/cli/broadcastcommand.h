#pragma once

#include "channelcommand.h"

#include <QJsonValue>

namespace tf::cli {

// broadcast --channel NAME --event E --payload JSON [--ack] [--timeout S] [--private]
// Joins the channel, sends one broadcast and exits 0 once it is written (or, with --ack, once the
// server acknowledged it); 1 on an ack error, a join failure or the timeout.
class BroadcastCommand : public ChannelCommand
{
    Q_OBJECT

public:
    using ChannelCommand::ChannelCommand;

    void addOptions(QCommandLineParser &parser) override;
    bool configure(const QCommandLineParser &parser, QString *error) override;
    void start(CliContext &context) override;

protected:
    void subscribed() override;

private:
    QString m_event;
    QJsonValue m_payload;
    double m_timeoutSeconds = 15;
};

// Parses any JSON value (object, array, string, number, true/false/null); nullopt when invalid.
std::optional<QJsonValue> parseJsonValue(const QString &text, QString *error);

} // namespace tf::cli
