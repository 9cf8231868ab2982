// Fuzz target: presence state and diff handling (tf::PresenceState, protocol doc §7.3).
//
// Input: lines, each `<op><join ref><JSON payload>`: op S = presence_state, D = presence_diff,
// C = the channel closed (clear); the join ref is one character (a rejoin changes it). The seeds
// are the doc's presence_state/presence_diff frames.
// Checks after every step: every listed key has metas, each in the caller form (presence_ref,
// no phx_ref/phx_ref_prev); keys(), list(), count() and metas() agree; the join/leave/updated
// signals describe exactly the keys that are present (a view fed only by the signals matches);
// the pending-diff queue stays within its bound.
#include "fuzzsupport.h"

#include "presencestate.h"

#include <QJsonDocument>
#include <QSet>

using namespace tf;

namespace {

constexpr int MaxPending = 4;

QString keyList(const QStringList &keys)
{
    return keys.join(u',');
}

void checkConsistent(const PresenceState &state, const QSet<QString> &signalledKeys)
{
    const QList<Presence> list = state.list();
    const QStringList keys = state.keys();
    TF_FUZZ_CHECK(state.count() == list.size() && list.size() == keys.size(), keyList(keys));
    QSet<QString> listed;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const Presence &presence = list.at(i);
        TF_FUZZ_CHECK(presence.key == keys.at(i), presence.key);
        TF_FUZZ_CHECK(!presence.metas.isEmpty(), QStringLiteral("key %1 listed without metas").arg(presence.key));
        TF_FUZZ_CHECK(presence.metas == state.metas(presence.key), presence.key);
        for (const QJsonValue &meta : presence.metas) {
            const QJsonObject object = meta.toObject();
            TF_FUZZ_CHECK(meta.isObject() && !object.value(u"presence_ref").toString().isEmpty(), presence.key);
            TF_FUZZ_CHECK(!object.contains(u"phx_ref") && !object.contains(u"phx_ref_prev"), presence.key);
        }
        listed.insert(presence.key);
    }
    TF_FUZZ_CHECK(listed == signalledKeys,
                  QStringLiteral("listed %1, signalled %2").arg(keyList(listed.values()), keyList(signalledKeys.values())));
    TF_FUZZ_CHECK(state.pendingDiffCount() <= MaxPending, QString::number(state.pendingDiffCount()));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PresenceState state;
    state.setMaxPendingDiffs(MaxPending);

    // What a view that only listens to the signals would show.
    QSet<QString> signalledKeys;
    QObject::connect(&state, &PresenceState::join, [&](const QString &key, const QJsonArray &, const QJsonArray &joined) {
        TF_FUZZ_CHECK(!joined.isEmpty(), QStringLiteral("join of %1 without metas").arg(key));
        signalledKeys.insert(key);
    });
    QObject::connect(&state, &PresenceState::leave, [&](const QString &key, const QJsonArray &current, const QJsonArray &left) {
        TF_FUZZ_CHECK(!left.isEmpty(), QStringLiteral("leave of %1 without metas").arg(key));
        TF_FUZZ_CHECK(signalledKeys.contains(key), QStringLiteral("leave of %1, which never joined").arg(key));
        if (current.isEmpty())
            signalledKeys.remove(key);
    });
    QObject::connect(&state, &PresenceState::updated,
                     [&](const QString &key, const QJsonArray &current, const QJsonArray &, const QJsonArray &) {
        TF_FUZZ_CHECK(signalledKeys.contains(key), QStringLiteral("update of %1, which never joined").arg(key));
        TF_FUZZ_CHECK(!current.isEmpty(), QStringLiteral("update of %1 leaves no metas").arg(key));
    });
    int syncs = 0;
    QObject::connect(&state, &PresenceState::sync, [&] { ++syncs; });

    fuzz::InputReader input(data, size);
    int steps = 0;
    while (!input.atEnd() && steps++ < 64) {
        const QByteArray line = input.until('\n');
        if (line.size() < 2)
            continue;
        const QString joinRef = QString(QLatin1Char(line.at(1)));
        const QJsonObject payload = QJsonDocument::fromJson(line.mid(2)).object();
        const int syncsBefore = syncs;
        switch (line.at(0)) {
        case 'S':
            state.handleState(payload, joinRef);
            TF_FUZZ_CHECK(syncs == syncsBefore + 1, QStringLiteral("a state without sync"));
            TF_FUZZ_CHECK(!state.isSyncPending(joinRef) && state.pendingDiffCount() == 0,
                          QStringLiteral("diffs still queued after the state"));
            break;
        case 'D': {
            const bool pending = state.isSyncPending(joinRef);
            state.handleDiff(payload, joinRef);
            if (pending)
                TF_FUZZ_CHECK(syncs == syncsBefore, QStringLiteral("a queued diff was applied"));
            break;
        }
        case 'C':
            state.clear();
            TF_FUZZ_CHECK(state.isEmpty() && state.pendingDiffCount() == 0, QStringLiteral("clear left state"));
            break;
        default:
            continue;
        }
        checkConsistent(state, signalledKeys);
    }
    return 0;
}
