import QtQuick
import QtTest
import TradingFloor
import TradingFloor.Testing

// "On the floor" over the real PresenceModel fed like the realtime PresenceState: the count,
// one row per trader however many connections, joins and leaves.
Item {
    width: 300; height: 300

    PresenceModel { id: presence }
    PresenceView { id: view; anchors.fill: parent; model: presence }

    TestCase {
        name: "PresenceView"
        when: windowShown

        function initTestCase() { Feed.watch(presence) }
        function meta(ref, name, status) {
            return { phx_ref: ref, display_name: name, user_id: "u-" + name, status: status,
                     online_at: "2024-03-01T09:30:00Z" }
        }
        function list() { return findChild(view, "presenceList") }
        function row(i) {
            list().forceLayout()
            const item = list().itemAtIndex(i)
            verify(item, "row " + i)
            return item
        }
        function init() { presence.clear() }

        function test_countAndRows() {
            compare(findChild(view, "presenceCount").text, "Nobody on the floor")
            Feed.setPresences(presence, {
                "k-ann": { metas: [meta("1", "Ann Lee", "active")] },
                "k-bob": { metas: [meta("2", "bob", "away"), meta("3", "bob", "away")] }
            })
            presence.flush()
            compare(view.traderCount, 2)
            compare(findChild(view, "presenceCount").text, "2 traders on the floor")
            compare(findChild(row(0), "nameLabel").text, "Ann Lee")
            verify(!findChild(row(0), "connectionsLabel").visible)
            compare(findChild(row(1), "connectionsLabel").text, "×2")   // two devices, one trader
            verify(Qt.colorEqual(findChild(row(1), "statusDot").color, Theme.warning))
            compare(findChild(row(0), "sinceLabel").text, Qt.formatTime(new Date("2024-03-01T09:30:00Z"), "HH:mm:ss"))
        }

        function test_joinAndLeave() {
            Feed.join(presence, "k-cy", [meta("7", "Cy", "active")])
            presence.flush()
            compare(findChild(view, "presenceCount").text, "1 trader on the floor")
            Feed.join(presence, "k-di", [meta("8", "Di", "active")])
            presence.flush()
            compare(view.traderCount, 2)
            Feed.leave(presence, "k-cy", [meta("7", "Cy", "active")])
            presence.flush()
            compare(view.traderCount, 1)
            compare(findChild(row(0), "nameLabel").text, "Di")
            verify(view.Accessible.name.indexOf("1 trader") === 0)
        }

        function test_initials() {
            compare(view.initials("Ann Lee"), "AL")
            compare(view.initials("bob@desk.example"), "BD")
            compare(view.initials(""), "?")
        }
    }
}
