#include "pagedselect.h"

#include "postgrestclient.h"
#include "postgrestreply.h"
#include "synclogging.h"

#include <QJsonArray>

#include <cmath>

namespace tf {

namespace {

// A key as a filter value: integral numbers as integers (a double would print as 1.2e+06).
QVariant keyValue(const QJsonValue &key)
{
    if (key.isDouble()) {
        const double d = key.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.0e15)
            return QVariant::fromValue(qint64(d));
        return QVariant(d);
    }
    return key.toVariant();
}

} // namespace

PagedSelect::PagedSelect(PostgrestClient *rest, Request request, QObject *parent)
    : QObject(parent)
    , m_rest(rest)
    , m_request(std::move(request))
{
    if (m_request.pageSize < 1)
        m_request.pageSize = 1;
}

PagedSelect::~PagedSelect()
{
    abort();
}

PostgrestQuery PagedSelect::pageQuery(const Request &request, const QJsonValue &lastKey, int limit)
{
    PostgrestQuery query = request.query;
    if (!lastKey.isNull() && !lastKey.isUndefined()) {
        if (request.descending)
            query.lt(request.keyColumn, keyValue(lastKey));
        else
            query.gt(request.keyColumn, keyValue(lastKey));
    }
    query.order(request.keyColumn,
                request.descending ? PostgrestQuery::Direction::Descending : PostgrestQuery::Direction::Ascending);
    query.limit(limit);
    return query;
}

void PagedSelect::start()
{
    abort();
    m_rows.clear();
    m_lastKey = QJsonValue();
    m_pages = 0;
    requestPage();
}

void PagedSelect::abort()
{
    if (!m_reply)
        return;
    PostgrestReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void PagedSelect::requestPage()
{
    int limit = m_request.pageSize;
    if (m_request.maxRows > 0)
        limit = std::min<int>(limit, m_request.maxRows - int(m_rows.size()));
    PostgrestReply *reply = m_rest->select(m_request.table, pageQuery(m_request, m_lastKey, limit));
    m_reply = reply;
    connect(reply, &RestReply::finished, this, [this, reply] { onPage(reply); });
}

void PagedSelect::onPage(PostgrestReply *reply)
{
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    if (!reply->isOk()) {
        Q_EMIT failed(reply->error(), reply->description());
        return;
    }
    ++m_pages;
    const QJsonArray rows = reply->rows();
    int requested = m_request.pageSize;
    if (m_request.maxRows > 0)
        requested = std::min<int>(requested, m_request.maxRows - int(m_rows.size()));
    for (const QJsonValue &value : rows) {
        const QJsonObject row = value.toObject();
        const QJsonValue key = row.value(m_request.keyColumn);
        if (!key.isDouble() && !key.isString()) {
            // Without the key the next page cannot be cut: refuse rather than loop or guess.
            Q_EMIT failed(ClientError{ErrorClass::Protocol,
                                      QStringLiteral("a %1 row came without its %2").arg(m_request.table, m_request.keyColumn),
                                      0, QString()},
                          reply->description());
            return;
        }
        m_rows.append(row);
        m_lastKey = key;
    }
    const bool full = m_request.maxRows > 0 && m_rows.size() >= m_request.maxRows;
    if (rows.size() < requested || rows.isEmpty() || full) {
        qCDebug(lcSync) << "read" << m_rows.size() << m_request.table << "rows in" << m_pages << "page(s)";
        Q_EMIT finished(m_rows);
        return;
    }
    requestPage();
}

} // namespace tf
