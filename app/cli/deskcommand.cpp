#include "deskcommand.h"

#include "clicontext.h"
#include "orderdesk.h"
#include "orderqueue.h"
#include "orderwords.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace tf::cli {

namespace {

const QCommandLineOption queueOption(QStringLiteral("queue"),
    QStringLiteral("The order queue file (default: the desktop app's queue)."), QStringLiteral("file"));
const QCommandLineOption waitOption(QStringLiteral("wait-seconds"),
    QStringLiteral("How long to wait for the exchange's answer before printing the current state (default 10)."),
    QStringLiteral("s"), QStringLiteral("10"));

} // namespace

DeskCommand::~DeskCommand() = default;

QString DeskCommand::appQueueFile()
{
    // The app's name decides AppDataLocation and where its settings live: borrow it for the
    // one lookup, so the CLI and the app agree on the file however the platform places it.
    const QString organization = QCoreApplication::organizationName();
    const QString application = QCoreApplication::applicationName();
    QCoreApplication::setOrganizationName(QStringLiteral("TradingFloor"));
    QCoreApplication::setApplicationName(QStringLiteral("trading-floor"));
    const QString path = OrderQueue::defaultFilePath();
    QCoreApplication::setOrganizationName(organization);
    QCoreApplication::setApplicationName(application);
    return path;
}

QString DeskCommand::jwtSubject(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(parts.at(1).toLatin1(),
                                                      QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return QJsonDocument::fromJson(payload).object().value(QStringLiteral("sub")).toString();
}

QJsonObject DeskCommand::orderLine(const Order &order)
{
    const auto time = [](const QDateTime &at) {
        return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
    };
    QJsonObject line{{QStringLiteral("kind"), QStringLiteral("order")},
                     {QStringLiteral("client_order_id"), order.clientOrderId.toString(QUuid::WithoutBraces)},
                     {QStringLiteral("user_id"), order.userId},
                     {QStringLiteral("symbol"), order.symbol},
                     {QStringLiteral("side"), orderSideName(order.side)},
                     {QStringLiteral("qty"), order.quantity},
                     {QStringLiteral("type"), orderTypeName(order.type)},
                     {QStringLiteral("limit_price"), order.limitPrice ? QJsonValue(*order.limitPrice) : QJsonValue()},
                     {QStringLiteral("state"), orderStateName(order.state)},
                     {QStringLiteral("state_text"), orderStateText(order)},
                     {QStringLiteral("reason"), order.reason},
                     {QStringLiteral("attempts"), order.attempts},
                     {QStringLiteral("last_error"), order.lastError},
                     {QStringLiteral("server_id"), order.serverId.isEmpty() ? QJsonValue() : QJsonValue(order.serverId)},
                     {QStringLiteral("created_at"), time(order.createdAt)},
                     {QStringLiteral("updated_at"), time(order.updatedAt)}};
    if (order.createdAt.isValid())
        line.insert(QStringLiteral("age_seconds"), order.createdAt.secsTo(QDateTime::currentDateTimeUtc()));
    return line;
}

void DeskCommand::addDeskOptions(QCommandLineParser &parser, bool withWait)
{
    parser.addOption(queueOption);
    m_withWait = withWait;
    if (withWait)
        parser.addOption(waitOption);
}

bool DeskCommand::readDeskOptions(const QCommandLineParser &parser, const QStringList &actions, QString *error)
{
    m_action = parser.positionalArguments().value(1);
    if (!actions.contains(m_action)) {
        *error = m_action.isEmpty()
            ? QStringLiteral("say what to do: %1").arg(actions.join(QStringLiteral(" or ")))
            : QStringLiteral("unknown action \"%1\" (expected %2)").arg(m_action, actions.join(QStringLiteral(" or ")));
        return false;
    }
    m_queueFile = parser.isSet(queueOption) ? parser.value(queueOption).trimmed() : appQueueFile();
    if (m_queueFile.isEmpty()) {
        *error = QStringLiteral("--queue needs a file name");
        return false;
    }
    if (m_withWait) {
        bool ok = false;
        const double seconds = parser.value(waitOption).toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 24 * 3600) {
            *error = QStringLiteral("--wait-seconds must be a number of seconds from 0 to 86400");
            return false;
        }
        m_waitSeconds = seconds;
    }
    return true;
}

bool DeskCommand::openDesk(CliContext &context)
{
    const QString userId = jwtSubject(context.accessToken());
    if (userId.isEmpty()) {
        finish(ExitUsage, QStringLiteral("orders need a signed-in trader: --email/--password or --token"));
        return false;
    }
    m_desk = std::make_unique<OrderDesk>(m_queueFile, context.rest(), nullptr);
    connect(m_desk.get(), &OrderDesk::queueProblem, this, [](const QString &message) {
        CliContext::printError(message);
    });
    if (!m_desk->queue()->isOpen()) {
        finish(ExitFailure, m_desk->refusalReason().isEmpty() ? m_desk->lastQueueProblem() : m_desk->refusalReason());
        return false;
    }
    m_desk->setUserId(userId);
    m_desk->setOnline(true); // the CLI has no link monitor: try, and let the backoff handle a dead link
    return true;
}

void DeskCommand::startDeadline(const std::function<void()> &onDeadline)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, onDeadline);
    m_deadline.start(std::chrono::milliseconds(qint64(m_waitSeconds * 1000)));
}

void DeskCommand::finish(int code, const QString &message)
{
    if (std::exchange(m_finished, true))
        return;
    m_deadline.stop();
    if (!message.isEmpty())
        CliContext::printError(message);
    // Leaves from the event loop: the desk's own signals may be on the stack right now.
    QMetaObject::invokeMethod(this, [this, code] { Q_EMIT finished(code); }, Qt::QueuedConnection);
}

} // namespace tf::cli
