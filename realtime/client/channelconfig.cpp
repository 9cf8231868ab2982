#include "channelconfig.h"

using namespace Qt::Literals::StringLiterals;

namespace tf {

bool ChannelConfig::addPostgresChanges(const PostgresChangesBinding &binding, QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };

    PostgresChangesBinding normalised = binding;
    normalised.event = binding.event.trimmed().toUpper();
    if (normalised.event != u"*" && normalised.event != u"INSERT" && normalised.event != u"UPDATE"
        && normalised.event != u"DELETE") {
        // The server would quietly treat an unknown event as "*"; refuse it instead.
        return refuse(u"unknown postgres_changes event \"%1\" (use *, INSERT, UPDATE or DELETE)"_s.arg(binding.event));
    }
    if (normalised.schema.trimmed().isEmpty())
        return refuse(u"postgres_changes binding needs a schema (\"public\", or \"*\" for all)"_s);
    if (normalised.table.trimmed().isEmpty())
        return refuse(u"postgres_changes binding needs a table (\"*\" for every published table)"_s);

    const PostgresFilter filter = PostgresFilter::parse(binding.filter);
    if (!filter.isValid())
        return refuse(u"invalid filter \"%1\": %2"_s.arg(binding.filter, filter.errorString()));
    normalised.filter = filter.toString();

    if (m_bindings.contains(normalised)) {
        return refuse(u"duplicate postgres_changes binding (%1 %2.%3 %4): identical entries share one server id"_s
                          .arg(normalised.event, normalised.schema, normalised.table, normalised.filter));
    }

    // §3.2: an absent "filter" key and "filter":"" give different ids and parse differently on
    // older servers, so the key only exists when there is a condition to send.
    QJsonObject entry{{u"event"_s, normalised.event}, {u"schema"_s, normalised.schema}, {u"table"_s, normalised.table}};
    if (!filter.isEmpty())
        entry.insert(u"filter"_s, filter.serverFilter());
    qsizetype wireIndex = m_wire.size();
    for (qsizetype i = 0; i < m_wire.size(); ++i) {
        if (m_wire.at(i).toObject() == entry) {
            wireIndex = i;
            break;
        }
    }
    if (wireIndex == m_wire.size())
        m_wire.append(entry);

    m_bindings.append(normalised);
    m_filters.append(filter);
    m_wireIndex.append(wireIndex);
    return true;
}

QJsonObject ChannelConfig::joinPayload(const QString &accessToken) const
{
    const QJsonObject config{
        {u"broadcast"_s, QJsonObject{{u"ack"_s, broadcastAck}, {u"self"_s, broadcastSelf}}},
        {u"presence"_s, QJsonObject{{u"key"_s, presenceKey}, {u"enabled"_s, presenceEnabled}}},
        {u"postgres_changes"_s, m_wire},
        {u"private"_s, isPrivate},
    };
    QJsonObject payload{{u"config"_s, config}};
    if (!accessToken.isEmpty())
        payload.insert(u"access_token"_s, accessToken);
    return payload;
}

} // namespace tf
