#pragma once

#include "postgrestquery.h"
#include "restcommand.h"

namespace tf::cli {

// select --table T [--select COLS] [--filter COL=OP.VALUE]... [--order COL[.asc|.desc][.nullsfirst|.nullslast],...]
//        [--limit N]
// Prints each row as one JSON line. Filters use PostgREST's own syntax (user_id=eq.42,
// status=in.(open,filled), updated_at=gte.2026-08-21T10:15:30+00:00, or=(qty.lt.1,qty.gt.9));
// values are percent-encoded on the way out, '+' included.
class SelectCommand : public RestCommand
{
    Q_OBJECT

public:
    using RestCommand::RestCommand;

    void addOptions(QCommandLineParser &parser) override;
    bool configure(const QCommandLineParser &parser, QString *error) override;
    void start(CliContext &context) override;

    // The parsing behind --filter and --order, for tests: false with *error on bad input.
    static bool addFilter(PostgrestQuery &query, const QString &filter, QString *error);
    static bool addOrder(PostgrestQuery &query, const QString &order, QString *error);

private:
    PostgrestQuery m_query;
};

} // namespace tf::cli
