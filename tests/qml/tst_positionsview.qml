import QtQuick
import QtTest
import TradingFloor
import TradingFloor.Testing

// The positions table over the real PositionModel + QuoteModel: rows, header sorting, the filter
// box, the P&L filter, totals (all rows and filtered), P&L colours and flashing cells.
Item {
    id: root
    width: 800; height: 400

    QuoteModel { id: quotes }
    PositionModel { id: positions; quoteSource: quotes }
    PositionsView { id: view; anchors.fill: parent; model: positions; flashMs: 200 }
    SignalSpy { id: activatedSpy; target: view; signalName: "symbolActivated" }

    TestCase {
        name: "PositionsView"
        when: windowShown

        function initTestCase() {
            Feed.watch(quotes)
            Feed.watch(positions)
            Feed.watch(view.proxy)
        }

        function position(id, symbol, qty, avg, realized, secondsAgo) {
            verify(Feed.upsert(positions, { id: id, symbol: symbol, qty: qty, avg_price: avg,
                                            realized_pnl: realized, updated_at: Feed.isoAgo(secondsAgo) }))
        }

        function init() {
            positions.clear()
            quotes.clear()
            findChild(view, "filterField").text = ""
            view.proxy.pnlFilter = RowFilterModel.AllPnl
            view.proxy.sortRoleName = ""
            view.proxy.sortOrder = Qt.AscendingOrder
            position("1", "AAPL", 100, 150, 10, 60)
            position("2", "MSFT", -50, 300, -5, 60)
            position("3", "NVDA", 10, 400, 0, 60)
            Feed.tick(quotes, { symbol: "AAPL", price: 155 })    // +500 unrealized
            Feed.tick(quotes, { symbol: "MSFT", price: 310 })    // short: -500
            Feed.tick(quotes, { symbol: "NVDA", price: 420 })    // +200
            quotes.flush()
            positions.flush()
            tryCompare(positions, "totalUnrealizedPnl", 200)
        }

        function list() { return findChild(view, "positionsList") }
        function symbols() {
            const out = []
            for (let i = 0; i < view.proxy.count; ++i)
                out.push(view.proxy.get(i).symbol)
            return out
        }
        function cellOf(row, name) {
            const l = list()
            l.forceLayout()
            const item = l.itemAtIndex(row)
            verify(item, "row " + row + " exists")
            return findChild(item, name)
        }

        function test_rowsAndFormatting() {
            compare(list().count, 3)
            compare(symbols(), ["AAPL", "MSFT", "NVDA"])
            compare(cellOf(0, "lastCell").text, Format.price(155))
            compare(cellOf(0, "unrealizedCell").text, "+500.00")
            compare(cellOf(1, "unrealizedCell").text, "-500.00")
            compare(cellOf(1, "qtyCell").text, "-50")
        }

        function test_pnlColouredBySign() {
            verify(Qt.colorEqual(cellOf(0, "unrealizedCell").textColor, Theme.up))
            verify(Qt.colorEqual(cellOf(1, "unrealizedCell").textColor, Theme.down))
            verify(Qt.colorEqual(cellOf(1, "realizedCell").textColor, Theme.down))
            verify(Qt.colorEqual(cellOf(2, "realizedCell").textColor, Theme.text))   // zero is neutral
            verify(Qt.colorEqual(findChild(view, "totalUnrealized").textColor, Theme.up))
        }

        function test_sortByHeaderClick() {
            const header = findChild(view, "header_unrealizedPnl")
            mouseClick(header)
            compare(view.proxy.sortRoleName, "unrealizedPnl")
            compare(symbols(), ["MSFT", "NVDA", "AAPL"])
            verify(header.Accessible.name.indexOf("ascending") >= 0)
            mouseClick(header)
            compare(symbols(), ["AAPL", "NVDA", "MSFT"])
            mouseClick(findChild(view, "header_symbol"))
            compare(symbols(), ["AAPL", "MSFT", "NVDA"])
            // The sort stays live: MSFT's loss turns into the biggest gain.
            mouseClick(header); mouseClick(header)   // unrealized, descending
            compare(symbols(), ["AAPL", "NVDA", "MSFT"])
            Feed.tick(quotes, { symbol: "MSFT", price: 250 })   // short 50 from 300: +2500
            quotes.flush()
            tryVerify(() => view.proxy.get(0).symbol === "MSFT", 2000, "MSFT moved to the top")
        }

        function test_filterBox() {
            const field = findChild(view, "filterField")
            field.forceActiveFocus()
            keyClick(Qt.Key_S); keyClick(Qt.Key_F)     // "sf" matches MSFT only (case-insensitive)
            compare(symbols(), ["MSFT"])
            compare(findChild(view, "shownLabel").text, "1 of 3")
            keyClick(Qt.Key_Escape)
            compare(field.text, "")
            compare(view.proxy.count, 3)
            field.text = "zzz"
            tryCompare(list(), "count", 0)
            tryCompare(findChild(view, "emptyLabel"), "visible", true)
            compare(findChild(view, "emptyLabel").text, "No position matches the filter")
        }

        function test_totalsAllAndFiltered() {
            compare(view.totalUnrealized, 200)
            compare(view.totalRealized, 5)
            compare(findChild(view, "totalUnrealized").text, "+200.00")
            compare(findChild(view, "totalsLabel").text, "Total")
            findChild(view, "filterField").text = "a"   // AAPL, NVDA
            tryCompare(view, "totalUnrealized", 700)
            compare(view.totalRealized, 10)
            compare(findChild(view, "totalsLabel").text, "Total (2 of 3 shown)")
            // Filtered totals follow live prices too.
            Feed.tick(quotes, { symbol: "NVDA", price: 430 })   // +100 more
            quotes.flush()
            tryCompare(view, "totalUnrealized", 800)
            findChild(view, "filterField").text = ""
            compare(view.totalUnrealized, positions.totalUnrealizedPnl)
        }

        function test_pnlFilter() {
            view.proxy.pnlFilter = RowFilterModel.Losers
            compare(symbols(), ["MSFT"])
            tryCompare(view, "totalUnrealized", -500)
            view.proxy.pnlFilter = RowFilterModel.Winners
            compare(symbols(), ["AAPL", "NVDA"])
        }

        function test_cellFlashesOnChange() {
            const last = cellOf(0, "lastCell")
            const unrl = cellOf(0, "unrealizedCell")
            tryCompare(last, "settling", false)
            tryCompare(last, "flashDirection", "", 2000)
            Feed.tick(quotes, { symbol: "AAPL", price: 156 })
            quotes.flush()
            tryCompare(last, "flashDirection", "up", 2000)
            compare(unrl.flashDirection, "up")
            compare(cellOf(0, "avgCell").flashDirection, "")   // unchanged cells stay still
            tryCompare(last, "flashDirection", "", 2000)
            Feed.tick(quotes, { symbol: "AAPL", price: 154 })
            quotes.flush()
            tryCompare(last, "flashDirection", "down", 2000)
        }

        function test_resortDoesNotFlash() {
            tryCompare(cellOf(0, "lastCell"), "flashDirection", "", 2000)
            mouseClick(findChild(view, "header_lastPrice"))
            mouseClick(findChild(view, "header_lastPrice"))   // descending: rows change places
            compare(symbols(), ["NVDA", "MSFT", "AAPL"])
            wait(0)
            for (let i = 0; i < 3; ++i)
                compare(cellOf(i, "lastCell").flashDirection, "", "row " + i)
        }

        function test_enterSendsSymbolToTicket() {
            list().forceActiveFocus()
            compare(list().currentIndex, 0)
            keyClick(Qt.Key_Down)
            keyClick(Qt.Key_Return)
            compare(activatedSpy.count, 1)
            compare(activatedSpy.signalArguments[0][0], "MSFT")
            mouseDoubleClickSequence(cellOf(2, "lastCell"))
            compare(activatedSpy.count, 2)
            compare(activatedSpy.signalArguments[1][0], "NVDA")
        }

        function test_deleteRemovesRow() {
            verify(Feed.removeRecord(positions, { id: "2" }))
            positions.flush()
            compare(symbols(), ["AAPL", "NVDA"])
            compare(positions.totalUnrealizedPnl, 700)
            compare(view.totalUnrealized, 700)
        }
    }
}
