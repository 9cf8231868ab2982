#include "orderticket.h"

#include <QRegularExpression>

#include <cmath>

namespace tf {

namespace {

// A number from the ticket: a number, or a string holding one. NaN when absent or unreadable.
double numberFrom(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return qQNaN();
    if (value.typeId() == QMetaType::QString) {
        const QString text = value.toString().trimmed();
        if (text.isEmpty())
            return qQNaN();
        bool ok = false;
        const double number = text.toDouble(&ok);
        return ok ? number : qQNaN();
    }
    bool ok = false;
    const double number = value.toDouble(&ok);
    return ok ? number : qQNaN();
}

} // namespace

QString TicketCheck::summary() const
{
    QStringList messages;
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        messages << it.value().toString();
    return messages.join(QStringLiteral("; "));
}

TicketCheck checkTicket(const QVariantMap &ticket, const QSet<QString> &knownSymbols)
{
    TicketCheck check;
    const auto fail = [&check](const QString &field, const QString &message) {
        if (!check.errors.contains(field))
            check.errors.insert(field, message);
    };

    static const QRegularExpression symbolPattern(QStringLiteral("^[A-Z0-9][A-Z0-9.\\-]{0,15}$"));
    const QString symbol = ticket.value(QStringLiteral("symbol")).toString().trimmed().toUpper();
    if (symbol.isEmpty())
        fail(QStringLiteral("symbol"), QStringLiteral("Enter a symbol"));
    else if (!symbolPattern.match(symbol).hasMatch())
        fail(QStringLiteral("symbol"), QStringLiteral("A symbol is up to 16 letters, digits, '.' or '-'"));
    else if (!knownSymbols.isEmpty() && !knownSymbols.contains(symbol))
        fail(QStringLiteral("symbol"), QStringLiteral("Unknown symbol %1").arg(symbol));

    const QString side = ticket.value(QStringLiteral("side")).toString().trimmed().toLower();
    if (side != u"buy" && side != u"sell")
        fail(QStringLiteral("side"), QStringLiteral("Choose buy or sell"));

    const double qty = numberFrom(ticket.value(QStringLiteral("qty")));
    if (std::isnan(qty))
        fail(QStringLiteral("qty"), QStringLiteral("Enter a quantity"));
    else if (!std::isfinite(qty) || qty <= 0)
        fail(QStringLiteral("qty"), QStringLiteral("Quantity must be greater than 0"));
    else if (qty > MaxTicketQuantity)
        fail(QStringLiteral("qty"), QStringLiteral("Quantity is too large"));

    QString type = ticket.value(QStringLiteral("type")).toString().trimmed().toLower();
    if (type.isEmpty())
        type = QStringLiteral("market");
    if (type != u"market" && type != u"limit")
        fail(QStringLiteral("type"), QStringLiteral("Choose market or limit"));

    const bool legacyKey = ticket.contains(QStringLiteral("limitPrice")) && !ticket.contains(QStringLiteral("limit_price"));
    const QString limitField = legacyKey ? QStringLiteral("limitPrice") : QStringLiteral("limit_price");
    const double limit = numberFrom(ticket.value(limitField));
    if (type == u"limit") {
        if (std::isnan(limit))
            fail(limitField, QStringLiteral("A limit order needs a limit price"));
        else if (!std::isfinite(limit) || limit <= 0)
            fail(limitField, QStringLiteral("Limit price must be greater than 0"));
        else if (limit > MaxTicketPrice)
            fail(limitField, QStringLiteral("Limit price is too large"));
    }
    // A market ticket may still carry the (hidden) limit field: it is simply not sent.

    if (check.isValid()) {
        check.order = QJsonObject{{QStringLiteral("symbol"), symbol},
                                  {QStringLiteral("side"), side},
                                  {QStringLiteral("qty"), qty},
                                  {QStringLiteral("type"), type}};
        if (type == u"limit")
            check.order.insert(QStringLiteral("limit_price"), limit);
    }
    return check;
}

} // namespace tf
