#include "postgresthandler.h"

#include "authstore.h"
#include "faultinjector.h"
#include "postgrestquery.h"
#include "rowsecurity.h"
#include "rowstore.h"
#include "simlogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace tf::sim {

namespace {

const QString RestPrefix = QStringLiteral("/rest/v1/");

HttpResponse errorResponse(const DbError &error, HttpHeaderList headers = {})
{
    return HttpResponse::json(error.httpStatus, error.toJson(), std::move(headers));
}

// Prefer headers: several headers and comma-separated lists both allowed.
struct Preferences {
    QString returnMode = QStringLiteral("minimal");
    QString resolution;
    bool countExact = false;
    QStringList applied;
};

Preferences readPreferences(const HttpRequest &request)
{
    Preferences prefs;
    for (const QByteArray &header : request.headerValues("prefer")) {
        for (const QByteArray &item : header.split(',')) {
            const QString pref = QString::fromLatin1(item.trimmed());
            if (pref.startsWith(u"return=")) {
                prefs.returnMode = pref.mid(7);
                prefs.applied.append(pref);
            } else if (pref.startsWith(u"resolution=")) {
                prefs.resolution = pref.mid(11);
                prefs.applied.append(pref);
            } else if (pref == u"count=exact") {
                prefs.countExact = true;
                prefs.applied.append(pref);
            }
        }
    }
    return prefs;
}

HttpHeaderList appliedHeader(const Preferences &prefs)
{
    if (prefs.applied.isEmpty())
        return {};
    return {{QByteArrayLiteral("Preference-Applied"), prefs.applied.join(QStringLiteral(", ")).toLatin1()}};
}

DbError invalidJson(const QString &details = {})
{
    return DbError{400, QStringLiteral("PGRST102"), QStringLiteral("Empty or invalid json"), details, {}};
}

DbError unknownColumn(const TableDef &table, const QString &column)
{
    return DbError{400, QStringLiteral("42703"), QStringLiteral("column %1.%2 does not exist").arg(table.name, column),
                   {}, {}};
}

std::optional<DbError> checkColumns(const TableDef &table, const PostgrestQuery &query)
{
    for (const QString &column : query.select) {
        if (!table.column(column))
            return unknownColumn(table, column);
    }
    for (const OrderTerm &term : query.order) {
        if (!table.column(term.column))
            return unknownColumn(table, term.column);
    }
    return std::nullopt;
}

QJsonArray project(const QList<QJsonObject> &rows, const QStringList &select)
{
    QJsonArray array;
    for (const QJsonObject &row : rows) {
        if (select.isEmpty()) {
            array.append(row);
            continue;
        }
        QJsonObject projected;
        for (const QString &column : select)
            projected.insert(column, row.value(column));
        array.append(projected);
    }
    return array;
}

void sortRows(QList<QJsonObject> &rows, const TableDef &table, const QList<OrderTerm> &order)
{
    if (order.isEmpty())
        return;
    std::stable_sort(rows.begin(), rows.end(), [&](const QJsonObject &a, const QJsonObject &b) {
        for (const OrderTerm &term : order) {
            const ColumnDef *column = table.column(term.column);
            const QJsonValue va = a.value(term.column);
            const QJsonValue vb = b.value(term.column);
            const bool na = va.isNull();
            const bool nb = vb.isNull();
            if (na || nb) {
                if (na && nb)
                    continue;
                const bool nullsFirst = term.nullsFirst.value_or(term.descending);
                return na ? nullsFirst : !nullsFirst;
            }
            int c = column->compare(va, vb);
            if (term.descending)
                c = -c;
            if (c != 0)
                return c < 0;
        }
        return false;
    });
}

// PostgREST checks body columns against its schema cache before the database sees them.
std::optional<DbError> unknownBodyColumn(const TableDef &table, const QStringList &columns)
{
    for (const QString &column : columns) {
        if (!table.column(column)) {
            return DbError{400, QStringLiteral("PGRST204"),
                           QStringLiteral("Could not find the '%1' column of '%2' in the schema cache").arg(column, table.name),
                           {}, {}};
        }
    }
    return std::nullopt;
}

// The body of a POST: one object or an array of objects that all have the same keys.
std::optional<QList<QJsonObject>> readRows(const QByteArray &body, DbError *error)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.isNull()) {
        *error = invalidJson(parseError.error != QJsonParseError::NoError ? parseError.errorString() : QString());
        return std::nullopt;
    }
    if (doc.isObject())
        return QList<QJsonObject>{doc.object()};
    QList<QJsonObject> rows;
    QStringList keys;
    for (const QJsonValue &value : doc.array()) {
        if (!value.isObject()) {
            *error = invalidJson();
            return std::nullopt;
        }
        const QJsonObject row = value.toObject();
        if (!rows.isEmpty() && row.keys() != keys) {
            *error = DbError{400, QStringLiteral("PGRST102"), QStringLiteral("All object keys must match"), {}, {}};
            return std::nullopt;
        }
        keys = row.keys();
        rows.append(row);
    }
    return rows;
}

} // namespace

PostgrestHandler::PostgrestHandler(RowStore &store, const AuthStore &auth, FaultInjector *faults)
    : m_store(store)
    , m_gate(auth)
    , m_faults(faults)
{
}

HttpResponse PostgrestHandler::handle(const HttpRequest &request)
{
    if (auto refused = m_gate.checkApiKey(request))
        return *refused;
    Caller caller;
    if (auto refused = m_gate.restCaller(request, &caller))
        return *refused;

    const QString tableName = request.path.mid(RestPrefix.size());
    const TableDef *table = m_store.table(tableName);
    if (!table) {
        return errorResponse(DbError{404, QStringLiteral("PGRST205"),
                                     QStringLiteral("Could not find the table 'public.%1' in the schema cache").arg(tableName),
                                     {}, {}});
    }

    DbError error;
    const auto query = PostgrestQuery::parse(request.rawQuery, &error);
    if (!query)
        return errorResponse(error);
    if (auto bad = checkColumns(*table, *query))
        return errorResponse(*bad);
    const auto filter = RowFilter::bind(*table, query->filters, &error);
    if (!filter)
        return errorResponse(error);

    const AccessContext who = caller.access;
    const TableDef def = *table;
    const RowPredicate visible = [def, who, f = *filter](const QJsonObject &row) {
        return RowSecurity::canRead(def, who, row) && f.matches(row);
    };
    const Preferences prefs = readPreferences(request);
    const bool representation = prefs.returnMode == u"representation";
    const QByteArray method = request.method.toUpper();

    if (method == "GET" || method == "HEAD") {
        QList<QJsonObject> rows = m_store.rows(def.name, visible);
        const qsizetype total = rows.size();
        sortRows(rows, def, query->order);
        const qsizetype offset = qsizetype(std::min<qint64>(query->offset.value_or(0), rows.size()));
        const qsizetype count = query->limit ? qsizetype(std::min<qint64>(*query->limit, rows.size() - offset))
                                             : rows.size() - offset;
        rows = rows.mid(offset, count);
        const QByteArray range = rows.isEmpty() ? QByteArrayLiteral("*")
                                                : QByteArray(QByteArray::number(offset) + '-' + QByteArray::number(offset + rows.size() - 1));
        const QByteArray contentRange = range + '/' + (prefs.countExact ? QByteArray::number(total) : QByteArrayLiteral("*"));
        HttpResponse response = HttpResponse::json(200, project(rows, query->select),
                                                   {{QByteArrayLiteral("Content-Range"), contentRange}});
        if (method == "HEAD")
            response.body.clear();
        return response;
    }

    if (method == "POST") {
        const auto rows = readRows(request.body, &error);
        if (!rows)
            return errorResponse(error);
        const QStringList columns = rows->isEmpty() ? QStringList() : rows->first().keys();
        if (auto bad = unknownBodyColumn(def, columns))
            return errorResponse(*bad);
        if (auto denied = RowSecurity::checkInsertColumns(def, who, columns))
            return errorResponse(*denied);
        InsertOptions options;
        options.conflictColumns = query->onConflict;
        options.onConflict = prefs.resolution == u"ignore-duplicates" ? ConflictAction::Ignore
                           : prefs.resolution == u"merge-duplicates"  ? ConflictAction::Merge
                                                                      : ConflictAction::Error;
        options.authUid = who.userId;
        options.check = [def, who](const QJsonObject &row) { return RowSecurity::checkInsertRow(def, who, row); };
        const WriteResult result = m_store.insert(def.name, *rows, options);
        if (!result.ok())
            return errorResponse(*result.error);
        qCDebug(lcSimHttp) << "inserted" << result.rows.size() << "row(s) into" << def.name;
        HttpResponse response = representation ? HttpResponse::json(201, project(result.rows, query->select), appliedHeader(prefs))
                                               : HttpResponse::empty(201, appliedHeader(prefs));
        if (m_faults && m_faults->takeLostInsertReply()) {
            qCInfo(lcSimFaults) << "insert into" << def.name << "committed; dropping the connection instead of replying";
            response.dropConnection = true;
        }
        return response;
    }

    if (method == "PATCH") {
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return errorResponse(invalidJson());
        const QStringList columns = doc.object().keys();
        if (auto bad = unknownBodyColumn(def, columns))
            return errorResponse(*bad);
        if (auto denied = RowSecurity::checkUpdateColumns(def, who, columns))
            return errorResponse(*denied);
        const RowPredicate reachable = [def, who, f = *filter](const QJsonObject &row) {
            return RowSecurity::canUpdate(def, who, row) && f.matches(row);
        };
        const RowCheck check = [def, who](const QJsonObject &row) { return RowSecurity::checkUpdatedRow(def, who, row); };
        const WriteResult result = m_store.update(def.name, reachable, doc.object(), check);
        if (!result.ok())
            return errorResponse(*result.error);
        return representation ? HttpResponse::json(200, project(result.rows, query->select), appliedHeader(prefs))
                              : HttpResponse::empty(204, appliedHeader(prefs));
    }

    if (method == "DELETE") {
        if (auto denied = RowSecurity::checkDeleteGrant(def, who))
            return errorResponse(*denied);
        const RowPredicate reachable = [def, who, f = *filter](const QJsonObject &row) {
            return RowSecurity::canDelete(def, who, row) && f.matches(row);
        };
        const WriteResult result = m_store.remove(def.name, reachable);
        if (!result.ok())
            return errorResponse(*result.error);
        return representation ? HttpResponse::json(200, project(result.rows, query->select), appliedHeader(prefs))
                              : HttpResponse::empty(204, appliedHeader(prefs));
    }

    return errorResponse(DbError{405, QStringLiteral("PGRST117"),
                                 QStringLiteral("Unsupported HTTP method: %1").arg(QString::fromLatin1(method)), {}, {}});
}

} // namespace tf::sim
