import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TradingFloor

// Positions: symbol, quantity, average price, last, change, unrealized and realized P&L.
// Click a header to sort (again to reverse), type in the filter box to narrow by symbol, pick
// winners or losers. Numbers flash green/red when they move; P&L is coloured by sign. The totals
// row sums the rows shown (all of them unless a filter is on).
// Keyboard: Ctrl+F (from the window) focuses the filter, Down moves into the table, Up/Down walk
// the rows, Enter sends the row's symbol to the order ticket, Esc in the filter clears it.
FocusScope {
    id: view

    property var model: null // tf::PositionModel
    property int flashMs: 450
    readonly property alias proxy: rowProxy
    readonly property bool filtering: rowProxy.filterText.length > 0 || rowProxy.pnlFilter !== RowFilterModel.AllPnl
    // Totals of the rows shown: the model's exact totals, or sums over the filtered rows.
    readonly property real totalUnrealized: filtering ? _filteredTotals.unrealized : (model ? model.totalUnrealizedPnl : 0)
    readonly property real totalRealized: filtering ? _filteredTotals.realized : (model ? model.totalRealizedPnl : 0)

    // Enter or double-click on a row: its symbol, for the order ticket.
    signal symbolActivated(string symbol)

    function focusFilter() {
        filterField.forceActiveFocus()
        filterField.selectAll()
    }

    property var _filteredTotals: ({ unrealized: 0, realized: 0 })
    function _sumFiltered() {
        let unrealized = 0
        let realized = 0
        for (let i = 0; i < rowProxy.count; ++i) {
            const row = rowProxy.get(i)
            if (Format.isNumber(row.unrealizedPnl))
                unrealized += row.unrealizedPnl
            if (Format.isNumber(row.realizedPnl))
                realized += row.realizedPnl
        }
        _filteredTotals = { unrealized: unrealized, realized: realized }
    }
    function _totalsMayHaveChanged() {
        if (filtering)
            sumTimer.restart()
    }
    // Coalesces a burst of proxy signals into one sum (a timer, not Qt.callLater: see FlashCell).
    Timer {
        id: sumTimer
        interval: 0
        onTriggered: view._sumFiltered()
    }
    onFilteringChanged: _totalsMayHaveChanged()

    implicitWidth: 640
    implicitHeight: 320
    Accessible.role: Accessible.Table
    Accessible.name: qsTr("Positions")

    RowFilterModel {
        id: rowProxy
        sourceModel: view.model ? view.model : null
        filterText: filterField.text.trim()
        onCountChanged: view._totalsMayHaveChanged()
        onDataChanged: view._totalsMayHaveChanged()
        onLayoutChanged: view._totalsMayHaveChanged()
        onModelReset: view._totalsMayHaveChanged()
    }

    TableColumns {
        id: cols
        availableWidth: list.width
        columns: [
            { role: "symbol", title: qsTr("Symbol"), minWidth: 64, weight: 1.2, align: Text.AlignLeft },
            { role: "qty", title: qsTr("Qty"), minWidth: 56 },
            { role: "avgPrice", title: qsTr("Avg"), minWidth: 66 },
            { role: "lastPrice", title: qsTr("Last"), minWidth: 66 },
            { role: "change", title: qsTr("Chg"), minWidth: 56, optional: true },
            { role: "unrealizedPnl", title: qsTr("Unrl P&L"), minWidth: 84, weight: 1.3 },
            { role: "realizedPnl", title: qsTr("Rlzd P&L"), minWidth: 84, weight: 1.3, optional: true }
        ]
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 4
            spacing: 4

            TextField {
                id: filterField
                objectName: "filterField"
                Layout.fillWidth: true
                Layout.maximumWidth: 220
                implicitHeight: 24
                font.pixelSize: Theme.smallFontSize + 1
                placeholderText: qsTr("Filter symbol (Ctrl+F)")
                Accessible.name: qsTr("Filter positions by symbol")
                Keys.onEscapePressed: (event) => {
                    if (text.length > 0) { clear(); event.accepted = true } else event.accepted = false
                }
                Keys.onDownPressed: {
                list.currentIndex = 0
                list.forceActiveFocus()
            }
                KeyNavigation.tab: pnlBox
            }
            ComboBox {
                id: pnlBox
                objectName: "pnlFilterBox"
                implicitHeight: 24
                implicitWidth: 110
                font.pixelSize: Theme.smallFontSize + 1
                model: [qsTr("All"), qsTr("Winners"), qsTr("Losers")]
                currentIndex: rowProxy.pnlFilter === RowFilterModel.Winners ? 1 : rowProxy.pnlFilter === RowFilterModel.Losers ? 2 : 0
                onActivated: (index) => rowProxy.pnlFilter = index === 1 ? RowFilterModel.Winners
                                                        : index === 2 ? RowFilterModel.Losers : RowFilterModel.AllPnl
                Accessible.name: qsTr("Show all positions, winners or losers")
                KeyNavigation.tab: list
            }
            Item { Layout.fillWidth: true }
            Label {
                objectName: "shownLabel"
                visible: view.filtering
                text: qsTr("%1 of %2").arg(rowProxy.count).arg(view.model ? view.model.count : 0)
                color: Theme.textMuted
                font.pixelSize: Theme.smallFontSize
            }
        }

        SortHeader {
            objectName: "positionsHeader"
            Layout.fillWidth: true
            columns: cols
            sortRoleName: rowProxy.sortRoleName
            sortOrder: rowProxy.sortOrder
            onSortClicked: (role) => rowProxy.toggleSort(role)
        }

        ListView {
            id: list
            objectName: "positionsList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: rowProxy
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            currentIndex: -1
            activeFocusOnTab: true
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Position rows")

            Keys.onReturnPressed: activateCurrent()
            Keys.onEnterPressed: activateCurrent()
            onActiveFocusChanged: if (activeFocus && currentIndex < 0 && count > 0) currentIndex = 0
            function activateCurrent() {
                if (currentIndex >= 0 && currentIndex < count)
                    view.symbolActivated(rowProxy.get(currentIndex).symbol)
            }

            delegate: Rectangle {
                id: row
                required property int index
                required property string symbol
                required property var qty
                required property var avgPrice
                required property var lastPrice
                required property var change
                required property var unrealizedPnl
                required property var realizedPnl

                function num(v) { return Format.isNumber(v) ? v : NaN }

                width: ListView.view.width
                height: Theme.rowHeight
                color: ListView.isCurrentItem && list.activeFocus ? Theme.selection
                     : mouse.containsMouse ? Theme.rowHover
                     : index % 2 ? Theme.rowAlt : "transparent"
                Accessible.role: Accessible.Row
                Accessible.name: qsTr("%1, quantity %2, last %3, unrealized P&L %4")
                                 .arg(symbol).arg(Format.qty(qty)).arg(Format.price(lastPrice)).arg(Format.signed(unrealizedPnl))

                Row {
                    height: parent.height
                    Label {
                        width: cols.widths[0]
                        height: parent.height
                        leftPadding: 8
                        verticalAlignment: Text.AlignVCenter
                        text: row.symbol
                        color: Theme.text
                        font.pixelSize: Theme.fontSize
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    FlashCell {
                        objectName: "qtyCell"
                        width: cols.widths[1]; height: parent.height
                        rowKey: row.symbol; kind: "qty"; value: row.num(row.qty); flashMs: view.flashMs
                    }
                    FlashCell {
                        objectName: "avgCell"
                        width: cols.widths[2]; height: parent.height
                        rowKey: row.symbol; kind: "price"; value: row.num(row.avgPrice); flashMs: view.flashMs
                    }
                    FlashCell {
                        objectName: "lastCell"
                        width: cols.widths[3]; height: parent.height
                        rowKey: row.symbol; kind: "price"; value: row.num(row.lastPrice); flashMs: view.flashMs
                    }
                    FlashCell {
                        objectName: "changeCell"
                        width: cols.widths[4]; height: parent.height; visible: width > 0
                        rowKey: row.symbol; kind: "signed"; signColored: true; value: row.num(row.change); flashMs: view.flashMs
                    }
                    FlashCell {
                        objectName: "unrealizedCell"
                        width: cols.widths[5]; height: parent.height
                        rowKey: row.symbol; kind: "signed"; signColored: true; value: row.num(row.unrealizedPnl); flashMs: view.flashMs
                    }
                    FlashCell {
                        objectName: "realizedCell"
                        width: cols.widths[6]; height: parent.height; visible: width > 0
                        rowKey: row.symbol; kind: "signed"; signColored: true; value: row.num(row.realizedPnl); flashMs: view.flashMs
                    }
                }
                MouseArea {
                    id: mouse
                    anchors.fill: parent
                    hoverEnabled: true
                    onClicked: {
                        list.currentIndex = row.index
                        list.forceActiveFocus()
                    }
                    onDoubleClicked: view.symbolActivated(row.symbol)
                }
            }

            Label {
                objectName: "emptyLabel"
                anchors.centerIn: parent
                visible: list.count === 0
                text: !view.model || view.model.count === 0 ? qsTr("No open positions")
                      : qsTr("No position matches the filter")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSize
            }
        }

        Rectangle {
            objectName: "totalsRow"
            Layout.fillWidth: true
            implicitHeight: Theme.rowHeight + 2
            color: Theme.panelHeader
            Accessible.role: Accessible.Row
            Accessible.name: qsTr("Totals: unrealized %1, realized %2")
                             .arg(Format.signed(view.totalUnrealized)).arg(Format.signed(view.totalRealized))

            Rectangle { width: parent.width; height: 1; color: Theme.border }

            Row {
                anchors.verticalCenter: parent.verticalCenter
                Label {
                    objectName: "totalsLabel"
                    width: cols.widths[0] + cols.widths[1] + cols.widths[2] + cols.widths[3] + cols.widths[4]
                    leftPadding: 8
                    text: view.filtering ? qsTr("Total (%1 of %2 shown)").arg(rowProxy.count).arg(view.model ? view.model.count : 0)
                                         : qsTr("Total")
                    color: Theme.textMuted
                    font.pixelSize: Theme.smallFontSize
                    font.bold: true
                    font.capitalization: Font.AllUppercase
                    elide: Text.ElideRight
                }
                FlashCell {
                    objectName: "totalUnrealized"
                    width: cols.widths[5]
                    rowKey: rowProxy.filterText + "|" + rowProxy.pnlFilter
                    kind: "signed"; signColored: true; value: view.totalUnrealized; flashMs: view.flashMs
                }
                FlashCell {
                    objectName: "totalRealized"
                    width: cols.widths[6]; visible: width > 0
                    rowKey: rowProxy.filterText + "|" + rowProxy.pnlFilter
                    kind: "signed"; signColored: true; value: view.totalRealized; flashMs: view.flashMs
                }
            }
        }
    }
}
