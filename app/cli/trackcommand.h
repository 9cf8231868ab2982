#pragma once

#include "channelcommand.h"

#include <QJsonObject>

namespace tf::cli {

// track --channel NAME --payload JSON [--presence-key KEY] [--seconds S] [--private]
// Joins with presence, tracks the payload and prints presence events while it stays S seconds
// (default 10); exits 0 then, 1 when the track is refused.
class TrackCommand : public ChannelCommand
{
    Q_OBJECT

public:
    using ChannelCommand::ChannelCommand;

    void addOptions(QCommandLineParser &parser) override;
    bool configure(const QCommandLineParser &parser, QString *error) override;
    void start(CliContext &context) override;

protected:
    void channelCreated() override;

private:
    QJsonObject m_payload;
    double m_seconds = 10;
};

} // namespace tf::cli
