#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tf {

// One condition of a postgres_changes filter: `column=[not.]op.value` (protocol doc §5.4).
struct FilterCondition {
    enum class Operator { Eq, Neq, Lt, Lte, Gt, Gte, In, Like, ILike, Is, Match, IMatch, IsDistinct };

    QString column;
    Operator op = Operator::Eq;
    bool negated = false; // the `not.` prefix
    QString value;        // the operand of every operator but In, unquoted
    QStringList values;   // In's operands, unquoted

    // The wire text, quoted the way the server (≥ 2.99) unquotes it.
    QString toString() const;

    // SQL semantics against one record: nullopt is SQL's "unknown" (a NULL or incomparable value
    // took part), which `not.` keeps unknown. A key missing from the record counts as NULL.
    std::optional<bool> evaluate(const QJsonObject &record) const;
    bool matches(const QJsonObject &record) const { return evaluate(record).value_or(false); }

    friend bool operator==(const FilterCondition &, const FilterCondition &) = default;
};

QString filterOperatorName(FilterCondition::Operator op);
std::optional<FilterCondition::Operator> filterOperatorFromName(QStringView name);

// A postgres_changes filter: zero or more conditions, all of which must hold (AND).
//
// The real server accepts one condition everywhere and comma-separated ANDs only from 2.99, so
// only the FIRST condition is sent to the server (serverFilter()); the others are evaluated by
// the client against each change's record (old record for DELETE). Conditions are written
// joined by `&` (`a=eq.1&b=eq.open`); a top-level `,` is read as `&` too.
//
// Builders and parse() never throw: a bad argument yields an invalid filter whose
// errorString() says what is wrong, so user input can be refused before any join is sent.
class PostgresFilter {
public:
    using Operator = FilterCondition::Operator;
    static constexpr int MaxInValues = 100; // the server's limit for `in`

    PostgresFilter() = default; // no filter: valid and empty

    // Reads a filter string (user input or what a binding holds). Blank text = no filter.
    static PostgresFilter parse(QStringView text);

    // One condition. Scalars: strings as they are, numbers in shortest form, bools as
    // true/false; null is refused (use is(column, QJsonValue())).
    static PostgresFilter where(const QString &column, Operator op, const QJsonValue &value);
    static PostgresFilter eq(const QString &column, const QJsonValue &value) { return where(column, Operator::Eq, value); }
    static PostgresFilter neq(const QString &column, const QJsonValue &value) { return where(column, Operator::Neq, value); }
    static PostgresFilter lt(const QString &column, const QJsonValue &value) { return where(column, Operator::Lt, value); }
    static PostgresFilter lte(const QString &column, const QJsonValue &value) { return where(column, Operator::Lte, value); }
    static PostgresFilter gt(const QString &column, const QJsonValue &value) { return where(column, Operator::Gt, value); }
    static PostgresFilter gte(const QString &column, const QJsonValue &value) { return where(column, Operator::Gte, value); }
    static PostgresFilter like(const QString &column, const QString &pattern) { return where(column, Operator::Like, pattern); }
    static PostgresFilter ilike(const QString &column, const QString &pattern) { return where(column, Operator::ILike, pattern); }
    static PostgresFilter match(const QString &column, const QString &regex) { return where(column, Operator::Match, regex); }
    static PostgresFilter imatch(const QString &column, const QString &regex) { return where(column, Operator::IMatch, regex); }
    static PostgresFilter isDistinct(const QString &column, const QJsonValue &value) { return where(column, Operator::IsDistinct, value); }
    // 1..100 values, duplicates removed (like realtime-js's builder).
    static PostgresFilter in(const QString &column, const QJsonArray &values) { return where(column, Operator::In, values); }
    // null (a JSON null or "null"), true, false or "unknown".
    static PostgresFilter is(const QString &column, const QJsonValue &value) { return where(column, Operator::Is, value); }

    // `not.` on a single-condition filter; an error for compound ones (NOT (a AND b) has no syntax).
    PostgresFilter negated() const;
    // This filter AND another one. The first error wins.
    PostgresFilter andAlso(const PostgresFilter &other) const;

    bool isEmpty() const { return m_conditions.isEmpty(); }
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    const QList<FilterCondition> &conditions() const { return m_conditions; }

    QString toString() const;       // all conditions joined with '&'; "" when empty or invalid
    QString serverFilter() const;   // the first condition only: what goes into the join payload
    QList<FilterCondition> clientConditions() const; // every condition but the first
    bool hasClientConditions() const { return m_conditions.size() > 1; }

    bool matches(const QJsonObject &record) const;                 // every condition
    bool matchesClientConditions(const QJsonObject &record) const; // all but the first

    friend bool operator==(const PostgresFilter &, const PostgresFilter &) = default;

private:
    static PostgresFilter invalid(const QString &error);

    QList<FilterCondition> m_conditions;
    QString m_error;
};

} // namespace tf
