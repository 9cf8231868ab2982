import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TradingFloor

// The trades blotter, newest first: time, symbol, side, quantity, price, order. A filter box
// narrows by symbol and a side switch shows buys or sells only. When the model keeps only its
// newest rows, a line at the bottom says how many older trades are not shown.
// Keyboard: Down from the filter enters the list; Enter on a row sends its symbol to the ticket.
FocusScope {
    id: view

    property var model: null // tf::TradeModel
    readonly property alias proxy: tradeRows
    readonly property int notShownCount: model ? model.notShownCount : 0

    signal symbolActivated(string symbol)

    function focusFilter() {
        filterField.forceActiveFocus()
        filterField.selectAll()
    }

    implicitWidth: 360
    implicitHeight: 300
    Accessible.role: Accessible.Table
    Accessible.name: qsTr("Trades")

    RowFilterModel {
        id: tradeRows
        sourceModel: view.model ? view.model : null
        filterText: filterField.text.trim()
    }

    TableColumns {
        id: cols
        availableWidth: list.width
        columns: [
            { role: "time", title: qsTr("Time"), minWidth: 66, weight: 0.3, align: Text.AlignLeft, sortable: false },
            { role: "symbol", title: qsTr("Symbol"), minWidth: 54, align: Text.AlignLeft, sortable: false },
            { role: "side", title: qsTr("Side"), minWidth: 42, weight: 0.3, align: Text.AlignLeft, sortable: false },
            { role: "qty", title: qsTr("Qty"), minWidth: 44, sortable: false },
            { role: "price", title: qsTr("Price"), minWidth: 62, sortable: false },
            { role: "orderId", title: qsTr("Order"), minWidth: 70, weight: 1.2, align: Text.AlignLeft, optional: true, sortable: false }
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
                implicitHeight: 24
                font.pixelSize: Theme.smallFontSize + 1
                placeholderText: qsTr("Filter symbol")
                Accessible.name: qsTr("Filter trades by symbol")
                Keys.onEscapePressed: (event) => {
                    if (text.length > 0) { clear(); event.accepted = true } else event.accepted = false
                }
                Keys.onDownPressed: {
                list.currentIndex = 0
                list.forceActiveFocus()
            }
                KeyNavigation.tab: sideBox
            }
            ComboBox {
                id: sideBox
                objectName: "sideFilterBox"
                implicitHeight: 24
                implicitWidth: 84
                font.pixelSize: Theme.smallFontSize + 1
                model: [qsTr("All"), qsTr("Buys"), qsTr("Sells")]
                currentIndex: tradeRows.sideFilter === RowFilterModel.BuysOnly ? 1 : tradeRows.sideFilter === RowFilterModel.SellsOnly ? 2 : 0
                onActivated: (index) => tradeRows.sideFilter = index === 1 ? RowFilterModel.BuysOnly
                                                              : index === 2 ? RowFilterModel.SellsOnly : RowFilterModel.AllSides
                Accessible.name: qsTr("Show all trades, buys or sells")
                KeyNavigation.tab: list
            }
        }

        SortHeader {
            Layout.fillWidth: true
            columns: cols
        }

        ListView {
            id: list
            objectName: "tradesList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: tradeRows
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            currentIndex: -1
            activeFocusOnTab: true
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Trade rows, newest first")
            onActiveFocusChanged: if (activeFocus && currentIndex < 0 && count > 0) currentIndex = 0
            Keys.onReturnPressed: activateCurrent()
            Keys.onEnterPressed: activateCurrent()
            function activateCurrent() {
                if (currentIndex >= 0 && currentIndex < count)
                    view.symbolActivated(tradeRows.get(currentIndex).symbol)
            }

            delegate: Rectangle {
                id: row
                required property int index
                required property var time
                required property string symbol
                required property string side
                required property var qty
                required property var price
                required property var orderId

                width: ListView.view.width
                height: Theme.rowHeight
                color: ListView.isCurrentItem && list.activeFocus ? Theme.selection
                     : mouse.containsMouse ? Theme.rowHover
                     : index % 2 ? Theme.rowAlt : "transparent"
                Accessible.role: Accessible.Row
                Accessible.name: qsTr("%1 %2 %3 %4 at %5").arg(Format.time(time)).arg(side).arg(Format.qty(qty))
                                 .arg(symbol).arg(Format.price(price))

                component Cell: Label {
                    height: Theme.rowHeight
                    leftPadding: 6
                    rightPadding: 6
                    verticalAlignment: Text.AlignVCenter
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.fontSize - 1
                }
                Row {
                    Cell {
                        objectName: "timeCell"
                        width: cols.widths[0]
                        rightPadding: 0
                        text: Format.time(row.time)
                        color: Theme.textMuted
                        font.family: Theme.monoFamily
                    }
                    Cell {
                        objectName: "symbolCell"
                        width: cols.widths[1]
                        text: row.symbol
                        font.bold: true
                    }
                    Cell {
                        objectName: "sideCell"
                        width: cols.widths[2]
                        text: row.side === "buy" ? qsTr("BUY") : row.side === "sell" ? qsTr("SELL") : row.side
                        color: Theme.sideColor(row.side)
                        font.bold: true
                        font.pixelSize: Theme.smallFontSize
                    }
                    Cell {
                        objectName: "qtyCell"
                        width: cols.widths[3]
                        horizontalAlignment: Text.AlignRight
                        text: Format.qty(row.qty)
                        font.family: Theme.monoFamily
                    }
                    Cell {
                        objectName: "priceCell"
                        width: cols.widths[4]
                        horizontalAlignment: Text.AlignRight
                        text: Format.price(row.price)
                        font.family: Theme.monoFamily
                    }
                    Cell {
                        objectName: "orderCell"
                        width: cols.widths[5]
                        visible: width > 0
                        text: typeof row.orderId === "string" ? row.orderId : Format.none
                        elide: Text.ElideMiddle
                        color: Theme.textFaint
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.smallFontSize
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
                text: !view.model || view.model.count === 0 ? qsTr("No trades yet") : qsTr("No trade matches the filter")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSize
            }
        }

        Rectangle {
            objectName: "notShownBar"
            Layout.fillWidth: true
            visible: view.notShownCount > 0
            implicitHeight: visible ? Theme.rowHeight : 0
            color: Theme.panelHeader
            Label {
                objectName: "notShownLabel"
                anchors.fill: parent
                leftPadding: 8
                verticalAlignment: Text.AlignVCenter
                text: view.notShownCount === 1 ? qsTr("1 older trade not shown")
                      : qsTr("%1 older trades not shown").arg(Number(view.notShownCount).toLocaleString(Qt.locale(), "f", 0))
                color: Theme.textMuted
                font.pixelSize: Theme.smallFontSize
                font.italic: true
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
        }
    }
}
