pragma Singleton
import QtQuick

// Colours, sizes and fonts in one place: dark by default, dense, readable. Sizes are device-
// independent pixels, so Qt's high-DPI scaling keeps them crisp on any screen.
QtObject {
    readonly property color background: "#0d1117"
    readonly property color panel: "#131920"
    readonly property color panelAlt: "#1b222c"
    readonly property color panelHeader: "#181f28"
    readonly property color rowAlt: "#161d25"
    readonly property color rowHover: "#1f2834"
    readonly property color selection: "#1d3354"
    readonly property color border: "#262e3a"
    readonly property color text: "#d8dee9"
    readonly property color textMuted: "#8b949e"
    readonly property color textFaint: "#5c6773"
    readonly property color accent: "#4c8dff"
    readonly property color up: "#3fb950"
    readonly property color down: "#f85149"
    readonly property color warning: "#d29922"
    // Flash backgrounds: visible at a glance, quiet enough for a market that ticks all day.
    readonly property color upFlash: "#1b4226"
    readonly property color downFlash: "#4d1f1e"
    readonly property color upFill: "#238636"
    readonly property color downFill: "#b62324"

    readonly property int rowHeight: 22
    readonly property int headerHeight: 24
    readonly property int titleHeight: 28
    readonly property int spacing: 8
    readonly property int fontSize: 13
    readonly property int smallFontSize: 11
    readonly property string monoFamily: Qt.platform.os === "windows" ? "Consolas"
                                       : Qt.platform.os === "osx" ? "Menlo" : "DejaVu Sans Mono"

    // Colour of a signed figure (P&L, change): green up, red down, neutral at zero or unknown.
    function signColor(value) {
        return value > 0 ? up : (value < 0 ? down : text)
    }
    function sideColor(side) {
        return side === "buy" ? up : side === "sell" ? down : text
    }
}
