#include "matchingengine.h"

#include "marketsimulator.h"
#include "rowstore.h"
#include "simlogging.h"
#include "tradingschema.h"

#include <QTimer>

#include <cmath>

namespace tf::sim {

namespace {

const QString Status = QStringLiteral("status");

double round6(double value)
{
    return std::round(value * 1e6) / 1e6;
}

bool isTerminal(const QString &status)
{
    return status == u"filled" || status == u"canceled" || status == u"rejected";
}

} // namespace

MatchingEngine::MatchingEngine(RowStore &store, MarketSimulator &market, MatchingSettings settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_market(market)
    , m_settings(settings)
{
    connect(&m_store, &RowStore::rowChanged, this, &MatchingEngine::onRowChange);
    connect(&m_market, &MarketSimulator::ticked, this, &MatchingEngine::matchWorkingOrders);
}

void MatchingEngine::onRowChange(const RowChange &change)
{
    if (change.table != TradingSchema::Orders)
        return;
    const qint64 id = change.record.value(QStringLiteral("id")).toInteger();
    const QString status = change.record.value(Status).toString();
    if (change.type == ChangeType::Insert && status == u"new") {
        m_pending.append({id, QString()});
        schedule();
    } else if (change.type == ChangeType::Update && status == u"cancel_requested"
               && change.oldRecord.value(Status).toString() != u"cancel_requested") {
        m_pending.append({id, change.oldRecord.value(Status).toString()});
        schedule();
    }
}

void MatchingEngine::schedule()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QTimer::singleShot(0, this, &MatchingEngine::processPending);
}

void MatchingEngine::processPending()
{
    m_scheduled = false;
    while (!m_pending.isEmpty()) {
        const auto [id, previous] = m_pending.takeFirst();
        processOrder(id, previous);
    }
}

void MatchingEngine::setStatus(qint64 orderId, const QJsonObject &patch)
{
    m_store.updateByKey(TradingSchema::Orders, orderId, patch);
    Q_EMIT orderUpdated(orderId, patch.value(Status).toString());
}

void MatchingEngine::processOrder(qint64 orderId, const QString &previousStatus)
{
    const auto order = m_store.rowByKey(TradingSchema::Orders, orderId);
    if (!order)
        return; // deleted meanwhile
    const QString status = order->value(Status).toString();
    if (status == u"new") {
        accept(*order);
    } else if (status == u"cancel_requested") {
        if (isTerminal(previousStatus)) {
            qCInfo(lcSimMarket) << "order" << orderId << "cannot be canceled:" << previousStatus;
            setStatus(orderId, QJsonObject{{Status, previousStatus}});
        } else {
            qCInfo(lcSimMarket) << "order" << orderId << "canceled";
            setStatus(orderId, QJsonObject{{Status, QStringLiteral("canceled")}});
        }
    }
}

void MatchingEngine::accept(const QJsonObject &order)
{
    const qint64 id = order.value(QStringLiteral("id")).toInteger();
    const QString symbol = order.value(QStringLiteral("symbol")).toString();
    const double qty = order.value(QStringLiteral("qty")).toDouble();
    const bool isLimit = order.value(QStringLiteral("type")).toString() == u"limit";
    const QJsonValue limit = order.value(QStringLiteral("limit_price"));

    QString reason;
    if (!m_market.hasSymbol(symbol))
        reason = QStringLiteral("unknown symbol: %1").arg(symbol);
    else if (!(qty > 0))
        reason = QStringLiteral("quantity must be positive");
    else if (isLimit && (limit.isNull() || !(limit.toDouble() > 0)))
        reason = QStringLiteral("limit order needs a positive limit_price");
    if (!reason.isEmpty()) {
        qCInfo(lcSimMarket) << "order" << id << "rejected:" << reason;
        setStatus(id, QJsonObject{{Status, QStringLiteral("rejected")}, {QStringLiteral("reject_reason"), reason}});
        return;
    }
    setStatus(id, QJsonObject{{Status, QStringLiteral("accepted")}});
    if (const auto accepted = m_store.rowByKey(TradingSchema::Orders, id))
        tryFill(*accepted);
}

void MatchingEngine::matchWorkingOrders()
{
    const QList<QJsonObject> working = m_store.rows(TradingSchema::Orders, [](const QJsonObject &row) {
        const QString status = row.value(Status).toString();
        return status == u"accepted" || status == u"partially_filled";
    });
    for (const QJsonObject &order : working)
        tryFill(order);
}

void MatchingEngine::tryFill(const QJsonObject &order)
{
    const QString symbol = order.value(QStringLiteral("symbol")).toString();
    if (!m_market.hasSymbol(symbol))
        return;
    const double price = m_market.quote(symbol).price;
    const bool buy = order.value(QStringLiteral("side")).toString() == u"buy";
    if (order.value(QStringLiteral("type")).toString() == u"limit") {
        const double limit = order.value(QStringLiteral("limit_price")).toDouble();
        if (buy ? price > limit : price < limit)
            return; // not crossed yet
    }
    const double remaining = round6(order.value(QStringLiteral("qty")).toDouble()
                                    - order.value(QStringLiteral("filled_qty")).toDouble());
    if (remaining <= 0)
        return;
    const double qty = m_settings.maxFillQty > 0 ? std::min(remaining, m_settings.maxFillQty) : remaining;
    fill(order, qty, price);
}

void MatchingEngine::fill(const QJsonObject &order, double qty, double price)
{
    const qint64 orderId = order.value(QStringLiteral("id")).toInteger();
    const QString userId = order.value(QStringLiteral("user_id")).toString();
    const QString symbol = order.value(QStringLiteral("symbol")).toString();
    const QString side = order.value(QStringLiteral("side")).toString();

    m_store.insertRow(TradingSchema::Trades, QJsonObject{{QStringLiteral("user_id"), userId},
                                                         {QStringLiteral("order_id"), orderId},
                                                         {QStringLiteral("symbol"), symbol},
                                                         {QStringLiteral("side"), side},
                                                         {QStringLiteral("qty"), qty},
                                                         {QStringLiteral("price"), price}});

    // Position: signed quantity, average entry price, realized P&L on the closed part.
    const double signedQty = side == u"buy" ? qty : -qty;
    const auto positions = m_store.rows(TradingSchema::Positions, [&](const QJsonObject &row) {
        return row.value(QStringLiteral("user_id")).toString() == userId
            && row.value(QStringLiteral("symbol")).toString() == symbol;
    });
    double posQty = 0, avg = 0, realized = 0;
    if (!positions.isEmpty()) {
        posQty = positions.first().value(QStringLiteral("qty")).toDouble();
        avg = positions.first().value(QStringLiteral("avg_price")).toDouble();
        realized = positions.first().value(QStringLiteral("realized_pnl")).toDouble();
    }
    if (posQty == 0 || (posQty > 0) == (signedQty > 0)) {
        avg = (std::abs(posQty) * avg + qty * price) / (std::abs(posQty) + qty);
        posQty += signedQty;
    } else {
        const double closing = std::min(std::abs(posQty), qty);
        realized += closing * (price - avg) * (posQty > 0 ? 1 : -1);
        const double before = posQty;
        posQty += signedQty;
        if (std::abs(posQty) < 1e-9) {
            posQty = 0;
            avg = 0;
        } else if ((before > 0) != (posQty > 0)) {
            avg = price; // flipped: the remainder opened at this price
        }
    }
    const QJsonObject position{{QStringLiteral("qty"), round6(posQty)},
                               {QStringLiteral("avg_price"), round6(avg)},
                               {QStringLiteral("realized_pnl"), round6(realized)}};
    if (positions.isEmpty()) {
        QJsonObject row = position;
        row.insert(QStringLiteral("user_id"), userId);
        row.insert(QStringLiteral("symbol"), symbol);
        m_store.insertRow(TradingSchema::Positions, row);
    } else {
        m_store.updateByKey(TradingSchema::Positions, positions.first().value(QStringLiteral("id")), position);
    }

    const double filledBefore = order.value(QStringLiteral("filled_qty")).toDouble();
    const double filled = round6(filledBefore + qty);
    const double avgFill = round6((filledBefore * order.value(QStringLiteral("avg_fill_price")).toDouble() + qty * price)
                                  / filled);
    const bool complete = filled >= round6(order.value(QStringLiteral("qty")).toDouble());
    qCInfo(lcSimMarket) << "order" << orderId << "filled" << qty << symbol << "at" << price
                        << (complete ? "(complete)" : "(partial)");
    setStatus(orderId, QJsonObject{{Status, complete ? QStringLiteral("filled") : QStringLiteral("partially_filled")},
                                   {QStringLiteral("filled_qty"), filled},
                                   {QStringLiteral("avg_fill_price"), avgFill}});
}

} // namespace tf::sim
