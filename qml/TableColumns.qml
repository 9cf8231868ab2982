import QtQuick

// Column geometry shared by a table's header, rows and totals, so they always line up.
//
//   columns: [{ role, title, minWidth = 60, weight = 1, align = Text.AlignRight, optional = false,
//               sortable = true, hideTitle = false }]
// Width beyond the minimums is shared by weight. When the panel is too narrow, optional columns
// are dropped (last first) and get width 0; the rest keep at least their minimum (the table then
// scrolls sideways).
QtObject {
    id: cols

    property var columns: []
    property real availableWidth: 0

    readonly property var widths: _layout(columns, availableWidth)
    readonly property real totalWidth: widths.reduce((sum, w) => sum + w, 0)

    function width(role) {
        const i = indexOf(role)
        return i < 0 ? 0 : widths[i]
    }
    function indexOf(role) {
        for (let i = 0; i < columns.length; ++i) {
            if (columns[i].role === role)
                return i
        }
        return -1
    }
    function align(role) {
        const i = indexOf(role)
        return i < 0 || columns[i].align === undefined ? Text.AlignRight : columns[i].align
    }

    function _layout(list, available) {
        const minOf = c => c.minWidth === undefined ? 60 : c.minWidth
        const shown = list.map(() => true)
        const minSum = () => list.reduce((sum, c, i) => sum + (shown[i] ? minOf(c) : 0), 0)
        for (let i = list.length - 1; i >= 0 && minSum() > available; --i) {
            if (list[i].optional)
                shown[i] = false
        }
        const weightSum = list.reduce((sum, c, i) => sum + (shown[i] ? (c.weight === undefined ? 1 : c.weight) : 0), 0)
        const weightOf = c => c.weight === undefined ? 1 : c.weight
        const extra = Math.max(0, available - minSum())
        const widths = list.map((c, i) => shown[i] ? Math.floor(minOf(c) + (weightSum > 0 ? extra * weightOf(c) / weightSum : 0)) : 0)
        // Whole pixels: the rounding remainder goes to the last column that takes spare width.
        if (extra > 0 && weightSum > 0) {
            const remainder = available - widths.reduce((sum, w) => sum + w, 0)
            for (let i = list.length - 1; i >= 0; --i) {
                if (shown[i] && weightOf(list[i]) > 0) {
                    widths[i] += remainder
                    break
                }
            }
        }
        return widths
    }
}
