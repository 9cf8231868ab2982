import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The connection's health at a glance: a dot, the state in words, latency, last message age,
// message rate, pending orders (clickable) and the signed-in user.
//
// `status` is any object with these properties (the app's ConnectionStatus, or a plain QtObject
// in tests):
//   state: "live" | "connecting" | "reconnecting" | "polling" | "offline" | "gaveUp"
//   reconnectInSeconds: int     health: "healthy" | "slow" | "stale" | "offline"
//   latencyMs: real (< 0 = unknown)   lastMessageAgeMs: real (< 0 = none yet)
//   messagesPerSecond: real     pendingOrders: int     signedInUser: string
//   reason: string (optional: why the link is in this state; shown as the state's tooltip)
Rectangle {
    id: bar

    property var status
    // Whether "Retry now" can do anything (the app offers a retry); hidden otherwise.
    property bool canRetry: true
    signal pendingOrdersClicked()
    signal retryClicked()

    readonly property string stateText: {
        if (!status)
            return qsTr("Starting…")
        switch (status.state) {
        case "live": return qsTr("Live")
        case "connecting": return qsTr("Connecting…")
        case "reconnecting":
            return status.reconnectInSeconds > 0 ? qsTr("Reconnecting in %1 s").arg(status.reconnectInSeconds)
                                                 : qsTr("Reconnecting…")
        case "polling": return qsTr("Polling (live updates unavailable)")
        case "offline": return qsTr("Offline")
        case "gaveUp": return qsTr("Disconnected (gave up retrying)")
        }
        return status.state
    }
    readonly property string reasonText: status && status.reason ? status.reason : ""
    readonly property color dotColor: {
        if (!status || status.state === "offline" || status.state === "gaveUp" || status.health === "offline")
            return Theme.down
        if (status.health === "slow" || status.health === "stale" || status.state !== "live")
            return Theme.warning
        return Theme.up
    }
    readonly property string latencyText: status && status.latencyMs >= 0
                                          ? qsTr("%1 ms").arg(Math.round(status.latencyMs)) : "—"
    readonly property string ageText: status && status.lastMessageAgeMs >= 0 ? formatAge(status.lastMessageAgeMs) : "—"
    readonly property string rateText: status ? qsTr("%1 msg/s").arg(Math.round(status.messagesPerSecond)) : ""
    readonly property string pendingText: !status || status.pendingOrders <= 0 ? qsTr("No pending orders")
                                          : status.pendingOrders === 1 ? qsTr("1 pending order")
                                          : qsTr("%1 pending orders").arg(status.pendingOrders)

    function formatAge(ms) {
        if (ms < 10000)
            return qsTr("%1 s ago").arg((ms / 1000).toFixed(1))
        if (ms < 60000)
            return qsTr("%1 s ago").arg(Math.round(ms / 1000))
        return qsTr("%1 min ago").arg(Math.round(ms / 60000))
    }

    implicitHeight: 28
    color: Theme.panel
    Accessible.role: Accessible.StatusBar
    Accessible.name: qsTr("Connection status: %1").arg(stateText)

    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing * 2

        Rectangle {
            objectName: "healthDot"
            width: 10; height: 10; radius: 5
            color: bar.dotColor
            Accessible.role: Accessible.Indicator
            Accessible.name: qsTr("Health: %1").arg(bar.status ? bar.status.health : "")
        }
        Label {
            objectName: "stateLabel"
            text: bar.stateText
            color: Theme.text
            font.pixelSize: Theme.fontSize
            font.bold: true
            Accessible.role: Accessible.StaticText
            Accessible.name: text
            Accessible.description: bar.reasonText
            HoverHandler { id: stateHover }
            ToolTip.visible: stateHover.hovered && bar.reasonText.length > 0
            ToolTip.text: bar.reasonText
            ToolTip.delay: 400
        }
        Button {
            objectName: "retryButton"
            visible: bar.canRetry && bar.status !== undefined && bar.status !== null && bar.status.state === "gaveUp"
            text: qsTr("Retry now")
            flat: true
            onClicked: bar.retryClicked()
            Accessible.name: qsTr("Retry connecting now")
        }
        Label {
            objectName: "latencyLabel"
            text: qsTr("Latency %1").arg(bar.latencyText)
            color: bar.status && bar.status.health === "slow" ? Theme.warning : Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
        Label {
            objectName: "ageLabel"
            text: qsTr("Last message %1").arg(bar.ageText)
            color: bar.status && bar.status.health === "stale" ? Theme.warning : Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
        Label {
            objectName: "rateLabel"
            text: bar.rateText
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
        Item { Layout.fillWidth: true }
        Button {
            objectName: "pendingButton"
            text: bar.pendingText
            flat: true
            font.pixelSize: Theme.smallFontSize
            palette.buttonText: bar.status && bar.status.pendingOrders > 0 ? Theme.warning : Theme.textMuted
            onClicked: bar.pendingOrdersClicked()
            Accessible.name: qsTr("Pending orders: %1. Show the orders panel.").arg(bar.status ? bar.status.pendingOrders : 0)
        }
        Label {
            objectName: "userLabel"
            text: bar.status && bar.status.signedInUser ? bar.status.signedInUser : qsTr("Not signed in")
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
    }
}
