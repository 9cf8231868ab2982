import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The frame of every dockable view: a title bar (title, a count or summary, tools, a hide button)
// over the view. The accent line under the title shows which panel has the keyboard.
FocusScope {
    id: panel

    property string title: ""
    property string badge: ""
    property bool closable: true
    // Extra controls for the title bar, right-aligned before the hide button.
    property alias tools: toolRow.data
    default property alias content: body.data

    signal closeRequested()

    implicitWidth: 300
    implicitHeight: 200
    clip: true
    Accessible.role: Accessible.Pane
    Accessible.name: title

    Rectangle {
        anchors.fill: parent
        color: Theme.panel
    }

    Rectangle {
        id: titleBar
        width: parent.width
        height: Theme.titleHeight
        color: Theme.panelHeader

        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: panel.activeFocus ? 2 : 1
            color: panel.activeFocus ? Theme.accent : Theme.border
        }

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: 2
            spacing: Theme.spacing

            Label {
                objectName: "panelTitle"
                text: panel.title
                color: Theme.text
                font.pixelSize: Theme.smallFontSize + 1
                font.bold: true
                font.capitalization: Font.AllUppercase
                font.letterSpacing: 0.6
            }
            Label {
                objectName: "panelBadge"
                visible: text.length > 0
                text: panel.badge
                color: Theme.textMuted
                font.pixelSize: Theme.smallFontSize
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Item {
                visible: panel.badge.length === 0
                Layout.fillWidth: true
            }
            Row {
                id: toolRow
                spacing: 4
                Layout.alignment: Qt.AlignVCenter
            }
            ToolButton {
                objectName: "hideButton"
                visible: panel.closable
                text: "✕"
                font.pixelSize: Theme.smallFontSize
                implicitWidth: 24
                implicitHeight: 22
                focusPolicy: Qt.NoFocus
                onClicked: panel.closeRequested()
                Accessible.name: qsTr("Hide the %1 panel").arg(panel.title)
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: qsTr("Hide (View menu brings it back)")
            }
        }
    }

    Item {
        id: body
        anchors.top: titleBar.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }
}
