import QtQuick
import QtTest
import TradingFloor
import TradingFloor.Testing

// The order ticket against the app/QML contract: validation messages next to fields, keyboard
// flow (Tab, Enter, Esc, B/S, M/L), confirmation, sent/queued/refused outcomes, and the ticket
// disabled with the reason when the queue cannot be written.
Item {
    id: root
    width: 400; height: 640

    // A stand-in for app.orderEntry with the contract's rules.
    QtObject {
        id: entry
        property var submitted: []
        property string outcome: "sent"
        property bool canSubmit: true
        property string refusalReason: ""
        function validateOrder(t) {
            const e = {}
            if (!t.symbol) e.symbol = "Enter a symbol"
            if (t.qty === null) e.qty = "Enter a quantity"
            else if (!(t.qty > 0)) e.qty = "Quantity must be greater than 0"
            if (t.type === "limit" && t.limit_price === null) e.limit_price = "A limit order needs a limit price"
            return e
        }
        function submitOrder(t) {
            submitted.push(t)
            if (outcome === "refused")
                return { outcome: "refused", message: "Unknown symbol ZZZ", errors: { symbol: "Unknown symbol ZZZ", account: "Account is closed" } }
            return { outcome: outcome, clientOrderId: "c-" + submitted.length,
                     message: outcome === "sent" ? "Order sent" : "Order queued — will send when online" }
        }
    }

    QuoteModel { id: quotes }
    OrderTicket { id: ticket; width: 300; height: 560; orderEntry: entry; quotes: quotes; confirmBeforeSending: false }
    SignalSpy { id: submittedSpy; target: ticket; signalName: "submitted" }

    TestCase {
        name: "OrderTicket"
        when: windowShown

        function field(name) { return findChild(ticket, name) }
        function typeText(text) {
            for (const ch of text)
                keyClick(ch)
        }

        function initTestCase() {
            Feed.watch(quotes)
            Feed.tick(quotes, { symbol: "AAPL", price: 189.25 })
            quotes.flush()
        }

        function init() {
            entry.submitted = []
            entry.outcome = "sent"
            entry.canSubmit = true
            entry.refusalReason = ""
            ticket.confirmBeforeSending = false
            ticket.side = "buy"
            ticket.clear()
            submittedSpy.clear()
        }

        function test_validationMessagesNextToFields() {
            mouseClick(field("submitButton"))
            compare(field("symbolError").text, "Enter a symbol")
            compare(field("qtyError").text, "Enter a quantity")
            verify(field("symbolError").visible)
            verify(field("symbolField").activeFocus, "focus moves to the first field in error")
            compare(entry.submitted.length, 0)
            field("symbolField").text = "AAPL"
            field("qtyField").text = "0"
            mouseClick(field("submitButton"))
            compare(field("symbolError").text, "")
            verify(!field("symbolError").visible)
            compare(field("qtyError").text, "Quantity must be greater than 0")
            ticket.orderType = "limit"
            field("limitField").text = ""
            field("qtyField").text = "10"
            mouseClick(field("submitButton"))
            compare(field("qtyError").text, "")
            compare(field("limitError").text, "A limit order needs a limit price")
            compare(entry.submitted.length, 0)
        }

        function test_keyboardFlowEnterSubmits() {
            field("symbolField").forceActiveFocus()
            typeText("msft")
            compare(ticket.symbol, "MSFT")
            keyClick(Qt.Key_Tab)          // -> buy
            verify(field("buyButton").activeFocus)
            keyClick(Qt.Key_Tab)          // -> sell
            keyClick(Qt.Key_Tab)          // -> quantity
            verify(field("qtyField").activeFocus)
            keyClick(Qt.Key_5)
            keyClick(Qt.Key_S)            // switch to sell outside the symbol field
            compare(ticket.side, "sell")
            compare(field("submitButton").text.indexOf("Sell MSFT"), 0)
            keyClick(Qt.Key_B)
            compare(ticket.side, "buy")
            compare(field("qtyField").text, "5")   // the letters did not land in the field
            keyClick(Qt.Key_Return)
            compare(entry.submitted.length, 1)
            const sent = entry.submitted[0]
            compare(sent.symbol, "MSFT")
            compare(sent.qty, 5)
            compare(sent.side, "buy")
            compare(sent.type, "market")
            compare(sent.limit_price, null)
            compare(submittedSpy.count, 1)
            compare(submittedSpy.signalArguments[0][0].outcome, "sent")
            compare(field("outcomeLabel").text, "Order sent")
            compare(field("qtyField").text, "")   // cleared for the next order, symbol and side kept
            compare(ticket.symbol, "MSFT")
            verify(field("qtyField").activeFocus)
        }

        function test_limitOrderByKeyboard() {
            Feed.tick(quotes, { symbol: "AAPL", price: 189.25 })
            quotes.flush()
            ticket.fill("AAPL")
            typeText("100")
            keyClick(Qt.Key_L)
            compare(ticket.orderType, "limit")
            verify(field("limitField").visible)
            compare(field("limitField").text, "189.25")   // starts from the last price
            keyClick(Qt.Key_Tab)          // -> type
            keyClick(Qt.Key_Tab)          // -> limit price
            verify(field("limitField").activeFocus)
            field("limitField").selectAll()
            typeText("188.5")
            keyClick(Qt.Key_Enter)
            compare(entry.submitted.length, 1)
            compare(entry.submitted[0].type, "limit")
            compare(entry.submitted[0].limit_price, 188.5)
            compare(entry.submitted[0].qty, 100)
            keyClick(Qt.Key_M)
            compare(ticket.orderType, "market")
            verify(!field("limitField").visible)
        }

        function test_lettersTypeInSymbolField() {
            field("symbolField").forceActiveFocus()
            typeText("sbml")
            compare(ticket.side, "buy")
            compare(ticket.orderType, "market")
            compare(ticket.symbol, "SBML")
        }

        function test_escapeClears() {
            field("symbolField").text = "AAPL"
            field("qtyField").text = "3"
            ticket.errors = { qty: "x" }
            field("qtyField").forceActiveFocus()
            keyClick(Qt.Key_Escape)
            compare(field("symbolField").text, "")
            compare(field("qtyField").text, "")
            compare(field("qtyError").text, "")
            verify(field("symbolField").activeFocus)
        }

        function test_queuedResult() {
            entry.outcome = "queued"
            ticket.fill("AAPL")
            typeText("1")
            keyClick(Qt.Key_Return)
            compare(submittedSpy.count, 1)
            compare(submittedSpy.signalArguments[0][0].outcome, "queued")
            compare(field("outcomeLabel").text, "Order queued — will send when online")
            verify(Qt.colorEqual(field("outcomeLabel").color, Theme.warning))
        }

        function test_refusedKeepsTheTicketAndShowsWhy() {
            entry.outcome = "refused"
            ticket.fill("ZZZ")
            typeText("7")
            keyClick(Qt.Key_Return)
            compare(submittedSpy.count, 1)
            compare(field("symbolError").text, "Unknown symbol ZZZ")
            compare(field("otherError").text, "Account is closed")   // a message for no known field
            compare(field("qtyField").text, "7")                      // nothing the trader typed is lost
            compare(field("outcomeLabel").text, "Unknown symbol ZZZ")
        }

        function test_confirmationBeforeSending() {
            ticket.confirmBeforeSending = true
            ticket.fill("AAPL")
            typeText("2")
            keyClick(Qt.Key_Return)
            const dialog = field("confirmDialog")
            tryCompare(dialog, "opened", true)
            compare(field("confirmSummary").text, "Buy 2 AAPL at market")
            compare(entry.submitted.length, 0)
            keyClick(Qt.Key_Return)                 // Enter confirms
            tryCompare(dialog, "visible", false)
            compare(entry.submitted.length, 1)
        }

        function test_confirmationCanBeCancelled() {
            ticket.confirmBeforeSending = true
            ticket.fill("AAPL")
            typeText("2")
            keyClick(Qt.Key_Return)
            const dialog = field("confirmDialog")
            tryCompare(dialog, "opened", true)
            keyClick(Qt.Key_Escape)                 // Esc cancels
            tryCompare(dialog, "visible", false)
            compare(entry.submitted.length, 0)
            compare(field("qtyField").text, "2")
        }

        function test_refusesWhenQueueNotWritable() {
            entry.canSubmit = false
            entry.refusalReason = "the order queue file is read-only"
            verify(field("disabledReason").visible)
            compare(field("disabledReason").text, "Order entry is disabled: the order queue file is read-only")
            field("symbolField").text = "AAPL"
            field("qtyField").text = "1"
            verify(!ticket.trySubmit())
            keyClick(Qt.Key_Return)
            compare(entry.submitted.length, 0)
            verify(!field("submitButton").enabled)
            verify(field("ticketFields").opacity < 1, "looks disabled too")
            entry.canSubmit = true
            verify(!field("disabledReason").visible)
            verify(field("submitButton").enabled)
        }

        function test_noOrderEntryIsDisabledNotBroken() {
            ticket.orderEntry = null
            verify(field("disabledReason").visible)
            verify(!ticket.trySubmit())
            ticket.orderEntry = entry
        }

        function test_fillFromWatchlistShowsLastPriceAndNotional() {
            ticket.fill("AAPL")
            compare(field("symbolField").text, "AAPL")
            verify(field("qtyField").activeFocus)
            compare(field("lastPriceLabel").text, "Last " + Format.price(189.25))
            typeText("10")
            compare(field("notionalLabel").text, "≈ " + Format.price(1892.5))
            Feed.tick(quotes, { symbol: "AAPL", price: 190 })
            quotes.flush()
            tryCompare(field("lastPriceLabel"), "text", "Last " + Format.price(190))
            ticket.fill("NOPE")
            verify(!field("lastPriceLabel").visible)
        }
    }
}
