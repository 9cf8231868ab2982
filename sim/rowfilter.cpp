#include "rowfilter.h"

namespace tf::sim {

namespace {

constexpr int MaxInValues = 100;

// Splits on `separator` outside double quotes and parentheses; backslash escapes inside quotes.
QStringList splitTopLevel(QStringView text, QChar separator, bool *balanced)
{
    QStringList parts;
    QString current;
    bool quoted = false;
    int depth = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            current += c;
            if (c == QLatin1Char('\\') && i + 1 < text.size()) {
                current += text.at(++i);
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            }
            continue;
        }
        if (c == QLatin1Char('"'))
            quoted = true;
        else if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')'))
            --depth;
        if (c == separator && depth == 0) {
            parts.append(current);
            current.clear();
            continue;
        }
        current += c;
    }
    parts.append(current);
    *balanced = !quoted && depth == 0;
    return parts;
}

// "a\"b" -> a"b. Returns nullopt if the text is not exactly one quoted string.
std::optional<QString> unquote(QStringView text)
{
    if (text.size() < 2 || !text.startsWith(QLatin1Char('"')) || !text.endsWith(QLatin1Char('"')))
        return std::nullopt;
    QString out;
    for (qsizetype i = 1; i < text.size() - 1; ++i) {
        QChar c = text.at(i);
        if (c == QLatin1Char('\\')) {
            if (i + 1 >= text.size() - 1)
                return std::nullopt;
            c = text.at(++i);
        } else if (c == QLatin1Char('"')) {
            return std::nullopt;
        }
        out += c;
    }
    return out;
}

// Items of "(a,b,"c d")": array-literal style quoting; unquoted items are trimmed.
std::optional<QStringList> parseList(QStringView text)
{
    if (text.size() < 2 || !text.startsWith(QLatin1Char('(')) || !text.endsWith(QLatin1Char(')')))
        return std::nullopt;
    const QStringView inner = text.mid(1, text.size() - 2);
    if (inner.trimmed().isEmpty())
        return QStringList();
    bool balanced = false;
    QStringList items;
    for (const QString &raw : splitTopLevel(inner, QLatin1Char(','), &balanced)) {
        const QString item = raw.trimmed();
        if (item.startsWith(QLatin1Char('"'))) {
            const auto unquoted = unquote(item);
            if (!unquoted)
                return std::nullopt;
            items.append(*unquoted);
        } else {
            items.append(item);
        }
    }
    if (!balanced)
        return std::nullopt;
    return items;
}

QString parseError(const QStringList &parts)
{
    QStringList quoted;
    for (const QString &p : parts)
        quoted.append(QLatin1Char('"') + p + QLatin1Char('"'));
    return QStringLiteral("Error parsing `filter` params: [%1]").arg(quoted.join(QStringLiteral(", ")));
}

} // namespace

QString filterOpName(FilterOp op)
{
    switch (op) {
    case FilterOp::Eq: return QStringLiteral("eq");
    case FilterOp::Neq: return QStringLiteral("neq");
    case FilterOp::Lt: return QStringLiteral("lt");
    case FilterOp::Lte: return QStringLiteral("lte");
    case FilterOp::Gt: return QStringLiteral("gt");
    case FilterOp::Gte: return QStringLiteral("gte");
    case FilterOp::In: return QStringLiteral("in");
    case FilterOp::Is: return QStringLiteral("is");
    }
    return {};
}

std::optional<FilterOp> filterOpFromName(QStringView name)
{
    for (FilterOp op : {FilterOp::Eq, FilterOp::Neq, FilterOp::Lt, FilterOp::Lte, FilterOp::Gt, FilterOp::Gte,
                        FilterOp::In, FilterOp::Is}) {
        if (filterOpName(op) == name)
            return op;
    }
    return std::nullopt;
}

FilterParseResult parseRealtimeFilter(const QString &filter)
{
    FilterParseResult result;
    if (filter.trimmed().isEmpty())
        return result;
    bool balanced = false;
    const QStringList parts = splitTopLevel(filter, QLatin1Char(','), &balanced);
    if (!balanced) {
        result.error = parseError(parts);
        return result;
    }
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const qsizetype dot = eq < 0 ? -1 : part.indexOf(QLatin1Char('.'), eq + 1);
        if (eq <= 0 || dot < 0) {
            result.error = parseError(parts);
            return result;
        }
        FilterCondition condition;
        condition.column = part.left(eq).trimmed();
        const auto op = filterOpFromName(QStringView(part).mid(eq + 1, dot - eq - 1).trimmed());
        if (condition.column.isEmpty() || !op || *op == FilterOp::Is) {
            result.error = parseError(parts);
            return result;
        }
        condition.op = *op;
        const QString value = part.mid(dot + 1).trimmed();
        if (condition.op == FilterOp::In) {
            const auto items = parseList(value);
            if (!items || items->isEmpty()) {
                result.error = parseError(parts);
                return result;
            }
            if (items->size() > MaxInValues) {
                result.error = QStringLiteral("too many values for `in` filter. Maximum 100");
                return result;
            }
            condition.values = *items;
        } else if (value.startsWith(QLatin1Char('"'))) {
            const auto unquoted = unquote(value);
            if (!unquoted) {
                result.error = parseError(parts);
                return result;
            }
            condition.values = {*unquoted};
        } else {
            condition.values = {value};
        }
        result.conditions.append(condition);
    }
    return result;
}

std::optional<FilterCondition> parsePostgrestFilter(const QString &column, const QString &opValue, QString *error)
{
    FilterCondition condition;
    condition.column = column;
    QStringView rest(opValue);
    if (rest.startsWith(u"not.")) {
        condition.negated = true;
        rest = rest.mid(4);
    }
    const qsizetype dot = rest.indexOf(QLatin1Char('.'));
    const auto op = dot < 0 ? std::nullopt : filterOpFromName(rest.left(dot));
    if (!op) {
        if (error) {
            *error = QStringLiteral("unexpected \"%1\" expecting \"not\" or operator (eq, neq, gt, gte, lt, lte, in, is)")
                         .arg(dot < 0 ? rest.toString() : rest.left(dot).toString());
        }
        return std::nullopt;
    }
    condition.op = *op;
    const QStringView value = rest.mid(dot + 1);
    if (condition.op == FilterOp::In) {
        const auto items = parseList(value);
        if (!items) {
            if (error)
                *error = QStringLiteral("unexpected \"%1\" expecting \"(\" and a list of values").arg(value.toString());
            return std::nullopt;
        }
        condition.values = *items;
    } else if (condition.op == FilterOp::Is) {
        const QString v = value.toString().toLower();
        if (v != u"null" && v != u"true" && v != u"false" && v != u"unknown") {
            if (error)
                *error = QStringLiteral("unexpected \"%1\" expecting null or trilean value (unknown, true, false)")
                             .arg(value.toString());
            return std::nullopt;
        }
        condition.values = {v};
    } else {
        condition.values = {value.toString()};
    }
    return condition;
}

std::optional<RowFilter> RowFilter::bind(const TableDef &table, const QList<FilterCondition> &conditions,
                                         DbError *error)
{
    RowFilter filter;
    for (const FilterCondition &condition : conditions) {
        const ColumnDef *column = table.column(condition.column);
        if (!column) {
            if (error) {
                *error = DbError{400, QStringLiteral("42703"),
                                 QStringLiteral("column %1.%2 does not exist").arg(table.name, condition.column),
                                 {}, {}};
            }
            return std::nullopt;
        }
        Term term{*column, condition.op, condition.negated, {}};
        if (condition.op == FilterOp::Is) {
            const QString v = condition.values.value(0);
            term.values.append(v == u"null" || v == u"unknown" ? QJsonValue(QJsonValue::Null) : QJsonValue(v == u"true"));
        } else {
            for (const QString &literal : condition.values) {
                const auto cast = column->castText(literal, error);
                if (!cast)
                    return std::nullopt;
                term.values.append(*cast);
            }
        }
        filter.m_terms.append(term);
    }
    return filter;
}

bool RowFilter::termMatches(const Term &term, const QJsonValue &value)
{
    if (term.op == FilterOp::Is) {
        const QJsonValue &wanted = term.values.at(0);
        const bool same = wanted.isNull() ? (value.isNull() || value.isUndefined())
                                          : (value.isBool() && value.toBool() == wanted.toBool());
        return same != term.negated;
    }
    if (value.isNull() || value.isUndefined())
        return false; // NULL compared with anything is NULL, and NOT NULL is NULL too
    bool result = false;
    if (term.op == FilterOp::In) {
        for (const QJsonValue &candidate : term.values) {
            if (term.column.compare(value, candidate) == 0) {
                result = true;
                break;
            }
        }
    } else {
        const int c = term.column.compare(value, term.values.at(0));
        switch (term.op) {
        case FilterOp::Eq: result = c == 0; break;
        case FilterOp::Neq: result = c != 0; break;
        case FilterOp::Lt: result = c < 0; break;
        case FilterOp::Lte: result = c <= 0; break;
        case FilterOp::Gt: result = c > 0; break;
        case FilterOp::Gte: result = c >= 0; break;
        default: break;
        }
    }
    return result != term.negated;
}

bool RowFilter::matches(const QJsonObject &row) const
{
    for (const Term &term : m_terms) {
        if (!termMatches(term, row.value(term.column.name)))
            return false;
    }
    return true;
}

} // namespace tf::sim
