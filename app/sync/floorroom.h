#pragma once

#include "realtimechannel.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace tf {

class PresenceModel;
class QuoteModel;
class RealtimeClient;

// The public channel room:trading-floor: price ticks (`price-update` broadcasts → QuoteModel) and
// who is on the floor (presence → PresenceModel), including ourselves under the user's id.
//
// The channel is lazy: join() acquires it when the quotes panel is shown, leave() releases it
// (the last release leaves the channel, so a hidden panel costs no traffic). Leaving empties the
// presence model (we no longer know who is there) and keeps the last quotes.
class FloorRoom : public QObject
{
    Q_OBJECT

public:
    static inline const QString ChannelName = QStringLiteral("room:trading-floor");
    static inline const QString PriceEvent = QStringLiteral("price-update");

    FloorRoom(RealtimeClient *realtime, QuoteModel *quotes, PresenceModel *presence, QObject *parent = nullptr);
    ~FloorRoom() override;

    // What we track: {user_id, email, display_name…}; online_at is added when missing. Tracked at
    // once when joined, and again by the channel after every rejoin.
    void setPresenceMeta(const QJsonObject &meta);
    QJsonObject presenceMeta() const { return m_meta; }

    void join(const QString &presenceKey);
    void leave();
    bool isJoined() const { return m_channel != nullptr; }
    RealtimeChannel *channel() const { return m_channel; }

Q_SIGNALS:
    void problem(const QString &message);

private:
    void track();
    void syncPresence();

    RealtimeClient *m_realtime;
    QPointer<QuoteModel> m_quotes;
    QPointer<PresenceModel> m_presence;
    QPointer<RealtimeChannel> m_channel;
    QJsonObject m_meta;
};

} // namespace tf
