#include "restcommand.h"

#include "clicontext.h"
#include "postgrestreply.h"

#include <QJsonObject>

namespace tf::cli {

namespace {

const QCommandLineOption tableOption(QStringLiteral("table"), QStringLiteral("The table (or view) in the exposed schema."),
                                     QStringLiteral("table"));

} // namespace

void RestCommand::addTableOption(QCommandLineParser &parser)
{
    parser.addOption(tableOption);
}

bool RestCommand::readTable(const QCommandLineParser &parser, QString *error)
{
    m_table = parser.value(tableOption).trimmed();
    if (m_table.isEmpty()) {
        *error = QStringLiteral("--table NAME is required");
        return false;
    }
    return true;
}

void RestCommand::finishWith(PostgrestReply *reply)
{
    connect(reply, &RestReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (!reply->isOk()) {
            QString message = reply->error().toString();
            if (!reply->errorDetails().isEmpty())
                message += QStringLiteral(" (%1)").arg(reply->errorDetails());
            if (!reply->errorHint().isEmpty())
                message += QStringLiteral(" hint: ") + reply->errorHint();
            CliContext::printError(message);
            Q_EMIT finished(ExitFailure);
            return;
        }
        for (const QJsonValue &row : reply->rows())
            CliContext::print(row.toObject());
        Q_EMIT finished(ExitOk);
    });
}

} // namespace tf::cli
