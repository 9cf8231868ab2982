// tradefloor-sim: the simulated Supabase project on a loopback port, for people and scripts.
#include "commandconsole.h"
#include "simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

using namespace tf::sim;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tradefloor-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TF_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Local simulator of the Supabase endpoints Trading Floor uses (REST, auth, Realtime) on 127.0.0.1.\n"
        "Fault commands are read from standard input; type 'help'."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to listen on (0: a free one)."),
                                        QStringLiteral("port"), QStringLiteral("54321"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Seed of the market and traders."),
                                        QStringLiteral("n"), QStringLiteral("42"));
    const QCommandLineOption symbolsOption(QStringLiteral("symbols"), QStringLiteral("Number of instruments."),
                                           QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption tickOption(QStringLiteral("tick-hz"), QStringLiteral("Price ticks per second (0: frozen)."),
                                        QStringLiteral("hz"), QStringLiteral("2"));
    const QCommandLineOption lifetimeOption(QStringLiteral("token-lifetime"),
                                            QStringLiteral("Access token lifetime in seconds."),
                                            QStringLiteral("s"), QStringLiteral("3600"));
    const QCommandLineOption joinDelayOption(QStringLiteral("join-error-delay-ms"),
                                             QStringLiteral("Delay before a join error reply (server: 5000)."),
                                             QStringLiteral("ms"), QStringLiteral("5000"));
    const QCommandLineOption subscribeDelayOption(QStringLiteral("subscribe-delay-ms"),
                                                  QStringLiteral("Join reply to 'Subscribed to PostgreSQL'."),
                                                  QStringLiteral("ms"), QStringLiteral("300"));
    const QCommandLineOption printOption(QStringLiteral("print-config"),
                                         QStringLiteral("Print one JSON line with url, anon_key, email, password once listening."));
    parser.addOptions({portOption, seedOption, symbolsOption, tickOption, lifetimeOption, joinDelayOption,
                       subscribeDelayOption, printOption});
    parser.process(app);

    const auto number = [&](const QCommandLineOption &option, double min, double max) -> std::optional<double> {
        bool ok = false;
        const double value = parser.value(option).toDouble(&ok);
        if (!ok || value < min || value > max) {
            QTextStream(stderr) << "tradefloor-sim: invalid --" << option.names().constFirst() << " value \""
                                << parser.value(option) << "\"\n";
            return std::nullopt;
        }
        return value;
    };
    const auto port = number(portOption, 0, 65535);
    const auto seed = number(seedOption, 0, 4294967295.0);
    const auto symbols = number(symbolsOption, 1, 1000);
    const auto tickHz = number(tickOption, 0, 1000);
    const auto lifetime = number(lifetimeOption, 1, 31536000);
    const auto joinDelay = number(joinDelayOption, 0, 600000);
    const auto subscribeDelay = number(subscribeDelayOption, 0, 600000);
    if (!port || !seed || !symbols || !tickHz || !lifetime || !joinDelay || !subscribeDelay)
        return 2;

    SimConfig config;
    config.port = quint16(*port);
    config.seed = quint32(*seed);
    config.symbolCount = int(*symbols);
    config.tickHz = *tickHz;
    config.tokenLifetime = std::chrono::seconds(qint64(*lifetime));
    config.realtime.joinErrorDelay = std::chrono::milliseconds(qint64(*joinDelay));
    config.realtime.postgresSubscribeDelay = std::chrono::milliseconds(qint64(*subscribeDelay));

    SimServer server(config);
    if (!server.start()) {
        QTextStream(stderr) << "tradefloor-sim: cannot listen on 127.0.0.1:" << config.port << "\n";
        return 1;
    }
    if (parser.isSet(printOption)) {
        QTextStream out(stdout);
        out << QString::fromUtf8(QJsonDocument(server.connectionInfo()).toJson(QJsonDocument::Compact)) << Qt::endl;
    } else {
        // Keys and the demo password only go where they were asked for (--print-config).
        QTextStream(stderr) << "tradefloor-sim listening on " << server.url().toString() << "\n"
                            << "  demo trader: " << server.demoTrader().email
                            << " (run with --print-config for the password and the anon key)\n"
                            << "  type 'help' for fault commands\n";
    }

    CommandConsole console(server);
    QObject::connect(&console, &CommandConsole::quitRequested, &app, &QCoreApplication::quit, Qt::QueuedConnection);
    console.attachStandardInput();
    return app.exec();
}
