#include "postgresbinding.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tf::sim {

namespace {

QString describe(const QString &event, const QString &schema, const QString &table, const QString &filter)
{
    return QStringLiteral("[event: %1, schema: %2, table: %3, filters: [%4]]").arg(event, schema, table, filter);
}

} // namespace

qint64 PostgresBinding::bindingId(const QJsonObject &entry)
{
    // FNV-1a over the compact JSON (QJsonObject keeps keys sorted, so key order does not matter).
    const QByteArray bytes = QJsonDocument(entry).toJson(QJsonDocument::Compact);
    quint32 hash = 2166136261u;
    for (const char c : bytes) {
        hash ^= quint8(c);
        hash *= 16777619u;
    }
    return qint64(hash & ((1u << 27) - 1));
}

std::optional<PostgresBinding> PostgresBinding::create(const QJsonObject &entry, const RowStore &store, QString *error)
{
    PostgresBinding binding;
    binding.m_entry = entry;
    binding.m_id = bindingId(entry);

    const QString event = entry.value(QStringLiteral("event")).toString().toUpper();
    binding.m_event = (event == u"INSERT" || event == u"UPDATE" || event == u"DELETE") ? event : QStringLiteral("*");

    const bool hasSchema = entry.value(QStringLiteral("schema")).isString();
    const bool hasTable = entry.value(QStringLiteral("table")).isString();
    if (!hasSchema && !hasTable) {
        *error = QStringLiteral("No subscription params provided. Please provide at least a `schema` or `table` to subscribe to: %1")
                     .arg(QString::fromUtf8(QJsonDocument(entry).toJson(QJsonDocument::Compact)));
        return std::nullopt;
    }
    binding.m_schema = hasSchema ? entry.value(QStringLiteral("schema")).toString() : QStringLiteral("public");
    binding.m_table = hasTable ? entry.value(QStringLiteral("table")).toString() : QStringLiteral("*");

    QString filterText;
    if (entry.contains(QStringLiteral("filter"))) {
        const QJsonValue filter = entry.value(QStringLiteral("filter"));
        if (!filter.isString()) {
            *error = QStringLiteral("Error parsing `filter` params: %1")
                         .arg(QString::fromUtf8(QJsonDocument(QJsonArray{filter}).toJson(QJsonDocument::Compact)));
            return std::nullopt;
        }
        filterText = filter.toString();
    }

    const bool schemaOk = binding.m_schema == u"*" || binding.m_schema == u"public";
    const bool tableOk = binding.m_table == u"*" || store.table(binding.m_table) != nullptr;
    if (!schemaOk || !tableOk) {
        *error = QStringLiteral("Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: ")
                 + describe(binding.m_event, binding.m_schema, binding.m_table, filterText);
        return std::nullopt;
    }

    const FilterParseResult parsed = parseRealtimeFilter(filterText);
    if (!parsed.ok()) {
        *error = parsed.error;
        return std::nullopt;
    }
    binding.m_conditions = parsed.conditions;
    if (binding.m_table != u"*" && !parsed.conditions.isEmpty()) {
        DbError dbError;
        binding.m_filter = RowFilter::bind(*store.table(binding.m_table), parsed.conditions, &dbError);
        if (!binding.m_filter) {
            *error = dbError.code == u"42703"
                ? QStringLiteral("invalid column for filter %1").arg(dbError.message.section(QLatin1Char('.'), 1).section(QLatin1Char(' '), 0, 0))
                : dbError.message;
            return std::nullopt;
        }
    }
    return binding;
}

bool PostgresBinding::matches(const RowChange &change, const QJsonObject &filterImage) const
{
    if (m_event != u"*" && m_event != changeTypeName(change.type))
        return false;
    if (m_schema != u"*" && m_schema != change.schema)
        return false;
    if (m_table != u"*" && m_table != change.table)
        return false;
    if (m_conditions.isEmpty())
        return true;
    if (m_filter)
        return m_filter->matches(filterImage);
    return false; // wildcard table with a filter: columns differ per table, never matches
}

} // namespace tf::sim
