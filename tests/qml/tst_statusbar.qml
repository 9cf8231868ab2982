import QtQuick
import QtTest
import TradingFloor

// The status bar and the banner in every connection state: words, dot colour, figures, clicks.
Item {
    id: root
    width: 1280; height: 100

    QtObject {
        id: status
        property string state: "live"
        property int reconnectInSeconds: 0
        property string health: "healthy"
        property real latencyMs: 12.4
        property real lastMessageAgeMs: 300
        property real messagesPerSecond: 412.2
        property int pendingOrders: 0
        property string signedInUser: "trader@example.com"
        property string reason: ""
    }

    StatusBar { id: bar; width: parent.width; status: status }
    LiveUpdatesBanner { id: banner; width: parent.width; status: status; pollSeconds: 5 }
    SignalSpy { id: pendingSpy; target: bar; signalName: "pendingOrdersClicked" }
    SignalSpy { id: retrySpy; target: bar; signalName: "retryClicked" }

    TestCase {
        name: "StatusBar"
        when: windowShown

        function child(name) { return findChild(bar, name) }

        function init() {
            status.state = "live"; status.health = "healthy"; status.reconnectInSeconds = 0
            status.latencyMs = 12.4; status.lastMessageAgeMs = 300; status.pendingOrders = 0
            pendingSpy.clear(); retrySpy.clear()
        }

        function test_states_data() {
            return [
                { tag: "live", state: "live", health: "healthy", secs: 0, text: "Live", dot: Theme.up, banner: false },
                { tag: "live slow", state: "live", health: "slow", secs: 0, text: "Live", dot: Theme.warning, banner: false },
                { tag: "live stale", state: "live", health: "stale", secs: 0, text: "Live", dot: Theme.warning, banner: false },
                { tag: "connecting", state: "connecting", health: "offline", secs: 0, text: "Connecting…", dot: Theme.down, banner: false },
                { tag: "reconnecting", state: "reconnecting", health: "stale", secs: 4, text: "Reconnecting in 4 s", dot: Theme.warning, banner: false },
                { tag: "reconnecting now", state: "reconnecting", health: "stale", secs: 0, text: "Reconnecting…", dot: Theme.warning, banner: false },
                { tag: "polling", state: "polling", health: "stale", secs: 0, text: "Polling (live updates unavailable)", dot: Theme.warning, banner: true },
                { tag: "offline", state: "offline", health: "offline", secs: 0, text: "Offline", dot: Theme.down, banner: true },
                { tag: "gave up", state: "gaveUp", health: "offline", secs: 0, text: "Disconnected (gave up retrying)", dot: Theme.down, banner: true },
            ]
        }

        function test_states(data) {
            status.state = data.state
            status.health = data.health
            status.reconnectInSeconds = data.secs
            compare(child("stateLabel").text, data.text)
            verify(Qt.colorEqual(child("healthDot").color, data.dot), "dot colour for " + data.tag)
            compare(banner.visible, data.banner)
            compare(child("retryButton").visible, data.state === "gaveUp")
            if (data.banner)
                verify(findChild(banner, "bannerText").text.length > 0)
        }

        function test_bannerWords() {
            status.state = "polling"
            verify(findChild(banner, "bannerText").text.indexOf("refreshes automatically every 5 s") >= 0)
            status.state = "offline"
            verify(findChild(banner, "bannerText").text.indexOf("queued") >= 0)
        }

        function test_figures() {
            compare(child("latencyLabel").text, "Latency 12 ms")
            compare(child("ageLabel").text, "Last message 0.3 s ago")
            compare(child("rateLabel").text, "412 msg/s")
            compare(child("userLabel").text, "trader@example.com")
            status.latencyMs = -1
            status.lastMessageAgeMs = 125000
            compare(child("latencyLabel").text, "Latency —")
            compare(child("ageLabel").text, "Last message 2 min ago")
        }

        function test_pendingOrdersClickable() {
            compare(child("pendingButton").text, "No pending orders")
            status.pendingOrders = 3
            status.pendingOrders = 1
            compare(child("pendingButton").text, "1 pending order")
            status.pendingOrders = 3
            compare(child("pendingButton").text, "3 pending orders")
            mouseClick(child("pendingButton"))
            compare(pendingSpy.count, 1)
        }

        function test_retryWhenGaveUp() {
            status.state = "gaveUp"
            mouseClick(child("retryButton"))
            compare(retrySpy.count, 1)
            bar.canRetry = false        // the app offers no retry: no dead button
            verify(!child("retryButton").visible)
            bar.canRetry = true
        }

        function test_reasonAndWarningColours() {
            status.state = "reconnecting"
            status.reason = "heartbeat timeout"
            compare(child("stateLabel").Accessible.description, "heartbeat timeout")
            status.health = "slow"
            verify(Qt.colorEqual(child("latencyLabel").color, Theme.warning))
            verify(Qt.colorEqual(child("ageLabel").color, Theme.textMuted))
            status.health = "stale"
            verify(Qt.colorEqual(child("ageLabel").color, Theme.warning))
            status.reason = ""
        }

        function test_noStatusObject() {
            bar.status = null
            compare(child("stateLabel").text, "Starting…")
            verify(Qt.colorEqual(child("healthDot").color, Theme.down))
            compare(child("userLabel").text, "Not signed in")
            verify(!banner.active)
            bar.status = status
        }
    }
}
