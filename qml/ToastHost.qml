import QtQuick
import QtQuick.Controls

// Stacks short notices in a corner (order sent / queued / filled / rejected / failed).
// Errors stay longer than confirmations so the reason can be read.
Item {
    id: host

    property int infoMs: 4000
    property int errorMs: 8000
    readonly property int count: toasts.count

    // kind: "info" | "success" | "warning" | "error"
    function show(text, kind) {
        toasts.append({ message: text, kind: kind || "info", serial: ++_serial })
    }
    function dismissAll() { toasts.clear() }
    function messageAt(index) { return index < toasts.count ? toasts.get(index).message : "" }

    property int _serial: 0

    ListModel { id: toasts }

    Column {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.spacing * 2
        spacing: Theme.spacing
        Repeater {
            model: toasts
            delegate: Rectangle {
                required property int index
                required property string message
                required property string kind
                width: Math.min(420, Math.max(240, toastText.implicitWidth + 32))
                height: toastText.implicitHeight + 20
                radius: 6
                color: Theme.panelAlt
                border.color: kind === "error" ? Theme.down : kind === "success" ? Theme.up
                            : kind === "warning" ? Theme.warning : Theme.accent
                Accessible.role: Accessible.AlertMessage
                Accessible.name: message
                Label {
                    id: toastText
                    anchors.centerIn: parent
                    width: parent.width - 24
                    wrapMode: Text.Wrap
                    text: message
                    color: Theme.text
                    font.pixelSize: Theme.fontSize
                }
                Timer {
                    running: true
                    interval: kind === "error" ? host.errorMs : host.infoMs
                    onTriggered: toasts.remove(index)
                }
                MouseArea { anchors.fill: parent; onClicked: toasts.remove(index) }
            }
        }
    }
}
