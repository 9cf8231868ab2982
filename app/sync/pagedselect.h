#pragma once

#include "errorclass.h"
#include "postgrestquery.h"
#include "postgrestreply.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

namespace tf {

class PostgrestClient;

// Reads every row of one PostgREST select, page by page.
//
// Pages are cut by keyset (`<key>=gt.<last key of the previous page>`, ordered by that key), not
// by offset: a row deleted or inserted between two requests shifts offsets, so offset paging can
// skip a row that exists — and a reconcile would then remove it from the model. Paging also keeps
// each reply under the project's max-rows cap (Supabase's default is 1,000): keep pageSize at or
// below it, because a capped page looks like the last one.
class PagedSelect : public QObject
{
    Q_OBJECT

public:
    struct Request {
        QString table;
        PostgrestQuery query; // select and filters; no order, limit or offset
        QString keyColumn;    // unique, never updated (the primary key); must be in the selected columns
        bool descending = false;
        int pageSize = 1000;
        int maxRows = 0; // 0 = every row
    };

    PagedSelect(PostgrestClient *rest, Request request, QObject *parent = nullptr);
    ~PagedSelect() override;

    void start();
    // Cancels quietly: neither signal follows.
    void abort();
    bool isRunning() const { return m_reply != nullptr; }
    int pagesFetched() const { return m_pages; }

    // The query of the page after `lastKey` (null: the first page) asking for `limit` rows.
    static PostgrestQuery pageQuery(const Request &request, const QJsonValue &lastKey, int limit);

Q_SIGNALS:
    void finished(const QList<QJsonObject> &rows);
    // `what` names the request for the UI ("GET positions?..." style text, no secrets).
    void failed(const tf::ClientError &error, const QString &what);

private:
    void requestPage();
    void onPage(PostgrestReply *reply);

    PostgrestClient *m_rest;
    Request m_request;
    QPointer<PostgrestReply> m_reply;
    QList<QJsonObject> m_rows;
    QJsonValue m_lastKey;
    int m_pages = 0;
};

} // namespace tf
