import QtQuick
import QtTest
import TradingFloor
import TradingFloor.Testing

// The watchlist over the real QuoteModel: last price, change, sparkline from the history, flashes,
// and a click (or Enter) on a symbol filling the order ticket, as Main wires them.
Item {
    id: root
    width: 700; height: 500

    QtObject {
        id: entry
        property bool canSubmit: true
        property string refusalReason: ""
        function validateOrder(t) { return {} }
        function submitOrder(t) { return { outcome: "sent", message: "Order sent" } }
    }

    QuoteModel { id: quotes }
    WatchlistView {
        id: view
        width: 300; height: parent.height
        model: quotes
        flashMs: 200
        onSymbolChosen: (symbol) => ticket.fill(symbol)
    }
    OrderTicket { id: ticket; x: 320; width: 300; height: 480; orderEntry: entry; quotes: quotes }
    SignalSpy { id: chosenSpy; target: view; signalName: "symbolChosen" }

    TestCase {
        name: "WatchlistView"
        when: windowShown

        function initTestCase() {
            Feed.watch(quotes)
            Feed.watch(view.proxy)
        }
        function list() { return findChild(view, "watchList") }
        function rowItem(i) {
            list().forceLayout()
            const item = list().itemAtIndex(i)
            verify(item, "row " + i)
            return item
        }

        function init() {
            quotes.clear()
            ticket.clear()
            chosenSpy.clear()
            findChild(view, "filterField").text = ""
            Feed.tick(quotes, { symbol: "AAPL", price: 100 })
            Feed.tick(quotes, { symbol: "MSFT", price: 400 })
            Feed.tick(quotes, { symbol: "NVDA", price: 900 })
            quotes.flush()
            Feed.tick(quotes, { symbol: "AAPL", price: 102 })
            Feed.tick(quotes, { symbol: "AAPL", price: 101 })
            Feed.tick(quotes, { symbol: "MSFT", price: 396 })
            quotes.flush()
        }

        function test_rows() {
            compare(list().count, 3)
            const aapl = rowItem(0)
            compare(findChild(aapl, "symbolCell").text, "AAPL")
            compare(findChild(aapl, "lastCell").text, Format.price(101))
            compare(findChild(aapl, "changeCell").text, "+1.00%")
            verify(Qt.colorEqual(findChild(aapl, "changeCell").color, Theme.up))
            const msft = rowItem(1)
            compare(findChild(msft, "changeCell").text, "-1.00%")
            verify(Qt.colorEqual(findChild(msft, "changeCell").color, Theme.down))
        }

        function test_sparklineFollowsHistory() {
            const spark = findChild(rowItem(0), "sparkline")
            compare(spark.pointCount, 3)          // 100, 102, 101: every tick is a point
            compare(spark.trend, "up")
            compare(findChild(rowItem(1), "sparkline").trend, "down")
            compare(findChild(rowItem(2), "sparkline").pointCount, 1)
            Feed.tick(quotes, { symbol: "AAPL", price: 99 })
            quotes.flush()
            tryCompare(spark, "pointCount", 4)
            compare(spark.trend, "down")
            verify(spark.Accessible.name.indexOf("down") >= 0)
        }

        function test_clickFillsTicket() {
            mouseClick(findChild(rowItem(1), "symbolCell"))
            compare(chosenSpy.count, 1)
            compare(chosenSpy.signalArguments[0][0], "MSFT")
            compare(ticket.symbol, "MSFT")
            verify(findChild(ticket, "qtyField").activeFocus, "ready for the quantity")
            compare(findChild(ticket, "lastPriceLabel").text, "Last " + Format.price(396))
        }

        function test_keyboardFillsTicket() {
            const field = findChild(view, "filterField")
            field.forceActiveFocus()
            keyClick(Qt.Key_N)
            compare(view.proxy.count, 1)
            keyClick(Qt.Key_Return)              // Enter in the filter takes the first match
            compare(ticket.symbol, "NVDA")
            field.text = ""
            field.forceActiveFocus()
            keyClick(Qt.Key_Down)                // into the list
            verify(list().activeFocus)
            keyClick(Qt.Key_Down)
            keyClick(Qt.Key_Return)
            compare(ticket.symbol, "MSFT")
        }

        function test_priceFlash() {
            const last = findChild(rowItem(2), "lastCell")
            tryCompare(last, "settling", false)
            tryCompare(last, "flashDirection", "", 2000)
            Feed.tick(quotes, { symbol: "NVDA", price: 905 })
            quotes.flush()
            tryCompare(last, "flashDirection", "up", 2000)
        }

        function test_sortByHeader() {
            mouseClick(findChild(view, "header_changePercent"))
            compare(view.proxy.get(0).symbol, "MSFT")
            mouseClick(findChild(view, "header_changePercent"))
            compare(view.proxy.get(0).symbol, "AAPL")
            view.proxy.sortRoleName = ""
        }

        function test_waitingForPrices() {
            quotes.clear()
            tryCompare(findChild(view, "emptyLabel"), "visible", true)
            compare(findChild(view, "emptyLabel").text, "Waiting for prices…")
        }
    }
}
