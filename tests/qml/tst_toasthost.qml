import QtQuick
import QtTest
import TradingFloor

// Toasts appear, stack, expire (errors later than confirmations), can be dismissed, show a repeated
// notice once, and never pile up beyond maxToasts.
Item {
    width: 800; height: 600

    ToastHost { id: host; anchors.fill: parent; infoMs: 100; errorMs: 400; maxToasts: 3 }

    TestCase {
        name: "ToastHost"
        when: windowShown

        function init() { host.dismissAll() }

        function test_showAndExpire() {
            host.show("Order sent", "success")
            host.show("Order rejected: unknown symbol", "error")
            compare(host.count, 2)
            compare(host.messageAt(1), "Order rejected: unknown symbol")
            compare(host.kindAt(1), "error")
            tryCompare(host, "count", 1, 2000)
            compare(host.messageAt(0), "Order rejected: unknown symbol")
            tryCompare(host, "count", 0, 3000)
        }

        function test_sameNoticeShowsOnce() {
            host.show("Order queued — will send when online", "warning")
            host.show("Order queued — will send when online", "warning")
            compare(host.count, 1)
            host.show("Order queued — will send when online", "error")   // another kind is another notice
            compare(host.count, 2)
        }

        function test_boundedStack() {
            for (let i = 0; i < 5; ++i)
                host.show("notice " + i, "error")
            compare(host.count, 3)
            compare(host.messageAt(0), "notice 2")
            compare(host.messageAt(2), "notice 4")
        }

        function test_clickDismisses() {
            host.show("Filled 10 AAPL", "error")
            waitForRendering(host)
            mouseClick(host, host.width - 40, host.height - 30)
            tryCompare(host, "count", 0, 1000)
        }

        function test_emptyIgnored() {
            host.show("", "info")
            compare(host.count, 0)
        }
    }
}
