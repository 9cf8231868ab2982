import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TradingFloor

// Watchlist / ticker: every symbol with its last price (flashing on moves), change against the
// reference price, and a sparkline of recent prices. Clicking a symbol (or Enter on it) fills the
// order ticket. Type in the filter box to find a symbol; Down moves into the list.
FocusScope {
    id: view

    property var model: null // tf::QuoteModel
    property int flashMs: 450
    readonly property alias proxy: quoteRows

    // A symbol picked with the mouse or the keyboard: the order ticket takes it.
    signal symbolChosen(string symbol)

    function focusFilter() {
        filterField.forceActiveFocus()
        filterField.selectAll()
    }

    implicitWidth: 260
    implicitHeight: 400
    Accessible.role: Accessible.Table
    Accessible.name: qsTr("Watchlist")

    RowFilterModel {
        id: quoteRows
        sourceModel: view.model ? view.model : null
        filterText: filterField.text.trim()
    }

    TableColumns {
        id: cols
        availableWidth: list.width
        columns: [
            { role: "symbol", title: qsTr("Symbol"), minWidth: 56, align: Text.AlignLeft },
            { role: "lastPrice", title: qsTr("Last"), minWidth: 64 },
            { role: "changePercent", title: qsTr("Chg %"), minWidth: 58 },
            { role: "history", title: qsTr("Trend"), minWidth: 56, weight: 1.4, sortable: false, align: Text.AlignHCenter, optional: true }
        ]
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        TextField {
            id: filterField
            objectName: "filterField"
            Layout.fillWidth: true
            Layout.margins: 4
            implicitHeight: 24
            font.pixelSize: Theme.smallFontSize + 1
            placeholderText: qsTr("Find symbol")
            Accessible.name: qsTr("Find a symbol in the watchlist")
            Keys.onEscapePressed: (event) => {
                if (text.length > 0) { clear(); event.accepted = true } else event.accepted = false
            }
            Keys.onDownPressed: {
                list.currentIndex = 0
                list.forceActiveFocus()
            }
            Keys.onReturnPressed: {
                if (quoteRows.count > 0)
                    view.symbolChosen(quoteRows.get(0).symbol)
            }
            KeyNavigation.tab: list
        }

        SortHeader {
            Layout.fillWidth: true
            columns: cols
            sortRoleName: quoteRows.sortRoleName
            sortOrder: quoteRows.sortOrder
            onSortClicked: (role) => quoteRows.toggleSort(role)
        }

        ListView {
            id: list
            objectName: "watchList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: quoteRows
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            currentIndex: -1
            activeFocusOnTab: true
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Watchlist symbols")
            onActiveFocusChanged: if (activeFocus && currentIndex < 0 && count > 0) currentIndex = 0
            Keys.onReturnPressed: chooseCurrent()
            Keys.onEnterPressed: chooseCurrent()
            Keys.onSpacePressed: chooseCurrent()
            function chooseCurrent() {
                if (currentIndex >= 0 && currentIndex < count)
                    view.symbolChosen(quoteRows.get(currentIndex).symbol)
            }

            delegate: Rectangle {
                id: row
                required property int index
                required property string symbol
                required property var lastPrice
                required property var bid
                required property var ask
                required property var change
                required property var changePercent
                required property var history

                width: ListView.view.width
                height: Theme.rowHeight + 2
                color: ListView.isCurrentItem && list.activeFocus ? Theme.selection
                     : mouse.containsMouse ? Theme.rowHover
                     : index % 2 ? Theme.rowAlt : "transparent"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("%1, last %2, change %3. Press to fill the order ticket.")
                                 .arg(symbol).arg(Format.price(lastPrice)).arg(Format.percent(changePercent))

                Row {
                    height: parent.height
                    Label {
                        objectName: "symbolCell"
                        width: cols.widths[0]
                        height: parent.height
                        leftPadding: 8
                        verticalAlignment: Text.AlignVCenter
                        text: row.symbol
                        color: Theme.text
                        font.bold: true
                        font.pixelSize: Theme.fontSize
                        elide: Text.ElideRight
                    }
                    FlashCell {
                        objectName: "lastCell"
                        width: cols.widths[1]; height: parent.height
                        rowKey: row.symbol; kind: "price"; flashMs: view.flashMs
                        value: Format.isNumber(row.lastPrice) ? row.lastPrice : NaN
                    }
                    Label {
                        objectName: "changeCell"
                        width: cols.widths[2]
                        height: parent.height
                        rightPadding: 6
                        horizontalAlignment: Text.AlignRight
                        verticalAlignment: Text.AlignVCenter
                        text: Format.percent(row.changePercent)
                        color: Theme.signColor(row.change)
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSize - 1
                    }
                    Item {
                        width: cols.widths[3]
                        height: parent.height
                        visible: width > 0
                        Sparkline {
                            objectName: "sparkline"
                            anchors.fill: parent
                            anchors.margins: 3
                            anchors.leftMargin: 8
                            anchors.rightMargin: 8
                            points: row.history
                        }
                    }
                }
                MouseArea {
                    id: mouse
                    anchors.fill: parent
                    hoverEnabled: true
                    onClicked: {
                        list.currentIndex = row.index
                        view.symbolChosen(row.symbol)
                    }
                }
                ToolTip.visible: mouse.containsMouse && (Format.isNumber(row.bid) || Format.isNumber(row.ask))
                ToolTip.delay: 700
                ToolTip.text: qsTr("Bid %1 · Ask %2").arg(Format.price(row.bid)).arg(Format.price(row.ask))
            }

            Label {
                objectName: "emptyLabel"
                anchors.centerIn: parent
                visible: list.count === 0
                text: !view.model || view.model.count === 0 ? qsTr("Waiting for prices…") : qsTr("No symbol matches")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSize
            }
        }
    }
}
