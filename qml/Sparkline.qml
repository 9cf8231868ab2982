import QtQuick

// A small line of recent prices (oldest first), green when the last is at or above the first,
// red below; a dot marks the last price. Drawn with Canvas: no extra QML module needed.
Canvas {
    id: spark

    property var points: []
    property color upColor: Theme.up
    property color downColor: Theme.down
    property real lineWidth: 1.25

    readonly property int pointCount: points ? points.length : 0
    readonly property string trend: pointCount < 2 ? ""
                                    : points[pointCount - 1] >= points[0] ? "up" : "down"

    implicitWidth: 64
    implicitHeight: 18
    Accessible.role: Accessible.Graphic
    Accessible.name: trend === "" ? qsTr("No price history yet")
                     : trend === "up" ? qsTr("Price trend up over the last %1 ticks").arg(pointCount)
                     : qsTr("Price trend down over the last %1 ticks").arg(pointCount)

    onPointsChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()

    onPaint: {
        const ctx = getContext("2d")
        ctx.reset()
        if (pointCount < 2 || width <= 4 || height <= 4)
            return
        let min = points[0]
        let max = points[0]
        for (let i = 1; i < pointCount; ++i) {
            min = Math.min(min, points[i])
            max = Math.max(max, points[i])
        }
        const span = max - min || 1
        const pad = 2
        const w = width - 2 * pad
        const h = height - 2 * pad
        const xAt = i => pad + w * i / (pointCount - 1)
        const yAt = v => pad + h - h * (v - min) / span
        const color = trend === "up" ? upColor : downColor

        ctx.beginPath()
        ctx.moveTo(xAt(0), yAt(points[0]))
        for (let i = 1; i < pointCount; ++i)
            ctx.lineTo(xAt(i), yAt(points[i]))
        ctx.lineWidth = lineWidth
        ctx.lineJoin = "round"
        ctx.strokeStyle = color
        ctx.stroke()

        // A faint fill under the line gives the trend some weight at this size.
        ctx.lineTo(xAt(pointCount - 1), pad + h)
        ctx.lineTo(xAt(0), pad + h)
        ctx.closePath()
        ctx.fillStyle = Qt.rgba(color.r, color.g, color.b, 0.12)
        ctx.fill()

        ctx.beginPath()
        ctx.arc(xAt(pointCount - 1), yAt(points[pointCount - 1]), 1.8, 0, 2 * Math.PI)
        ctx.fillStyle = color
        ctx.fill()
    }
}
