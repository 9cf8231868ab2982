#pragma once

#include <QString>

namespace tf {

// What kind of failure happened; decides how the client recovers (protocol doc §10).
enum class ErrorClass {
    Network,    // link down, DNS, TLS, timeouts: wait for the network, then retry
    Auth,       // expired/invalid token, RLS refusal: refresh the token, then retry once
    RateLimit,  // the project's rate limits: back off long, honouring the server's message
    Server,     // 5xx, database initialising, restarting: retry with backoff
    Protocol,   // malformed frames, unmatched topic, binding mismatch: log and skip
    Validation, // the server refused the request itself (4xx with a reason): do not retry
};

enum class Recovery {
    WaitForNetwork,
    RefreshToken,
    LongBackoff,
    Retry,
    LogAndSkip,
    Fail,
};

Recovery recoveryFor(ErrorClass errorClass);
QString errorClassName(ErrorClass errorClass);
QString recoveryName(Recovery recovery);

// A classified failure with the server's own words, for logs, signals and the diagnostics panel.
struct ClientError {
    ErrorClass errorClass = ErrorClass::Server;
    QString message;    // the server's text where there is one (join reason, PostgREST message, …)
    int httpStatus = 0; // 0 when not an HTTP failure
    QString code;       // PostgREST / GoTrue / realtime error code when known (e.g. "PGRST303", "InvalidJWTToken")

    Recovery recovery() const { return recoveryFor(errorClass); }
    QString toString() const;
};

// Classifies an HTTP status (PostgREST, GoTrue, realtime REST, upgrade refusals).
ErrorClass classifyHttpStatus(int status);

// Classifies a realtime error text: a join reply `reason` (§10.2, "Code: message") or a `system`
// shutdown message (§10.3). Fills `code` with the prefix before ": " when there is one.
ClientError classifyRealtimeReason(const QString &reason);

} // namespace tf
