// PresenceModel: full state, join/leave/update in the realtime presence shapes, no flicker on a
// leave+join of the same key, resync that leaves untouched keys alone, and bad input.

#include "modeltest.h"
#include "presencemodel.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using tf::PresenceModel;
using tf::test::ModelLog;
using Range = tf::test::ModelLog::Range;

namespace {
QJsonObject meta(const QString &ref, const QString &name, int onlineSecond = -1,
                 const QString &status = QStringLiteral("active"))
{
    QJsonObject m{{QStringLiteral("phx_ref"), ref},
                  {QStringLiteral("user_id"), name.toLower()},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("status"), status}};
    if (onlineSecond >= 0)
        m.insert(QStringLiteral("online_at"), tf::test::stamp(onlineSecond));
    return m;
}

QStringList keys(const PresenceModel &model)
{
    return tf::test::column(model, PresenceModel::KeyRole);
}

QList<int> sorted(QList<int> roles)
{
    std::sort(roles.begin(), roles.end());
    return roles;
}
} // namespace

class TestPresenceModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullStateInBothShapes();
    void joinLeaveAndConnections();
    void leaveAndJoinInOneBatchIsOneUpdate();
    void resyncTouchesOnlyWhatChanged();
    void orderedByDisplayName();
    void badInputLeavesModelIntact();
};

void TestPresenceModel::fullStateInBothShapes()
{
    PresenceModel model;
    tf::test::watch(&model);
    QSignalSpy count(&model, &tf::KeyedRowModel::countChanged);
    // Phoenix {key: {metas: [...]}} and realtime-js {key: [...]} side by side.
    model.setPresences(QJsonObject{
        {QStringLiteral("user-42"), QJsonObject{{QStringLiteral("metas"),
                                                 QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("Ada"), 30),
                                                            meta(QStringLiteral("r2"), QStringLiteral("Ada"), 10)}}}},
        {QStringLiteral("user-77"), QJsonArray{meta(QStringLiteral("r3"), QStringLiteral("Bob"))}},
    });
    QCOMPARE(model.count(), 2);
    QCOMPARE(count.count(), 1);
    QCOMPARE(model.connectionCount(), 3);
    const QVariantMap ada = model.get(0);
    QCOMPARE(ada.value(QStringLiteral("key")).toString(), QStringLiteral("user-42"));
    QCOMPARE(ada.value(QStringLiteral("displayName")).toString(), QStringLiteral("Ada"));
    QCOMPARE(ada.value(QStringLiteral("userId")).toString(), QStringLiteral("ada"));
    QCOMPARE(ada.value(QStringLiteral("connections")).toInt(), 2);
    QCOMPARE(ada.value(QStringLiteral("onlineSince")).toDateTime(), tf::test::at(10)); // the earliest
    QCOMPARE(ada.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
    const QVariantMap newest = ada.value(QStringLiteral("meta")).toMap();
    QVERIFY(!newest.contains(QStringLiteral("phx_ref")));
    QCOMPARE(newest.value(QStringLiteral("name")).toString(), QStringLiteral("Ada"));
    QCOMPARE(ada.value(QStringLiteral("metas")).toList().size(), 2);
    // Without online_at: online since the model first saw the key.
    QVERIFY(model.get(1).value(QStringLiteral("onlineSince")).toDateTime().isValid());
}

void TestPresenceModel::joinLeaveAndConnections()
{
    PresenceModel model;
    tf::test::watch(&model);
    ModelLog log(&model);
    model.join(QStringLiteral("user-42"), QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("Ada"), 1)});
    model.flush();
    QCOMPARE(log.inserted, QList<Range>({{0, 0}}));

    // A second tab: the same trader, one more connection, no new row.
    log.clear();
    model.join(QStringLiteral("user-42"), QJsonArray{meta(QStringLiteral("r2"), QStringLiteral("Ada"), 2)});
    model.flush();
    QVERIFY(log.inserted.isEmpty());
    QCOMPARE(log.changes.size(), 1);
    QVERIFY(log.changes.first().roles.contains(PresenceModel::ConnectionsRole));
    QVERIFY(!log.changes.first().roles.contains(PresenceModel::DisplayNameRole));
    QCOMPARE(model.get(0).value(QStringLiteral("connections")).toInt(), 2);

    // A join repeating a known ref replaces it rather than counting it twice.
    model.join(QStringLiteral("user-42"), QJsonArray{meta(QStringLiteral("r2"), QStringLiteral("Ada"), 2)});
    model.flush();
    QCOMPARE(model.get(0).value(QStringLiteral("connections")).toInt(), 2);

    log.clear();
    model.leave(QStringLiteral("user-42"), QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("Ada"))});
    model.flush();
    QCOMPARE(model.get(0).value(QStringLiteral("connections")).toInt(), 1);
    QVERIFY(log.removed.isEmpty());

    model.leave(QStringLiteral("user-42"), QJsonArray{meta(QStringLiteral("r2"), QStringLiteral("Ada"))});
    model.leave(QStringLiteral("nobody"), QJsonArray{meta(QStringLiteral("r9"), QStringLiteral("X"))});
    model.flush();
    QCOMPARE(log.removed, QList<Range>({{0, 0}}));
    QCOMPARE(model.count(), 0);
    QCOMPARE(model.connectionCount(), 0);

    // setPresence: the complete current metas; realtime-js' presence_ref works as the identity too.
    QJsonObject jsMeta = meta(QString(), QStringLiteral("Cy"));
    jsMeta.remove(QStringLiteral("phx_ref"));
    jsMeta.insert(QStringLiteral("presence_ref"), QStringLiteral("p1"));
    model.setPresence(QStringLiteral("user-9"), QJsonArray{jsMeta});
    model.flush();
    QCOMPARE(model.count(), 1);
    model.leave(QStringLiteral("user-9"), QJsonArray{QJsonObject{{QStringLiteral("presence_ref"), QStringLiteral("p1")}}});
    model.flush();
    QCOMPARE(model.count(), 0);
}

void TestPresenceModel::leaveAndJoinInOneBatchIsOneUpdate()
{
    PresenceModel model;
    tf::test::watch(&model);
    model.join(QStringLiteral("user-42"), QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("Ada"), 1)});
    model.flush();
    ModelLog log(&model);
    // A presence update (re-track): leave of the old meta and join of the new one.
    QJsonObject updated = meta(QStringLiteral("r2"), QStringLiteral("Ada"), 1, QStringLiteral("away"));
    updated.insert(QStringLiteral("phx_ref_prev"), QStringLiteral("r1"));
    model.leave(QStringLiteral("user-42"), QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("Ada"))});
    model.join(QStringLiteral("user-42"), QJsonArray{updated});
    model.flush();
    QVERIFY(log.inserted.isEmpty());
    QVERIFY(log.removed.isEmpty());
    QCOMPARE(log.changes.size(), 1);
    QCOMPARE(sorted(log.changes.first().roles),
             QList<int>({PresenceModel::StatusRole, PresenceModel::MetaRole, PresenceModel::MetasRole}));
    QCOMPARE(model.get(0).value(QStringLiteral("status")).toString(), QStringLiteral("away"));
}

void TestPresenceModel::resyncTouchesOnlyWhatChanged()
{
    PresenceModel model;
    tf::test::watch(&model);
    const QJsonArray ada{meta(QStringLiteral("r1"), QStringLiteral("Ada"), 1)};
    const QJsonArray bob{meta(QStringLiteral("r2"), QStringLiteral("Bob"), 1)};
    const QJsonArray cy{meta(QStringLiteral("r3"), QStringLiteral("Cy"), 1)};
    model.setPresences(QJsonObject{{QStringLiteral("a"), ada}, {QStringLiteral("b"), bob}, {QStringLiteral("c"), cy}});
    ModelLog log(&model);
    // After a rejoin: Bob left while we were away, Dee arrived, Ada and Cy unchanged.
    model.setPresences(QJsonObject{{QStringLiteral("a"), ada},
                                   {QStringLiteral("c"), cy},
                                   {QStringLiteral("d"), QJsonArray{meta(QStringLiteral("r4"), QStringLiteral("Dee"), 1)}}});
    QCOMPARE(keys(model), QStringList({QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("d")}));
    QCOMPARE(log.removed, QList<Range>({{1, 1}}));
    QCOMPARE(log.inserted, QList<Range>({{2, 2}}));
    QVERIFY(log.changes.isEmpty());
    QCOMPARE(log.resets, 0);
    // Input state follows the resync: a leave of Bob's old meta is a no-op now.
    model.leave(QStringLiteral("b"), bob);
    model.flush();
    QCOMPARE(model.count(), 3);
}

void TestPresenceModel::orderedByDisplayName()
{
    PresenceModel model;
    tf::test::watch(&model);
    model.join(QStringLiteral("1"), QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("zoe"))});
    model.join(QStringLiteral("2"), QJsonArray{meta(QStringLiteral("r2"), QStringLiteral("Adam"))});
    model.join(QStringLiteral("3"), QJsonArray{meta(QStringLiteral("r3"), QStringLiteral("bea"))});
    model.flush();
    QCOMPARE(tf::test::column(model, PresenceModel::DisplayNameRole),
             QStringList({QStringLiteral("Adam"), QStringLiteral("bea"), QStringLiteral("zoe")}));
    // A rename moves the row.
    ModelLog log(&model);
    model.setPresence(QStringLiteral("1"), QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("Abe"))});
    model.flush();
    QCOMPARE(tf::test::column(model, PresenceModel::DisplayNameRole),
             QStringList({QStringLiteral("Abe"), QStringLiteral("Adam"), QStringLiteral("bea")}));
    QCOMPARE(log.moves, 1);
}

void TestPresenceModel::badInputLeavesModelIntact()
{
    PresenceModel model;
    tf::test::watch(&model);
    model.join(QStringLiteral("a"), QJsonArray{meta(QStringLiteral("r1"), QStringLiteral("Ada"))});
    model.flush();
    ModelLog log(&model);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PresenceModel skipped")));
    model.join(QString(), QJsonArray{meta(QStringLiteral("r2"), QStringLiteral("X"))});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PresenceModel skipped")));
    model.join(QStringLiteral("a"), QJsonArray{QJsonValue(5)}); // not an object: ignored, Ada stays
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PresenceModel skipped")));
    model.setPresence(QStringLiteral("a"), QJsonArray{QJsonValue(5)}); // not a leave: Ada stays
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PresenceModel skipped")));
    model.leave(QStringLiteral("a"), QJsonArray{QStringLiteral("r1")});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PresenceModel skipped")));
    QVERIFY(!model.upsert(QJsonObject{{QStringLiteral("key"), QStringLiteral("b")}}));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PresenceModel skipped a - ")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("PresenceModel skipped z - ")));
    model.setPresences(QJsonObject{{QStringLiteral("a"), QStringLiteral("garbage")}, // keeps Ada as she was
                                   {QStringLiteral("z"), QJsonArray{QJsonValue(true)}}});
    model.flush();
    QVERIFY(log.inserted.isEmpty() && log.removed.isEmpty() && log.changes.isEmpty());
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.get(0).value(QStringLiteral("connections")).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestPresenceModel)
#include "tst_presencemodel.moc"
