#pragma once

// Internal helpers shared by the PostgREST and GoTrue clients. Not part of the public API.

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

#include <chrono>

namespace tf::detail {

// <project>/<path> (e.g. "/rest/v1"), tolerant of a trailing slash on the project URL. Warns once
// per call site owner when tokens would travel in clear text to a non-loopback host.
QUrl endpointUrl(const QUrl &projectUrl, const QString &path);

// True when the URL is http (not https) and the host is not a loopback address.
bool isInsecureRemote(const QUrl &url);

// A request carrying the project key and the bearer token (the key itself when signed out).
// Redirects are only followed within the same origin so the bearer never leaves it.
QNetworkRequest apiRequest(const QUrl &url, const QString &apiKey, const QString &bearer,
                           std::chrono::milliseconds transferTimeout);

// Percent-encodes everything except RFC 3986 unreserved characters and `keep`.
QByteArray percentEncode(const QString &text, const QByteArray &keep = {});

} // namespace tf::detail
