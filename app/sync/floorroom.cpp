#include "floorroom.h"

#include "presencemodel.h"
#include "presencestate.h"
#include "quotemodel.h"
#include "realtimechannel.h"
#include "realtimeclient.h"
#include "synclogging.h"

#include <QDateTime>

namespace tf {

FloorRoom::FloorRoom(RealtimeClient *realtime, QuoteModel *quotes, PresenceModel *presence, QObject *parent)
    : QObject(parent)
    , m_realtime(realtime)
    , m_quotes(quotes)
    , m_presence(presence)
{
}

FloorRoom::~FloorRoom()
{
    if (m_channel) {
        m_channel->disconnect(this);
        m_channel->presence()->disconnect(this);
        m_realtime->releaseChannel(ChannelName);
    }
}

void FloorRoom::setPresenceMeta(const QJsonObject &meta)
{
    m_meta = meta;
    if (!m_meta.contains(QStringLiteral("online_at")))
        m_meta.insert(QStringLiteral("online_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    track();
}

void FloorRoom::join(const QString &presenceKey)
{
    if (m_channel)
        return;
    ChannelConfig config = m_realtime->defaultChannelConfig();
    config.presenceEnabled = true; // without it the server never sends presence_state (§7.4)
    config.presenceKey = presenceKey;
    RealtimeChannel *room = m_realtime->channel(ChannelName, config);
    if (!room) {
        const QString why = QStringLiteral("cannot open %1: %2").arg(ChannelName, m_realtime->channels()->lastError().message);
        qCWarning(lcSync, "%s", qPrintable(why));
        Q_EMIT problem(why);
        return;
    }
    m_channel = room;
    room->onBroadcast(PriceEvent, this, [this](const QJsonValue &payload) {
        // A malformed tick is logged and counted by the model; it never reaches the view.
        if (m_quotes)
            m_quotes->applyTick(payload.toObject());
    });
    // One full state per sync: the model diffs it into joins, leaves and updates without flicker.
    connect(room->presence(), &PresenceState::sync, this, &FloorRoom::syncPresence);
    connect(room, &QObject::destroyed, this, [this] {
        if (m_presence)
            m_presence->setPresences({});
    });
    syncPresence();
    track();
}

void FloorRoom::leave()
{
    if (!m_channel)
        return;
    m_channel->disconnect(this);
    m_channel->presence()->disconnect(this);
    m_channel = nullptr;
    m_realtime->releaseChannel(ChannelName);
    if (m_presence)
        m_presence->setPresences({});
}

void FloorRoom::track()
{
    if (m_channel && !m_meta.isEmpty())
        m_channel->track(m_meta);
}

void FloorRoom::syncPresence()
{
    if (!m_channel || !m_presence)
        return;
    QJsonObject state;
    const QList<Presence> everyone = m_channel->presence()->list();
    for (const Presence &presence : everyone)
        state.insert(presence.key, presence.metas);
    m_presence->setPresences(state);
}

} // namespace tf
