import QtQuick
import QtTest
import TradingFloor

// Column geometry shared by header, rows and totals: minimums kept, spare width shared by weight,
// optional columns dropped (last first) when the panel is too narrow.
Item {
    TableColumns {
        id: cols
        columns: [
            { role: "a", minWidth: 100 },
            { role: "b", minWidth: 50, weight: 3 },
            { role: "c", minWidth: 60, optional: true },
            { role: "d", minWidth: 40, weight: 0, optional: true }
        ]
    }

    TestCase {
        name: "TableColumns"

        function test_spareWidthByWeight() {
            cols.availableWidth = 300       // minimums 250, 50 spare over weights 1 + 3 + 1 + 0
            compare(cols.widths, [110, 80, 70, 40])
            compare(cols.width("b"), 80)
            compare(cols.totalWidth, 300)
        }

        function test_optionalColumnsDropLastFirst() {
            cols.availableWidth = 240       // d goes (250 > 240); 30 spare over 1 + 3 + 1
            compare(cols.widths, [106, 68, 66, 0])
            cols.availableWidth = 180       // c goes too; 30 spare over 1 + 3, the odd pixel to b
            compare(cols.widths, [107, 73, 0, 0])
            compare(cols.totalWidth, 180)
        }

        function test_tooNarrowKeepsMinimums() {
            cols.availableWidth = 100
            compare(cols.widths, [100, 50, 0, 0])   // the table scrolls rather than squashing text
        }

        function test_alignDefaultsRight() {
            compare(cols.align("a"), Text.AlignRight)
            compare(cols.indexOf("zzz"), -1)
            compare(cols.width("zzz"), 0)
        }
    }
}
