#pragma once

#include "errorclass.h"

#include <QByteArray>

namespace tf {

// Turns a PostgREST error response ({code, message, details, hint}, §11.6) into a ClientError.
// The class follows the HTTP status (classifyHttpStatus) except that Postgres 42501
// (insufficient privilege, i.e. an RLS refusal) is always Auth, whether PostgREST answered 401
// (anonymous) or 403 (authenticated). A body that is not JSON keeps the status's class and
// quotes the start of the text.
ClientError postgrestError(int httpStatus, const QByteArray &body);

// GoTrue errors come in two shapes (§11.9) plus OAuth-style {error, error_description}; the
// `x-sb-error-code` header carries the code in all of them. Known codes pick the class: bad
// credentials and dead refresh tokens are Auth, over_*_rate_limit is RateLimit.
ClientError goTrueError(int httpStatus, const QByteArray &body, const QByteArray &errorCodeHeader = {});

// True when PostgREST rejected the bearer token itself (401 with PGRST301/302/303, or a 401
// whose WWW-Authenticate says invalid_token): a fresh token can fix it. A 42501 refusal cannot:
// the token was valid and the policy said no, so refreshing would only loop.
bool isTokenRejection(const ClientError &error, const QByteArray &wwwAuthenticate = {});

// GoTrue codes meaning the refresh token can never work again: the user has to sign in.
bool isTerminalRefreshError(const ClientError &error);

} // namespace tf
