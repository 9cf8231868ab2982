#pragma once

#include <QList>
#include <QString>
#include <QVariant>

namespace tf {

// Builds the query string of a PostgREST request (§11.2): columns, filters, order, paging.
//
//   PostgrestQuery q;
//   q.select(QStringLiteral("id,symbol,qty")).eq(QStringLiteral("user_id"), uid)
//    .gte(QStringLiteral("updated_at"), lastSeen).order(QStringLiteral("updated_at")).limit(500);
//
// Encoding: a simple operator's value is sent verbatim (never quoted: quotes would be literal)
// but percent-encoded, every reserved character included and '+' as %2B (PostgREST reads '+'
// as a space, §11.3). Elements of an `in` list that contain , . : * ( ) " \ or spaces are
// double-quoted with \" and \\ escapes. Bad input (empty column, `is` with a value other than
// null/true/false/unknown, negative limit, unsupported value type) is recorded: isValid() turns
// false and the client refuses the request with a Validation error instead of sending it.
class PostgrestQuery
{
public:
    enum class Operator { Eq, Neq, Lt, Lte, Gt, Gte, Like, Ilike, Match, Imatch, Is, IsDistinct, In };
    enum class Direction { Ascending, Descending };
    enum class Nulls { Default, First, Last };

    // Columns to return, PostgREST syntax ("*", "id,qty", "alias:col", "rel(cols)"). Default "*".
    PostgrestQuery &select(const QString &columns);

    // `column=op.value`. Values: QString verbatim, numbers, bool, null (QVariant()), QDateTime
    // (ISO 8601 with ms), QDate, QUuid; for In a QStringList or QVariantList.
    PostgrestQuery &filter(const QString &column, Operator op, const QVariant &value);
    // `column=not.op.value`.
    PostgrestQuery &notFilter(const QString &column, Operator op, const QVariant &value);
    // Anything else PostgREST understands, written by hand: rawFilter("tags", "cs.{a,b}"),
    // rawFilter("or", "(qty.lt.1,qty.gt.100)"). Percent-encoded except for ( ) , * which are syntax.
    PostgrestQuery &rawFilter(const QString &key, const QString &expression);

    PostgrestQuery &eq(const QString &column, const QVariant &value) { return filter(column, Operator::Eq, value); }
    PostgrestQuery &neq(const QString &column, const QVariant &value) { return filter(column, Operator::Neq, value); }
    PostgrestQuery &lt(const QString &column, const QVariant &value) { return filter(column, Operator::Lt, value); }
    PostgrestQuery &lte(const QString &column, const QVariant &value) { return filter(column, Operator::Lte, value); }
    PostgrestQuery &gt(const QString &column, const QVariant &value) { return filter(column, Operator::Gt, value); }
    PostgrestQuery &gte(const QString &column, const QVariant &value) { return filter(column, Operator::Gte, value); }
    PostgrestQuery &like(const QString &column, const QString &pattern) { return filter(column, Operator::Like, pattern); }
    PostgrestQuery &ilike(const QString &column, const QString &pattern) { return filter(column, Operator::Ilike, pattern); }
    PostgrestQuery &is(const QString &column, const QVariant &value) { return filter(column, Operator::Is, value); }
    PostgrestQuery &in(const QString &column, const QVariantList &values) { return filter(column, Operator::In, values); }
    PostgrestQuery &in(const QString &column, const QStringList &values) { return filter(column, Operator::In, values); }

    // Appends one ordering term; call again for tie-breakers (order=a.asc,b.desc.nullslast).
    PostgrestQuery &order(const QString &column, Direction direction = Direction::Ascending, Nulls nulls = Nulls::Default);
    PostgrestQuery &limit(int count);
    PostgrestQuery &offset(int count);

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    bool hasFilters() const { return !m_filters.isEmpty(); }

    // The encoded query, e.g. "select=*&user_id=eq.42&order=updated_at.asc". "select" is left
    // out when includeSelect is false and no columns were chosen (writes without representation).
    QByteArray toQueryString(bool includeSelect = true) const;

    // The encoding rules, public so the CLI and tests can use exactly what requests use.
    static QString operatorName(Operator op);
    static bool operatorFromName(const QString &name, Operator *op);
    static QByteArray encodeValue(const QString &value);         // full percent-encoding
    static QString quoteListElement(const QString &element);     // in-list quoting (before encoding)

private:
    struct Term {
        QByteArray key;
        QByteArray value;
    };
    bool formatValue(const QVariant &value, QString *out);
    PostgrestQuery &addFilter(const QString &column, Operator op, const QVariant &value, bool negate);
    void fail(const QString &message);

    QString m_select;
    QList<Term> m_filters;
    QList<QByteArray> m_order;
    int m_limit = -1;
    int m_offset = -1;
    QString m_error;
};

} // namespace tf
