#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QUuid>

#include <optional>

namespace tf {

// One problem with one field of an order, for the ticket to show next to that field.
struct FieldError {
    QString field;   // one of the OrderField keys
    QString message; // human-readable, ready to show
    friend bool operator==(const FieldError &, const FieldError &) = default;
};

// Keys of FieldError::field; the order ticket uses the same keys for its inputs.
namespace OrderField {
inline const QString UserId = QStringLiteral("userId");
inline const QString ClientOrderId = QStringLiteral("clientOrderId");
inline const QString Symbol = QStringLiteral("symbol");
inline const QString Quantity = QStringLiteral("qty");
inline const QString LimitPrice = QStringLiteral("limitPrice");
} // namespace OrderField

// The outcome of Order::validate(): empty means valid.
struct OrderValidation {
    QList<FieldError> errors;

    bool isValid() const { return errors.isEmpty(); }
    // The message for one field, empty when that field is fine.
    QString messageFor(const QString &field) const;
    // All messages in one line, for logs and refusals that have no field to point at.
    QString summary() const;
};

// An order as the trader placed it, plus its delivery state. A plain value: OrderQueue stores it,
// OrderSender moves it through its states, models and views copy it.
struct Order {
    Q_GADGET

public:
    enum class Side { Buy, Sell };
    Q_ENUM(Side)
    enum class Type { Market, Limit };
    Q_ENUM(Type)
    // Where the order is on its way to the exchange. Allowed moves: ordertransitions.h.
    enum class State {
        Queued,          // saved on this machine, waiting to be sent
        Sending,         // a send is in flight (or was, when the app died: resent after restart)
        Accepted,        // the exchange confirmed it; working
        CancelRequested, // the trader asked to cancel; waiting for the exchange to confirm
        Filled,          // terminal, confirmed by the exchange
        Canceled,        // terminal: confirmed by the exchange, or canceled here before it ever left
        Rejected,        // terminal: the exchange refused it; `reason` says why
        Failed,          // retries exhausted; kept and shown until the trader retries or cancels
    };
    Q_ENUM(State)

    // The idempotency key: made here, sent with every attempt, unique on the server.
    QUuid clientOrderId;
    QString userId;
    QString symbol;
    Side side = Side::Buy;
    double quantity = 0;
    Type type = Type::Market;
    std::optional<double> limitPrice; // limit orders only
    QDateTime createdAt;              // UTC

    State state = State::Queued;
    QString reason;          // the exchange's reject reason, or why it failed / was canceled
    int attempts = 0;        // sends since it was queued (or last retried by the trader)
    bool everSent = false;   // at least one send started: it may be at the exchange even if unconfirmed
    QDateTime lastAttemptAt; // UTC; null before the first send
    QString lastError;       // what went wrong with the last send, for the tooltip of a queued order
    QString serverId;        // the exchange's id, once known
    QDateTime updatedAt;     // UTC; last local change
    qint64 sequence = 0;     // local insertion order (FIFO); set by OrderQueue

    // A new order with a fresh client order id, created now.
    static Order create(const QString &userId, const QString &symbol, Side side, double quantity,
                        Type type = Type::Market, std::optional<double> limitPrice = std::nullopt);

    OrderValidation validate() const;
    bool isTerminal() const;

    friend bool operator==(const Order &, const Order &) = default;
};

// Stable lower-case names: used in the queue file and on the wire, so never rename them.
QString orderSideName(Order::Side side);
QString orderTypeName(Order::Type type);
QString orderStateName(Order::State state);
std::optional<Order::Side> orderSideFromName(const QString &text);
std::optional<Order::Type> orderTypeFromName(const QString &text);
std::optional<Order::State> orderStateFromName(const QString &text);

// Maps the server's `orders.status` to our state ("working" → Accepted, "cancelled" → Canceled, …).
// nullopt for a status this build does not know.
std::optional<Order::State> stateFromServerStatus(const QString &status);

} // namespace tf

Q_DECLARE_METATYPE(tf::Order)
