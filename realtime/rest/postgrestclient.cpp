#include "postgrestclient.h"

#include "accesstokenprovider.h"
#include "logging.h"
#include "restsupport.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTimer>

namespace tf {

PostgrestClient::PostgrestClient(const QUrl &projectUrl, const QString &apiKey,
                                 QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_baseUrl(detail::endpointUrl(projectUrl, QStringLiteral("/rest/v1")))
    , m_apiKey(apiKey)
    , m_network(network ? network : new QNetworkAccessManager(this))
{
    if (detail::isInsecureRemote(m_baseUrl))
        qCWarning(lcRest) << "PostgREST at" << m_baseUrl.host() << "over plain http: tokens travel unencrypted";
}

PostgrestClient::~PostgrestClient() = default;

QString PostgrestClient::currentToken() const
{
    return m_provider ? m_provider->accessToken() : m_fixedToken;
}

PostgrestReply *PostgrestClient::select(const QString &table, const PostgrestQuery &query)
{
    if (!query.isValid())
        return refuse(query.errorString());
    return start("GET", table, query.toQueryString(true), {}, {}, false);
}

PostgrestReply *PostgrestClient::insert(const QString &table, const QJsonObject &row, const InsertOptions &options)
{
    if (row.isEmpty())
        return refuse(QStringLiteral("insert into %1: the row has no columns").arg(table));
    return insert(table, QJsonArray{row}, options);
}

PostgrestReply *PostgrestClient::insert(const QString &table, const QJsonArray &rows, const InsertOptions &options)
{
    // PostgREST takes the column list from the first object; a row with other keys would get
    // NULLs (or defaults) silently, so mismatches are refused here.
    QStringList keys;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (!rows.at(i).isObject())
            return refuse(QStringLiteral("insert into %1: row %2 is not a JSON object").arg(table).arg(i));
        QStringList rowKeys = rows.at(i).toObject().keys();
        if (i == 0)
            keys = rowKeys;
        else if (rowKeys != keys)
            return refuse(QStringLiteral("insert into %1: row %2 has columns [%3], row 0 has [%4]; bulk rows need identical keys")
                              .arg(table).arg(i).arg(rowKeys.join(u','), keys.join(u',')));
    }
    if (rows.isEmpty()) {
        auto *reply = new PostgrestReply(this, {});
        QTimer::singleShot(0, reply, [reply] { reply->finishOk(); });
        return reply;
    }

    QByteArrayList prefer{options.returning == Returning::Representation ? "return=representation" : "return=minimal"};
    if (options.duplicates == OnDuplicate::Ignore)
        prefer << "resolution=ignore-duplicates";
    else if (options.duplicates == OnDuplicate::Merge)
        prefer << "resolution=merge-duplicates";
    QByteArray query;
    if (!options.onConflict.isEmpty())
        query = "on_conflict=" + detail::percentEncode(options.onConflict.join(u','), ",");

    // One object stays an object (the common single-order case reads naturally in logs).
    const QByteArray body = rows.size() == 1 ? QJsonDocument(rows.first().toObject()).toJson(QJsonDocument::Compact)
                                             : QJsonDocument(rows).toJson(QJsonDocument::Compact);
    return start("POST", table, query, body, prefer.join(','), true);
}

PostgrestReply *PostgrestClient::update(const QString &table, const PostgrestQuery &filters, const QJsonObject &patch,
                                        Returning returning)
{
    if (!filters.isValid())
        return refuse(filters.errorString());
    if (!filters.hasFilters())
        return refuse(QStringLiteral("update of %1 without a filter would change every row; add a filter").arg(table));
    if (patch.isEmpty())
        return refuse(QStringLiteral("update of %1: the patch has no columns").arg(table));
    const bool representation = returning == Returning::Representation;
    return start("PATCH", table, filters.toQueryString(representation), QJsonDocument(patch).toJson(QJsonDocument::Compact),
                 representation ? "return=representation" : "return=minimal", true);
}

PostgrestReply *PostgrestClient::remove(const QString &table, const PostgrestQuery &filters, Returning returning)
{
    if (!filters.isValid())
        return refuse(filters.errorString());
    if (!filters.hasFilters())
        return refuse(QStringLiteral("delete from %1 without a filter would remove every row; add a filter").arg(table));
    const bool representation = returning == Returning::Representation;
    return start("DELETE", table, filters.toQueryString(representation), {},
                 representation ? "return=representation" : "return=minimal", true);
}

PostgrestReply *PostgrestClient::start(const QByteArray &verb, const QString &table, const QByteArray &query,
                                       const QByteArray &body, const QByteArray &prefer, bool write)
{
    if (table.trimmed().isEmpty())
        return refuse(QStringLiteral("no table name given"));
    QByteArray encoded = m_baseUrl.toEncoded() + '/' + detail::percentEncode(table);
    if (!query.isEmpty())
        encoded += '?' + query;
    const QUrl url = QUrl::fromEncoded(encoded, QUrl::StrictMode);
    if (!url.isValid())
        return refuse(QStringLiteral("cannot build a URL for table %1: %2").arg(table, url.errorString()));

    PostgrestReply::Request request;
    request.verb = verb;
    request.url = url;
    request.body = body;
    request.prefer = prefer;
    if (!m_schema.isEmpty() && m_schema != QLatin1String("public")) {
        request.schema = m_schema;
        request.profileHeader = write ? QByteArrayLiteral("Content-Profile") : QByteArrayLiteral("Accept-Profile");
    }
    auto *reply = new PostgrestReply(this, std::move(request));
    reply->send();
    return reply;
}

PostgrestReply *PostgrestClient::refuse(const QString &message)
{
    qCWarning(lcRest) << "request refused before sending:" << message;
    auto *reply = new PostgrestReply(this, {});
    reply->finishWithErrorLater({ErrorClass::Validation, message, 0, {}}); // status 0: never sent
    return reply;
}

} // namespace tf
