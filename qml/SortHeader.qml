import QtQuick
import QtQuick.Controls

// A table's column header. Clicking a sortable column (or Space on it) asks for a sort by its role;
// the active sort shows an arrow. Works with RowFilterModel.toggleSort().
Rectangle {
    id: header

    property TableColumns columns
    property string sortRoleName: ""
    property int sortOrder: Qt.AscendingOrder

    signal sortClicked(string role)

    implicitHeight: Theme.headerHeight
    implicitWidth: columns ? columns.totalWidth : 0
    color: Theme.panelHeader
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Column headers")

    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

    Row {
        height: parent.height
        Repeater {
            model: header.columns ? header.columns.columns : []
            delegate: AbstractButton {
                id: cell
                required property var modelData
                required property int index
                readonly property bool sortable: modelData.sortable !== false
                readonly property bool sorted: sortable && header.sortRoleName === modelData.role
                objectName: "header_" + modelData.role
                width: header.columns.widths[index] || 0
                visible: width > 0
                height: header.height
                enabled: sortable
                focusPolicy: Qt.TabFocus
                hoverEnabled: true
                text: modelData.title
                onClicked: header.sortClicked(modelData.role)
                Accessible.role: Accessible.ColumnHeader
                Accessible.name: !sorted ? text
                                : header.sortOrder === Qt.AscendingOrder ? qsTr("%1, sorted ascending").arg(text)
                                : qsTr("%1, sorted descending").arg(text)
                Accessible.description: sortable ? qsTr("Click to sort by %1").arg(text) : ""

                background: Rectangle {
                    color: cell.hovered && cell.sortable ? Theme.rowHover : "transparent"
                    border.color: cell.visualFocus ? Theme.accent : "transparent"
                }
                contentItem: Text {
                    leftPadding: 6
                    rightPadding: 6
                    visible: !cell.modelData.hideTitle
                    text: (cell.sorted && cell.modelData.align === Text.AlignLeft ? "" : cell.sorted ? (header.sortOrder === Qt.AscendingOrder ? "▲ " : "▼ ") : "")
                          + cell.text
                          + (cell.sorted && cell.modelData.align === Text.AlignLeft ? (header.sortOrder === Qt.AscendingOrder ? " ▲" : " ▼") : "")
                    color: cell.sorted ? Theme.text : Theme.textMuted
                    font.pixelSize: Theme.smallFontSize
                    font.bold: cell.sorted
                    font.capitalization: Font.AllUppercase
                    font.letterSpacing: 0.4
                    elide: Text.ElideRight
                    verticalAlignment: Text.AlignVCenter
                    horizontalAlignment: cell.modelData.align === undefined ? Text.AlignRight : cell.modelData.align
                }
            }
        }
    }
}
