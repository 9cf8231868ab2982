import QtQuick
import QtTest
import TradingFloor

// The diagnostics panel: metrics in words, the latency chart following latencyHistory, channels
// and last errors, and "Copy for support" putting asText() on the clipboard.
Item {
    id: root
    width: 900; height: 640

    QtObject {
        id: diag
        property date connectedSince: new Date(Date.now() - 5 * 60000)
        property int disconnects: 2
        property double messagesReceived: 123456
        property double bytesReceived: 5 * 1024 * 1024
        property double messagesPerSecond: 41.6
        property double framesDropped: 3
        property double latencyMs: 18.2
        property double averageLatencyMs: 21.7
        property string server: "demo (embedded simulator)"
        property var latencyHistory: []
        property var channels: [{ topic: "realtime:public:positions", state: "joined" },
                                { topic: "realtime:prices", state: "errored" }]
        property var lastErrors: [{ time: new Date(2024, 2, 1, 9, 30, 0), text: "join refused: unauthorized" },
                                  { time: new Date(2024, 2, 1, 9, 31, 0), text: "heartbeat timeout" }]
        function asText() {
            return "Trading Floor diagnostics\nServer: " + server + "\nDisconnects: " + disconnects
        }
    }

    DiagnosticsView { id: view; anchors.fill: parent; diagnostics: diag }
    TextEdit { id: pasteTarget; width: 10; height: 10; visible: false }
    SignalSpy { id: copiedSpy; target: view; signalName: "copied" }

    TestCase {
        name: "DiagnosticsView"
        when: windowShown

        function child(name) { return findChild(view, name) }

        function test_metricsInWords() {
            compare(child("serverValue").text, "demo (embedded simulator)")
            verify(child("connectedSinceValue").text.indexOf("(5 min)") > 0, child("connectedSinceValue").text)
            compare(child("disconnectsValue").text, "2")
            compare(child("messagesValue").text, "123.5K")
            compare(child("bytesValue").text, "5.0 MiB")
            compare(child("rateValue").text, "42 msg/s")
            compare(child("framesDroppedValue").text, "3")
            verify(Qt.colorEqual(child("framesDroppedValue").color, Theme.warning))
            compare(child("latencyValue").text, "18 ms  (avg 22 ms)")
        }

        function test_notConnected() {
            const saved = diag.connectedSince
            diag.connectedSince = new Date(NaN)
            compare(child("connectedSinceValue").text, "not connected")
            diag.connectedSince = saved
        }

        function test_latencyChartFollowsHistory() {
            compare(view.historyPoints, 0)
            const now = Date.now()
            const points = []
            for (let i = 0; i < 30; ++i)
                points.push({ time: now - (30 - i) * 10000, latencyMs: 10 + i })
            diag.latencyHistory = points
            compare(view.historyPoints, 30)
            verify(child("latencyChart").Accessible.name.indexOf("30 samples") >= 0)
            points.push({ time: now, latencyMs: "garbage" })     // a bad point is skipped, not drawn as 0
            diag.latencyHistory = points
            compare(view.historyPoints, 30)
            diag.latencyHistory = []
            compare(view.historyPoints, 0)
        }

        function test_channelsAndErrors() {
            compare(child("channelsTitle").text, "Channels (2)")
            const channels = child("channelList")
            compare(channels.count, 2)
            channels.forceLayout()
            verify(Qt.colorEqual(findChild(channels.itemAtIndex(0), "channelState").color, Theme.up))
            verify(Qt.colorEqual(findChild(channels.itemAtIndex(1), "channelState").color, Theme.down))
            const errors = child("errorList")
            compare(errors.count, 2)
            errors.forceLayout()
            compare(findChild(errors.itemAtIndex(0), "errorText").text, "heartbeat timeout")   // newest first
        }

        function test_copyForSupport() {
            mouseClick(child("copyButton"))
            compare(copiedSpy.count, 1)
            compare(view.copiedText, diag.asText())
            pasteTarget.text = ""
            pasteTarget.paste()
            compare(pasteTarget.text, diag.asText())
        }

        function test_noDiagnosticsObject() {
            view.diagnostics = null
            compare(child("disconnectsValue").text, "0")
            compare(child("connectedSinceValue").text, "not connected")
            view.copyForSupport()
            compare(view.copiedText, "")
            view.diagnostics = diag
        }
    }
}
