import QtQuick
import QtTest
import TradingFloor

// Toasts appear, stack, expire (errors later than confirmations) and can be dismissed.
Item {
    width: 800; height: 600

    ToastHost { id: host; anchors.fill: parent; infoMs: 100; errorMs: 400 }

    TestCase {
        name: "ToastHost"
        when: windowShown

        function init() { host.dismissAll() }

        function test_showAndExpire() {
            host.show("Order sent", "success")
            host.show("Order rejected: unknown symbol", "error")
            compare(host.count, 2)
            compare(host.messageAt(1), "Order rejected: unknown symbol")
            tryCompare(host, "count", 1, 2000)
            compare(host.messageAt(0), "Order rejected: unknown symbol")
            tryCompare(host, "count", 0, 3000)
        }
    }
}
