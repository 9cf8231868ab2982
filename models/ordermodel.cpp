#include "ordermodel.h"

#include "recordreader.h"

#include <limits>

namespace tf {

namespace {
struct StateWord
{
    const char *word;
    OrderModel::State state;
};
// Server statuses: the schema's order_status values plus the other spellings the order queue's
// stateFromServerStatus() accepts, so both sides read a status the same way.
constexpr StateWord ServerStates[] = {
    {"new", OrderModel::Accepted},
    {"pending", OrderModel::Accepted},
    {"accepted", OrderModel::Accepted},
    {"working", OrderModel::Accepted},
    {"open", OrderModel::Accepted},
    {"partially_filled", OrderModel::PartiallyFilled},
    {"partial", OrderModel::PartiallyFilled},
    {"filled", OrderModel::Filled},
    {"cancel_requested", OrderModel::CancelRequested},
    {"pending_cancel", OrderModel::CancelRequested},
    {"canceled", OrderModel::Canceled},
    {"cancelled", OrderModel::Canceled},
    {"rejected", OrderModel::Rejected},
    {"expired", OrderModel::Expired},
};
} // namespace

OrderModel::OrderModel(QObject *parent)
    : KeyedRowModel(QMetaEnum::fromType<Roles>(), {QStringLiteral("client_order_id")}, parent)
{
    m_ageTimer.setInterval(1000);
    connect(&m_ageTimer, &QTimer::timeout, this, &OrderModel::refreshAges);
    connect(this, &KeyedRowModel::countChanged, this, &OrderModel::updateAgeTimer);
}

QString OrderModel::stateName(State state)
{
    switch (state) {
    case Queued: return QStringLiteral("queued");
    case Sending: return QStringLiteral("sending");
    case Accepted: return QStringLiteral("accepted");
    case PartiallyFilled: return QStringLiteral("partially_filled");
    case Filled: return QStringLiteral("filled");
    case CancelRequested: return QStringLiteral("cancel_requested");
    case Canceled: return QStringLiteral("canceled");
    case Rejected: return QStringLiteral("rejected");
    case Failed: return QStringLiteral("failed");
    case Expired: return QStringLiteral("expired");
    case Unknown: break;
    }
    return QStringLiteral("unknown");
}

bool OrderModel::parseOrderFields(const QJsonObject &record, Row &row, QString *error) const
{
    RecordReader r(record);
    row.set(ClientOrderIdRole, row.key);
    row.set(OrderIdRole, r.id(QLatin1String("id")));
    row.set(SymbolRole, r.text(QLatin1String("symbol"), RecordReader::Required));
    const QString side = r.text(QLatin1String("side"), RecordReader::Required).toString().toLower();
    if (r.ok() && side != u"buy" && side != u"sell")
        r.fail(QLatin1String("side"), QStringLiteral("expected buy or sell, got ") + side);
    row.set(SideRole, side);
    const QVariant qty = r.number(QLatin1String("qty"), RecordReader::Required);
    if (r.ok() && qty.toDouble() <= 0)
        r.fail(QLatin1String("qty"), QStringLiteral("must be positive"));
    row.set(QtyRole, qty);
    QString type = r.text(QLatin1String("type")).toString().toLower();
    if (type.isEmpty())
        type = QStringLiteral("market");
    if (r.ok() && type != u"market" && type != u"limit")
        r.fail(QLatin1String("type"), QStringLiteral("expected market or limit, got ") + type);
    row.set(TypeRole, type);
    const QVariant limit = r.number(QLatin1String("limit_price"));
    if (r.ok() && type == u"limit" && !limit.isValid())
        r.fail(QLatin1String("limit_price"), QStringLiteral("missing for a limit order"));
    row.set(LimitPriceRole, type == u"limit" ? limit : QVariant());
    row.set(ReasonRole, r.text(QLatin1String(r.has(QLatin1String("reject_reason")) ? "reject_reason" : "reason")));
    const QVariant filled = r.number(QLatin1String("filled_qty"));
    row.set(FilledQtyRole, filled.isValid() ? filled : QVariant(0.0));
    row.set(AvgFillPriceRole, r.number(QLatin1String("avg_fill_price")));
    setCreatedAt(row, r.time(QLatin1String("created_at")));
    row.set(UpdatedAtRole, r.time(QLatin1String("updated_at")));
    *error = r.error();
    return r.ok();
}

bool OrderModel::parseRecord(const QJsonObject &record, Row &row, QString *error) const
{
    if (!parseOrderFields(record, row, error))
        return false;
    RecordReader r(record);
    const QString status = r.text(QLatin1String("status"), RecordReader::Required).toString();
    if (!r.ok()) {
        *error = r.error();
        return false;
    }
    State state = Unknown;
    for (const auto &[word, mapped] : ServerStates) {
        if (status.trimmed().compare(QLatin1String(word), Qt::CaseInsensitive) == 0)
            state = mapped;
    }
    row.set(StateRole, state);
    // An unknown status is still shown, in the server's words: hiding an order is worse.
    row.set(StateNameRole, state == Unknown ? status : stateName(state));
    row.set(PendingRole, false);
    return true;
}

bool OrderModel::addPending(const QJsonObject &order)
{
    Row row = makeRow(keyOf(order));
    if (row.key.isEmpty()) {
        reject(QStringLiteral("a local order"), QStringLiteral("missing client_order_id"));
        return false;
    }
    if (peek(row.key)) {
        reject(row.key, QStringLiteral("duplicate client_order_id"));
        return false;
    }
    QString error;
    if (!parseOrderFields(order, row, &error)) {
        reject(row.key, error);
        return false;
    }
    if (!row.value(CreatedAtRole).isValid())
        setCreatedAt(row, QDateTime::currentDateTimeUtc());
    row.set(OrderIdRole, QVariant());
    row.set(UpdatedAtRole, QVariant());
    row.set(StateRole, Queued);
    row.set(StateNameRole, stateName(Queued));
    row.set(PendingRole, true);
    return stage(std::move(row)); // unversioned: any server row for this key wins over it
}

bool OrderModel::setDeliveryState(const QString &clientOrderId, State state, const QString &reason)
{
    if (state != Queued && state != Sending && state != Failed && state != Rejected && state != Canceled)
        return false;
    const Row *current = peek(clientOrderId);
    if (!current || !current->value(PendingRole).toBool())
        return false; // unknown, or the server owns it now
    Row row = *current;
    row.set(StateRole, state);
    row.set(StateNameRole, stateName(state));
    row.set(ReasonRole, reason.isEmpty() ? QVariant() : QVariant(reason));
    return stage(std::move(row));
}

bool OrderModel::discardPending(const QString &clientOrderId)
{
    const Row *current = peek(clientOrderId);
    if (!current || !current->value(PendingRole).toBool())
        return false;
    return remove(clientOrderId);
}

OrderModel::State OrderModel::stateOf(const QString &clientOrderId) const
{
    const Row *row = peek(clientOrderId);
    return row ? State(row->value(StateRole).toInt()) : Unknown;
}

QVariant OrderModel::data(const QModelIndex &index, int role) const
{
    if (role != AgeRole)
        return KeyedRowModel::data(index, role);
    const QDateTime created = KeyedRowModel::data(index, CreatedAtRole).toDateTime();
    if (!created.isValid())
        return {};
    return int(std::max<qint64>(0, created.secsTo(QDateTime::currentDateTimeUtc())));
}

void OrderModel::setCreatedAt(Row &row, const QVariant &time)
{
    row.set(CreatedAtRole, time);
    // Orders without a creation time sort last.
    row.sortKey = time.isValid() ? time.toDateTime().toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

bool OrderModel::lessThan(const Row &a, const Row &b) const
{
    // Newest first (sortKey = created_at in ms), then by key.
    if (a.sortKey != b.sortKey)
        return a.sortKey > b.sortKey;
    return compareKeys(a.key, b.key) > 0;
}

void OrderModel::completeRow(Row &row, const Row *existing)
{
    // The server row replacing a local one may omit created_at: keep the local time so the order
    // does not jump in the list.
    if (existing && !row.value(CreatedAtRole).isValid())
        setCreatedAt(row, existing->value(CreatedAtRole));
}

bool OrderModel::keepOnReconcile(const Row &row) const
{
    return row.value(PendingRole).toBool();
}

QString OrderModel::keyForDeletion(const QJsonObject &oldRecord) const
{
    const QString key = keyOf(oldRecord);
    if (!key.isEmpty())
        return key;
    // With RLS a DELETE names only `id`. Deletes of orders are rare (account removal): a scan is fine.
    const QString id = RecordReader::idText(oldRecord.value(QLatin1String("id")));
    if (id.isEmpty())
        return {};
    for (const Row &row : rows()) {
        if (row.value(OrderIdRole).toString() == id)
            return row.key;
    }
    return {};
}

void OrderModel::afterFlush(const FlushSummary &)
{
    updateAgeTimer();
}

void OrderModel::setAgeRefreshInterval(int milliseconds)
{
    milliseconds = std::max(0, milliseconds);
    if (milliseconds == m_ageTimer.interval())
        return;
    m_ageTimer.setInterval(milliseconds);
    updateAgeTimer();
    Q_EMIT ageRefreshIntervalChanged();
}

void OrderModel::updateAgeTimer()
{
    const bool wanted = m_ageTimer.interval() > 0 && count() > 0;
    if (wanted && !m_ageTimer.isActive())
        m_ageTimer.start();
    else if (!wanted)
        m_ageTimer.stop();
}

void OrderModel::refreshAges()
{
    if (count() > 0)
        Q_EMIT dataChanged(index(0), index(count() - 1), {AgeRole});
}

} // namespace tf
