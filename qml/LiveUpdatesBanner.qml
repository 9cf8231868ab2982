import QtQuick
import QtQuick.Controls

// Shown while live updates are unavailable: says so, and that data still refreshes by itself.
Rectangle {
    id: banner

    property var status   // the same object as StatusBar.status
    property int pollSeconds: 5

    readonly property bool active: status !== undefined && status !== null
                                   && (status.state === "polling" || status.state === "offline" || status.state === "gaveUp")
    readonly property string message: {
        if (!active)
            return ""
        if (status.state === "offline")
            return qsTr("Offline. Orders you submit are queued and sent when the link returns.")
        return qsTr("Live updates are unavailable. Data refreshes automatically every %1 s.").arg(pollSeconds)
    }

    visible: active
    implicitHeight: active ? 30 : 0
    color: status && status.state === "offline" ? Theme.downFlash : "#3d2e00"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message

    Label {
        objectName: "bannerText"
        anchors.centerIn: parent
        text: banner.message
        color: Theme.text
        font.pixelSize: Theme.fontSize
    }
}
