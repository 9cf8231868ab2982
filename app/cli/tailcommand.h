#pragma once

#include "channelcommand.h"

namespace tf::cli {

// tail --channel NAME [--table T [--schema S] [--event E] [--filter F]]... [--broadcast EVENT]...
//      [--presence] [--private] [--count N] [--seconds S]
// Joins one channel and prints what arrives: after N events or S seconds it exits 0; when the
// channel or the connection cannot go on, 1.
class TailCommand : public ChannelCommand
{
    Q_OBJECT

public:
    using ChannelCommand::ChannelCommand;

    void addOptions(QCommandLineParser &parser) override;
    bool configure(const QCommandLineParser &parser, QString *error) override;
    void start(CliContext &context) override;

    // Reads the repeated --table groups in command-line order: each --table starts a binding,
    // and the --schema/--event/--filter after it (up to the next --table) belong to it.
    static bool readBindings(const QCommandLineParser &parser, ChannelConfig *config, QString *error);

protected:
    void eventPrinted(int total) override;

private:
    int m_count = 0;      // 0 = no limit
    double m_seconds = 0; // 0 = no limit
};

} // namespace tf::cli
