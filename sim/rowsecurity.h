#pragma once

#include "dberror.h"
#include "tableschema.h"

#include <QJsonObject>

#include <optional>

namespace tf::sim {

// The Postgres role a request or subscription runs as, from the JWT's `role` claim.
enum class DbRole { Anon, Authenticated, ServiceRole };

struct AccessContext {
    DbRole role = DbRole::Anon;
    QString userId; // the JWT `sub`; empty for anon and service role

    static AccessContext anon() { return {}; }
    static AccessContext serviceRole() { return {DbRole::ServiceRole, {}}; }
    static AccessContext user(const QString &id) { return {DbRole::Authenticated, id}; }
    // From verified JWT claims: role "authenticated" with a `sub`, "service_role", else anon.
    static AccessContext fromClaims(const QJsonObject &claims);
};

// Row level security and grants as a table's ClientAccess describes them, with Postgres'
// outcomes: rows a role may not see are simply absent (SELECT, UPDATE, DELETE); a missing grant
// is "permission denied for table <t>" and a row failing a policy's WITH CHECK is "new row
// violates row-level security policy for table "<t>"" (both 42501; HTTP 401 for anon, 403 for a
// user, as PostgREST answers). The service role bypasses all of it.
namespace RowSecurity {

// SELECT visibility (also what postgres_changes delivery checks for INSERT/UPDATE).
bool canRead(const TableDef &table, const AccessContext &who, const QJsonObject &row);

// INSERT: the grant on the columns the client sent, then the policy on the row to be inserted.
std::optional<DbError> checkInsertColumns(const TableDef &table, const AccessContext &who, const QStringList &columns);
std::optional<DbError> checkInsertRow(const TableDef &table, const AccessContext &who, const QJsonObject &row);

// UPDATE: the grant on the columns being set; which rows the UPDATE can reach (USING); and the
// WITH CHECK on each updated row.
std::optional<DbError> checkUpdateColumns(const TableDef &table, const AccessContext &who, const QStringList &columns);
bool canUpdate(const TableDef &table, const AccessContext &who, const QJsonObject &row);
std::optional<DbError> checkUpdatedRow(const TableDef &table, const AccessContext &who, const QJsonObject &row);

// DELETE: the grant, then which rows it can reach.
std::optional<DbError> checkDeleteGrant(const TableDef &table, const AccessContext &who);
bool canDelete(const TableDef &table, const AccessContext &who, const QJsonObject &row);

} // namespace RowSecurity
} // namespace tf::sim
