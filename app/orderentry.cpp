#include "orderentry.h"

#include "applogging.h"
#include "orderticket.h"
#include "quotemodel.h"

#if TF_HAVE_ORDERDESK
#include "orderdesk.h"
#endif

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
#if TF_HAVE_ORDERDESK
    if (m_desk)
        disconnect(m_desk, nullptr, this, nullptr);
    m_desk = desk;
    if (desk)
        connect(desk, &OrderDesk::canSubmitChanged, this, &OrderEntry::canSubmitChanged);
#else
    m_desk = desk;
#endif
    Q_EMIT canSubmitChanged();
}

bool OrderEntry::canSubmit() const
{
#if TF_HAVE_ORDERDESK
    return m_desk && m_desk->canSubmit();
#else
    return false;
#endif
}

QString OrderEntry::refusalReason() const
{
    if (!m_desk)
        return QStringLiteral("Sign in to place orders.");
#if TF_HAVE_ORDERDESK
    return m_desk->canSubmit() ? QString() : m_desk->refusalReason();
#else
    // SEAM(orders): until app/orders (tf::OrderDesk) lands there is nothing to submit to.
    return QStringLiteral("Order entry is not available in this build.");
#endif
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
#if TF_HAVE_ORDERDESK
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
    return result(QStringLiteral("refused"), submitted.message, submitted.clientOrderId);
#else
    return result(QStringLiteral("refused"), refusalReason(), QString());
#endif
}

bool OrderEntry::retryOrder(const QString &clientOrderId)
{
#if TF_HAVE_ORDERDESK
    return m_desk && m_desk->retry(clientOrderId);
#else
    Q_UNUSED(clientOrderId)
    return false;
#endif
}

bool OrderEntry::cancelOrder(const QString &clientOrderId)
{
#if TF_HAVE_ORDERDESK
    return m_desk && m_desk->cancel(clientOrderId);
#else
    Q_UNUSED(clientOrderId)
    return false;
#endif
}

} // namespace tf
