import QtQuick
import QtQuick.Controls

// Stacks short notices in a corner (order sent / queued / filled / rejected / failed, sign-in and
// queue problems). Errors stay longer than confirmations so the reason can be read. The same
// notice twice while the first is still up (say the ticket's result and the app's own toast for
// one order) shows once, its timer restarted. At most `maxToasts` are up; the oldest goes first.
Item {
    id: host

    property int infoMs: 4000
    property int errorMs: 8000
    property int maxToasts: 5
    readonly property int count: toasts.count

    // kind: "info" | "success" | "warning" | "error"
    function show(text, kind) {
        if (!text)
            return
        const k = kind || "info"
        for (let i = 0; i < toasts.count; ++i) {
            const t = toasts.get(i)
            if (t.message === text && t.kind === k) {
                toasts.setProperty(i, "serial", ++_serial)
                return
            }
        }
        toasts.append({ message: text, kind: k, serial: ++_serial })
        while (toasts.count > maxToasts)
            toasts.remove(0)
    }
    function dismissAll() { toasts.clear() }
    function messageAt(index) { return index < toasts.count ? toasts.get(index).message : "" }
    function kindAt(index) { return index < toasts.count ? toasts.get(index).kind : "" }

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
                id: toast
                required property int index
                required property string message
                required property string kind
                required property int serial
                readonly property color accentColor: kind === "error" ? Theme.down : kind === "success" ? Theme.up
                                                   : kind === "warning" ? Theme.warning : Theme.accent
                width: Math.min(420, Math.max(260, toastText.implicitWidth + 40))
                height: Math.max(36, toastText.implicitHeight + 18)
                radius: 4
                color: Theme.panelAlt
                border.color: Qt.darker(accentColor, 1.6)
                Accessible.role: Accessible.AlertMessage
                Accessible.name: message

                Rectangle {
                    width: 4
                    height: parent.height
                    radius: 2
                    color: toast.accentColor
                }
                Label {
                    id: toastText
                    anchors.verticalCenter: parent.verticalCenter
                    x: 16
                    width: parent.width - 28
                    wrapMode: Text.Wrap
                    text: toast.message
                    color: Theme.text
                    font.pixelSize: Theme.fontSize
                }
                Timer {
                    id: expiry
                    running: true
                    interval: toast.kind === "error" ? host.errorMs : host.infoMs
                    onTriggered: toasts.remove(toast.index)
                }
                onSerialChanged: expiry.restart()
                MouseArea {
                    anchors.fill: parent
                    onClicked: toasts.remove(toast.index)
                    Accessible.name: qsTr("Dismiss")
                }
            }
        }
    }
}
