#pragma once

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QVariantMap>

namespace tf {

class OrderDesk;
class QuoteModel;

// The order ticket's side of the app (`app.orderEntry` in QML): checks a ticket field by field
// (orderticket.h), hands valid ones to the signed-in session's OrderDesk, and says in words why
// the ticket is disabled (signed out, queue not writable). Without a desk every submit is refused
// with that reason: an order is never accepted and then lost.
class OrderEntry : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool canSubmit READ canSubmit NOTIFY canSubmitChanged)
    Q_PROPERTY(QString refusalReason READ refusalReason NOTIFY canSubmitChanged)

public:
    // `quotes` (optional, not owned) lists the symbols a ticket may name once prices arrived.
    explicit OrderEntry(QuoteModel *quotes = nullptr, QObject *parent = nullptr);

    // The desk of the signed-in session (not owned); null while signed out.
    void setDesk(OrderDesk *desk);
    OrderDesk *desk() const { return m_desk; }

    bool canSubmit() const;
    QString refusalReason() const;

    // {field: message}; empty when the ticket can be submitted.
    Q_INVOKABLE QVariantMap validateOrder(const QVariantMap &ticket) const;
    // {outcome: "sent"|"queued"|"refused", message, clientOrderId} (+ errors when refused for
    // bad fields; ok/queued booleans for tickets written before the outcome field).
    Q_INVOKABLE QVariantMap submitOrder(const QVariantMap &ticket);
    Q_INVOKABLE bool retryOrder(const QString &clientOrderId);
    Q_INVOKABLE bool cancelOrder(const QString &clientOrderId);

Q_SIGNALS:
    void canSubmitChanged();

private:
    QSet<QString> knownSymbols() const;
    static QVariantMap result(const QString &outcome, const QString &message, const QString &clientOrderId);

    QPointer<QuoteModel> m_quotes;
    OrderDesk *m_desk = nullptr; // the owner (the live session) clears it before deleting the desk
};

} // namespace tf
