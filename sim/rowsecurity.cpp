#include "rowsecurity.h"

namespace tf::sim {

AccessContext AccessContext::fromClaims(const QJsonObject &claims)
{
    const QString role = claims.value(QStringLiteral("role")).toString();
    if (role == u"service_role")
        return serviceRole();
    const QString sub = claims.value(QStringLiteral("sub")).toString();
    if (role == u"authenticated" && !sub.isEmpty())
        return user(sub);
    return anon();
}

namespace RowSecurity {

namespace {

DbError permissionDenied(const TableDef &table, const AccessContext &who)
{
    return DbError{who.role == DbRole::Anon ? 401 : 403, QStringLiteral("42501"),
                   QStringLiteral("permission denied for table %1").arg(table.name), {}, {}};
}

DbError policyViolation(const TableDef &table)
{
    return DbError{403, QStringLiteral("42501"),
                   QStringLiteral("new row violates row-level security policy for table \"%1\"").arg(table.name), {}, {}};
}

bool owns(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    return who.role == DbRole::Authenticated && !table.ownerColumn.isEmpty()
        && row.value(table.ownerColumn).toString() == who.userId;
}

std::optional<DbError> checkColumns(const TableDef &table, const AccessContext &who, const QStringList &granted,
                                    const QStringList &columns)
{
    if (who.role == DbRole::ServiceRole)
        return std::nullopt;
    if (who.role == DbRole::Anon || granted.isEmpty())
        return permissionDenied(table, who);
    for (const QString &column : columns) {
        if (!granted.contains(column))
            return permissionDenied(table, who);
    }
    return std::nullopt;
}

} // namespace

bool canRead(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    switch (who.role) {
    case DbRole::ServiceRole:
        return true;
    case DbRole::Anon:
        return table.access.anonSelect;
    case DbRole::Authenticated:
        return table.access.selectAll || table.access.anonSelect || owns(table, who, row);
    }
    return false;
}

std::optional<DbError> checkInsertColumns(const TableDef &table, const AccessContext &who, const QStringList &columns)
{
    return checkColumns(table, who, table.access.insertColumns, columns);
}

std::optional<DbError> checkInsertRow(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    if (who.role == DbRole::ServiceRole)
        return std::nullopt;
    if (who.role == DbRole::Anon)
        return permissionDenied(table, who);
    if (!owns(table, who, row))
        return policyViolation(table);
    return std::nullopt;
}

std::optional<DbError> checkUpdateColumns(const TableDef &table, const AccessContext &who, const QStringList &columns)
{
    return checkColumns(table, who, table.access.updateColumns, columns);
}

bool canUpdate(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    if (who.role == DbRole::ServiceRole)
        return true;
    // UPDATE needs the row to be visible and to pass the policy's USING clause.
    return canRead(table, who, row) && owns(table, who, row)
        && (!table.access.updateUsing || table.access.updateUsing(row));
}

std::optional<DbError> checkUpdatedRow(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    if (who.role == DbRole::ServiceRole)
        return std::nullopt;
    if (!owns(table, who, row) || (table.access.updateCheck && !table.access.updateCheck(row)))
        return policyViolation(table);
    return std::nullopt;
}

std::optional<DbError> checkDeleteGrant(const TableDef &table, const AccessContext &who)
{
    if (who.role == DbRole::ServiceRole)
        return std::nullopt;
    if (who.role == DbRole::Anon || !table.access.deleteOwn)
        return permissionDenied(table, who);
    return std::nullopt;
}

bool canDelete(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    return who.role == DbRole::ServiceRole || (canRead(table, who, row) && owns(table, who, row));
}

} // namespace RowSecurity
} // namespace tf::sim
