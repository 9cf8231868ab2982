#include "restsupport.h"

#include <QHostAddress>

namespace tf::detail {

QUrl endpointUrl(const QUrl &projectUrl, const QString &path)
{
    QUrl url = projectUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    url.setPath(url.path() + path);
    return url;
}

bool isInsecureRemote(const QUrl &url)
{
    if (url.scheme() != QLatin1String("http"))
        return false;
    const QString host = url.host();
    if (host == QLatin1String("localhost"))
        return false;
    const QHostAddress address(host);
    return address.isNull() || !address.isLoopback();
}

QNetworkRequest apiRequest(const QUrl &url, const QString &apiKey, const QString &bearer,
                           std::chrono::milliseconds transferTimeout)
{
    QNetworkRequest request(url);
    request.setRawHeader("apikey", apiKey.toUtf8());
    request.setRawHeader("Authorization", QByteArray("Bearer " + (bearer.isEmpty() ? apiKey : bearer).toUtf8()));
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setTransferTimeout(int(transferTimeout.count()));
    return request;
}

QByteArray percentEncode(const QString &text, const QByteArray &keep)
{
    return QUrl::toPercentEncoding(text, keep);
}

} // namespace tf::detail
