#include "postgrestquery.h"

#include "restsupport.h"

#include <QDate>
#include <QDateTime>
#include <QUuid>

namespace tf {

namespace {

struct OperatorName {
    PostgrestQuery::Operator op;
    const char *name;
};

constexpr OperatorName kOperators[] = {
    {PostgrestQuery::Operator::Eq, "eq"},       {PostgrestQuery::Operator::Neq, "neq"},
    {PostgrestQuery::Operator::Lt, "lt"},       {PostgrestQuery::Operator::Lte, "lte"},
    {PostgrestQuery::Operator::Gt, "gt"},       {PostgrestQuery::Operator::Gte, "gte"},
    {PostgrestQuery::Operator::Like, "like"},   {PostgrestQuery::Operator::Ilike, "ilike"},
    {PostgrestQuery::Operator::Match, "match"}, {PostgrestQuery::Operator::Imatch, "imatch"},
    {PostgrestQuery::Operator::Is, "is"},       {PostgrestQuery::Operator::IsDistinct, "isdistinct"},
    {PostgrestQuery::Operator::In, "in"},
};

// Characters that make an in-list element ambiguous unless quoted (QueryParams.hs reserved set,
// plus quote, backslash and whitespace, which the parser would otherwise keep or trim).
bool needsQuotes(const QString &element)
{
    if (element.isEmpty())
        return true;
    for (const QChar c : element) {
        if (QStringView(u",.:*()\"\\").contains(c) || c.isSpace())
            return true;
    }
    return false;
}

} // namespace

QString PostgrestQuery::operatorName(Operator op)
{
    for (const auto &entry : kOperators) {
        if (entry.op == op)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

bool PostgrestQuery::operatorFromName(const QString &name, Operator *op)
{
    for (const auto &entry : kOperators) {
        if (name == QLatin1String(entry.name)) {
            *op = entry.op;
            return true;
        }
    }
    return false;
}

QByteArray PostgrestQuery::encodeValue(const QString &value)
{
    return detail::percentEncode(value);
}

QString PostgrestQuery::quoteListElement(const QString &element)
{
    if (!needsQuotes(element))
        return element;
    QString quoted = element;
    quoted.replace(u'\\', QLatin1String("\\\\"));
    quoted.replace(u'"', QLatin1String("\\\""));
    return u'"' + quoted + u'"';
}

PostgrestQuery &PostgrestQuery::select(const QString &columns)
{
    if (columns.trimmed().isEmpty())
        fail(QStringLiteral("select() needs at least one column (or \"*\")"));
    else
        m_select = columns;
    return *this;
}

PostgrestQuery &PostgrestQuery::filter(const QString &column, Operator op, const QVariant &value)
{
    return addFilter(column, op, value, false);
}

PostgrestQuery &PostgrestQuery::notFilter(const QString &column, Operator op, const QVariant &value)
{
    return addFilter(column, op, value, true);
}

PostgrestQuery &PostgrestQuery::rawFilter(const QString &key, const QString &expression)
{
    if (key.isEmpty() || expression.isEmpty()) {
        fail(QStringLiteral("a filter needs a column and an expression"));
        return *this;
    }
    m_filters.append({detail::percentEncode(key), detail::percentEncode(expression, "(),*")});
    return *this;
}

bool PostgrestQuery::formatValue(const QVariant &value, QString *out)
{
    if (!value.isValid() || value.isNull()) {
        *out = QStringLiteral("null");
        return true;
    }
    switch (value.metaType().id()) {
    case QMetaType::Bool:
        *out = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    case QMetaType::QDateTime:
        *out = value.toDateTime().toString(Qt::ISODateWithMs);
        return true;
    case QMetaType::QDate:
        *out = value.toDate().toString(Qt::ISODate);
        return true;
    case QMetaType::QUuid:
        *out = value.toUuid().toString(QUuid::WithoutBraces);
        return true;
    case QMetaType::QString:
        *out = value.toString();
        return true;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::QByteArray:
        *out = value.toString();
        return true;
    default:
        fail(QStringLiteral("unsupported filter value type %1").arg(QString::fromLatin1(value.typeName())));
        return false;
    }
}

PostgrestQuery &PostgrestQuery::addFilter(const QString &column, Operator op, const QVariant &value, bool negate)
{
    if (column.isEmpty()) {
        fail(QStringLiteral("a filter needs a column name"));
        return *this;
    }
    QByteArray encoded = (negate ? QByteArrayLiteral("not.") : QByteArray()) + operatorName(op).toLatin1() + '.';
    if (op == Operator::In) {
        if (value.metaType().id() != QMetaType::QStringList && value.metaType().id() != QMetaType::QVariantList) {
            fail(QStringLiteral("in() on %1 needs a list of values").arg(column));
            return *this;
        }
        QList<QByteArray> elements;
        for (const QVariant &element : value.toList()) {
            QString text;
            if (!formatValue(element, &text))
                return *this;
            // A null element is SQL NULL only unquoted; everything else follows the quoting rules.
            elements << encodeValue(element.isNull() ? text : quoteListElement(text));
        }
        encoded += '(' + elements.join(',') + ')';
    } else {
        QString text;
        if (!formatValue(value, &text))
            return *this;
        if (op == Operator::Is) {
            static const QStringList allowed{QStringLiteral("null"), QStringLiteral("true"),
                                             QStringLiteral("false"), QStringLiteral("unknown")};
            if (!allowed.contains(text.toLower())) {
                fail(QStringLiteral("is() on %1 accepts only null, true, false or unknown, not \"%2\"").arg(column, text));
                return *this;
            }
            text = text.toLower();
        }
        encoded += encodeValue(text);
    }
    m_filters.append({detail::percentEncode(column), encoded});
    return *this;
}

PostgrestQuery &PostgrestQuery::order(const QString &column, Direction direction, Nulls nulls)
{
    if (column.isEmpty()) {
        fail(QStringLiteral("order() needs a column name"));
        return *this;
    }
    QByteArray term = detail::percentEncode(column) + (direction == Direction::Ascending ? ".asc" : ".desc");
    if (nulls == Nulls::First)
        term += ".nullsfirst";
    else if (nulls == Nulls::Last)
        term += ".nullslast";
    m_order.append(term);
    return *this;
}

PostgrestQuery &PostgrestQuery::limit(int count)
{
    if (count < 0)
        fail(QStringLiteral("limit must not be negative (got %1)").arg(count));
    else
        m_limit = count;
    return *this;
}

PostgrestQuery &PostgrestQuery::offset(int count)
{
    if (count < 0)
        fail(QStringLiteral("offset must not be negative (got %1)").arg(count));
    else
        m_offset = count;
    return *this;
}

QByteArray PostgrestQuery::toQueryString(bool includeSelect) const
{
    QList<QByteArray> parts;
    if (!m_select.isEmpty() || includeSelect) {
        // The select grammar's own punctuation stays readable; anything else is encoded.
        const QString columns = m_select.isEmpty() ? QStringLiteral("*") : m_select;
        parts << "select=" + detail::percentEncode(columns, ",*:()!");
    }
    for (const Term &term : m_filters)
        parts << term.key + '=' + term.value;
    if (!m_order.isEmpty())
        parts << "order=" + m_order.join(',');
    if (m_limit >= 0)
        parts << "limit=" + QByteArray::number(m_limit);
    if (m_offset >= 0)
        parts << "offset=" + QByteArray::number(m_offset);
    return parts.join('&');
}

void PostgrestQuery::fail(const QString &message)
{
    if (m_error.isEmpty()) // the first mistake is the one worth reporting
        m_error = message;
}

} // namespace tf
