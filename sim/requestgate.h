#pragma once

#include "httpmessage.h"
#include "rowsecurity.h"

#include <QJsonObject>

#include <optional>

namespace tf::sim {

class AuthStore;

// Who is calling, once the gateway and PostgREST have looked at the request.
struct Caller {
    AccessContext access;
    QString token;      // the JWT the request runs with (bearer, else the apikey)
    QJsonObject claims;
};

// The checks every REST and auth request passes, in the order the platform applies them:
// the API gateway wants an `apikey` (header or query parameter) that is one of the project's
// keys; PostgREST then runs as the role of the bearer token, or of the apikey without one.
class RequestGate {
public:
    explicit RequestGate(const AuthStore &auth);

    // Kong's answer when the key is missing or unknown, else nullopt.
    std::optional<HttpResponse> checkApiKey(const HttpRequest &request) const;
    // PostgREST's view of the caller; on a bad or expired bearer token the 401 it answers with
    // (PGRST301 / PGRST303 plus WWW-Authenticate, protocol doc §11.6).
    std::optional<HttpResponse> restCaller(const HttpRequest &request, Caller *caller) const;

    static QString apiKey(const HttpRequest &request);
    static QString bearerToken(const HttpRequest &request); // null if no Bearer header

private:
    const AuthStore &m_auth;
};

} // namespace tf::sim
