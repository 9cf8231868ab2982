// Fuzz target: the order queue's row loader (tf::queuerow::orderFromRow), which turns one row of
// the SQLite orders table into an Order.
//
// SQLite is dynamically typed, so a damaged or hand-edited queue file can hold any value in any
// column. Input: per column, one byte picks what SQLite could hand back (NULL, integer, real,
// text, blob, or the column missing) and the following bytes are its value.
// Checks: the loader never crashes; the order it returns has a known side, type and state (so it
// is shown and can be written back); a row whose state text is known keeps that state, and an
// unknown one is shown as Failed rather than hidden.
#include "fuzzsupport.h"

#include "queuerow.h"

#include <QMetaType>
#include <QSqlField>
#include <QSqlRecord>
#include <QStringList>

#include <cstring>

using namespace tf;

namespace {

const QStringList &columnNames()
{
    static const QStringList names = [] {
        QStringList list;
        for (const QString &column : queuerow::columns().split(u','))
            list.append(column.trimmed());
        return list;
    }();
    return names;
}

QVariant sqliteValue(fuzz::InputReader &input, bool *missing)
{
    const quint8 kind = input.byte();
    *missing = false;
    switch (kind % 6) {
    case 0:
        return QVariant(QMetaType::fromType<QString>()); // NULL
    case 1:
        return QVariant(qlonglong(input.u64()));
    case 2: {
        const quint64 bits = input.u64();
        double real;
        std::memcpy(&real, &bits, sizeof real); // any double, NaN and infinities included
        return QVariant(real);
    }
    case 3:
        return QVariant(QString::fromUtf8(input.chunk()));
    case 4:
        return QVariant(input.chunk());
    default:
        *missing = true;
        return {};
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::InputReader input(data, size);
    QSqlRecord row;
    QString stateText;
    bool stateMissing = true;
    for (const QString &name : columnNames()) {
        bool missing = false;
        const QVariant value = sqliteValue(input, &missing);
        if (missing)
            break; // a shorter row: the columns after this one are absent
        QSqlField field(name, value.metaType());
        field.setValue(value);
        row.append(field);
        if (name == u"state") {
            stateText = value.toString();
            stateMissing = false;
        }
    }

    const Order order = queuerow::orderFromRow(row);
    TF_FUZZ_CHECK(orderSideFromName(orderSideName(order.side)) == order.side, QStringLiteral("side"));
    TF_FUZZ_CHECK(orderTypeFromName(orderTypeName(order.type)) == order.type, QStringLiteral("type"));
    TF_FUZZ_CHECK(orderStateFromName(orderStateName(order.state)) == order.state, QStringLiteral("state"));
    const auto stored = stateMissing ? std::nullopt : orderStateFromName(stateText);
    TF_FUZZ_CHECK(order.state == stored.value_or(Order::State::Failed), stateText);
    (void)order.validate();
    (void)order.isTerminal();
    return 0;
}
