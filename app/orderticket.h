#pragma once

#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QVariantMap>

namespace tf {

// What the order ticket sends, checked before anything is queued: {symbol, side: "buy"|"sell",
// qty, type: "market"|"limit", limit_price}. Numbers may arrive as numbers or numeric strings;
// an empty field arrives as NaN or not at all. The limit price is read from `limit_price` (the
// contract) or `limitPrice` (older tickets), and its error is reported under the key the ticket
// used ("limit_price" when it had none).
struct TicketCheck {
    QVariantMap errors; // field -> message; empty when the ticket is valid
    QJsonObject order;  // the normalised order for the desk (only when valid)

    bool isValid() const { return errors.isEmpty(); }
    // Every message in one sentence, for a refusal that has no field to point at.
    QString summary() const;
};

// Highest quantity and price a ticket may carry: far beyond any real order, low enough that a
// typo of extra zeros is caught here instead of at the exchange.
inline constexpr double MaxTicketQuantity = 1e9;
inline constexpr double MaxTicketPrice = 1e9;

// `knownSymbols` empty = do not check the symbol against a list (nothing loaded yet).
TicketCheck checkTicket(const QVariantMap &ticket, const QSet<QString> &knownSymbols = {});

} // namespace tf
