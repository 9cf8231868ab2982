#pragma once

#include "httpmessage.h"
#include "requestgate.h"

namespace tf::sim {

class AuthStore;
class FaultInjector;
class RowStore;

// PostgREST's table endpoints at /rest/v1/<table> over the RowStore, with row level security
// as the caller's role (protocol doc §11.2–§11.6):
//   GET     select, filters (eq neq lt lte gt gte in is, not.), order, limit, offset
//   POST    one row or an array; Prefer return=representation|minimal,
//           resolution=ignore-duplicates|merge-duplicates; on_conflict=<columns>
//   PATCH   filters + a JSON object of new values
//   DELETE  filters
// What a caller may read and write is RowSecurity over the table's ClientAccess.
// Errors use PostgREST's body {"code","message","details","hint"} and its status codes.
class PostgrestHandler {
public:
    PostgrestHandler(RowStore &store, const AuthStore &auth, FaultInjector *faults);

    HttpResponse handle(const HttpRequest &request);

private:
    RowStore &m_store;
    RequestGate m_gate;
    FaultInjector *m_faults;
};

} // namespace tf::sim
