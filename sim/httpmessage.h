#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace tf::sim {

using HttpHeaderList = QList<QPair<QByteArray, QByteArray>>;

// A request as the handlers see it, independent of the Qt HTTP server version underneath
// (and easy to build in unit tests).
struct HttpRequest {
    QByteArray method;   // "GET", "POST", "PATCH", "DELETE", ...
    QString path;        // e.g. /rest/v1/orders
    QByteArray rawQuery; // still percent-encoded, without '?'
    HttpHeaderList headers;
    QByteArray body;

    // First value of a header, compared case-insensitively.
    QByteArray header(QByteArrayView name) const;
    // Every value of a header (several Prefer headers are allowed).
    QList<QByteArray> headerValues(QByteArrayView name) const;
    // A query parameter decoded PostgREST-style ('+' is a space), or a null string.
    QString queryItem(QStringView name) const;
};

struct HttpResponse {
    int status = 200;
    HttpHeaderList headers;
    QByteArray body;
    // Fault "lost reply": the work was done, but the connection is dropped instead of answering.
    bool dropConnection = false;

    QByteArray header(QByteArrayView name) const;

    static HttpResponse json(int status, const QJsonValue &body, HttpHeaderList headers = {});
    static HttpResponse empty(int status, HttpHeaderList headers = {});
};

} // namespace tf::sim
