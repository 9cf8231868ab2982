import QtQuick
import QtTest
import TradingFloor
import TradingFloor.Testing

// The orders panel over the real OrderModel, fed the way the order queue and the sync service do:
// local queued/sending/failed rows, server rows (accepted, filled, rejected with a reason), and
// the Retry / Cancel actions going to orderEntry (with a refusal reported, never swallowed).
Item {
    id: root
    width: 900; height: 400

    QtObject {
        id: entry
        property var retried: []
        property var cancelled: []
        property bool accept: true
        function retryOrder(id) { retried.push(id); return accept }
        function cancelOrder(id) { cancelled.push(id); return accept }
    }

    OrderModel { id: orders; ageRefreshInterval: 0 }
    OrdersView { id: view; anchors.fill: parent; model: orders; orderEntry: entry }
    SignalSpy { id: failedSpy; target: view; signalName: "actionFailed" }

    TestCase {
        name: "OrdersView"
        when: windowShown

        function initTestCase() {
            Feed.watch(orders)
            Feed.watch(view.proxy)
        }
        function local(id, secondsAgo, symbol, side, qty, type, limit) {
            const order = { client_order_id: id, symbol: symbol, side: side, qty: qty, type: type,
                            created_at: Feed.isoAgo(secondsAgo) }
            if (limit !== undefined)
                order.limit_price = limit
            verify(Feed.addPending(orders, order))
        }
        function server(id, secondsAgo, symbol, side, qty, status, extra) {
            const record = { client_order_id: id, id: "srv-" + id, symbol: symbol, side: side, qty: qty,
                             type: "market", status: status, created_at: Feed.isoAgo(secondsAgo),
                             updated_at: Feed.isoAgo(1), filled_qty: 0 }
            for (const k in extra)
                record[k] = extra[k]
            verify(Feed.upsert(orders, record))
        }
        function list() { return findChild(view, "ordersList") }
        function rowOf(id) {
            for (let i = 0; i < view.proxy.count; ++i) {
                if (view.proxy.get(i).clientOrderId === id) {
                    list().forceLayout()
                    list().positionViewAtIndex(i, 0)
                    const item = list().itemAtIndex(i)
                    verify(item, "row of " + id)
                    return item
                }
            }
            fail("no row for " + id)
        }
        function cell(id, name) { return findChild(rowOf(id), name) }

        function init() {
            orders.clear()
            entry.retried = []
            entry.cancelled = []
            entry.accept = true
            failedSpy.clear()
            local("q1", 60, "AAPL", "buy", 10, "limit", 101.5)
            local("s1", 50, "MSFT", "sell", 5, "market")
            local("f1", 40, "NVDA", "buy", 2, "market")
            server("a1", 30, "TSLA", "sell", 3, "accepted", {})
            server("p1", 25, "AMD", "buy", 100, "partially_filled", { filled_qty: 40, avg_fill_price: 150.25 })
            server("d1", 20, "META", "buy", 1, "filled", { filled_qty: 1, avg_fill_price: 480 })
            server("r1", 10, "ZZZ", "buy", 1, "rejected", { reject_reason: "unknown symbol" })
            orders.flush()
            verify(Feed.setDeliveryState(orders, "s1", OrderModel.Sending))
            verify(Feed.setDeliveryState(orders, "f1", OrderModel.Failed, "server unreachable (gave up after 8 tries)"))
            orders.flush()
        }

        function test_statesInWords() {
            compare(list().count, 7)
            compare(view.proxy.get(0).clientOrderId, "r1")        // newest first
            compare(cell("q1", "stateCell").text, "Queued")
            compare(cell("s1", "stateCell").text, "Sending…")
            compare(cell("a1", "stateCell").text, "Working")
            compare(cell("p1", "stateCell").text, "Part filled")
            compare(cell("d1", "stateCell").text, "Filled")
            compare(cell("r1", "stateCell").text, "Rejected")
            compare(cell("f1", "stateCell").text, "Failed")
            verify(Qt.colorEqual(cell("r1", "stateCell").color, Theme.down))
            verify(Qt.colorEqual(cell("d1", "stateCell").color, Theme.up))
            compare(cell("q1", "priceCell").text, Format.price(101.5))
            compare(cell("s1", "priceCell").text, "MKT")
            compare(cell("p1", "filledCell").text, "40 @ " + Format.price(150.25))
        }

        function test_reasonsShown() {
            compare(cell("r1", "reasonCell").text, "unknown symbol")
            compare(cell("f1", "reasonCell").text, "server unreachable (gave up after 8 tries)")
            verify(rowOf("r1").Accessible.name.indexOf("Rejected: unknown symbol") >= 0)
            compare(cell("d1", "reasonCell").text, "")
        }

        function test_actionsPerState() {
            const expect = { q1: [false, true], s1: [false, false], f1: [true, true], a1: [false, true],
                             p1: [false, true], d1: [false, false], r1: [false, false] }
            for (const id in expect) {
                compare(cell(id, "retryButton").visible, expect[id][0], "retry on " + id)
                compare(cell(id, "cancelButton").visible, expect[id][1], "cancel on " + id)
            }
        }

        function test_retryAndCancelFailed() {
            mouseClick(cell("f1", "retryButton"))
            compare(entry.retried, ["f1"])
            mouseClick(cell("f1", "cancelButton"))
            compare(entry.cancelled, ["f1"])
            compare(failedSpy.count, 0)
            // The queue moves it on: the row follows.
            verify(Feed.setDeliveryState(orders, "f1", OrderModel.Queued))
            orders.flush()
            tryCompare(cell("f1", "stateCell"), "text", "Queued")
            verify(!cell("f1", "retryButton").visible)
        }

        function test_refusedActionIsReported() {
            entry.accept = false
            mouseClick(cell("f1", "retryButton"))
            compare(failedSpy.count, 1)
            compare(failedSpy.signalArguments[0][0], "Could not retry buy 2 NVDA")
            mouseClick(cell("a1", "cancelButton"))
            compare(failedSpy.count, 2)
            compare(failedSpy.signalArguments[1][0], "Could not cancel sell 3 TSLA")
        }

        function test_keyboardActions() {
            view.focusList()
            verify(list().activeFocus)
            for (let i = 0; i < view.proxy.count && view.proxy.get(list().currentIndex).clientOrderId !== "f1"; ++i)
                keyClick(Qt.Key_Down)
            compare(view.proxy.get(list().currentIndex).clientOrderId, "f1")
            keyClick(Qt.Key_R)
            compare(entry.retried, ["f1"])
            keyClick(Qt.Key_Delete)
            compare(entry.cancelled, ["f1"])
            keyClick(Qt.Key_Up)                     // a1, accepted: cannot be retried
            compare(view.proxy.get(list().currentIndex).clientOrderId, "a1")
            keyClick(Qt.Key_R)
            compare(entry.retried, ["f1"])
        }

        function test_serverRowReplacesLocal() {
            server("q1", 60, "AAPL", "buy", 10, "accepted", { type: "limit", limit_price: 101.5 })
            orders.flush()
            compare(list().count, 7)                // one order, never two rows
            tryCompare(cell("q1", "stateCell"), "text", "Working")
            server("q1", 60, "AAPL", "buy", 10, "filled", { type: "limit", limit_price: 101.5, filled_qty: 10, avg_fill_price: 101.5, updated_at: Feed.isoAgo(0) })
            orders.flush()
            tryCompare(cell("q1", "stateCell"), "text", "Filled")
        }

        function test_filterBySymbol() {
            const field = findChild(view, "filterField")
            field.text = "aapl"
            compare(view.proxy.count, 1)
            field.text = "nothing"
            tryCompare(findChild(view, "emptyLabel"), "visible", true)
            compare(findChild(view, "emptyLabel").text, "No order matches the filter")
            field.text = ""
        }
    }
}
