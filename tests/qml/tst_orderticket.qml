import QtQuick
import QtTest
import TradingFloor

// The order ticket: validation messages next to fields, keyboard flow (Tab, Enter, Esc, B/S),
// confirmation, queued/sent results, and refusal with the reason when the queue cannot be written.
Item {
    id: root
    width: 400; height: 600

    QtObject {
        id: controller
        property var submitted: []
        property bool goesOut: true
        function validateOrder(order) {
            const e = {}
            if (!order.symbol) e.symbol = "Enter a symbol"
            if (!(order.qty > 0)) e.qty = "Quantity must be more than 0"
            if (order.type === "limit" && !(order.limitPrice > 0)) e.limitPrice = "A limit order needs a price above 0"
            return e
        }
        function submitOrder(order) {
            submitted.push(order)
            return goesOut ? { ok: true, queued: false, message: "sent" }
                           : { ok: true, queued: true, message: "queued — will send when online" }
        }
    }

    OrderTicket { id: ticket; width: 320; height: 520; controller: controller; confirmBeforeSending: false }
    SignalSpy { id: submittedSpy; target: ticket; signalName: "submitted" }

    TestCase {
        name: "OrderTicket"
        when: windowShown

        function field(name) { return findChild(ticket, name) }

        function init() {
            controller.submitted = []
            controller.goesOut = true
            ticket.confirmBeforeSending = false
            ticket.queueWritable = true
            ticket.side = "buy"
            ticket.clear()
            submittedSpy.clear()
        }

        function test_validationMessagesNextToFields() {
            mouseClick(field("submitButton"))
            compare(field("symbolError").text, "Enter a symbol")
            compare(field("qtyError").text, "Quantity must be more than 0")
            verify(field("symbolError").visible)
            compare(controller.submitted.length, 0)
            ticket.orderType = "limit"
            field("symbolField").text = "AAPL"
            field("qtyField").text = "10"
            mouseClick(field("submitButton"))
            compare(field("symbolError").text, "")
            compare(field("limitError").text, "A limit order needs a price above 0")
            compare(controller.submitted.length, 0)
        }

        function test_keyboardFlowEnterSubmits() {
            field("symbolField").forceActiveFocus()
            keyClick(Qt.Key_M); keyClick(Qt.Key_S); keyClick(Qt.Key_F); keyClick(Qt.Key_T)
            compare(field("symbolField").text.toUpperCase(), "MSFT")
            keyClick(Qt.Key_Tab)          // -> buy
            keyClick(Qt.Key_Tab)          // -> sell
            keyClick(Qt.Key_Tab)          // -> quantity
            verify(field("qtyField").activeFocus)
            keyClick(Qt.Key_5)
            keyClick(Qt.Key_S)            // switch to sell outside the symbol field
            compare(ticket.side, "sell")
            keyClick(Qt.Key_B)
            compare(ticket.side, "buy")
            keyClick(Qt.Key_Return)
            compare(controller.submitted.length, 1)
            compare(controller.submitted[0].symbol, "MSFT")
            compare(controller.submitted[0].qty, 5)
            compare(controller.submitted[0].side, "buy")
            compare(controller.submitted[0].type, "market")
            compare(submittedSpy.count, 1)
            compare(submittedSpy.signalArguments[0][0].message, "sent")
            compare(field("qtyField").text, "")   // cleared for the next order, symbol kept
            compare(field("symbolField").text.toUpperCase(), "MSFT")
        }

        function test_lettersTypeInSymbolField() {
            field("symbolField").forceActiveFocus()
            keyClick(Qt.Key_S)
            keyClick(Qt.Key_B)
            compare(ticket.side, "buy")
            compare(field("symbolField").text.toUpperCase(), "SB")
        }

        function test_escapeClears() {
            field("symbolField").text = "AAPL"
            field("qtyField").text = "3"
            field("qtyField").forceActiveFocus()
            keyClick(Qt.Key_Escape)
            compare(field("symbolField").text, "")
            compare(field("qtyField").text, "")
            verify(field("symbolField").activeFocus)
        }

        function test_queuedResult() {
            controller.goesOut = false
            ticket.fill("AAPL")
            field("qtyField").text = "1"
            keyClick(Qt.Key_Return)
            compare(submittedSpy.count, 1)
            verify(submittedSpy.signalArguments[0][0].queued)
            compare(submittedSpy.signalArguments[0][0].message, "queued — will send when online")
        }

        function test_confirmationBeforeSending() {
            ticket.confirmBeforeSending = true
            ticket.fill("AAPL")
            field("qtyField").text = "2"
            keyClick(Qt.Key_Return)
            const dialog = field("confirmDialog")
            tryCompare(dialog, "opened", true)
            compare(controller.submitted.length, 0)
            dialog.accept()
            compare(controller.submitted.length, 1)
            tryCompare(dialog, "visible", false)
        }

        function test_confirmationCanBeCancelled() {
            ticket.confirmBeforeSending = true
            ticket.fill("AAPL")
            field("qtyField").text = "2"
            keyClick(Qt.Key_Return)
            const dialog = field("confirmDialog")
            tryCompare(dialog, "opened", true)
            dialog.reject()
            tryCompare(dialog, "visible", false)
            compare(controller.submitted.length, 0)
        }

        function test_refusesWhenQueueNotWritable() {
            ticket.queueWritable = false
            ticket.queueProblem = "the order queue file is read-only"
            verify(field("disabledReason").visible)
            verify(field("disabledReason").text.indexOf("read-only") >= 0)
            field("symbolField").text = "AAPL"
            field("qtyField").text = "1"
            verify(!ticket.trySubmit())
            compare(controller.submitted.length, 0)
            verify(!field("submitButton").enabled)
        }

        function test_fillFromWatchlist() {
            ticket.fill("NVDA")
            compare(field("symbolField").text, "NVDA")
            verify(field("qtyField").activeFocus)
        }
    }
}
