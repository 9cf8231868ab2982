#include "insertcommand.h"

#include "clicontext.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tf::cli {

namespace {

const QCommandLineOption jsonOption(QStringLiteral("json"),
    QStringLiteral("The row: a JSON object, or an array of objects with the same keys."), QStringLiteral("json"));
const QCommandLineOption onConflictOption(QStringLiteral("on-conflict"),
    QStringLiteral("Unique column(s); rows whose value already exists are skipped (idempotent insert)."),
    QStringLiteral("columns"));

} // namespace

void InsertCommand::addOptions(QCommandLineParser &parser)
{
    addTableOption(parser);
    parser.addOptions({jsonOption, onConflictOption});
}

bool InsertCommand::configure(const QCommandLineParser &parser, QString *error)
{
    if (!readTable(parser, error))
        return false;
    if (!parser.isSet(jsonOption)) {
        *error = QStringLiteral("--json ROW is required");
        return false;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(parser.value(jsonOption).toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("--json is not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
        return false;
    }
    m_rows = document.isObject() ? QJsonArray{document.object()} : document.array();
    if (m_rows.isEmpty()) {
        *error = QStringLiteral("--json must be an object or a non-empty array of objects");
        return false;
    }
    for (const QJsonValue &row : std::as_const(m_rows)) {
        if (!row.isObject() || row.toObject().isEmpty()) {
            *error = QStringLiteral("--json must be an object or an array of objects, each with at least one column");
            return false;
        }
    }
    if (parser.isSet(onConflictOption)) {
        const QStringList columns = parser.value(onConflictOption).split(u',', Qt::SkipEmptyParts);
        if (columns.isEmpty()) {
            *error = QStringLiteral("--on-conflict needs a column name");
            return false;
        }
        m_options = InsertOptions::idempotent(columns.first());
        m_options.onConflict = columns;
    }
    return true;
}

void InsertCommand::start(CliContext &context)
{
    finishWith(context.rest()->insert(m_table, m_rows, m_options));
}

} // namespace tf::cli
