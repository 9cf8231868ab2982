#include "postgresfilter.h"

#include <QCache>
#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <array>

using namespace Qt::Literals::StringLiterals;

namespace tf {

namespace {

using Operator = FilterCondition::Operator;

struct OperatorName {
    Operator op;
    QStringView name;
};

constexpr std::array<OperatorName, 13> operatorNames{{
    {Operator::Eq, u"eq"},       {Operator::Neq, u"neq"},       {Operator::Lt, u"lt"},
    {Operator::Lte, u"lte"},     {Operator::Gt, u"gt"},         {Operator::Gte, u"gte"},
    {Operator::In, u"in"},       {Operator::Like, u"like"},     {Operator::ILike, u"ilike"},
    {Operator::Is, u"is"},       {Operator::Match, u"match"},   {Operator::IMatch, u"imatch"},
    {Operator::IsDistinct, u"isdistinct"},
}};

QString supportedOperators()
{
    QStringList names;
    for (const auto &entry : operatorNames)
        names.append(entry.name.toString());
    return names.join(u", "_s);
}

// A filter value that the server's comma-AND parser would split or trim must be quoted; `&`
// is our own condition separator, so it is quoted as well.
bool scalarNeedsQuotes(const QString &value)
{
    if (value.isEmpty() || value.front().isSpace() || value.back().isSpace())
        return true;
    for (const QChar c : value) {
        if (c == u',' || c == u'(' || c == u')' || c == u'"' || c == u'\\' || c == u'&')
            return true;
    }
    return false;
}

// In-list items follow Postgres array-literal quoting (the server turns `(a,b)` into `{a,b}`).
bool listItemNeedsQuotes(const QString &value)
{
    if (value.isEmpty() || value.compare(u"null"_s, Qt::CaseInsensitive) == 0)
        return true;
    for (const QChar c : value) {
        if (c.isSpace() || c == u',' || c == u'{' || c == u'}' || c == u'"' || c == u'\\' || c == u'('
            || c == u')' || c == u'&')
            return true;
    }
    return false;
}

QString quoted(const QString &value)
{
    QString out;
    out.reserve(value.size() + 2);
    out.append(u'"');
    for (const QChar c : value) {
        if (c == u'"' || c == u'\\')
            out.append(u'\\');
        out.append(c);
    }
    out.append(u'"');
    return out;
}

QString columnError(const QString &column)
{
    if (column.isEmpty())
        return u"the column name is empty"_s;
    if (column.front().isSpace() || column.back().isSpace())
        return u"the column name '%1' has surrounding whitespace"_s.arg(column);
    for (const QChar c : column) {
        if (c == u'=' || c == u',' || c == u'&' || c == u'(' || c == u')' || c == u'"' || c == u'\\')
            return u"the column name '%1' contains '%2'"_s.arg(column, QString(c));
    }
    return {};
}

const QStringList &isValues()
{
    static const QStringList values{u"null"_s, u"true"_s, u"false"_s, u"unknown"_s};
    return values;
}

// Compiled patterns are reused: a client-side like/match condition runs once per change.
std::optional<QRegularExpression> cachedRegex(const QString &pattern, QRegularExpression::PatternOptions options)
{
    thread_local QCache<QString, QRegularExpression> cache(128);
    const QString key = QString::number(int(options)) + u'\x1f' + pattern;
    if (QRegularExpression *hit = cache.object(key))
        return *hit;
    auto *regex = new QRegularExpression(pattern, options);
    if (!regex->isValid()) {
        delete regex;
        return std::nullopt;
    }
    const QRegularExpression copy = *regex;
    cache.insert(key, regex);
    return copy;
}

// SQL LIKE: % is any run, _ any one character, a backslash escapes the next character.
QString likeToRegex(const QString &pattern)
{
    QString out;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == u'\\' && i + 1 < pattern.size())
            out += QRegularExpression::escape(QString(pattern.at(++i)));
        else if (c == u'%')
            out += u".*"_s;
        else if (c == u'_')
            out += u'.';
        else
            out += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression::anchoredPattern(out);
}

bool isSqlNull(const QJsonValue &value)
{
    return value.isNull() || value.isUndefined();
}

QString numberText(double number)
{
    constexpr double exactIntegerLimit = 9007199254740992.0; // 2^53
    // Range first: converting a double outside qint64's range (1e300 from a record) is undefined.
    if (qAbs(number) <= exactIntegerLimit && number == double(qint64(number)))
        return QString::number(qint64(number));
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}

// The text a record value compares as for LIKE/regex; nullopt for NULL.
std::optional<QString> fieldText(const QJsonValue &field)
{
    switch (field.type()) {
    case QJsonValue::String:
        return field.toString();
    case QJsonValue::Double:
        return numberText(field.toDouble());
    case QJsonValue::Bool:
        return field.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(field.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(field.toObject()).toJson(QJsonDocument::Compact));
    default:
        return std::nullopt;
    }
}

std::optional<bool> parseSqlBool(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"t" || t == u"true" || t == u"y" || t == u"yes" || t == u"on" || t == u"1")
        return true;
    if (t == u"f" || t == u"false" || t == u"n" || t == u"no" || t == u"off" || t == u"0")
        return false;
    return std::nullopt;
}

// Timestamps compare as instants, not as text ("…+00:00" vs "…Z"). Only text that starts like a
// date is tried, so plain words never parse by accident.
std::optional<qint64> timestampMs(const QString &text)
{
    if (text.size() < 10 || text.at(4) != u'-' || !text.at(0).isDigit())
        return std::nullopt;
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid() && text.size() > 10 && text.at(10) == u' ') {
        QString withT = text;
        withT[10] = u'T';
        dt = QDateTime::fromString(withT, Qt::ISODateWithMs);
    }
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

template <typename T>
int threeWay(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

// Compares a record value with a filter operand the way the SQL cast would: numbers as numbers,
// booleans as booleans, timestamps as instants, other text by code point. nullopt = NULL or
// not comparable (the server would fail the cast), which never matches.
std::optional<int> compareField(const QJsonValue &field, const QString &operand)
{
    switch (field.type()) {
    case QJsonValue::Double: {
        bool ok = false;
        const double number = operand.trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
        return threeWay(field.toDouble(), number);
    }
    case QJsonValue::Bool: {
        const auto b = parseSqlBool(operand);
        if (!b)
            return std::nullopt;
        return threeWay(int(field.toBool()), int(*b));
    }
    case QJsonValue::String: {
        const QString text = field.toString();
        const auto a = timestampMs(text);
        const auto b = a ? timestampMs(operand) : std::nullopt;
        if (a && b)
            return threeWay(*a, *b);
        const int c = QString::compare(text, operand, Qt::CaseSensitive);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case QJsonValue::Array:
    case QJsonValue::Object: {
        const int c = QString::compare(*fieldText(field), operand, Qt::CaseSensitive);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default:
        return std::nullopt;
    }
}

std::optional<QString> scalarText(const QJsonValue &value, QString *error)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return numberText(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        *error = u"a NULL operand never matches; use is.null"_s;
        return std::nullopt;
    default:
        *error = u"the operand must be a string, number or boolean"_s;
        return std::nullopt;
    }
}

// A quoted scalar: `"…"` with backslash escapes and nothing after the closing quote.
std::optional<QString> unquoteScalar(QStringView raw, QString *error)
{
    QString out;
    for (qsizetype i = 1; i < raw.size(); ++i) {
        const QChar c = raw.at(i);
        if (c == u'\\') {
            if (++i >= raw.size())
                break;
            out.append(raw.at(i));
        } else if (c == u'"') {
            if (i != raw.size() - 1) {
                *error = u"unexpected text after the closing quote"_s;
                return std::nullopt;
            }
            return out;
        } else {
            out.append(c);
        }
    }
    *error = u"unterminated quoted value"_s;
    return std::nullopt;
}

// The items of `in.(…)` (without the parentheses), Postgres array-literal style.
std::optional<QStringList> parseInList(QStringView inner, QString *error)
{
    QStringList items;
    if (inner.trimmed().isEmpty()) {
        *error = u"the in-list is empty"_s;
        return std::nullopt;
    }
    qsizetype i = 0;
    const qsizetype n = inner.size();
    while (true) {
        while (i < n && inner.at(i).isSpace())
            ++i;
        QString item;
        if (i < n && inner.at(i) == u'"') {
            bool closed = false;
            for (++i; i < n; ++i) {
                const QChar c = inner.at(i);
                if (c == u'\\' && i + 1 < n) {
                    item.append(inner.at(++i));
                } else if (c == u'"') {
                    closed = true;
                    ++i;
                    break;
                } else {
                    item.append(c);
                }
            }
            if (!closed) {
                *error = u"unterminated quoted value in the in-list"_s;
                return std::nullopt;
            }
            while (i < n && inner.at(i).isSpace())
                ++i;
            if (i < n && inner.at(i) != u',') {
                *error = u"unexpected text after a quoted in-list value"_s;
                return std::nullopt;
            }
        } else {
            const qsizetype start = i;
            while (i < n && inner.at(i) != u',')
                ++i;
            item = inner.sliced(start, i - start).trimmed().toString();
            if (item.isEmpty()) {
                *error = u"empty value in the in-list (quote it as \"\" to match an empty string)"_s;
                return std::nullopt;
            }
            if (item.compare(u"null"_s, Qt::CaseInsensitive) == 0) {
                *error = u"NULL in an in-list never matches; use is.null"_s;
                return std::nullopt;
            }
            for (const QChar c : std::as_const(item)) {
                if (c == u'"' || c == u'{' || c == u'}') {
                    *error = u"in-list value '%1' must be quoted"_s.arg(item);
                    return std::nullopt;
                }
            }
        }
        items.append(item);
        if (i >= n)
            break;
        ++i; // the comma
    }
    if (items.size() > PostgresFilter::MaxInValues) {
        *error = u"too many values for `in` (%1, the maximum is %2)"_s.arg(items.size()).arg(PostgresFilter::MaxInValues);
        return std::nullopt;
    }
    return items;
}

// Splits on top-level `,` and `&`: not inside parentheses, not inside a quoted value.
std::optional<QList<QStringView>> splitConditions(QStringView text, QString *error)
{
    QList<QStringView> parts;
    int depth = 0;
    bool inQuotes = false;
    QChar previous; // last non-space character outside quotes
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'\\') {
                ++i;
            } else if (c == u'"') {
                inQuotes = false;
                previous = c;
            }
            continue;
        }
        if (c == u'"' && (previous == u'.' || previous == u'(' || previous == u',')) {
            inQuotes = true;
        } else if (c == u'(') {
            ++depth;
        } else if (c == u')') {
            if (--depth < 0) {
                *error = u"unbalanced parentheses"_s;
                return std::nullopt;
            }
        } else if ((c == u',' || c == u'&') && depth == 0) {
            parts.append(text.sliced(start, i - start));
            start = i + 1;
        }
        if (!c.isSpace())
            previous = c;
    }
    if (inQuotes) {
        *error = u"unterminated quoted value"_s;
        return std::nullopt;
    }
    if (depth != 0) {
        *error = u"unbalanced parentheses"_s;
        return std::nullopt;
    }
    parts.append(text.sliced(start));
    return parts;
}

std::optional<FilterCondition> parseCondition(QStringView segment, QString *error)
{
    const QStringView text = segment.trimmed();
    if (text.isEmpty()) {
        *error = u"empty condition (check for a stray ',' or '&')"_s;
        return std::nullopt;
    }
    const auto fail = [&](const QString &why) {
        *error = u"%1 in '%2'"_s.arg(why, text.toString());
        return std::nullopt;
    };
    const qsizetype equals = text.indexOf(u'=');
    if (equals < 0)
        return fail(u"missing '='"_s);

    FilterCondition condition;
    condition.column = text.first(equals).toString();
    if (const QString why = columnError(condition.column); !why.isEmpty())
        return fail(why);

    QStringView rest = text.sliced(equals + 1);
    if (rest.startsWith(u"not.")) {
        condition.negated = true;
        rest = rest.sliced(4);
    }
    const qsizetype dot = rest.indexOf(u'.');
    if (dot < 0)
        return fail(u"expected <operator>.<value> after '='"_s);
    const auto op = filterOperatorFromName(rest.first(dot));
    if (!op)
        return fail(u"unknown operator '%1' (supported: %2)"_s.arg(rest.first(dot).toString(), supportedOperators()));
    condition.op = *op;
    const QStringView raw = rest.sliced(dot + 1);

    QString why;
    if (condition.op == Operator::In) {
        if (raw.size() < 2 || !raw.startsWith(u'(') || !raw.endsWith(u')'))
            return fail(u"`in` needs a parenthesised list such as in.(open,closed)"_s);
        const auto items = parseInList(raw.sliced(1, raw.size() - 2), &why);
        if (!items)
            return fail(why);
        condition.values = *items;
        return condition;
    }

    if (raw.startsWith(u'"')) {
        const auto value = unquoteScalar(raw, &why);
        if (!value)
            return fail(why);
        condition.value = *value;
    } else {
        condition.value = raw.toString();
    }
    if (condition.op == Operator::Is) {
        const QString lowered = condition.value.toLower();
        if (!isValues().contains(lowered))
            return fail(u"`is` accepts only null, true, false or unknown"_s);
        condition.value = lowered;
    }
    if ((condition.op == Operator::Match || condition.op == Operator::IMatch)
        && !cachedRegex(condition.value, QRegularExpression::NoPatternOption)) {
        return fail(u"invalid regular expression"_s);
    }
    return condition;
}

} // namespace

QString filterOperatorName(FilterCondition::Operator op)
{
    for (const auto &entry : operatorNames) {
        if (entry.op == op)
            return entry.name.toString();
    }
    return {};
}

std::optional<FilterCondition::Operator> filterOperatorFromName(QStringView name)
{
    for (const auto &entry : operatorNames) {
        if (entry.name == name)
            return entry.op;
    }
    return std::nullopt;
}

QString FilterCondition::toString() const
{
    QString text = column + u'=';
    if (negated)
        text += u"not."_s;
    text += filterOperatorName(op) + u'.';
    if (op == Operator::In) {
        QStringList items;
        items.reserve(values.size());
        for (const QString &item : values)
            items.append(listItemNeedsQuotes(item) ? quoted(item) : item);
        return text + u'(' + items.join(u',') + u')';
    }
    return text + (scalarNeedsQuotes(value) ? quoted(value) : value);
}

std::optional<bool> FilterCondition::evaluate(const QJsonObject &record) const
{
    const QJsonValue field = record.value(column);
    std::optional<bool> result;
    switch (op) {
    case Operator::Eq:
    case Operator::Neq:
    case Operator::Lt:
    case Operator::Lte:
    case Operator::Gt:
    case Operator::Gte: {
        const auto c = compareField(field, value);
        if (!c)
            break;
        switch (op) {
        case Operator::Eq: result = *c == 0; break;
        case Operator::Neq: result = *c != 0; break;
        case Operator::Lt: result = *c < 0; break;
        case Operator::Lte: result = *c <= 0; break;
        case Operator::Gt: result = *c > 0; break;
        default: result = *c >= 0; break;
        }
        break;
    }
    case Operator::In: {
        if (isSqlNull(field))
            break;
        bool unknown = false;
        for (const QString &item : values) {
            const auto c = compareField(field, item);
            if (c && *c == 0) {
                result = true;
                break;
            }
            unknown = unknown || !c;
        }
        if (!result && !unknown)
            result = false;
        break;
    }
    case Operator::Like:
    case Operator::ILike:
    case Operator::Match:
    case Operator::IMatch: {
        const auto text = fieldText(field);
        if (!text)
            break;
        const bool like = op == Operator::Like || op == Operator::ILike;
        const bool caseless = op == Operator::ILike || op == Operator::IMatch;
        QRegularExpression::PatternOptions options = QRegularExpression::DotMatchesEverythingOption;
        if (caseless)
            options |= QRegularExpression::CaseInsensitiveOption;
        const auto regex = cachedRegex(like ? likeToRegex(value) : value, options);
        if (!regex)
            break;
        result = regex->match(*text).hasMatch();
        break;
    }
    case Operator::Is:
        // IS is never unknown: it is how SQL asks about NULL.
        if (value == u"true")
            result = field.isBool() && field.toBool();
        else if (value == u"false")
            result = field.isBool() && !field.toBool();
        else
            result = isSqlNull(field); // null, unknown
        break;
    case Operator::IsDistinct: {
        if (isSqlNull(field)) {
            result = true;
            break;
        }
        const auto c = compareField(field, value);
        result = !c || *c != 0;
        break;
    }
    }
    if (negated && result)
        return !*result;
    return result;
}

PostgresFilter PostgresFilter::invalid(const QString &error)
{
    PostgresFilter filter;
    filter.m_error = error;
    return filter;
}

PostgresFilter PostgresFilter::parse(QStringView text)
{
    if (text.trimmed().isEmpty())
        return {};
    QString error;
    const auto parts = splitConditions(text, &error);
    if (!parts)
        return invalid(error);
    PostgresFilter filter;
    for (const QStringView part : *parts) {
        const auto condition = parseCondition(part, &error);
        if (!condition)
            return invalid(error);
        filter.m_conditions.append(*condition);
    }
    return filter;
}

PostgresFilter PostgresFilter::where(const QString &column, Operator op, const QJsonValue &value)
{
    const QString opName = filterOperatorName(op);
    const auto fail = [&](const QString &why) { return invalid(u"%1 (%2.%3)"_s.arg(why, column, opName)); };
    if (const QString why = columnError(column); !why.isEmpty())
        return fail(why);

    FilterCondition condition;
    condition.column = column;
    condition.op = op;
    QString why;
    if (op == Operator::In) {
        if (!value.isArray())
            return fail(u"`in` needs an array of values"_s);
        QSet<QString> seen;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array) {
            const auto text = scalarText(item, &why);
            if (!text)
                return fail(why);
            if (!seen.contains(*text)) {
                seen.insert(*text);
                condition.values.append(*text);
            }
        }
        if (condition.values.isEmpty())
            return fail(u"the in-list is empty"_s);
        if (condition.values.size() > MaxInValues)
            return fail(u"too many values for `in` (%1, the maximum is %2)"_s.arg(condition.values.size()).arg(MaxInValues));
    } else if (op == Operator::Is) {
        if (isSqlNull(value))
            condition.value = u"null"_s;
        else if (value.isBool())
            condition.value = value.toBool() ? u"true"_s : u"false"_s;
        else if (value.isString() && isValues().contains(value.toString().toLower()))
            condition.value = value.toString().toLower();
        else
            return fail(u"`is` accepts only null, true, false or unknown"_s);
    } else {
        const auto text = scalarText(value, &why);
        if (!text)
            return fail(why);
        if ((op == Operator::Match || op == Operator::IMatch) && !cachedRegex(*text, QRegularExpression::NoPatternOption))
            return fail(u"invalid regular expression"_s);
        condition.value = *text;
    }
    PostgresFilter filter;
    filter.m_conditions.append(condition);
    return filter;
}

PostgresFilter PostgresFilter::negated() const
{
    if (!isValid())
        return *this;
    if (m_conditions.size() != 1)
        return invalid(u"negated() needs exactly one condition (NOT of an AND has no filter syntax)"_s);
    PostgresFilter filter = *this;
    filter.m_conditions.first().negated = !filter.m_conditions.first().negated;
    return filter;
}

PostgresFilter PostgresFilter::andAlso(const PostgresFilter &other) const
{
    if (!isValid())
        return *this;
    if (!other.isValid())
        return other;
    PostgresFilter filter = *this;
    filter.m_conditions.append(other.m_conditions);
    return filter;
}

QString PostgresFilter::toString() const
{
    if (!isValid())
        return {};
    QStringList parts;
    parts.reserve(m_conditions.size());
    for (const FilterCondition &condition : m_conditions)
        parts.append(condition.toString());
    return parts.join(u'&');
}

QString PostgresFilter::serverFilter() const
{
    if (!isValid() || m_conditions.isEmpty())
        return {};
    return m_conditions.first().toString();
}

QList<FilterCondition> PostgresFilter::clientConditions() const
{
    return m_conditions.size() > 1 ? m_conditions.mid(1) : QList<FilterCondition>();
}

bool PostgresFilter::matches(const QJsonObject &record) const
{
    for (const FilterCondition &condition : m_conditions) {
        if (!condition.matches(record))
            return false;
    }
    return true;
}

bool PostgresFilter::matchesClientConditions(const QJsonObject &record) const
{
    for (qsizetype i = 1; i < m_conditions.size(); ++i) {
        if (!m_conditions.at(i).matches(record))
            return false;
    }
    return true;
}

} // namespace tf
