#pragma once

#include "httpmessage.h"
#include "requestgate.h"

namespace tf::sim {

class AuthStore;

// The GoTrue subset at /auth/v1 (protocol doc §11.7–§11.9):
//   POST /token?grant_type=password        {"email","password"} -> session
//   POST /token?grant_type=refresh_token   {"refresh_token"}    -> session with a rotated token
//   POST /logout[?scope=global|local|others]   Bearer <access token> -> 204
//   GET  /user                              Bearer <access token> -> the user
//   GET  /health
// Errors: {"code":<status>,"error_code","msg"} (or {"code","message"} when the request carries
// X-Supabase-Api-Version: 2024-01-01), always with the x-sb-error-code header.
class GoTrueHandler {
public:
    explicit GoTrueHandler(AuthStore &auth);

    HttpResponse handle(const HttpRequest &request);

private:
    HttpResponse token(const HttpRequest &request);
    HttpResponse logout(const HttpRequest &request);
    HttpResponse user(const HttpRequest &request);
    // The verified claims of the bearer token, or the GoTrue error to answer with.
    std::optional<HttpResponse> bearerClaims(const HttpRequest &request, QJsonObject *claims) const;

    AuthStore &m_auth;
    RequestGate m_gate;
};

} // namespace tf::sim
