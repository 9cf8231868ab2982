import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Order entry, keyboard first: Tab walks the fields, Enter submits, Esc clears, B / S switch the
// side and M / L the type (outside the symbol field, where letters are the symbol).
//
// `orderEntry` is the app's order entry object (a plain QtObject in tests) with:
//   validateOrder(ticket) -> { field: message }   (empty = valid; fields as in the ticket)
//   submitOrder(ticket)   -> { outcome: "sent" | "queued" | "refused", message, clientOrderId }
//   canSubmit: bool        refusalReason: string (why the ticket is disabled)
// where ticket = { symbol, side: "buy"|"sell", qty, type: "market"|"limit", limit_price }
// (qty / limit_price are null when empty). `quotes` (optional, a QuoteModel) shows the last price.
FocusScope {
    id: ticket

    property var orderEntry: null
    property var quotes: null
    property bool confirmBeforeSending: true

    property string side: "buy"
    property string orderType: "market"
    // Messages per field from the last validation or refusal; "" = field is fine.
    property var errors: ({})
    // The outcome of the last submit, shown under the button: "", "sent", "queued", "refused".
    property string lastOutcome: ""
    property string lastMessage: ""

    readonly property bool canSubmit: orderEntry !== null && orderEntry !== undefined && orderEntry.canSubmit !== false
    readonly property string refusalReason: !orderEntry ? qsTr("order entry is not available")
                                            : (orderEntry.refusalReason || "")
    readonly property string symbol: symbolField.text.trim().toUpperCase()
    property var lastPrice: undefined

    // After every submit that reached the order entry, with its result.
    signal submitted(var result)

    function fill(symbol) {
        symbolField.text = symbol
        errors = ({})
        qtyField.forceActiveFocus()
        qtyField.selectAll()
    }
    function clear() {
        symbolField.text = ""
        qtyField.text = ""
        limitField.text = ""
        orderType = "market"
        errors = ({})
        lastOutcome = ""
        lastMessage = ""
        symbolField.forceActiveFocus()
    }
    function focusSymbol() {
        symbolField.forceActiveFocus()
        symbolField.selectAll()
    }
    function _number(text) {
        const t = text.trim()
        if (t.length === 0)
            return null
        // The field's validator accepts the locale's digits; plain "1234.5" always reads too.
        try {
            return Number.fromLocaleString(Qt.locale(), t)
        } catch (e) {
            return Number(t)
        }
    }
    function currentOrder() {
        return {
            symbol: symbol,
            side: side,
            qty: _number(qtyField.text),
            type: orderType,
            limit_price: orderType === "limit" ? _number(limitField.text) : null
        }
    }
    // Validates and, when valid, sends (after the confirmation when that is on). False when the
    // ticket cannot be submitted or has errors.
    function trySubmit() {
        if (!canSubmit)
            return false
        const order = currentOrder()
        errors = orderEntry.validateOrder(order) || ({})
        if (Object.keys(errors).length > 0) {
            lastOutcome = ""
            lastMessage = ""
            _focusFirstError()
            return false
        }
        if (confirmBeforeSending) {
            confirmDialog.order = order
            confirmDialog.open()
            return true
        }
        send(order)
        return true
    }
    function send(order) {
        const result = orderEntry.submitOrder(order) || ({ outcome: "refused", message: qsTr("No answer from order entry") })
        const outcome = result.outcome || "refused"
        lastOutcome = outcome
        lastMessage = result.message || (outcome === "sent" ? qsTr("Order sent")
                                         : outcome === "queued" ? qsTr("Order queued — will send when online")
                                         : qsTr("Order refused"))
        if (outcome === "refused") {
            errors = result.errors || ({})
        } else {
            // Keep symbol and side for the next order; the size is per order.
            qtyField.text = ""
            limitField.text = ""
            errors = ({})
            qtyField.forceActiveFocus()
        }
        submitted(result)
    }
    // Messages not tied to a field shown above (unknown keys from the order entry).
    readonly property string otherErrors: {
        const known = ["symbol", "side", "qty", "type", "limit_price"]
        return Object.keys(errors).filter(k => known.indexOf(k) < 0).map(k => errors[k]).join("\n")
    }
    function _focusFirstError() {
        if (errors.symbol) symbolField.forceActiveFocus()
        else if (errors.qty) qtyField.forceActiveFocus()
        else if (errors.limit_price) limitField.forceActiveFocus()
    }
    function _refreshLastPrice() {
        const value = quotes && symbol.length > 0 ? quotes.lastPrice(symbol) : undefined
        lastPrice = Format.isNumber(value) ? value : undefined
    }
    onSymbolChanged: _refreshLastPrice()
    onQuotesChanged: _refreshLastPrice()
    Connections {
        target: ticket.quotes
        ignoreUnknownSignals: true
        function onQuotesChanged(symbols) {
            if (symbols.indexOf(ticket.symbol) >= 0)
                ticket._refreshLastPrice()
        }
    }
    onOrderTypeChanged: {
        // A limit order starts from the last price: the trader adjusts instead of typing it all.
        if (orderType === "limit" && limitField.text.length === 0 && Format.isNumber(lastPrice))
            limitField.text = Number(lastPrice).toFixed(2)
    }
    readonly property var notional: {
        const q = _number(qtyField.text)
        const p = orderType === "limit" ? _number(limitField.text) : lastPrice
        return Format.isNumber(q) && Format.isNumber(p) ? q * p : undefined
    }

    implicitWidth: 280
    implicitHeight: layout.implicitHeight + 2 * Theme.spacing
    Accessible.role: Accessible.Form
    Accessible.name: qsTr("Order ticket")

    // B / S pick the side, M / L the type. Fields and buttons route their keys here first (a
    // TextField would otherwise swallow the letter even though its validator rejects it).
    function handleLetterKey(event) {
        if (event.modifiers !== Qt.NoModifier && event.modifiers !== Qt.KeypadModifier)
            return
        switch (event.key) {
        case Qt.Key_B: side = "buy"; break
        case Qt.Key_S: side = "sell"; break
        case Qt.Key_M: orderType = "market"; break
        case Qt.Key_L: orderType = "limit"; break
        default: return
        }
        event.accepted = true
    }

    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Escape) {
            clear()
            event.accepted = true
        } else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && !confirmDialog.visible) {
            trySubmit()
            event.accepted = true
        } else if (!symbolField.activeFocus) {
            handleLetterKey(event)
        }
    }

    component FieldLabel: Label {
        color: Theme.textMuted
        font.pixelSize: Theme.smallFontSize
    }
    component ErrorLabel: Label {
        visible: text.length > 0
        color: Theme.down
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 3

        Label {
            objectName: "disabledReason"
            visible: !ticket.canSubmit
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: qsTr("Order entry is disabled: %1").arg(ticket.refusalReason)
            color: Theme.warning
            font.pixelSize: Theme.smallFontSize
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }

        ColumnLayout {
            objectName: "ticketFields"
            Layout.fillWidth: true
            spacing: 3
            enabled: ticket.canSubmit
            // The side and submit buttons have their own colours: dim the whole form so a
            // disabled ticket never looks ready to send.
            opacity: enabled ? 1 : 0.45

            RowLayout {
                Layout.fillWidth: true
                FieldLabel { text: qsTr("Symbol"); Layout.fillWidth: true }
                Label {
                    objectName: "lastPriceLabel"
                    visible: Format.isNumber(ticket.lastPrice)
                    text: qsTr("Last %1").arg(Format.price(ticket.lastPrice))
                    color: Theme.textMuted
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.smallFontSize
                }
            }
            TextField {
                id: symbolField
                objectName: "symbolField"
                Layout.fillWidth: true
                focus: true
                placeholderText: "AAPL"
                font.capitalization: Font.AllUppercase
                font.bold: true
                maximumLength: 16
                validator: RegularExpressionValidator { regularExpression: /[A-Za-z0-9.\-]*/ }
                Accessible.name: qsTr("Symbol")
                Accessible.description: ticket.errors.symbol || ""
                KeyNavigation.tab: buyButton
            }
            ErrorLabel { objectName: "symbolError"; text: ticket.errors.symbol || "" }

            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 2
                spacing: 4
                Button {
                    id: buyButton
                    objectName: "buyButton"
                    Layout.fillWidth: true
                    text: qsTr("Buy (B)")
                    checkable: true
                    checked: ticket.side === "buy"
                    onClicked: ticket.side = "buy"
                    palette.button: checked ? Theme.upFill : Theme.panelAlt
                    palette.buttonText: checked ? "white" : Theme.textMuted
                    font.bold: checked
                    Keys.onPressed: (event) => ticket.handleLetterKey(event)
                    Accessible.name: qsTr("Buy side")
                    KeyNavigation.tab: sellButton
                }
                Button {
                    id: sellButton
                    objectName: "sellButton"
                    Layout.fillWidth: true
                    text: qsTr("Sell (S)")
                    checkable: true
                    checked: ticket.side === "sell"
                    onClicked: ticket.side = "sell"
                    palette.button: checked ? Theme.downFill : Theme.panelAlt
                    palette.buttonText: checked ? "white" : Theme.textMuted
                    font.bold: checked
                    Keys.onPressed: (event) => ticket.handleLetterKey(event)
                    Accessible.name: qsTr("Sell side")
                    KeyNavigation.tab: qtyField
                }
            }
            ErrorLabel { objectName: "sideError"; text: ticket.errors.side || "" }

            GridLayout {
                Layout.fillWidth: true
                columns: 2
                rowSpacing: 3
                columnSpacing: 6

                FieldLabel { text: qsTr("Quantity") }
                FieldLabel { text: qsTr("Type (M / L)") }
                TextField {
                    id: qtyField
                    objectName: "qtyField"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    horizontalAlignment: Text.AlignRight
                    font.family: Theme.monoFamily
                    inputMethodHints: Qt.ImhFormattedNumbersOnly
                    validator: DoubleValidator { bottom: 0; notation: DoubleValidator.StandardNotation }
                    Keys.onPressed: (event) => ticket.handleLetterKey(event)
                    Accessible.name: qsTr("Quantity")
                    Accessible.description: ticket.errors.qty || ""
                    KeyNavigation.tab: typeBox
                }
                ComboBox {
                    id: typeBox
                    objectName: "typeBox"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    model: [qsTr("Market"), qsTr("Limit")]
                    currentIndex: ticket.orderType === "limit" ? 1 : 0
                    onActivated: (index) => ticket.orderType = index === 1 ? "limit" : "market"
                    Keys.onPressed: (event) => ticket.handleLetterKey(event)
                    Accessible.name: qsTr("Order type")
                    KeyNavigation.tab: ticket.orderType === "limit" ? limitField : submitButton
                }
            }
            ErrorLabel { objectName: "qtyError"; text: ticket.errors.qty || "" }
            ErrorLabel { objectName: "typeError"; text: ticket.errors.type || "" }

            FieldLabel {
                visible: ticket.orderType === "limit"
                text: qsTr("Limit price")
            }
            TextField {
                id: limitField
                objectName: "limitField"
                visible: ticket.orderType === "limit"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignRight
                font.family: Theme.monoFamily
                inputMethodHints: Qt.ImhFormattedNumbersOnly
                validator: DoubleValidator { bottom: 0; notation: DoubleValidator.StandardNotation }
                Keys.onPressed: (event) => ticket.handleLetterKey(event)
                Accessible.name: qsTr("Limit price")
                Accessible.description: ticket.errors.limit_price || ""
                KeyNavigation.tab: submitButton
            }
            ErrorLabel { objectName: "limitError"; text: ticket.errors.limit_price || "" }
            ErrorLabel { objectName: "otherError"; text: ticket.otherErrors }

            RowLayout {
                Layout.fillWidth: true
                FieldLabel { text: qsTr("Notional"); Layout.fillWidth: true }
                Label {
                    objectName: "notionalLabel"
                    text: Format.isNumber(ticket.notional) ? "≈ " + Format.price(ticket.notional) : Format.none
                    color: Theme.textMuted
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.smallFontSize
                }
            }

            Button {
                id: submitButton
                objectName: "submitButton"
                Layout.fillWidth: true
                Layout.topMargin: 2
                implicitHeight: 32
                text: (ticket.side === "buy" ? qsTr("Buy") : qsTr("Sell"))
                      + (ticket.symbol.length ? " " + ticket.symbol : "") + "  ⏎"
                font.bold: true
                palette.button: ticket.side === "buy" ? Theme.upFill : Theme.downFill
                palette.buttonText: "white"
                onClicked: ticket.trySubmit()
                Keys.onPressed: (event) => ticket.handleLetterKey(event)
                Accessible.name: ticket.side === "buy" ? qsTr("Submit buy order") : qsTr("Submit sell order")
                // No wrap back to the symbol: Tab goes on to the next panel (no keyboard trap).
            }
        }

        Label {
            objectName: "outcomeLabel"
            visible: text.length > 0
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: ticket.lastMessage
            color: ticket.lastOutcome === "sent" ? Theme.up : ticket.lastOutcome === "queued" ? Theme.warning : Theme.down
            font.pixelSize: Theme.smallFontSize
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Item { Layout.fillHeight: true }
    }

    Dialog {
        id: confirmDialog
        objectName: "confirmDialog"
        property var order: ({})
        parent: Overlay.overlay
        anchors.centerIn: parent
        title: qsTr("Send this order?")
        modal: true
        focus: true
        width: 320
        standardButtons: Dialog.Ok | Dialog.Cancel
        onAccepted: ticket.send(order)
        onClosed: ticket.forceActiveFocus()
        Component.onCompleted: standardButton(Dialog.Ok).text = qsTr("Send")

        contentItem: Item {
            implicitHeight: summary.implicitHeight + 24
            focus: true
            Accessible.role: Accessible.Dialog
            Accessible.name: confirmDialog.title + " " + summary.text
            Keys.onReturnPressed: confirmDialog.accept()
            Keys.onEnterPressed: confirmDialog.accept()
            Label {
                id: summary
                objectName: "confirmSummary"
                width: parent.width
                wrapMode: Text.Wrap
                text: confirmDialog.order.side === undefined ? ""
                      : qsTr("%1 %2 %3 at %4").arg(confirmDialog.order.side === "buy" ? qsTr("Buy") : qsTr("Sell"))
                                             .arg(Format.qty(confirmDialog.order.qty))
                                             .arg(confirmDialog.order.symbol)
                                             .arg(confirmDialog.order.type === "limit" ? Format.price(confirmDialog.order.limit_price)
                                                                                       : qsTr("market"))
                color: Theme.text
                font.pixelSize: Theme.fontSize + 1
                font.bold: true
            }
            Label {
                anchors.top: summary.bottom
                anchors.topMargin: 6
                text: qsTr("Enter sends · Esc cancels")
                color: Theme.textMuted
                font.pixelSize: Theme.smallFontSize
            }
        }
    }
}
