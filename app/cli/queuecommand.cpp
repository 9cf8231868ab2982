#include "queuecommand.h"

#include "clicontext.h"
#include "orderdesk.h"
#include "orderqueue.h"

#include <QFileInfo>

namespace tf::cli {

namespace {
const QString kList = QStringLiteral("list");
const QString kFlush = QStringLiteral("flush");
} // namespace

void QueueCommand::addOptions(QCommandLineParser &parser)
{
    addDeskOptions(parser, true);
}

bool QueueCommand::needsProject(const QCommandLineParser &parser) const
{
    return parser.positionalArguments().value(1) == kFlush; // otherwise configure() says what is wrong
}

bool QueueCommand::configure(const QCommandLineParser &parser, QString *error)
{
    if (!readDeskOptions(parser, {kList, kFlush}, error))
        return false;
    if (m_action == kList) {
        // No common options were read: quiet logs unless asked, like every other command.
        if (!parser.isSet(QStringLiteral("verbose")))
            QLoggingCategory::setFilterRules(QStringLiteral("tradingfloor.*.info=false\ntradingfloor.*.debug=false"));
    }
    return true;
}

void QueueCommand::start(CliContext &context)
{
    if (m_action == kList)
        return list();
    flush(context);
}

void QueueCommand::list()
{
    if (!QFileInfo::exists(m_queueFile)) {
        qCInfo(lcCli).noquote() << "no order queue at" << m_queueFile << "(nothing was ever queued there)";
        return finish(ExitOk);
    }
    OrderQueueOptions options;
    options.filePath = m_queueFile;
    options.inspectOnly = true;
    OrderQueue queue(options);
    const OpenResult opened = queue.open();
    if (!opened.ok)
        return finish(ExitFailure, opened.error);
    for (const Order &order : queue.orders())
        CliContext::print(orderLine(order));
    finish(ExitOk);
}

void QueueCommand::flush(CliContext &context)
{
    if (!openDesk(context))
        return;
    const QString user = m_desk->userId();
    for (const Order &order : m_desk->queue()->orders(user)) {
        if (!order.isTerminal())
            m_open.append(order.clientOrderId);
    }
    connect(m_desk.get(), &OrderDesk::orderChanged, this, &QueueCommand::checkFlushed);
    connect(m_desk->sender(), &OrderSender::statusChanged, this, &QueueCommand::checkFlushed);
    connect(m_desk.get(), &OrderDesk::openOrdersRefreshed, this, [this] {
        if (!m_lookupStarted)
            return; // a round from before the sends: its answers may be older than ours
        m_lookedUp = true;
        checkFlushed();
    });
    connect(m_desk.get(), &OrderDesk::sendingPaused, this, [this](const QString &reason) {
        CliContext::printError(reason);
        printFlushed(true);
    });
    m_desk->sender()->flush(); // sends now, skipping any backoff wait
    startDeadline([this] { printFlushed(true); });
    checkFlushed();
}

void QueueCommand::checkFlushed()
{
    // Done when nothing is waiting to go out, and then the look-up of working orders (fills of
    // what was just sent) came back.
    const bool idle = m_desk->sender()->status() == OrderSender::Status::Idle;
    const int waiting = m_desk->queue()->countInStates({Order::State::Queued, Order::State::Sending}, m_desk->userId());
    if (!idle || waiting > 0)
        return;
    if (!m_lookupStarted) {
        m_lookupStarted = true;
        m_desk->refreshOpenOrders(); // answers through openOrdersRefreshed, maybe at once
        return;
    }
    if (m_lookedUp)
        printFlushed(false);
}

void QueueCommand::printFlushed(bool deadline)
{
    if (!m_desk)
        return;
    disconnect(m_desk.get(), nullptr, this, nullptr);
    disconnect(m_desk->sender(), nullptr, this, nullptr);
    int undelivered = 0;
    for (const QUuid &id : std::as_const(m_open)) {
        const std::optional<Order> order = m_desk->queue()->order(id);
        if (!order)
            continue; // pruned meanwhile: it was finished long ago
        CliContext::print(orderLine(*order));
        const Order::State s = order->state;
        if (s == Order::State::Queued || s == Order::State::Sending || s == Order::State::Failed)
            ++undelivered;
    }
    if (undelivered > 0)
        return finish(ExitFailure, QStringLiteral("%1 orders were not delivered%2")
                                       .arg(undelivered)
                                       .arg(deadline ? QStringLiteral(" within --wait-seconds") : QString()));
    finish(ExitOk);
}

} // namespace tf::cli
