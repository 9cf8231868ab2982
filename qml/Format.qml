pragma Singleton
import QtQuick

// How numbers, times and ages read everywhere, so a price looks the same in every panel.
// Unknown values (undefined, NaN) read as an em dash, never as 0.
QtObject {
    readonly property string none: "—"

    function isNumber(v) {
        return typeof v === "number" && isFinite(v)
    }
    // Prices: two decimals, four below 1 (penny stocks, FX).
    function price(v) {
        if (!isNumber(v))
            return none
        return Number(v).toLocaleString(Qt.locale(), "f", v !== 0 && Math.abs(v) < 1 ? 4 : 2)
    }
    // Quantities: whole numbers as such, fractions with up to four decimals.
    function qty(v) {
        if (!isNumber(v))
            return none
        if (Number.isInteger(v))
            return Number(v).toLocaleString(Qt.locale(), "f", 0)
        let text = Number(v).toLocaleString(Qt.locale(), "f", 4)
        const point = Qt.locale().decimalPoint
        while (text.endsWith("0"))
            text = text.slice(0, -1)
        return text.endsWith(point) ? text.slice(0, -1) : text
    }
    // Money with an explicit sign: "+1,234.50", "-12.00", "0.00".
    function signed(v, decimals) {
        if (!isNumber(v))
            return none
        const text = Number(Math.abs(v)).toLocaleString(Qt.locale(), "f", decimals === undefined ? 2 : decimals)
        return (v > 0 ? "+" : v < 0 ? "-" : "") + text
    }
    function percent(v) {
        return isNumber(v) ? signed(v, 2) + "%" : none
    }
    // Large amounts compactly: 950, 12.3K, 4.56M, 1.2B.
    function compact(v) {
        if (!isNumber(v))
            return none
        const a = Math.abs(v)
        if (a >= 1e9) return (v / 1e9).toFixed(2) + "B"
        if (a >= 1e6) return (v / 1e6).toFixed(2) + "M"
        if (a >= 1e4) return (v / 1e3).toFixed(1) + "K"
        return Number(v).toLocaleString(Qt.locale(), "f", 0)
    }
    function bytes(v) {
        if (!isNumber(v))
            return none
        if (v >= 1024 * 1024 * 1024) return (v / (1024 * 1024 * 1024)).toFixed(2) + " GiB"
        if (v >= 1024 * 1024) return (v / (1024 * 1024)).toFixed(1) + " MiB"
        if (v >= 1024) return (v / 1024).toFixed(1) + " KiB"
        return Math.round(v) + " B"
    }
    function isDate(d) {
        return d instanceof Date && !isNaN(d.getTime())
    }
    // Local wall-clock time of a UTC timestamp.
    function time(d) {
        return isDate(d) ? Qt.formatTime(d, "HH:mm:ss") : none
    }
    function dateTime(d) {
        return isDate(d) ? Qt.formatDateTime(d, "yyyy-MM-dd HH:mm:ss") : none
    }
    // How long ago, from milliseconds: "0.3 s", "42 s", "5 min", "2 h".
    function duration(ms) {
        if (!isNumber(ms) || ms < 0)
            return none
        if (ms < 10000) return qsTr("%1 s").arg((ms / 1000).toFixed(1))
        if (ms < 60000) return qsTr("%1 s").arg(Math.round(ms / 1000))
        if (ms < 3600000) return qsTr("%1 min").arg(Math.round(ms / 60000))
        return qsTr("%1 h").arg(Math.round(ms / 3600000))
    }
}
