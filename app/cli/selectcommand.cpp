#include "selectcommand.h"

#include "clicontext.h"
#include "postgrestclient.h"

#include <QRegularExpression>

namespace tf::cli {

namespace {

const QCommandLineOption selectOption(QStringLiteral("select"), QStringLiteral("Columns to return (default *)."),
                                      QStringLiteral("columns"));
const QCommandLineOption filterOption(QStringLiteral("filter"),
    QStringLiteral("A filter in PostgREST syntax, e.g. user_id=eq.42 (repeatable; all must match)."),
    QStringLiteral("column=op.value"));
const QCommandLineOption orderOption(QStringLiteral("order"),
    QStringLiteral("Ordering, e.g. updated_at.desc,id (PostgREST syntax)."), QStringLiteral("order"));
const QCommandLineOption limitOption(QStringLiteral("limit"), QStringLiteral("At most this many rows."),
                                     QStringLiteral("n"));

} // namespace

bool SelectCommand::addFilter(PostgrestQuery &query, const QString &filter, QString *error)
{
    const qsizetype equals = filter.indexOf(u'=');
    const QString column = filter.left(equals).trimmed();
    const QString expression = equals < 0 ? QString() : filter.mid(equals + 1);
    // Logical trees: or=(a.lt.1,b.gt.2), and=(…), not.or=(…).
    static const QRegularExpression logical(QStringLiteral("^(not\\.)?(or|and)$"));
    // [not.]operator[(config)].value — e.g. eq.42, not.in.(1,2), fts(english).word
    static const QRegularExpression simple(QStringLiteral("^(not\\.)?[a-z]+(\\([^)]*\\))?\\..*$"),
                                           QRegularExpression::DotMatchesEverythingOption);
    const bool ok = !column.isEmpty()
        && (logical.match(column).hasMatch()
                ? expression.startsWith(u'(') && expression.endsWith(u')')
                : simple.match(expression).hasMatch());
    if (!ok) {
        *error = QStringLiteral("--filter must look like column=op.value (e.g. user_id=eq.42), got \"%1\"").arg(filter);
        return false;
    }
    query.rawFilter(column, expression);
    return true;
}

bool SelectCommand::addOrder(PostgrestQuery &query, const QString &order, QString *error)
{
    for (const QString &term : order.split(u',', Qt::SkipEmptyParts)) {
        QStringList parts = term.trimmed().split(u'.');
        const QString column = parts.takeFirst();
        auto direction = PostgrestQuery::Direction::Ascending;
        auto nulls = PostgrestQuery::Nulls::Default;
        bool ok = !column.isEmpty() && parts.size() <= 2;
        for (const QString &part : std::as_const(parts)) {
            if (part == u"asc")
                direction = PostgrestQuery::Direction::Ascending;
            else if (part == u"desc")
                direction = PostgrestQuery::Direction::Descending;
            else if (part == u"nullsfirst")
                nulls = PostgrestQuery::Nulls::First;
            else if (part == u"nullslast")
                nulls = PostgrestQuery::Nulls::Last;
            else
                ok = false;
        }
        if (!ok) {
            *error = QStringLiteral("--order terms look like column[.asc|.desc][.nullsfirst|.nullslast], got \"%1\"").arg(term);
            return false;
        }
        query.order(column, direction, nulls);
    }
    return true;
}

void SelectCommand::addOptions(QCommandLineParser &parser)
{
    addTableOption(parser);
    parser.addOptions({selectOption, filterOption, orderOption, limitOption});
}

bool SelectCommand::configure(const QCommandLineParser &parser, QString *error)
{
    if (!readTable(parser, error))
        return false;
    if (parser.isSet(selectOption))
        m_query.select(parser.value(selectOption));
    for (const QString &filter : parser.values(filterOption)) {
        if (!addFilter(m_query, filter, error))
            return false;
    }
    if (parser.isSet(orderOption) && !addOrder(m_query, parser.value(orderOption), error))
        return false;
    if (parser.isSet(limitOption)) {
        bool ok = false;
        const int limit = parser.value(limitOption).toInt(&ok);
        if (!ok || limit < 0) {
            *error = QStringLiteral("--limit must be a number >= 0");
            return false;
        }
        m_query.limit(limit);
    }
    if (!m_query.isValid()) {
        *error = m_query.errorString();
        return false;
    }
    return true;
}

void SelectCommand::start(CliContext &context)
{
    finishWith(context.rest()->select(m_table, m_query));
}

} // namespace tf::cli
