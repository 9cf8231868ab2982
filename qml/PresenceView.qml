import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TradingFloor

// On the floor: the traders present (from Realtime presence), with a count. One row per trader
// however many windows or devices they have open; a status dot (active / away / other) and the
// time they came online.
FocusScope {
    id: view

    property var model: null // tf::PresenceModel
    readonly property int traderCount: model ? model.count : 0
    readonly property string countText: traderCount === 0 ? qsTr("Nobody on the floor")
                                        : traderCount === 1 ? qsTr("1 trader on the floor")
                                        : qsTr("%1 traders on the floor").arg(traderCount)

    implicitWidth: 260
    implicitHeight: 220
    Accessible.role: Accessible.List
    Accessible.name: countText

    function initials(name) {
        const parts = String(name).split(/[\s@._-]+/).filter(p => p.length > 0)
        if (parts.length === 0)
            return "?"
        return (parts[0][0] + (parts.length > 1 ? parts[1][0] : "")).toUpperCase()
    }
    // A stable colour per trader, so a face is recognisable at a glance.
    function avatarColor(key) {
        let h = 0
        for (let i = 0; i < key.length; ++i)
            h = (h * 31 + key.charCodeAt(i)) % 360
        return Qt.hsla(h / 360, 0.45, 0.38, 1)
    }
    function statusColor(status) {
        return status === "away" ? Theme.warning : status === "busy" ? Theme.down : Theme.up
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Label {
            objectName: "presenceCount"
            Layout.fillWidth: true
            Layout.margins: 6
            text: view.countText
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }

        ListView {
            id: list
            objectName: "presenceList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: view.model
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            activeFocusOnTab: true
            currentIndex: -1
            highlightMoveDuration: 0
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Traders on the floor")

            delegate: Rectangle {
                id: row
                required property int index
                required property string key
                required property string displayName
                required property var status
                required property var onlineSince
                required property int connections

                width: ListView.view.width
                height: 28
                color: ListView.isCurrentItem && list.activeFocus ? Theme.selection : "transparent"
                Accessible.role: Accessible.ListItem
                Accessible.name: qsTr("%1, %2, online since %3%4").arg(displayName)
                                 .arg(typeof status === "string" ? status : qsTr("online"))
                                 .arg(Format.time(onlineSince))
                                 .arg(connections > 1 ? qsTr(", %1 connections").arg(connections) : "")

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 8
                    anchors.rightMargin: 8
                    spacing: 8

                    Rectangle {
                        implicitWidth: 20
                        implicitHeight: 20
                        radius: 10
                        color: view.avatarColor(row.key)
                        Label {
                            anchors.centerIn: parent
                            text: view.initials(row.displayName)
                            color: "white"
                            font.pixelSize: 9
                            font.bold: true
                        }
                        Rectangle {
                            objectName: "statusDot"
                            anchors.right: parent.right
                            anchors.bottom: parent.bottom
                            anchors.margins: -1
                            width: 8; height: 8; radius: 4
                            color: view.statusColor(row.status)
                            border.color: Theme.panel
                            border.width: 1.5
                        }
                    }
                    Label {
                        objectName: "nameLabel"
                        Layout.fillWidth: true
                        text: row.displayName
                        color: Theme.text
                        font.pixelSize: Theme.fontSize - 1
                        elide: Text.ElideRight
                    }
                    Label {
                        objectName: "connectionsLabel"
                        visible: row.connections > 1
                        text: "×" + row.connections
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFontSize
                        ToolTip.visible: connHover.hovered
                        ToolTip.text: qsTr("%1 windows or devices").arg(row.connections)
                        HoverHandler { id: connHover }
                    }
                    Label {
                        objectName: "sinceLabel"
                        text: Format.time(row.onlineSince)
                        color: Theme.textFaint
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("Nobody else is here yet")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSize
            }
        }
    }
}
