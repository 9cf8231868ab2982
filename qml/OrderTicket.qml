import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Order entry, keyboard first: Tab walks the fields, Enter submits, Esc clears, B / S switch the
// side (outside the symbol field, where letters are the symbol).
//
// `controller` is the app's order entry object (a plain QtObject in tests) with:
//   validateOrder(order) -> { symbol: "...", qty: "...", limitPrice: "..." }  (empty = valid)
//   submitOrder(order)   -> { ok: bool, queued: bool, message: string }
// where order = { symbol, side: "buy"|"sell", qty: number, type: "market"|"limit", limitPrice }.
FocusScope {
    id: ticket

    property var controller
    property bool queueWritable: true
    property string queueProblem: ""
    property bool confirmBeforeSending: true

    property string side: "buy"
    property string orderType: "market"
    property var errors: ({})

    // Emitted after every submit attempt that reached the controller, with its result.
    signal submitted(var result)

    readonly property bool canSubmit: queueWritable && controller !== undefined && controller !== null

    function fill(symbol) {
        symbolField.text = symbol
        qtyField.forceActiveFocus()
    }
    function clear() {
        symbolField.text = ""
        qtyField.text = ""
        limitField.text = ""
        orderType = "market"
        errors = ({})
        symbolField.forceActiveFocus()
    }
    function currentOrder() {
        return {
            symbol: symbolField.text.trim().toUpperCase(),
            side: side,
            qty: qtyField.text.length ? Number(qtyField.text) : NaN,
            type: orderType,
            limitPrice: orderType === "limit" && limitField.text.length ? Number(limitField.text) : NaN
        }
    }
    function trySubmit() {
        if (!canSubmit)
            return false
        const order = currentOrder()
        errors = controller.validateOrder(order) || ({})
        if (Object.keys(errors).length > 0)
            return false
        if (confirmBeforeSending) {
            confirmDialog.order = order
            confirmDialog.open()
            return true
        }
        send(order)
        return true
    }
    function send(order) {
        const result = controller.submitOrder(order)
        submitted(result)
        if (result && result.ok) {
            qtyField.text = ""
            limitField.text = ""
            errors = ({})
        }
    }

    implicitWidth: 300
    implicitHeight: layout.implicitHeight + 2 * Theme.spacing
    Accessible.role: Accessible.Form
    Accessible.name: qsTr("Order ticket")

    // B / S pick the side. Numeric fields and buttons route their keys here first (a TextField
    // would otherwise swallow the letter even though its validator rejects it).
    function handleSideKey(event) {
        if (event.modifiers === Qt.NoModifier && (event.key === Qt.Key_B || event.key === Qt.Key_S)) {
            side = event.key === Qt.Key_B ? "buy" : "sell"
            event.accepted = true
        }
    }

    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Escape) {
            clear()
            event.accepted = true
        } else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && !confirmDialog.visible) {
            trySubmit()
            event.accepted = true
        } else if (!symbolField.activeFocus) {
            handleSideKey(event)
        }
    }

    Rectangle { anchors.fill: parent; color: Theme.panel; border.color: Theme.border; radius: 4 }

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 4
        enabled: ticket.canSubmit

        Label { text: qsTr("Order ticket"); color: Theme.text; font.bold: true; font.pixelSize: Theme.fontSize }

        Label { text: qsTr("Symbol"); color: Theme.textMuted; font.pixelSize: Theme.smallFontSize }
        TextField {
            id: symbolField
            objectName: "symbolField"
            Layout.fillWidth: true
            focus: true
            placeholderText: qsTr("e.g. AAPL")
            font.capitalization: Font.AllUppercase
            Accessible.name: qsTr("Symbol")
            KeyNavigation.tab: buyButton
        }
        Label {
            objectName: "symbolError"
            visible: text.length > 0
            text: ticket.errors.symbol || ""
            color: Theme.down
            font.pixelSize: Theme.smallFontSize
        }

        RowLayout {
            Layout.fillWidth: true
            Button {
                id: buyButton
            Keys.onPressed: (event) => ticket.handleSideKey(event)
                objectName: "buyButton"
                Layout.fillWidth: true
                text: qsTr("Buy (B)")
                checkable: true
                checked: ticket.side === "buy"
                onClicked: ticket.side = "buy"
                palette.button: checked ? Theme.up : Theme.panelAlt
                Accessible.name: qsTr("Buy side")
                KeyNavigation.tab: sellButton
            }
            Button {
                id: sellButton
            Keys.onPressed: (event) => ticket.handleSideKey(event)
                objectName: "sellButton"
                Layout.fillWidth: true
                text: qsTr("Sell (S)")
                checkable: true
                checked: ticket.side === "sell"
                onClicked: ticket.side = "sell"
                palette.button: checked ? Theme.down : Theme.panelAlt
                Accessible.name: qsTr("Sell side")
                KeyNavigation.tab: qtyField
            }
        }

        Label { text: qsTr("Quantity"); color: Theme.textMuted; font.pixelSize: Theme.smallFontSize }
        TextField {
            id: qtyField
            Keys.onPressed: (event) => ticket.handleSideKey(event)
            objectName: "qtyField"
            Layout.fillWidth: true
            inputMethodHints: Qt.ImhFormattedNumbersOnly
            validator: DoubleValidator { bottom: 0; notation: DoubleValidator.StandardNotation }
            Accessible.name: qsTr("Quantity")
            KeyNavigation.tab: typeBox
        }
        Label {
            objectName: "qtyError"
            visible: text.length > 0
            text: ticket.errors.qty || ""
            color: Theme.down
            font.pixelSize: Theme.smallFontSize
        }

        Label { text: qsTr("Type"); color: Theme.textMuted; font.pixelSize: Theme.smallFontSize }
        ComboBox {
            id: typeBox
            objectName: "typeBox"
            Layout.fillWidth: true
            model: [qsTr("Market"), qsTr("Limit")]
            currentIndex: ticket.orderType === "limit" ? 1 : 0
            onActivated: (index) => ticket.orderType = index === 1 ? "limit" : "market"
            Accessible.name: qsTr("Order type")
            KeyNavigation.tab: ticket.orderType === "limit" ? limitField : submitButton
        }

        Label {
            visible: ticket.orderType === "limit"
            text: qsTr("Limit price")
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
        TextField {
            id: limitField
            Keys.onPressed: (event) => ticket.handleSideKey(event)
            objectName: "limitField"
            visible: ticket.orderType === "limit"
            Layout.fillWidth: true
            inputMethodHints: Qt.ImhFormattedNumbersOnly
            validator: DoubleValidator { bottom: 0; notation: DoubleValidator.StandardNotation }
            Accessible.name: qsTr("Limit price")
            KeyNavigation.tab: submitButton
        }
        Label {
            objectName: "limitError"
            visible: text.length > 0
            text: ticket.errors.limitPrice || ""
            color: Theme.down
            font.pixelSize: Theme.smallFontSize
        }

        Button {
            id: submitButton
            Keys.onPressed: (event) => ticket.handleSideKey(event)
            objectName: "submitButton"
            Layout.fillWidth: true
            text: ticket.side === "buy" ? qsTr("Submit buy") : qsTr("Submit sell")
            onClicked: ticket.trySubmit()
            Accessible.name: text
            KeyNavigation.tab: symbolField
        }
    }

    Label {
        objectName: "disabledReason"
        visible: !ticket.queueWritable
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: Theme.spacing
        wrapMode: Text.Wrap
        text: qsTr("Order entry is disabled: %1").arg(ticket.queueProblem)
        color: Theme.warning
        font.pixelSize: Theme.smallFontSize
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }

    Dialog {
        id: confirmDialog
        objectName: "confirmDialog"
        property var order: ({})
        title: qsTr("Send this order?")
        modal: true
        width: 300
        anchors.centerIn: parent
        standardButtons: Dialog.Ok | Dialog.Cancel
        onAccepted: ticket.send(order)
        Label {
            text: confirmDialog.order.side === undefined ? "" : qsTr("%1 %2 %3 at %4")
                .arg(confirmDialog.order.side === "buy" ? qsTr("Buy") : qsTr("Sell"))
                .arg(confirmDialog.order.qty)
                .arg(confirmDialog.order.symbol)
                .arg(confirmDialog.order.type === "limit" ? confirmDialog.order.limitPrice : qsTr("market"))
            color: Theme.text
        }
    }
}
