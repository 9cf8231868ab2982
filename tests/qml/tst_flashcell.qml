import QtQuick
import QtTest
import TradingFloor

// A value change flashes green up / red down, then fades; a recycled delegate does not flash.
Item {
    width: 200; height: 40

    FlashCell { id: cell; width: 120; rowKey: "AAPL"; value: 100; flashMs: 150; decimals: 2 }

    TestCase {
        name: "FlashCell"
        when: windowShown

        function init() {
            cell.rowKey = "AAPL"
            cell.value = 100
            tryCompare(cell, "settling", false)
            tryCompare(cell, "flashDirection", "", 2000)
        }

        function test_upThenIdle() {
            cell.value = 101.5
            compare(cell.flashDirection, "up")
            tryCompare(cell, "flashDirection", "", 2000)
        }

        function test_valueBeforeKeyDoesNotFlash() {
            cell.value = 10
            tryCompare(cell, "flashDirection", "", 2000)
            cell.value = 500
            cell.rowKey = "NVDA"
            tryCompare(cell, "settling", false)
            // The first value of the new row arrived before its key: it flashed as a move of the
            // old row; the key change must clear that.
            compare(cell.flashDirection, "")
        }

        function test_down() {
            cell.value = 50
            cell.value = 49
            compare(cell.flashDirection, "down")
        }

        function test_sameValueNoFlash() {
            cell.value = 10
            tryCompare(cell, "flashDirection", "", 2000)
            cell.value = 10
            compare(cell.flashDirection, "")
        }

        function test_recycledDelegateDoesNotFlash() {
            cell.value = 10
            tryCompare(cell, "flashDirection", "", 2000)
            cell.rowKey = "MSFT"
            cell.value = 300
            compare(cell.flashDirection, "")
            tryCompare(cell, "settling", false)
            compare(cell.flashDirection, "")
            cell.value = 299
            compare(cell.flashDirection, "down")
        }
    }
}
