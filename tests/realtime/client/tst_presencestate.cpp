// PresenceState: the Phoenix presence algorithm (§7.3) in the style of phoenix's
// presence_test.js vectors, the pending-diff driver rule across rejoins, folding of a
// leave+join of one key, several metas per key, the presence_ref form, and bad input.
#include "presencestate.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using tf::Presence;
using tf::PresenceState;

namespace {

QJsonObject meta(const QString &ref, int id, const QString &prev = QString())
{
    QJsonObject m{{u"phx_ref"_s, ref}, {u"id"_s, id}};
    if (!prev.isEmpty())
        m.insert(u"phx_ref_prev"_s, prev);
    return m;
}

QJsonObject entry(std::initializer_list<QJsonObject> metas)
{
    QJsonArray array;
    for (const QJsonObject &m : metas)
        array.append(m);
    return QJsonObject{{u"metas"_s, array}};
}

QJsonObject diff(const QJsonObject &joins, const QJsonObject &leaves)
{
    return QJsonObject{{u"joins"_s, joins}, {u"leaves"_s, leaves}};
}

// Refs of a caller-form metas array, in order.
QStringList refs(const QJsonArray &metas)
{
    QStringList out;
    for (const QJsonValue &m : metas)
        out.append(m.toObject().value(u"presence_ref"_s).toString());
    return out;
}

QStringList refs(const QVariant &metas)
{
    return refs(metas.value<QJsonArray>());
}

const QString JoinA = u"1"_s;
const QString JoinB = u"5"_s;

} // namespace

class TestPresenceState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstStateJoinsEveryone()
    {
        PresenceState presence;
        QSignalSpy joins(&presence, &PresenceState::join);
        QSignalSpy syncs(&presence, &PresenceState::sync);
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}, {u"u2"_s, entry({meta(u"2"_s, 2), meta(u"3"_s, 2)})}}, JoinA);

        QCOMPARE(syncs.size(), 1);
        QCOMPARE(joins.size(), 2);
        QCOMPARE(joins.at(0).at(0).toString(), u"u1"_s);
        QVERIFY(joins.at(0).at(1).value<QJsonArray>().isEmpty()); // no current presence before
        QCOMPARE(refs(joins.at(0).at(2)), QStringList{u"1"_s});
        QCOMPARE(presence.keys(), (QStringList{u"u1"_s, u"u2"_s}));
        QCOMPARE(refs(presence.metas(u"u2"_s)), (QStringList{u"2"_s, u"3"_s}));
        QVERIFY(!presence.isSyncPending(JoinA));
    }

    void stateAgainstStateGivesJoinsAndLeaves()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}, {u"u2"_s, entry({meta(u"2"_s, 2)})}}, JoinA);
        QSignalSpy joins(&presence, &PresenceState::join);
        QSignalSpy leaves(&presence, &PresenceState::leave);
        QSignalSpy updates(&presence, &PresenceState::updated);

        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}, {u"u3"_s, entry({meta(u"3"_s, 3)})}}, JoinA);
        QCOMPARE(joins.size(), 1);
        QCOMPARE(joins.at(0).at(0).toString(), u"u3"_s);
        QCOMPARE(leaves.size(), 1);
        QCOMPARE(leaves.at(0).at(0).toString(), u"u2"_s);
        QVERIFY(leaves.at(0).at(1).value<QJsonArray>().isEmpty()); // nothing of u2 remains
        QCOMPARE(refs(leaves.at(0).at(2)), QStringList{u"2"_s});
        QCOMPARE(updates.size(), 0); // u1 unchanged: no signal at all
        QCOMPARE(presence.keys(), (QStringList{u"u1"_s, u"u3"_s}));
    }

    void joinToExistingKeyPrependsOldMetas()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}}, JoinA);
        QSignalSpy joins(&presence, &PresenceState::join);
        presence.handleDiff(diff({{u"u1"_s, entry({meta(u"2"_s, 1)})}}, {}), JoinA);

        QCOMPARE(joins.size(), 1);
        QCOMPARE(refs(joins.at(0).at(1)), QStringList{u"1"_s}); // current before the join
        QCOMPARE(refs(joins.at(0).at(2)), QStringList{u"2"_s});
        QCOMPARE(refs(presence.metas(u"u1"_s)), (QStringList{u"1"_s, u"2"_s})); // old first
    }

    void rejoinOfSameRefDoesNotDuplicate()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1), meta(u"2"_s, 1)})}}, JoinA);
        presence.handleDiff(diff({{u"u1"_s, entry({meta(u"2"_s, 1)})}}, {}), JoinA);
        QCOMPARE(refs(presence.metas(u"u1"_s)), (QStringList{u"1"_s, u"2"_s}));
    }

    void leaveOfOneMetaKeepsTheKey()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1), meta(u"2"_s, 1)})}}, JoinA);
        QSignalSpy leaves(&presence, &PresenceState::leave);
        presence.handleDiff(diff({}, {{u"u1"_s, entry({meta(u"1"_s, 1)})}}), JoinA);

        QCOMPARE(leaves.size(), 1);
        QCOMPARE(refs(leaves.at(0).at(1)), QStringList{u"2"_s}); // what remains
        QCOMPARE(refs(leaves.at(0).at(2)), QStringList{u"1"_s});
        QCOMPARE(presence.keys(), QStringList{u"u1"_s});

        presence.handleDiff(diff({}, {{u"u1"_s, entry({meta(u"2"_s, 1)})}}), JoinA);
        QVERIFY(presence.isEmpty());
    }

    void leaveOfUnknownKeyIsSkipped()
    {
        PresenceState presence;
        presence.handleState({}, JoinA);
        QSignalSpy leaves(&presence, &PresenceState::leave);
        QSignalSpy syncs(&presence, &PresenceState::sync);
        presence.handleDiff(diff({}, {{u"ghost"_s, entry({meta(u"9"_s, 9)})}}), JoinA);
        QCOMPARE(leaves.size(), 0);
        QCOMPARE(syncs.size(), 1);
    }

    void leaveAndJoinOfOneKeyIsFolded()
    {
        // A re-track: the new meta joins (with phx_ref_prev) and the old one leaves in one diff.
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}}, JoinA);
        QSignalSpy joins(&presence, &PresenceState::join);
        QSignalSpy leaves(&presence, &PresenceState::leave);
        QSignalSpy updates(&presence, &PresenceState::updated);

        presence.handleDiff(diff({{u"u1"_s, entry({meta(u"2"_s, 1, u"1"_s)})}}, {{u"u1"_s, entry({meta(u"1"_s, 1)})}}), JoinA);
        QCOMPARE(joins.size(), 0);
        QCOMPARE(leaves.size(), 0);
        QCOMPARE(updates.size(), 1);
        QCOMPARE(updates.at(0).at(0).toString(), u"u1"_s);
        QCOMPARE(refs(updates.at(0).at(1)), QStringList{u"2"_s}); // current
        QCOMPARE(refs(updates.at(0).at(2)), QStringList{u"2"_s}); // joined
        QCOMPARE(refs(updates.at(0).at(3)), QStringList{u"1"_s}); // left
        QCOMPARE(refs(presence.metas(u"u1"_s)), QStringList{u"2"_s});
    }

    void foldingEdgeCases()
    {
        PresenceState presence;
        presence.handleState({{u"gone"_s, entry({meta(u"1"_s, 1)})}}, JoinA);
        QSignalSpy joins(&presence, &PresenceState::join);
        QSignalSpy leaves(&presence, &PresenceState::leave);
        QSignalSpy updates(&presence, &PresenceState::updated);

        // New key joining and leaving in the same diff: nothing to tell.
        presence.handleDiff(diff({{u"blip"_s, entry({meta(u"7"_s, 7)})}}, {{u"blip"_s, entry({meta(u"7"_s, 7)})}}), JoinA);
        QCOMPARE(joins.size() + leaves.size() + updates.size(), 0);
        QVERIFY(!presence.keys().contains(u"blip"_s));

        // Existing key whose every meta leaves, even the one joining: a leave, not an update.
        presence.handleDiff(diff({{u"gone"_s, entry({meta(u"2"_s, 1)})}},
                                 {{u"gone"_s, entry({meta(u"1"_s, 1), meta(u"2"_s, 1)})}}), JoinA);
        QCOMPARE(leaves.size(), 1);
        QCOMPARE(updates.size(), 0);
        QVERIFY(presence.isEmpty());
    }

    void stateChangeOfOneKeyIsAnUpdate()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}}, JoinA);
        QSignalSpy updates(&presence, &PresenceState::updated);
        presence.handleState({{u"u1"_s, entry({meta(u"1.2"_s, 1)})}}, JoinA);
        QCOMPARE(updates.size(), 1);
        QCOMPARE(refs(updates.at(0).at(3)), QStringList{u"1"_s});
        QCOMPARE(refs(presence.metas(u"u1"_s)), QStringList{u"1.2"_s});
    }

    void diffsBeforeStateWaitThenApplyInOrder()
    {
        PresenceState presence;
        QSignalSpy joins(&presence, &PresenceState::join);
        QSignalSpy syncs(&presence, &PresenceState::sync);

        presence.handleDiff(diff({{u"u2"_s, entry({meta(u"2"_s, 2)})}}, {}), JoinA);
        presence.handleDiff(diff({}, {{u"u1"_s, entry({meta(u"1"_s, 1)})}}), JoinA);
        QVERIFY(presence.isSyncPending(JoinA));
        QCOMPARE(presence.pendingDiffCount(), 2);
        QCOMPARE(joins.size(), 0);
        QCOMPARE(syncs.size(), 0);
        QVERIFY(presence.isEmpty());

        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}}, JoinA);
        QCOMPARE(presence.pendingDiffCount(), 0);
        QCOMPARE(syncs.size(), 1); // once, after state and queued diffs
        QCOMPARE(presence.keys(), QStringList{u"u2"_s}); // u1 joined by the state, left by the diff
        QCOMPARE(joins.size(), 2);
    }

    void rejoinQueuesUntilNewStateAndStaleUsersLeave()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}, {u"u2"_s, entry({meta(u"2"_s, 2)})}}, JoinA);
        QSignalSpy joins(&presence, &PresenceState::join);
        QSignalSpy leaves(&presence, &PresenceState::leave);

        // The channel rejoined (join ref B): diffs wait for B's state even though A's arrived.
        presence.handleDiff(diff({{u"u3"_s, entry({meta(u"3"_s, 3)})}}, {}), JoinB);
        QVERIFY(presence.isSyncPending(JoinB));
        QCOMPARE(joins.size(), 0);

        // While we were away u2 left; B's state no longer has it.
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}}, JoinB);
        QCOMPARE(leaves.size(), 1);
        QCOMPARE(leaves.at(0).at(0).toString(), u"u2"_s);
        QCOMPARE(joins.size(), 1);
        QCOMPARE(joins.at(0).at(0).toString(), u"u3"_s);
        QCOMPARE(presence.keys(), (QStringList{u"u1"_s, u"u3"_s}));
    }

    void signalsSeeTheFinalState()
    {
        PresenceState presence;
        QStringList seen;
        connect(&presence, &PresenceState::join, &presence, [&](const QString &key) {
            seen = presence.keys();
            QVERIFY(seen.contains(key));
        });
        presence.handleState({{u"a"_s, entry({meta(u"1"_s, 1)})}, {u"b"_s, entry({meta(u"2"_s, 2)})}}, JoinA);
        QCOMPARE(seen, (QStringList{u"a"_s, u"b"_s})); // even the first join saw both keys
    }

    void callerFormRenamesRefs()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"2"_s, 1, u"1"_s)})}}, JoinA);
        const QList<Presence> list = presence.list();
        QCOMPARE(list.size(), 1);
        const QJsonObject m = list.first().metas.first().toObject();
        QCOMPARE(m.value(u"presence_ref"_s).toString(), u"2"_s);
        QVERIFY(!m.contains(u"phx_ref"_s));
        QVERIFY(!m.contains(u"phx_ref_prev"_s));
        QCOMPARE(m.value(u"id"_s).toInt(), 1);
    }

    void malformedInputIsSkipped()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}}, JoinA);
        QSignalSpy syncs(&presence, &PresenceState::sync);

        // joins that are not an object: the whole diff is ignored.
        presence.handleDiff(QJsonObject{{u"joins"_s, 5}, {u"leaves"_s, QJsonObject()}}, JoinA);
        QCOMPARE(syncs.size(), 0);
        QCOMPARE(presence.keys(), QStringList{u"u1"_s});

        // Metas without phx_ref, keys that are not entries: skipped, the rest applies.
        const QJsonObject state = QJsonDocument::fromJson(R"({
            "u1":{"metas":[{"phx_ref":"1","id":1}]},
            "bad":"nope",
            "noref":{"metas":[{"id":3}]},
            "mixed":{"metas":[{"id":4},{"phx_ref":"4b","id":4},7]}})").object();
        presence.handleState(state, JoinA);
        QCOMPARE(presence.keys(), (QStringList{u"mixed"_s, u"u1"_s}));
        QCOMPARE(refs(presence.metas(u"mixed"_s)), QStringList{u"4b"_s});
    }

    void pendingDiffsAreBounded()
    {
        PresenceState presence;
        presence.setMaxPendingDiffs(3);
        for (int i = 0; i < 5; ++i)
            presence.handleDiff(diff({{u"k%1"_s.arg(i), entry({meta(QString::number(i), i)})}}, {}), JoinA);
        QCOMPARE(presence.pendingDiffCount(), 3);
        presence.handleState({}, JoinA);
        QCOMPARE(presence.keys(), (QStringList{u"k2"_s, u"k3"_s, u"k4"_s})); // oldest dropped
    }

    void clearLeavesEveryone()
    {
        PresenceState presence;
        presence.handleState({{u"u1"_s, entry({meta(u"1"_s, 1)})}, {u"u2"_s, entry({meta(u"2"_s, 2)})}}, JoinA);
        presence.handleDiff(diff({{u"u3"_s, entry({meta(u"3"_s, 3)})}}, {}), JoinB); // pending
        QSignalSpy leaves(&presence, &PresenceState::leave);
        QSignalSpy syncs(&presence, &PresenceState::sync);
        presence.clear();
        QCOMPARE(leaves.size(), 2);
        QCOMPARE(syncs.size(), 1);
        QVERIFY(presence.isEmpty());
        QCOMPARE(presence.pendingDiffCount(), 0);
        QVERIFY(presence.isSyncPending(JoinA));
    }
};

QTEST_GUILESS_MAIN(TestPresenceState)
#include "tst_presencestate.moc"
