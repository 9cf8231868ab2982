#include "httpmessage.h"

#include "postgrestquery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tf::sim {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QList<QByteArray> HttpRequest::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            values.append(value);
    }
    return values;
}

QString HttpRequest::queryItem(QStringView name) const
{
    for (const auto &[key, value] : decodePostgrestQuery(rawQuery)) {
        if (key == name)
            return value.isNull() ? QStringLiteral("") : value;
    }
    return {};
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpResponse HttpResponse::json(int status, const QJsonValue &body, HttpHeaderList headers)
{
    HttpResponse response;
    response.status = status;
    response.headers = std::move(headers);
    response.headers.prepend({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json; charset=utf-8")});
    if (body.isArray())
        response.body = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    else
        response.body = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse HttpResponse::empty(int status, HttpHeaderList headers)
{
    HttpResponse response;
    response.status = status;
    response.headers = std::move(headers);
    return response;
}

} // namespace tf::sim
