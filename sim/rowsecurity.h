#pragma once

#include "tableschema.h"

#include <QJsonObject>

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

// Row level security as the project's policies define it (see docs/simulator.md):
//   tables with an owner column: a user selects, inserts, updates and deletes only rows whose
//     owner column is their id; anon sees none of them and may not write;
//   public-read tables (instruments): everybody selects, only the service role writes;
//   the service role bypasses RLS.
namespace RowSecurity {

bool canRead(const TableDef &table, const AccessContext &who, const QJsonObject &row);
// WITH CHECK for a row about to be inserted or written by an update: an error when refused,
// 42501 with status 403 for a user and 401 for anon, like PostgREST.
std::optional<DbError> checkWrite(const TableDef &table, const AccessContext &who, const QJsonObject &row);

} // namespace RowSecurity
} // namespace tf::sim
