import QtQuick
import QtTest
import TradingFloor
import TradingFloor.Testing

// The blotter over the real TradeModel: newest first, formatting, side colours, the filter box and
// side switch, "N older trades not shown" when the model is bounded, Enter to the ticket.
Item {
    id: root
    width: 600; height: 400

    TradeModel { id: trades; maxRows: 3 }
    TradesView { id: view; anchors.fill: parent; model: trades }
    SignalSpy { id: activatedSpy; target: view; signalName: "symbolActivated" }

    TestCase {
        name: "TradesView"
        when: windowShown

        function initTestCase() {
            Feed.watch(trades)
            Feed.watch(view.proxy)
        }
        function trade(id, secondsAgo, symbol, side, qty, price) {
            verify(Feed.upsert(trades, { id: id, executed_at: Feed.isoAgo(secondsAgo), symbol: symbol, side: side,
                                         qty: qty, price: price, order_id: "ord-" + id }))
        }
        function list() { return findChild(view, "tradesList") }
        function cell(row, name) {
            list().forceLayout()
            const item = list().itemAtIndex(row)
            verify(item, "row " + row)
            return findChild(item, name)
        }
        function symbols() {
            const out = []
            for (let i = 0; i < view.proxy.count; ++i)
                out.push(view.proxy.get(i).symbol)
            return out
        }

        function init() {
            trades.clear()
            trades.maxRows = 3
            findChild(view, "filterField").text = ""
            view.proxy.sideFilter = RowFilterModel.AllSides
            activatedSpy.clear()
            trade("1", 30, "AAPL", "buy", 100, 189.5)
            trade("2", 20, "MSFT", "sell", 5, 402.25)
            trade("3", 10, "NVDA", "buy", 1.5, 880)
            trades.flush()
        }

        function test_newestFirstAndFormatted() {
            compare(symbols(), ["NVDA", "MSFT", "AAPL"])
            compare(cell(0, "qtyCell").text, "1.5")
            compare(cell(1, "priceCell").text, Format.price(402.25))
            compare(cell(1, "sideCell").text, "SELL")
            verify(Qt.colorEqual(cell(1, "sideCell").color, Theme.down))
            verify(Qt.colorEqual(cell(0, "sideCell").color, Theme.up))
            compare(cell(2, "orderCell").text, "ord-1")
            const t = trades.get(0).time
            compare(cell(0, "timeCell").text, Qt.formatTime(t, "HH:mm:ss"))
            verify(!findChild(view, "notShownBar").visible)
        }

        function test_olderTradesNotShown() {
            trade("4", 5, "AMD", "buy", 10, 150)    // pushes AAPL out (maxRows 3)
            trades.flush()
            compare(symbols(), ["AMD", "NVDA", "MSFT"])
            compare(trades.notShownCount, 1)
            tryCompare(findChild(view, "notShownBar"), "visible", true)
            compare(findChild(view, "notShownLabel").text, "1 older trade not shown")
            trade("5", 4, "AMD", "sell", 10, 151)
            trade("6", 3, "AMD", "buy", 10, 152)
            trades.flush()
            compare(findChild(view, "notShownLabel").text, "3 older trades not shown")
            trade("0", 600, "OLD", "buy", 1, 1)     // a catch-up older than every row: counted, not shown
            trades.flush()
            compare(findChild(view, "notShownLabel").text, "4 older trades not shown")
            verify(symbols().indexOf("OLD") < 0)
        }

        function test_filterAndSide() {
            const field = findChild(view, "filterField")
            field.forceActiveFocus()
            keyClick(Qt.Key_A)
            compare(symbols(), ["NVDA", "AAPL"])
            view.proxy.sideFilter = RowFilterModel.SellsOnly
            compare(symbols(), [])
            tryCompare(findChild(view, "emptyLabel"), "visible", true)
            keyClick(Qt.Key_Escape)
            compare(symbols(), ["MSFT"])
            view.proxy.sideFilter = RowFilterModel.BuysOnly
            compare(symbols(), ["NVDA", "AAPL"])
        }

        function test_sideBoxSwitchesFilter() {
            const box = findChild(view, "sideFilterBox")
            box.forceActiveFocus()
            keyClick(Qt.Key_Down)        // Fusion ComboBox: arrows change the choice
            compare(view.proxy.sideFilter, RowFilterModel.BuysOnly)
            compare(symbols(), ["NVDA", "AAPL"])
        }

        function test_enterSendsSymbol() {
            findChild(view, "filterField").forceActiveFocus()
            keyClick(Qt.Key_Down)
            verify(list().activeFocus)
            keyClick(Qt.Key_Down)
            keyClick(Qt.Key_Return)
            compare(activatedSpy.count, 1)
            compare(activatedSpy.signalArguments[0][0], "MSFT")
        }

        function test_newTradeArrivesOnTop() {
            trade("9", 1, "TSLA", "sell", 3, 250)
            trades.flush()
            compare(symbols()[0], "TSLA")
            compare(cell(0, "symbolCell").text, "TSLA")
        }
    }
}
