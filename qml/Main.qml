import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TradingFloor

// The shell window. The views (positions, trades, watchlist, order ticket, status bar) arrive
// with the app issue; until then this shows who we are and that the UI stack works.
ApplicationWindow {
    id: window
    width: 1280
    height: 720
    visible: true
    title: AppInfo.name + " " + AppInfo.version
    color: "#10141a"

    palette.window: "#10141a"
    palette.windowText: "#d8dee9"

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: AppInfo.name
            font.pixelSize: 42
            font.bold: true
            color: "#e5e9f0"
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Version %1 · Qt %2").arg(AppInfo.version).arg(AppInfo.qtVersion)
            color: "#88c0d0"
            font.pixelSize: 16
        }
        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 360
            Layout.preferredHeight: 6
            radius: 3
            gradient: Gradient {
                orientation: Gradient.Horizontal
                GradientStop { position: 0.0; color: "#a3be8c" }
                GradientStop { position: 1.0; color: "#bf616a" }
            }
        }
    }
}
