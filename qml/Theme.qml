pragma Singleton
import QtQuick

// Colours, sizes and fonts in one place: dark by default, dense, readable.
QtObject {
    readonly property color background: "#0d1117"
    readonly property color panel: "#161b22"
    readonly property color panelAlt: "#1b212a"
    readonly property color border: "#262e3a"
    readonly property color text: "#d8dee9"
    readonly property color textMuted: "#8b949e"
    readonly property color accent: "#4c8dff"
    readonly property color up: "#3fb950"
    readonly property color down: "#f85149"
    readonly property color warning: "#d29922"
    readonly property color upFlash: "#1f4d2b"
    readonly property color downFlash: "#5a1f1d"

    readonly property int rowHeight: 24
    readonly property int spacing: 8
    readonly property int fontSize: 13
    readonly property int smallFontSize: 11
    readonly property string monoFamily: "DejaVu Sans Mono"

    // Colour of a signed figure (P&L, change): green up, red down, neutral at zero.
    function signColor(value) {
        return value > 0 ? up : (value < 0 ? down : text)
    }
}
