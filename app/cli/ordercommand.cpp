#include "ordercommand.h"

#include "clicontext.h"
#include "orderdesk.h"
#include "ticketreader.h"

namespace tf::cli {

namespace {

const QCommandLineOption symbolOption(QStringLiteral("symbol"), QStringLiteral("Instrument, e.g. AAPL."), QStringLiteral("symbol"));
const QCommandLineOption sideOption(QStringLiteral("side"), QStringLiteral("buy or sell."), QStringLiteral("side"));
const QCommandLineOption qtyOption(QStringLiteral("qty"), QStringLiteral("Quantity (> 0)."), QStringLiteral("n"));
const QCommandLineOption typeOption(QStringLiteral("type"), QStringLiteral("market (default) or limit."), QStringLiteral("type"));
const QCommandLineOption limitOption(QStringLiteral("limit"), QStringLiteral("Limit price (limit orders)."), QStringLiteral("price"));
const QCommandLineOption idOption(QStringLiteral("client-order-id"),
    QStringLiteral("The order's idempotency key (a UUID; default: a new one). Submitting it again is harmless."),
    QStringLiteral("uuid"));

bool isFinal(const Order &order)
{
    return order.isTerminal() || order.state == Order::State::Failed;
}

} // namespace

void OrderCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({symbolOption, sideOption, qtyOption, typeOption, limitOption, idOption});
    addDeskOptions(parser, true);
}

bool OrderCommand::configure(const QCommandLineParser &parser, QString *error)
{
    if (!readDeskOptions(parser, {QStringLiteral("submit")}, error))
        return false;
    for (const QCommandLineOption &required : {symbolOption, sideOption, qtyOption}) {
        if (!parser.isSet(required)) {
            *error = QStringLiteral("--%1 is required").arg(required.names().constFirst());
            return false;
        }
    }
    m_ticket = QJsonObject{{QStringLiteral("symbol"), parser.value(symbolOption)},
                           {QStringLiteral("side"), parser.value(sideOption)},
                           {QStringLiteral("qty"), parser.value(qtyOption)}};
    if (parser.isSet(typeOption))
        m_ticket.insert(QStringLiteral("type"), parser.value(typeOption));
    if (parser.isSet(limitOption))
        m_ticket.insert(QStringLiteral("limit_price"), parser.value(limitOption));
    if (parser.isSet(idOption))
        m_ticket.insert(QStringLiteral("client_order_id"), parser.value(idOption));
    // Every field checked before anything is saved or sent (the user is checked at start).
    const TicketRead check = readTicket(m_ticket, QStringLiteral("command-line"));
    if (!check.order) {
        const QString option = check.field == u"limit_price" ? QStringLiteral("limit")
                             : check.field == u"client_order_id" ? QStringLiteral("client-order-id")
                                                                  : check.field;
        *error = option.isEmpty() ? check.error : QStringLiteral("--%1: %2").arg(option, check.error);
        return false;
    }
    return true;
}

bool OrderCommand::needsProject(const QCommandLineParser &parser) const
{
    return parser.positionalArguments().value(1) == u"submit"; // otherwise configure() says what is wrong
}

void OrderCommand::start(CliContext &context)
{
    if (!openDesk(context))
        return;
    const OrderDesk::SubmitResult submitted = m_desk->submit(m_ticket);
    const QString outcome = submitted.outcome == OrderDesk::Outcome::Sent     ? QStringLiteral("sent")
                          : submitted.outcome == OrderDesk::Outcome::Queued ? QStringLiteral("queued")
                                                                             : QStringLiteral("refused");
    CliContext::print(QJsonObject{{QStringLiteral("kind"), QStringLiteral("submitted")},
                                  {QStringLiteral("outcome"), outcome},
                                  {QStringLiteral("client_order_id"), submitted.clientOrderId},
                                  {QStringLiteral("message"), submitted.message}});
    if (submitted.outcome == OrderDesk::Outcome::Refused)
        return finish(ExitFailure, submitted.message);
    m_id = submitted.clientOrderId;
    follow();
}

void OrderCommand::follow()
{
    connect(m_desk.get(), &OrderDesk::orderChanged, this, [this](const Order &order) {
        if (order.clientOrderId.toString(QUuid::WithoutBraces) == m_id && isFinal(order))
            printAndFinish(false);
    });
    connect(m_desk.get(), &OrderDesk::sendingPaused, this, [this](const QString &reason) {
        CliContext::printError(reason);
        printAndFinish(true);
    });
    // Fills of a working order are looked up once a second (the CLI does not subscribe).
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        const std::optional<Order> order = m_desk->order(m_id);
        if (order && (order->state == Order::State::Accepted || order->state == Order::State::CancelRequested))
            m_desk->refreshOpenOrders();
    });
    const std::optional<Order> now = m_desk->order(m_id);
    if (m_waitSeconds <= 0 || (now && isFinal(*now)))
        return printAndFinish(m_waitSeconds <= 0);
    m_poll.start();
    startDeadline([this] { printAndFinish(true); });
}

void OrderCommand::printAndFinish(bool deadline)
{
    m_poll.stop();
    disconnect(m_desk.get(), nullptr, this, nullptr);
    const std::optional<Order> order = m_desk->order(m_id);
    if (!order)
        return finish(ExitFailure, QStringLiteral("order %1 is no longer in the queue").arg(m_id));
    QJsonObject line = orderLine(*order);
    line.insert(QStringLiteral("final"), isFinal(*order));
    CliContext::print(line);
    const bool refused = order->state == Order::State::Rejected || order->state == Order::State::Failed;
    if (deadline && !isFinal(*order))
        qCInfo(lcCli) << "stopped waiting; the order is" << orderStateName(order->state);
    finish(refused ? ExitFailure : ExitOk);
}

} // namespace tf::cli
