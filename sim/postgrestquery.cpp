#include "postgrestquery.h"

namespace tf::sim {

namespace {

DbError parseError(const QString &what, const QString &value, const QString &details)
{
    return DbError{400, QStringLiteral("PGRST100"),
                   QStringLiteral("\"failed to parse %1 (%2)\" (line 1, column 1)").arg(what, value), details, {}};
}

bool isIdentifier(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (const QChar c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('_'))
            return false;
    }
    return true;
}

std::optional<QStringList> parseColumnList(const QString &text)
{
    QStringList columns;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString column = part.trimmed();
        if (!isIdentifier(column))
            return std::nullopt;
        columns.append(column);
    }
    return columns;
}

std::optional<qint64> parseCount(const QString &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

QList<QPair<QString, QString>> decodePostgrestQuery(QByteArrayView rawQuery)
{
    QList<QPair<QString, QString>> items;
    const auto decode = [](QByteArray part) {
        part.replace('+', ' ');
        return QString::fromUtf8(QByteArray::fromPercentEncoding(part));
    };
    for (const QByteArray &pair : rawQuery.toByteArray().split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            items.append({decode(pair), QString()});
        else
            items.append({decode(pair.left(eq)), decode(pair.mid(eq + 1))});
    }
    return items;
}

std::optional<PostgrestQuery> PostgrestQuery::parse(QByteArrayView rawQuery, DbError *error)
{
    const auto failWith = [error](DbError e) -> std::optional<PostgrestQuery> {
        if (error)
            *error = std::move(e);
        return std::nullopt;
    };
    PostgrestQuery query;
    for (const auto &[key, value] : decodePostgrestQuery(rawQuery)) {
        if (key == u"select") {
            const QString trimmed = value.trimmed();
            if (trimmed.isEmpty() || trimmed == u"*")
                continue;
            const auto columns = parseColumnList(trimmed);
            if (!columns) {
                return failWith(parseError(QStringLiteral("select parameter"), value,
                                           QStringLiteral("the simulator supports '*' or a list of plain column names")));
            }
            query.select = *columns;
        } else if (key == u"order") {
            for (const QString &part : value.split(QLatin1Char(','))) {
                const QStringList pieces = part.trimmed().split(QLatin1Char('.'));
                OrderTerm term;
                term.column = pieces.value(0);
                bool ok = isIdentifier(term.column) && pieces.size() <= 3;
                for (qsizetype i = 1; i < pieces.size() && ok; ++i) {
                    const QString &p = pieces.at(i);
                    if (p == u"asc" && i == 1)
                        term.descending = false;
                    else if (p == u"desc" && i == 1)
                        term.descending = true;
                    else if (p == u"nullsfirst")
                        term.nullsFirst = true;
                    else if (p == u"nullslast")
                        term.nullsFirst = false;
                    else
                        ok = false;
                }
                if (!ok) {
                    return failWith(parseError(QStringLiteral("order"), value,
                                               QStringLiteral("unexpected \"%1\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\"")
                                                   .arg(part)));
                }
                query.order.append(term);
            }
        } else if (key == u"limit" || key == u"offset") {
            const auto count = parseCount(value);
            if (!count) {
                return failWith(parseError(key + QStringLiteral(" parameter"), value,
                                           QStringLiteral("expected a non-negative integer")));
            }
            (key == u"limit" ? query.limit : query.offset) = *count;
        } else if (key == u"on_conflict") {
            const auto columns = parseColumnList(value);
            if (!columns) {
                return failWith(parseError(QStringLiteral("on_conflict parameter"), value,
                                           QStringLiteral("expected a list of column names")));
            }
            query.onConflict = *columns;
        } else if (key == u"apikey" || key == u"columns") {
            // apikey: consumed by the gateway; columns: only restricts bulk inserts, ignored here.
        } else {
            QString details;
            const auto condition = parsePostgrestFilter(key, value, &details);
            if (!condition || !isIdentifier(key))
                return failWith(parseError(QStringLiteral("filter"), value, details));
            query.filters.append(*condition);
        }
    }
    return query;
}

} // namespace tf::sim
