import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TradingFloor

// Orders, newest first, local ones included from the moment they are queued: queued, sending,
// accepted, partially filled, filled, rejected (with the reason), failed (with Retry and Cancel).
// Working orders (queued, accepted, partially filled) can be cancelled. Retry and Cancel go to
// `orderEntry` (retryOrder / cancelOrder -> bool); a refusal is reported through actionFailed.
FocusScope {
    id: view

    property var model: null      // tf::OrderModel
    property var orderEntry: null // app.orderEntry
    readonly property alias proxy: orderRows

    signal actionFailed(string text)

    function focusList() {
        if (list.count > 0 && list.currentIndex < 0)
            list.currentIndex = 0
        list.forceActiveFocus()
    }
    function stateLabel(state, name) {
        switch (state) {
        case OrderModel.Queued: return qsTr("Queued")
        case OrderModel.Sending: return qsTr("Sending…")
        case OrderModel.Accepted: return qsTr("Working")
        case OrderModel.PartiallyFilled: return qsTr("Part filled")
        case OrderModel.Filled: return qsTr("Filled")
        case OrderModel.CancelRequested: return qsTr("Cancelling…")
        case OrderModel.Canceled: return qsTr("Cancelled")
        case OrderModel.Rejected: return qsTr("Rejected")
        case OrderModel.Failed: return qsTr("Failed")
        case OrderModel.Expired: return qsTr("Expired")
        }
        return name || qsTr("Unknown")
    }
    function stateColor(state) {
        switch (state) {
        case OrderModel.Filled: return Theme.up
        case OrderModel.Rejected:
        case OrderModel.Failed: return Theme.down
        case OrderModel.Queued: return Theme.warning
        case OrderModel.Sending:
        case OrderModel.Accepted:
        case OrderModel.PartiallyFilled: return Theme.accent
        }
        return Theme.textMuted
    }
    function canRetry(state) { return state === OrderModel.Failed }
    function canCancel(state) {
        return state === OrderModel.Failed || state === OrderModel.Queued
            || state === OrderModel.Accepted || state === OrderModel.PartiallyFilled
    }
    function retry(clientOrderId, summary) {
        if (!orderEntry || !orderEntry.retryOrder(clientOrderId))
            actionFailed(qsTr("Could not retry %1").arg(summary))
    }
    function cancel(clientOrderId, summary) {
        if (!orderEntry || !orderEntry.cancelOrder(clientOrderId))
            actionFailed(qsTr("Could not cancel %1").arg(summary))
    }

    implicitWidth: 700
    implicitHeight: 260
    Accessible.role: Accessible.Table
    Accessible.name: qsTr("Orders")

    RowFilterModel {
        id: orderRows
        sourceModel: view.model ? view.model : null
        filterText: filterField.text.trim()
    }

    TableColumns {
        id: cols
        availableWidth: list.width
        columns: [
            { role: "createdAt", title: qsTr("Time"), minWidth: 68, weight: 0, align: Text.AlignLeft, sortable: false },
            { role: "side", title: qsTr("Side"), minWidth: 44, weight: 0, align: Text.AlignLeft, sortable: false },
            { role: "qty", title: qsTr("Qty"), minWidth: 48, weight: 0.3, sortable: false },
            { role: "symbol", title: qsTr("Symbol"), minWidth: 62, weight: 0.3, align: Text.AlignLeft, sortable: false },
            { role: "limitPrice", title: qsTr("Price"), minWidth: 64, weight: 0.3, sortable: false },
            { role: "filledQty", title: qsTr("Filled"), minWidth: 112, weight: 0.3, optional: true, sortable: false },
            { role: "state", title: qsTr("State"), minWidth: 84, weight: 0, align: Text.AlignLeft, sortable: false },
            { role: "reason", title: qsTr("Reason"), minWidth: 80, weight: 2.5, align: Text.AlignLeft, optional: true, sortable: false },
            // Titled for screen readers; the buttons speak for themselves on screen.
            { role: "actions", title: qsTr("Actions"), minWidth: 120, weight: 0, sortable: false, hideTitle: true }
        ]
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 4
            TextField {
                id: filterField
                objectName: "filterField"
                Layout.fillWidth: true
                Layout.maximumWidth: 220
                implicitHeight: 24
                font.pixelSize: Theme.smallFontSize + 1
                placeholderText: qsTr("Filter symbol")
                Accessible.name: qsTr("Filter orders by symbol")
                Keys.onEscapePressed: (event) => {
                    if (text.length > 0) { clear(); event.accepted = true } else event.accepted = false
                }
                Keys.onDownPressed: {
                    list.currentIndex = 0
                    list.forceActiveFocus()
                }
                KeyNavigation.tab: list
            }
            Item { Layout.fillWidth: true }
        }

        SortHeader {
            Layout.fillWidth: true
            columns: cols
        }

        ListView {
            id: list
            objectName: "ordersList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: orderRows
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            currentIndex: -1
            activeFocusOnTab: true
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Order rows, newest first")
            onActiveFocusChanged: if (activeFocus && currentIndex < 0 && count > 0) currentIndex = 0

            // Keyboard: R retries, Delete / C cancels the current order.
            Keys.onPressed: (event) => {
                if (currentIndex < 0 || currentIndex >= count || event.modifiers !== Qt.NoModifier)
                    return
                const row = orderRows.get(currentIndex)
                const summary = qsTr("%1 %2 %3").arg(row.side).arg(Format.qty(row.qty)).arg(row.symbol)
                if (event.key === Qt.Key_R && view.canRetry(row.state)) {
                    view.retry(row.clientOrderId, summary)
                    event.accepted = true
                } else if ((event.key === Qt.Key_Delete || event.key === Qt.Key_C) && view.canCancel(row.state)) {
                    view.cancel(row.clientOrderId, summary)
                    event.accepted = true
                }
            }

            delegate: Rectangle {
                id: row
                required property int index
                required property string clientOrderId
                required property var symbol
                required property var side
                required property var qty
                required property var type
                required property var limitPrice
                // Not a required property: Item already has a `state` (its state-machine name).
                required property var model
                readonly property int orderState: model.state
                required property var stateName
                required property var reason
                required property var filledQty
                required property var avgFillPrice
                required property var createdAt
                required property bool pending

                readonly property string summary: qsTr("%1 %2 %3").arg(side).arg(Format.qty(qty)).arg(symbol)
                readonly property string reasonText: typeof reason === "string" ? reason : ""

                width: ListView.view.width
                height: Theme.rowHeight + 2
                color: ListView.isCurrentItem && list.activeFocus ? Theme.selection
                     : mouse.containsMouse ? Theme.rowHover
                     : index % 2 ? Theme.rowAlt : "transparent"
                Accessible.role: Accessible.Row
                Accessible.name: qsTr("%1, %2%3").arg(summary).arg(view.stateLabel(orderState, stateName))
                                 .arg(reasonText.length ? ": " + reasonText : "")

                MouseArea {
                    id: mouse
                    anchors.fill: parent
                    hoverEnabled: true
                    onClicked: {
                        list.currentIndex = row.index
                        list.forceActiveFocus()
                    }
                }

                component Cell: Label {
                    height: Theme.rowHeight + 2
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
                        text: Format.time(row.createdAt)
                        color: Theme.textMuted
                        font.family: Theme.monoFamily
                    }
                    Cell {
                        objectName: "sideCell"
                        width: cols.widths[1]
                        text: row.side === "buy" ? qsTr("BUY") : row.side === "sell" ? qsTr("SELL") : String(row.side)
                        color: Theme.sideColor(row.side)
                        font.bold: true
                        font.pixelSize: Theme.smallFontSize
                    }
                    Cell {
                        objectName: "qtyCell"
                        width: cols.widths[2]
                        horizontalAlignment: Text.AlignRight
                        text: Format.qty(row.qty)
                        font.family: Theme.monoFamily
                    }
                    Cell {
                        objectName: "symbolCell"
                        width: cols.widths[3]
                        text: String(row.symbol)
                        font.bold: true
                    }
                    Cell {
                        objectName: "priceCell"
                        width: cols.widths[4]
                        horizontalAlignment: Text.AlignRight
                        text: row.type === "limit" ? Format.price(row.limitPrice) : qsTr("MKT")
                        color: row.type === "limit" ? Theme.text : Theme.textMuted
                        font.family: Theme.monoFamily
                    }
                    Cell {
                        objectName: "filledCell"
                        width: cols.widths[5]
                        visible: width > 0
                        horizontalAlignment: Text.AlignRight
                        text: !Format.isNumber(row.filledQty) || row.filledQty <= 0 ? ""
                              : Format.isNumber(row.avgFillPrice) ? qsTr("%1 @ %2").arg(Format.qty(row.filledQty)).arg(Format.price(row.avgFillPrice))
                              : Format.qty(row.filledQty)
                        color: Theme.textMuted
                        font.family: Theme.monoFamily
                    }
                    Item {
                        width: cols.widths[6]
                        height: Theme.rowHeight + 2
                        Rectangle {
                            anchors.verticalCenter: parent.verticalCenter
                            x: 6
                            width: Math.min(parent.width - 8, stateText.implicitWidth + 12)
                            height: 16
                            radius: 3
                            color: Qt.rgba(view.stateColor(row.orderState).r, view.stateColor(row.orderState).g, view.stateColor(row.orderState).b, 0.16)
                            border.color: Qt.rgba(view.stateColor(row.orderState).r, view.stateColor(row.orderState).g, view.stateColor(row.orderState).b, 0.5)
                            Label {
                                id: stateText
                                objectName: "stateCell"
                                anchors.centerIn: parent
                                text: view.stateLabel(row.orderState, row.orderStateName)
                                color: view.stateColor(row.orderState)
                                font.pixelSize: Theme.smallFontSize
                                font.bold: true
                            }
                        }
                        HoverHandler { id: stateHover }
                        ToolTip.visible: stateHover.hovered && row.reasonText.length > 0
                        ToolTip.text: row.reasonText
                        ToolTip.delay: 300
                    }
                    Cell {
                        objectName: "reasonCell"
                        width: cols.widths[7]
                        visible: width > 0
                        text: row.reasonText
                        color: row.orderState === OrderModel.Rejected || row.orderState === OrderModel.Failed ? Theme.down : Theme.textMuted
                        font.pixelSize: Theme.smallFontSize
                    }
                    Row {
                        width: cols.widths[8]
                        height: Theme.rowHeight + 2
                        layoutDirection: Qt.RightToLeft
                        spacing: 4
                        rightPadding: 6
                        component RowAction: Button {
                            anchors.verticalCenter: parent ? parent.verticalCenter : undefined
                            implicitHeight: 20
                            implicitWidth: Math.max(54, contentItem.implicitWidth + 16)
                            font.pixelSize: Theme.smallFontSize
                            focusPolicy: Qt.NoFocus
                        }
                        RowAction {
                            objectName: "cancelButton"
                            visible: view.canCancel(row.orderState)
                            text: qsTr("Cancel")
                            onClicked: view.cancel(row.clientOrderId, row.summary)
                            Accessible.name: qsTr("Cancel order %1").arg(row.summary)
                        }
                        RowAction {
                            objectName: "retryButton"
                            visible: view.canRetry(row.orderState)
                            text: qsTr("Retry")
                            palette.button: Theme.accent
                            palette.buttonText: "white"
                            onClicked: view.retry(row.clientOrderId, row.summary)
                            Accessible.name: qsTr("Retry order %1").arg(row.summary)
                        }
                    }
                }
            }

            Label {
                objectName: "emptyLabel"
                anchors.centerIn: parent
                visible: list.count === 0
                text: !view.model || view.model.count === 0 ? qsTr("No orders yet") : qsTr("No order matches the filter")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSize
            }
        }
    }
}
