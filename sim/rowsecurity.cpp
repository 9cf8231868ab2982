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

bool canRead(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    if (who.role == DbRole::ServiceRole || table.publicRead)
        return true;
    if (who.role != DbRole::Authenticated || table.ownerColumn.isEmpty())
        return false;
    return row.value(table.ownerColumn).toString() == who.userId;
}

std::optional<DbError> checkWrite(const TableDef &table, const AccessContext &who, const QJsonObject &row)
{
    if (who.role == DbRole::ServiceRole)
        return std::nullopt;
    if (who.role == DbRole::Anon) {
        return DbError{401, QStringLiteral("42501"),
                       QStringLiteral("permission denied for table %1").arg(table.name), {}, {}};
    }
    if (table.ownerColumn.isEmpty()) {
        return DbError{403, QStringLiteral("42501"),
                       QStringLiteral("permission denied for table %1").arg(table.name), {}, {}};
    }
    if (row.value(table.ownerColumn).toString() != who.userId) {
        return DbError{403, QStringLiteral("42501"),
                       QStringLiteral("new row violates row-level security policy for table \"%1\"").arg(table.name),
                       {}, {}};
    }
    return std::nullopt;
}

} // namespace RowSecurity
} // namespace tf::sim
