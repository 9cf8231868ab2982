#include "postgreschangesfeed.h"

#include "postgresfilter.h"
#include "realtimechannel.h"
#include "realtimeclient.h"
#include "synclogging.h"

namespace tf {

ChannelConfig PostgresChangesFeed::configFor(const ChannelConfig &base, const QString &userId,
                                             const QList<TableSpec> &tables, QString *error)
{
    ChannelConfig config = base;
    for (const TableSpec &table : tables) {
        const QString own = PostgresFilter::eq(table.ownerColumn, userId).toString();
        QString why;
        if (!config.addPostgresChanges({QStringLiteral("*"), table.schema, table.table, own}, &why)
            || (!table.deleteImageHasOwner
                && !config.addPostgresChanges({QStringLiteral("DELETE"), table.schema, table.table, QString()}, &why))) {
            if (error && error->isEmpty())
                *error = QStringLiteral("%1: %2").arg(table.table, why);
        }
    }
    return config;
}

void PostgresChangesFeed::start(const QString &userId, const QList<TableSpec> &tables)
{
    setTables(tables);
    QString error;
    const ChannelConfig config = configFor(m_realtime->defaultChannelConfig(), userId, tables, &error);
    if (!error.isEmpty()) {
        qCWarning(lcSync, "postgres_changes binding refused: %s", qPrintable(error));
        Q_EMIT problem(QStringLiteral("live updates: %1").arg(error));
    }
    if (!acquire(channelNameFor(userId), config))
        return;
    RealtimeChannel *desk = channel();
    connect(desk, &RealtimeChannel::postgresChangesLive, this,
            [this] { goLive(isLive() ? Gap::Resubscribe : Gap::Unknown); });
    connect(desk, &RealtimeChannel::postgresChange, this,
            [this](const PostgresChange &change, const QList<int> &) { forward(change); });
    connect(desk, &RealtimeChannel::errorOccurred, this, [this](const ClientError &error) {
        // A failed database subscription leaves the channel joined but delivers nothing (§4.3).
        if (channel() && !channel()->isPostgresChangesLive())
            interrupt(error.message);
    });
    if (desk->isPostgresChangesLive())
        goLive(Gap::Unknown); // already flowing for another user of the channel
}

} // namespace tf
