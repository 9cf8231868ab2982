#pragma once

#include <QString>

#include <functional>

namespace tf {

// Where the REST client gets the user's access token, and whom it asks for a fresh one when
// PostgREST rejects it. AuthSession implements it; tests can implement it with a stub.
class AccessTokenProvider
{
public:
    virtual ~AccessTokenProvider() = default;

    // The current user access token; empty when nobody is signed in (the project key is sent).
    virtual QString accessToken() const = 0;

    // Asks for a new access token because the current one was refused (`reason` is for logs).
    // `done(true)` once accessToken() returns the new one, `done(false)` if that is not possible
    // now. Always called later, never from inside this call. Concurrent requests share one refresh.
    virtual void refreshAccessToken(const QString &reason, std::function<void(bool ok)> done) = 0;
};

} // namespace tf
