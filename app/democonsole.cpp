#include "democonsole.h"

#include "appcontroller.h"
#include "applogging.h"
#include "commandconsole.h"
#include "rowstore.h"
#include "simserver.h"
#include "statedump.h"

#include <QCoreApplication>
#include <QImage>
#include <QTextStream>
#include <QThread>

#include <cstdio>

namespace tf {

namespace {

// Blocking reads on their own thread; each line reaches the console through a queued signal.
class StdinLineReader : public QThread
{
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

const QString AppHelp = QStringLiteral(
    "ok app commands: dump FILE | screenshot FILE | submit SYMBOL buy|sell QTY [LIMIT] | sim-orders CLIENT_ORDER_ID | state | "
    "panel NAME on|off | quit; simulator commands: see 'sim-help'");

} // namespace

DemoConsole::DemoConsole(AppController *app, sim::SimServer *server, QObject *parent)
    : QObject(parent)
    , m_app(app)
    , m_server(server)
    , m_simConsole(new sim::CommandConsole(*server, this))
{
}

DemoConsole::~DemoConsole() = default;

QString DemoConsole::execute(const QString &input)
{
    const QString line = input.trimmed();
    if (line.isEmpty())
        return {};
    const QStringList words = line.split(u' ', Qt::SkipEmptyParts);
    const QString command = words.constFirst().toLower();

    if (command == u"help")
        return AppHelp;
    if (command == u"sim-help")
        return m_simConsole->execute(QStringLiteral("help"));
    if (command == u"dump") {
        if (words.size() != 2)
            return QStringLiteral("error: usage: dump FILE");
        QString error;
        if (!statedump::writeFile(words.at(1), m_app->stateDump(), &error))
            return QStringLiteral("error: could not write %1: %2").arg(words.at(1), error);
        return QStringLiteral("ok wrote ") + words.at(1);
    }
    if (command == u"screenshot")
        return screenshot(words);
    if (command == u"submit")
        return submit(words);
    if (command == u"sim-orders")
        return simOrders(words);
    if (command == u"state") {
        const QJsonObject dump = m_app->stateDump();
        return QStringLiteral("ok %1 %2").arg(m_app->status()->state(), dump.value(QStringLiteral("feedState")).toString());
    }
    if (command == u"panel") {
        if (words.size() != 3 || (words.at(2) != u"on" && words.at(2) != u"off")
            || !AppController::panelNames().contains(words.at(1)))
            return QStringLiteral("error: usage: panel %1 on|off").arg(AppController::panelNames().join(u'|'));
        m_app->setPanelVisible(words.at(1), words.at(2) == u"on");
        return QStringLiteral("ok panel %1 %2").arg(words.at(1), words.at(2));
    }
    if (command == u"quit" || command == u"exit") {
        QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);
        return QStringLiteral("ok bye");
    }
    return m_simConsole->execute(line);
}

QString DemoConsole::screenshot(const QStringList &words) const
{
    if (words.size() != 2)
        return QStringLiteral("error: usage: screenshot FILE");
    if (!m_window)
        return QStringLiteral("error: no window");
    const QImage image = m_window->grabWindow();
    if (image.isNull() || !image.save(words.at(1), "PNG"))
        return QStringLiteral("error: could not write ") + words.at(1);
    return QStringLiteral("ok wrote %1 %2x%3").arg(words.at(1)).arg(image.width()).arg(image.height());
}

QString DemoConsole::submit(const QStringList &words)
{
    if (words.size() != 4 && words.size() != 5)
        return QStringLiteral("error: usage: submit SYMBOL buy|sell QTY [LIMIT]");
    QVariantMap ticket{{QStringLiteral("symbol"), words.at(1)},
                       {QStringLiteral("side"), words.at(2)},
                       {QStringLiteral("qty"), words.at(3)},
                       {QStringLiteral("type"), words.size() == 5 ? QStringLiteral("limit") : QStringLiteral("market")}};
    if (words.size() == 5)
        ticket.insert(QStringLiteral("limit_price"), words.at(4));
    const QVariantMap result = m_app->orderEntry()->submitOrder(ticket);
    const QString outcome = result.value(QStringLiteral("outcome")).toString();
    if (outcome == u"refused")
        return QStringLiteral("error: refused: ") + result.value(QStringLiteral("message")).toString();
    return QStringLiteral("ok %1 %2").arg(outcome, result.value(QStringLiteral("clientOrderId")).toString());
}

QString DemoConsole::simOrders(const QStringList &words) const
{
    if (words.size() != 2)
        return QStringLiteral("error: usage: sim-orders CLIENT_ORDER_ID");
    const QString id = words.at(1);
    const QList<QJsonObject> rows = m_server->store().rows(QStringLiteral("orders"), [&id](const QJsonObject &row) {
        return row.value(QStringLiteral("client_order_id")).toString() == id;
    });
    QStringList statuses;
    for (const QJsonObject &row : rows)
        statuses << row.value(QStringLiteral("status")).toString();
    return QStringLiteral("ok %1 %2").arg(rows.size()).arg(statuses.join(u','));
}

void DemoConsole::attachStandardInput()
{
    // The reader blocks in a read that cannot be interrupted portably: it is left to end with the
    // process (never deleted while running). Held in a static so leak checkers see it reachable.
    static StdinLineReader *reader = nullptr;
    if (reader)
        return;
    reader = new StdinLineReader;
    connect(reader, &StdinLineReader::lineRead, this, [this](const QString &line) {
        const QString answer = execute(line);
        if (answer.isEmpty())
            return;
        qCDebug(lcAppDemo) << "console:" << line << "->" << answer;
        std::fputs(qPrintable(answer + u'\n'), stdout);
        std::fflush(stdout);
    }, Qt::QueuedConnection);
    reader->start();
}

} // namespace tf

#include "democonsole.moc"
