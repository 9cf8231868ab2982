import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts

// Diagnostics for support: the realtime client's metrics (connected since, disconnects, messages
// and bytes, rate, frames dropped), heartbeat latency over the last minutes as a chart, the
// channels and their states, and the last errors with their reasons. "Copy for support" puts
// diagnostics.asText() on the clipboard.
//
// `diagnostics` (app.diagnostics, or a plain QtObject in tests): connectedSince (date),
// disconnects, messagesReceived, bytesReceived, messagesPerSecond, framesDropped,
// latencyHistory [{time: ms since epoch, latencyMs}] (+ latencyHistoryChanged), channels
// [{topic, state}], lastErrors [{time, text}], asText(). Optional: latencyMs, averageLatencyMs,
// server.
FocusScope {
    id: view

    property var diagnostics: null
    // What the last "Copy for support" put on the clipboard.
    property string copiedText: ""
    readonly property int historyPoints: latencySeries.count

    signal copied()

    function copyForSupport() {
        const text = diagnostics && typeof diagnostics.asText === "function" ? diagnostics.asText() : ""
        // Qt Quick has no clipboard API of its own in 6.4: a hidden TextEdit copies for us.
        clipboardHelper.text = text
        clipboardHelper.selectAll()
        clipboardHelper.copy()
        clipboardHelper.text = ""
        copiedText = text
        copied()
    }

    function value(name, fallback) {
        return diagnostics && diagnostics[name] !== undefined && diagnostics[name] !== null ? diagnostics[name] : fallback
    }
    function refreshChart() {
        latencySeries.clear()
        const points = value("latencyHistory", [])
        let max = 0
        let first = Infinity
        let last = 0
        for (let i = 0; i < points.length; ++i) {
            const t = Number(points[i].time)
            const ms = Number(points[i].latencyMs)
            if (!isFinite(t) || !isFinite(ms))
                continue
            latencySeries.append(t, ms)
            max = Math.max(max, ms)
            first = Math.min(first, t)
            last = Math.max(last, t)
        }
        const now = Date.now()
        timeAxis.max = new Date(latencySeries.count > 0 ? Math.max(last, first + 60000) : now)
        timeAxis.min = new Date(latencySeries.count > 0 ? first : now - 600000)
        latencyAxis.max = Math.max(20, Math.ceil(max * 1.25 / 10) * 10)
    }
    onDiagnosticsChanged: refreshChart()
    Component.onCompleted: refreshChart()
    Connections {
        target: view.diagnostics
        ignoreUnknownSignals: true
        function onLatencyHistoryChanged() { view.refreshChart() }
    }

    // Ages ("for 12 min") move with the clock, only while the panel is shown.
    property double now: Date.now()
    Timer {
        interval: 1000
        repeat: true
        running: view.visible
        onTriggered: view.now = Date.now()
    }

    implicitWidth: 760
    implicitHeight: 520
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Diagnostics")

    TextEdit { id: clipboardHelper; visible: false }

    component Key: Label {
        color: Theme.textMuted
        font.pixelSize: Theme.smallFontSize
        Layout.minimumWidth: 96
    }
    component Value: Label {
        color: Theme.text
        font.family: Theme.monoFamily
        font.pixelSize: Theme.fontSize - 1
        Layout.fillWidth: true
        Layout.preferredWidth: 1 // equal shares
        elide: Text.ElideRight
        Accessible.role: Accessible.StaticText
        Accessible.name: text
    }
    component SectionTitle: Label {
        color: Theme.text
        font.pixelSize: Theme.smallFontSize + 1
        font.bold: true
        font.capitalization: Font.AllUppercase
        font.letterSpacing: 0.5
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            SectionTitle { text: qsTr("Connection"); Layout.fillWidth: true }
            Button {
                objectName: "copyButton"
                text: qsTr("Copy for support")
                icon.name: "edit-copy"
                onClicked: view.copyForSupport()
                Accessible.name: qsTr("Copy diagnostics as text for support")
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: qsTr("Copies everything on this page as text (no passwords, keys or tokens)")
            }
        }

        // Two columns of key/value pairs.
        GridLayout {
            objectName: "metricsGrid"
            Layout.fillWidth: true
            columns: 4
            columnSpacing: 10
            rowSpacing: 4

            Key { text: qsTr("Server") }
            Value { objectName: "serverValue"; text: view.value("server", "") || Format.none }
            Key { text: qsTr("Connected since") }
            Value {
                objectName: "connectedSinceValue"
                readonly property var since: view.value("connectedSince", undefined)
                text: Format.isDate(since) ? qsTr("%1 (%2)").arg(Format.dateTime(since)).arg(Format.duration(view.now - since.getTime()))
                                           : qsTr("not connected")
            }

            Key { text: qsTr("Latency") }
            Value {
                objectName: "latencyValue"
                readonly property real current: view.value("latencyMs", -1)
                readonly property real average: view.value("averageLatencyMs", -1)
                text: (current >= 0 ? qsTr("%1 ms").arg(Math.round(current)) : Format.none)
                      + (average >= 0 ? qsTr("  (avg %1 ms)").arg(Math.round(average)) : "")
            }
            Key { text: qsTr("Disconnects") }
            Value { objectName: "disconnectsValue"; text: String(view.value("disconnects", 0)) }

            Key { text: qsTr("Messages") }
            Value { objectName: "messagesValue"; text: Format.compact(view.value("messagesReceived", 0)) }
            Key { text: qsTr("Received") }
            Value { objectName: "bytesValue"; text: Format.bytes(view.value("bytesReceived", 0)) }

            Key { text: qsTr("Rate") }
            Value { objectName: "rateValue"; text: qsTr("%1 msg/s").arg(Math.round(view.value("messagesPerSecond", 0))) }
            Key { text: qsTr("Frames dropped") }
            Value {
                objectName: "framesDroppedValue"
                text: Format.compact(view.value("framesDropped", 0))
                color: view.value("framesDropped", 0) > 0 ? Theme.warning : Theme.text
            }
        }

        SectionTitle { text: qsTr("Heartbeat latency, last 10 minutes") }
        ChartView {
            id: chart
            objectName: "latencyChart"
            Layout.fillWidth: true
            Layout.preferredHeight: 150
            Layout.minimumHeight: 110
            antialiasing: true
            legend.visible: false
            backgroundColor: Theme.panelAlt
            backgroundRoundness: 0
            plotAreaColor: Theme.panelAlt
            margins { top: 4; bottom: 4; left: 4; right: 8 }
            Accessible.role: Accessible.Chart
            Accessible.name: latencySeries.count > 0 ? qsTr("Latency chart, %1 samples, up to %2 ms").arg(latencySeries.count).arg(latencyAxis.max)
                                                     : qsTr("Latency chart, no samples yet")

            DateTimeAxis {
                id: timeAxis
                format: "HH:mm"
                tickCount: 6
                labelsColor: Theme.textMuted
                labelsFont.pixelSize: 10
                gridLineColor: Theme.border
                lineVisible: false
            }
            ValueAxis {
                id: latencyAxis
                min: 0
                max: 50
                tickCount: 4
                labelFormat: "%d ms"
                labelsColor: Theme.textMuted
                labelsFont.pixelSize: 10
                gridLineColor: Theme.border
                lineVisible: false
            }
            LineSeries {
                id: latencySeries
                axisX: timeAxis
                axisY: latencyAxis
                color: Theme.accent
                width: 1.5
            }
            Label {
                anchors.centerIn: parent
                visible: latencySeries.count === 0
                text: qsTr("No heartbeat replies yet")
                color: Theme.textFaint
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing * 2

            ColumnLayout {
                Layout.preferredWidth: 1
                Layout.fillWidth: true
                Layout.fillHeight: true
                SectionTitle { objectName: "channelsTitle"; text: qsTr("Channels (%1)").arg(view.value("channels", []).length) }
                ListView {
                    id: channelList
                    objectName: "channelList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: view.value("channels", [])
                    activeFocusOnTab: true
                    ScrollBar.vertical: ScrollBar {}
                    Accessible.role: Accessible.List
                    Accessible.name: qsTr("Channels and their states")
                    delegate: RowLayout {
                        required property var modelData
                        width: ListView.view.width
                        height: 20
                        Accessible.role: Accessible.ListItem
                        Accessible.name: modelData.topic + ": " + modelData.state
                        Label {
                            Layout.fillWidth: true
                            text: modelData.topic
                            color: Theme.text
                            font.family: Theme.monoFamily
                            font.pixelSize: Theme.smallFontSize
                            elide: Text.ElideMiddle
                        }
                        Label {
                            objectName: "channelState"
                            text: modelData.state
                            color: /joined|subscribed|live/i.test(modelData.state) ? Theme.up
                                 : /error|timed|closed/i.test(modelData.state) ? Theme.down : Theme.warning
                            font.pixelSize: Theme.smallFontSize
                            font.bold: true
                        }
                    }
                    Label {
                        anchors.centerIn: parent
                        visible: channelList.count === 0
                        text: qsTr("No channels")
                        color: Theme.textFaint
                    }
                }
            }

            ColumnLayout {
                Layout.preferredWidth: 1.4
                Layout.fillWidth: true
                Layout.fillHeight: true
                SectionTitle { text: qsTr("Last errors") }
                ListView {
                    id: errorList
                    objectName: "errorList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    // Newest first: the error that explains "now" is on top.
                    model: view.value("lastErrors", []).slice().reverse()
                    activeFocusOnTab: true
                    ScrollBar.vertical: ScrollBar {}
                    Accessible.role: Accessible.List
                    Accessible.name: qsTr("Last errors, newest first")
                    delegate: RowLayout {
                        required property var modelData
                        width: ListView.view.width
                        spacing: 8
                        Accessible.role: Accessible.ListItem
                        Accessible.name: errorText.text
                        Label {
                            Layout.alignment: Qt.AlignTop
                            text: Format.time(modelData.time)
                            color: Theme.textFaint
                            font.family: Theme.monoFamily
                            font.pixelSize: Theme.smallFontSize
                        }
                        Label {
                            id: errorText
                            objectName: "errorText"
                            Layout.fillWidth: true
                            text: modelData.text
                            color: Theme.text
                            wrapMode: Text.Wrap
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                    Label {
                        anchors.centerIn: parent
                        visible: errorList.count === 0
                        text: qsTr("No errors")
                        color: Theme.textFaint
                    }
                }
            }
        }
    }
}
