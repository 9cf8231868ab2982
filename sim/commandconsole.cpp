#include "commandconsole.h"

#include "faultinjector.h"
#include "realtimeendpoint.h"
#include "simlogging.h"
#include "simserver.h"

#include <QTextStream>

#include <cstdio>

namespace tf::sim {

namespace {

// Blocking reads happen on their own thread; lines reach the console through a queued signal.
class StdinReader : public QThread {
    Q_OBJECT
public:
    using QThread::QThread;

Q_SIGNALS:
    void lineRead(const QString &line);

protected:
    void run() override
    {
        QTextStream in(stdin);
        QString line;
        while (in.readLineInto(&line))
            Q_EMIT lineRead(line);
    }
};

const QString HelpText = QStringLiteral(
    "ok commands: status | drop | silence on|off | refuse <seconds> (0: until accept) | accept | "
    "join-error <reason>|off | rate-limit [on|off] | expire-tokens | restart | slow <ms> | "
    "lose-insert-reply | reset | quit");

} // namespace

CommandConsole::CommandConsole(SimServer &server, QObject *parent)
    : QObject(parent)
    , m_server(server)
{
}

CommandConsole::~CommandConsole()
{
    if (m_readerThread) {
        // The reader blocks in a read that cannot be interrupted portably; it ends with the process.
        m_readerThread->setParent(nullptr);
    }
}

QString CommandConsole::execute(const QString &input)
{
    const QString line = input.trimmed();
    if (line.isEmpty())
        return {};
    const qsizetype space = line.indexOf(QLatin1Char(' '));
    const QString command = (space < 0 ? line : line.left(space)).toLower();
    const QString argument = space < 0 ? QString() : line.mid(space + 1).trimmed();
    FaultInjector &faults = m_server.faults();
    const auto onOff = [&](bool fallback, bool *ok) {
        *ok = true;
        if (argument.isEmpty())
            return fallback;
        if (argument == u"on")
            return true;
        if (argument == u"off")
            return false;
        *ok = false;
        return false;
    };
    bool ok = true;

    if (command == u"help")
        return HelpText;
    if (command == u"status") {
        const QStringList active = faults.describe();
        return QStringLiteral("ok port %1, %2 socket(s), %3 channel(s), faults: %4")
            .arg(m_server.port())
            .arg(m_server.realtime().connectionCount())
            .arg(m_server.realtime().channelCount())
            .arg(active.isEmpty() ? QStringLiteral("none") : active.join(QStringLiteral("; ")));
    }
    if (command == u"drop") {
        faults.dropAllConnections();
        return QStringLiteral("ok dropped every connection");
    }
    if (command == u"silence") {
        const bool on = onOff(true, &ok);
        if (!ok)
            return QStringLiteral("error: usage: silence on|off");
        faults.setHeartbeatsSilenced(on);
        return QStringLiteral("ok heartbeats %1").arg(on ? QStringLiteral("unanswered") : QStringLiteral("answered"));
    }
    if (command == u"refuse") {
        const int seconds = argument.isEmpty() ? 0 : argument.toInt(&ok);
        if (!ok || seconds < 0)
            return QStringLiteral("error: usage: refuse <seconds>");
        faults.refuseConnections(std::chrono::seconds(seconds));
        return QStringLiteral("ok refusing connections %1")
            .arg(seconds > 0 ? QStringLiteral("for %1 s").arg(seconds) : QStringLiteral("until accept"));
    }
    if (command == u"accept") {
        faults.stopRefusing();
        return QStringLiteral("ok accepting connections");
    }
    if (command == u"join-error") {
        if (argument.isEmpty())
            return QStringLiteral("error: usage: join-error <reason>|off");
        faults.setJoinError(argument == u"off" ? QString() : argument);
        return argument == u"off" ? QStringLiteral("ok joins succeed again")
                                  : QStringLiteral("ok joins fail with: ") + argument;
    }
    if (command == u"rate-limit") {
        const bool on = onOff(true, &ok);
        if (!ok)
            return QStringLiteral("error: usage: rate-limit [on|off]");
        faults.setRateLimited(on);
        return QStringLiteral("ok rate limit %1").arg(on ? QStringLiteral("on") : QStringLiteral("off"));
    }
    if (command == u"expire-tokens") {
        faults.expireAllTokens();
        return QStringLiteral("ok every access token issued so far is expired");
    }
    if (command == u"restart") {
        faults.restart();
        return QStringLiteral("ok restarting on port %1").arg(m_server.port());
    }
    if (command == u"slow") {
        const int ms = argument.toInt(&ok);
        if (!ok || ms < 0)
            return QStringLiteral("error: usage: slow <ms>");
        faults.setReplyDelay(std::chrono::milliseconds(ms));
        return QStringLiteral("ok replies delayed by %1 ms").arg(ms);
    }
    if (command == u"lose-insert-reply") {
        faults.setLoseNextInsertReply(true);
        return QStringLiteral("ok the next REST insert is applied but its reply is lost");
    }
    if (command == u"reset") {
        faults.reset();
        return QStringLiteral("ok every fault reset");
    }
    if (command == u"quit" || command == u"exit") {
        Q_EMIT quitRequested();
        return QStringLiteral("ok bye");
    }
    return QStringLiteral("error: unknown command \"%1\" (try help)").arg(command);
}

void CommandConsole::attachStandardInput()
{
    if (m_readerThread)
        return;
    auto *reader = new StdinReader(this);
    m_readerThread = reader;
    connect(reader, &StdinReader::lineRead, this, [this](const QString &line) {
        const QString answer = execute(line);
        if (answer.isEmpty())
            return;
        QTextStream out(stdout);
        out << answer << Qt::endl;
    });
    reader->start();
}

} // namespace tf::sim

#include "commandconsole.moc"
