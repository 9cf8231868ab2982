#pragma once

#include "tableschema.h"

#include <QJsonObject>

#include <optional>

namespace tf::sim {

enum class FilterOp { Eq, Neq, Lt, Lte, Gt, Gte, In, Is };

QString filterOpName(FilterOp op);
std::optional<FilterOp> filterOpFromName(QStringView name);

// One `column=op.value` condition as parsed, before the column's type is known.
struct FilterCondition {
    QString column;
    FilterOp op = FilterOp::Eq;
    bool negated = false; // PostgREST `not.` prefix
    QStringList values;   // one literal; the list items for `in`; null/true/false for `is`

    friend bool operator==(const FilterCondition &, const FilterCondition &) = default;
};

struct FilterParseResult {
    QList<FilterCondition> conditions;
    QString error; // empty on success

    bool ok() const { return error.isEmpty(); }
};

// Realtime's postgres_changes `filter` grammar (protocol doc §5.4, server >= 2.99): conditions
// joined by ',' (AND); a value containing , ( ) " \ or edge whitespace is double-quoted with
// backslash escapes; `in.(a,"b c")` lists follow Postgres array-literal quoting, at most 100 items.
// An empty or blank filter means "no filter". Operators: eq neq lt lte gt gte in.
FilterParseResult parseRealtimeFilter(const QString &filter);

// One PostgREST filter query parameter: `column` is the parameter name, `opValue` its value after
// query decoding ("eq.42", "not.in.(a,b)", "is.null"). A simple operator takes the rest verbatim
// (quotes are literal); `in` lists quote elements containing , . : ( ) with double quotes.
std::optional<FilterCondition> parsePostgrestFilter(const QString &column, const QString &opValue, QString *error);

// Conditions resolved against a table: every column exists and every literal is cast to the
// column's type, so matching compares typed values (numbers as numbers, timestamps as instants).
class RowFilter {
public:
    RowFilter() = default;

    // Fails with 42703 (unknown column) or 22P02/22007 (literal not of the column's type).
    static std::optional<RowFilter> bind(const TableDef &table, const QList<FilterCondition> &conditions,
                                         DbError *error);

    // SQL semantics: a NULL (or absent) column never satisfies a comparison, `in` or its
    // negation; only `is.null` matches it.
    bool matches(const QJsonObject &row) const;
    bool isEmpty() const { return m_terms.isEmpty(); }

private:
    struct Term {
        ColumnDef column;
        FilterOp op;
        bool negated;
        QList<QJsonValue> values;
    };
    static bool termMatches(const Term &term, const QJsonValue &value);

    QList<Term> m_terms;
};

} // namespace tf::sim
