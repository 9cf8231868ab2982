#include "orderentry.h"

#include "applogging.h"
#include "orderdesk.h"
#include "orderticket.h"
#include "quotemodel.h"

namespace tf {

OrderEntry::OrderEntry(QuoteModel *quotes, QObject *parent)
    : QObject(parent)
    , m_quotes(quotes)
{
}

void OrderEntry::setDesk(OrderDesk *desk)
{
    if (m_desk == desk)
        return;
    if (m_desk)
        disconnect(m_desk, nullptr, this, nullptr);
    m_desk = desk;
    if (desk)
        connect(desk, &OrderDesk::canSubmitChanged, this, &OrderEntry::canSubmitChanged);
    Q_EMIT canSubmitChanged();
}

bool OrderEntry::canSubmit() const
{
    return m_desk && m_desk->canSubmit();
}

QString OrderEntry::refusalReason() const
{
    if (!m_desk)
        return QStringLiteral("Sign in to place orders.");
    return m_desk->canSubmit() ? QString() : m_desk->refusalReason();
}

QSet<QString> OrderEntry::knownSymbols() const
{
    QSet<QString> symbols;
    if (!m_quotes)
        return symbols;
    for (int row = 0; row < m_quotes->rowCount(); ++row)
        symbols.insert(m_quotes->data(m_quotes->index(row), QuoteModel::SymbolRole).toString());
    return symbols;
}

QVariantMap OrderEntry::validateOrder(const QVariantMap &ticket) const
{
    return checkTicket(ticket, knownSymbols()).errors;
}

QVariantMap OrderEntry::result(const QString &outcome, const QString &message, const QString &clientOrderId)
{
    return {{QStringLiteral("outcome"), outcome},
            {QStringLiteral("message"), message},
            {QStringLiteral("clientOrderId"), clientOrderId},
            {QStringLiteral("ok"), outcome != u"refused"},
            {QStringLiteral("queued"), outcome == u"queued"}};
}

QVariantMap OrderEntry::submitOrder(const QVariantMap &ticket)
{
    const TicketCheck check = checkTicket(ticket, knownSymbols());
    if (!check.isValid()) {
        QVariantMap refused = result(QStringLiteral("refused"), check.summary(), QString());
        refused.insert(QStringLiteral("errors"), check.errors);
        return refused;
    }
    if (!canSubmit())
        return result(QStringLiteral("refused"), refusalReason(), QString());
    const OrderDesk::SubmitResult submitted = m_desk->submit(check.order);
    switch (submitted.outcome) {
    case OrderDesk::Outcome::Sent:
        qCInfo(lcAppOrders) << "order" << submitted.clientOrderId << "sent";
        return result(QStringLiteral("sent"), submitted.message, submitted.clientOrderId);
    case OrderDesk::Outcome::Queued:
        qCInfo(lcAppOrders) << "order" << submitted.clientOrderId << "queued";
        return result(QStringLiteral("queued"), submitted.message, submitted.clientOrderId);
    case OrderDesk::Outcome::Refused:
        break;
    }
    qCWarning(lcAppOrders) << "order refused:" << submitted.message;
    QVariantMap refused = result(QStringLiteral("refused"), submitted.message, submitted.clientOrderId);
    if (!submitted.field.isEmpty()) // the desk's own check found a field at fault
        refused.insert(QStringLiteral("errors"), QVariantMap{{submitted.field, submitted.message}});
    return refused;
}

bool OrderEntry::retryOrder(const QString &clientOrderId)
{
    return m_desk && m_desk->retry(clientOrderId);
}

bool OrderEntry::cancelOrder(const QString &clientOrderId)
{
    return m_desk && m_desk->cancel(clientOrderId);
}

} // namespace tf
