import QtQuick
import QtQuick.Controls

// A numeric cell that flashes briefly when its value changes: green up, red down.
// `rowKey` identifies the row shown; when a recycled delegate (or a re-sorted proxy row) starts
// showing another row the value jump is not a market move, so it does not flash. A value that
// becomes unknown (NaN) does not flash either.
Rectangle {
    id: cell

    property real value: NaN
    property string rowKey: ""
    // How the value reads: "number" (fixed `decimals`), "price", "qty", "signed" or "percent".
    property string kind: "number"
    property int decimals: 2
    property bool signColored: false
    property int flashMs: 450
    property alias horizontalAlignment: label.horizontalAlignment
    readonly property alias text: label.text
    readonly property alias textColor: label.color

    // "up", "down" or "" while idle: what the flash shows (read by tests and screen readers).
    property string flashDirection: ""

    // True for the event-loop turn in which the row changed: a recycled delegate may receive the
    // new value before or after the new key, and neither order is a market move.
    property bool settling: false
    property real _previous: NaN

    implicitHeight: Theme.rowHeight
    implicitWidth: label.implicitWidth + 12
    color: flashDirection === "up" ? Theme.upFlash : flashDirection === "down" ? Theme.downFlash : "transparent"
    // On at once, off with a short fade: a busy market reads as movement, not as a lit board.
    Behavior on color {
        enabled: cell.flashDirection === ""
        ColorAnimation { duration: cell.flashMs / 2 }
    }
    Accessible.role: Accessible.StaticText
    Accessible.name: label.text

    onValueChanged: {
        if (!settling && !isNaN(_previous) && !isNaN(value) && value !== _previous) {
            flashDirection = value > _previous ? "up" : "down"
            flashTimer.restart()
        }
        _previous = value
    }
    onRowKeyChanged: {
        flashTimer.stop()
        flashDirection = ""
        settling = true
        settleTimer.restart()
    }

    // A zero-interval timer rather than Qt.callLater(): it dies with the cell, so it never calls
    // into a destroyed delegate (which crashes AOT-compiled QML on Qt 6.4).
    Timer {
        id: settleTimer
        interval: 0
        onTriggered: {
            cell.settling = false
            cell._previous = cell.value
        }
    }

    Timer {
        id: flashTimer
        interval: cell.flashMs
        onTriggered: cell.flashDirection = ""
    }

    Label {
        id: label
        anchors.fill: parent
        anchors.leftMargin: 6
        anchors.rightMargin: 6
        verticalAlignment: Text.AlignVCenter
        horizontalAlignment: Text.AlignRight
        elide: Text.ElideLeft
        text: cell.kind === "price" ? Format.price(cell.value)
            : cell.kind === "qty" ? Format.qty(cell.value)
            : cell.kind === "signed" ? Format.signed(cell.value, cell.decimals)
            : cell.kind === "percent" ? Format.percent(cell.value)
            : isNaN(cell.value) ? Format.none : Number(cell.value).toLocaleString(Qt.locale(), "f", cell.decimals)
        color: cell.signColored ? Theme.signColor(cell.value) : Theme.text
        font.family: Theme.monoFamily
        font.pixelSize: Theme.fontSize - 1
    }
}
