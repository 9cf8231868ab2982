import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window
import Qt.labs.settings
import TradingFloor

// The trading floor: watchlist and who is on the floor on the left; positions over orders in the
// middle; the order ticket over the trades blotter on the right; connection status at the bottom.
// Panels resize with the splitters and hide with ✕ (the View menu brings them back); hidden
// panels tell the app, which releases their channels. Window geometry and panel layout are
// remembered. docs/ui.md lists the keyboard shortcuts.
//
// `app` is the C++ controller (app/appcontroller.h), or a plain QtObject in tests: positions,
// trades, quotes, presence, orders (models), status, orderEntry, diagnostics, settings,
// setPanelVisible(name, visible) and the notify(kind, text) signal.
ApplicationWindow {
    id: window

    required property QtObject app

    readonly property var status: app ? app.status : null
    readonly property var appSettings: app ? app.settings : null
    readonly property var positions: app ? app.positions : null
    // The panels the app subscribes for; "diagnostics" is the dialog.
    readonly property var panelNames: ["positions", "orders", "trades", "watchlist", "presence"]

    function isPanelVisible(name) {
        return name === "diagnostics" ? diagnosticsDialog.visible : layoutSettings[name + "Visible"] === true
    }
    function setPanelVisible(name, visible) {
        if (name === "diagnostics") {
            if (visible) diagnosticsDialog.open()
            else diagnosticsDialog.close()
        } else if (panelNames.indexOf(name) >= 0) {
            layoutSettings[name + "Visible"] = visible
        }
    }
    // Shows a panel (if hidden) and gives it the keyboard.
    function focusPanel(name) {
        setPanelVisible(name, true)
        const panel = { positions: positionsPanel, orders: ordersPanel, trades: tradesPanel,
                        watchlist: watchlistPanel, presence: presencePanel }[name]
        if (name === "orders")
            ordersView.focusList()
        else if (panel)
            panel.forceActiveFocus()
    }
    function _tellApp(name) {
        if (app && typeof app.setPanelVisible === "function")
            app.setPanelVisible(name, isPanelVisible(name))
    }
    // Ctrl+F: the filter of the table that has the keyboard, else the positions filter.
    function focusFilter() {
        if (tradesPanel.activeFocus) {
            tradesView.focusFilter()
        } else if (watchlistPanel.activeFocus) {
            watchlistView.focusFilter()
        } else {
            setPanelVisible("positions", true)
            positionsView.focusFilter()
        }
    }
    function toast(text, kind) {
        toasts.show(text, kind)
    }
    function resetLayout() {
        for (const name of panelNames)
            setPanelVisible(name, true)
        layoutSettings.mainSplitState = undefined
        layoutSettings.leftSplitState = undefined
        layoutSettings.centerSplitState = undefined
        layoutSettings.rightSplitState = undefined
        leftColumn.SplitView.preferredWidth = 270
        rightColumn.SplitView.preferredWidth = 300
        presencePanel.SplitView.preferredHeight = 200
        ordersPanel.SplitView.preferredHeight = 250
        tradesPanel.SplitView.preferredHeight = 300
    }
    function saveLayout() {
        geometry.maximized = visibility === Window.Maximized
        if (visibility === Window.Windowed) {
            geometry.x = x
            geometry.y = y
            geometry.width = width
            geometry.height = height
        }
        layoutSettings.mainSplitState = mainSplit.saveState()
        layoutSettings.leftSplitState = leftColumn.saveState()
        layoutSettings.centerSplitState = centerColumn.saveState()
        layoutSettings.rightSplitState = rightColumn.saveState()
    }

    width: 1280
    height: 720
    minimumWidth: 1024
    minimumHeight: 600
    visible: true
    title: status && status.signedInUser ? qsTr("%1 — %2").arg(AppInfo.name).arg(status.signedInUser) : AppInfo.name
    color: Theme.background
    font.pixelSize: Theme.fontSize

    palette {
        window: Theme.background
        windowText: Theme.text
        base: Theme.panelAlt
        alternateBase: Theme.rowAlt
        text: Theme.text
        button: Theme.panelAlt
        buttonText: Theme.text
        highlight: Theme.accent
        highlightedText: "white"
        placeholderText: Theme.textFaint
        toolTipBase: Theme.panelAlt
        toolTipText: Theme.text
        light: "#2a3340"
        midlight: "#222a35"
        mid: Theme.border
        dark: "#0a0d12"
        shadow: "#000000"
        brightText: "white"
        link: Theme.accent
    }

    Settings {
        id: geometry
        category: "window"
        property int x: -1
        property int y: -1
        property int width: 1280
        property int height: 720
        property bool maximized: false
    }
    Settings {
        id: layoutSettings
        category: "layout"
        property bool positionsVisible: true
        property bool ordersVisible: true
        property bool tradesVisible: true
        property bool watchlistVisible: true
        property bool presenceVisible: true
        property var mainSplitState
        property var leftSplitState
        property var centerSplitState
        property var rightSplitState
        onPositionsVisibleChanged: window._tellApp("positions")
        onOrdersVisibleChanged: window._tellApp("orders")
        onTradesVisibleChanged: window._tellApp("trades")
        onWatchlistVisibleChanged: window._tellApp("watchlist")
        onPresenceVisibleChanged: window._tellApp("presence")
    }

    Component.onCompleted: {
        width = Math.max(minimumWidth, geometry.width)
        height = Math.max(minimumHeight, geometry.height)
        // A saved position on a screen that is gone would put the window out of reach.
        if (geometry.x >= 0 && geometry.y >= 0 && geometry.x < Screen.desktopAvailableWidth - 100
                && geometry.y < Screen.desktopAvailableHeight - 100) {
            x = geometry.x
            y = geometry.y
        }
        if (layoutSettings.mainSplitState) mainSplit.restoreState(layoutSettings.mainSplitState)
        if (layoutSettings.leftSplitState) leftColumn.restoreState(layoutSettings.leftSplitState)
        if (layoutSettings.centerSplitState) centerColumn.restoreState(layoutSettings.centerSplitState)
        if (layoutSettings.rightSplitState) rightColumn.restoreState(layoutSettings.rightSplitState)
        if (geometry.maximized)
            showMaximized()
        for (const name of panelNames.concat(["diagnostics"]))
            _tellApp(name)
        ticket.focusSymbol()
        signInCheck.restart()
    }
    onClosing: saveLayout()

    Connections {
        target: window.app
        ignoreUnknownSignals: true
        function onNotify(kind, text) { toasts.show(text, kind) }
    }

    // Opens the sign-in page when nobody is signed in and nothing is under way; debounced, so a
    // start-up that signs in by itself (demo, stored session) never flashes it.
    Timer {
        id: signInCheck
        interval: 600
        onTriggered: {
            if (window.appSettings && !window.signedIn && !window.signInBusy)
                settingsDialog.open()
        }
    }
    // Bindings rather than Connections on the settings object: the C++ AppSettings notifies
    // signedIn and busy through one sessionStateChanged signal, not signedInChanged/busyChanged.
    readonly property bool signedIn: appSettings ? appSettings.signedIn === true : false
    readonly property bool signInBusy: appSettings ? appSettings.busy === true : false
    onSignedInChanged: {
        if (signedIn)
            settingsDialog.close()
        else
            signInCheck.restart()
    }
    onSignInBusyChanged: signInCheck.restart()

    component SplitterHandle: Rectangle {
        implicitWidth: 3
        implicitHeight: 3
        color: SplitHandle.pressed ? Theme.accent : SplitHandle.hovered ? Theme.border : Theme.background
    }

    // --- actions and shortcuts -------------------------------------------------------------------
    component PanelAction: Action {
        required property string panel
        checkable: true
        checked: window.isPanelVisible(panel)
        onTriggered: window.setPanelVisible(panel, checked)
    }
    PanelAction { id: togglePositions; panel: "positions"; text: qsTr("Positions") }
    PanelAction { id: toggleOrders; panel: "orders"; text: qsTr("Orders") }
    PanelAction { id: toggleTrades; panel: "trades"; text: qsTr("Trades") }
    PanelAction { id: toggleWatchlist; panel: "watchlist"; text: qsTr("Watchlist") }
    PanelAction { id: togglePresence; panel: "presence"; text: qsTr("On the floor") }

    Shortcut { sequence: "Ctrl+1"; context: Qt.ApplicationShortcut; onActivated: window.focusPanel("positions") }
    Shortcut { sequence: "Ctrl+2"; context: Qt.ApplicationShortcut; onActivated: window.focusPanel("orders") }
    Shortcut { sequence: "Ctrl+3"; context: Qt.ApplicationShortcut; onActivated: window.focusPanel("trades") }
    Shortcut { sequence: "Ctrl+4"; context: Qt.ApplicationShortcut; onActivated: window.focusPanel("watchlist") }
    Shortcut { sequence: "Ctrl+5"; context: Qt.ApplicationShortcut; onActivated: window.focusPanel("presence") }
    Shortcut { sequences: ["F2", "Ctrl+T"]; onActivated: ticket.focusSymbol() }
    Shortcut { sequence: "Ctrl+F"; onActivated: window.focusFilter() }
    // Ctrl+D toggles diagnostics; while it is open the dialog's own Ctrl+D closes it (a shortcut
    // outside an open popup does not fire).
    Shortcut { sequence: "Ctrl+D"; enabled: !diagnosticsDialog.visible; onActivated: window.setPanelVisible("diagnostics", true) }
    Shortcut { sequences: ["Ctrl+,", StandardKey.Preferences]; onActivated: settingsDialog.open() }
    Shortcut { sequence: "F1"; onActivated: shortcutsDialog.open() }
    Shortcut { sequence: "Ctrl+0"; onActivated: window.resetLayout() }
    Shortcut { sequence: StandardKey.Quit; onActivated: window.close() }

    // --- header: brand, menus, account totals ----------------------------------------------------
    header: Rectangle {
        implicitHeight: 34
        color: Theme.panelHeader

        Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: 4
            spacing: Theme.spacing

            Rectangle {
                implicitWidth: 22
                implicitHeight: 22
                radius: 4
                gradient: Gradient {
                    GradientStop { position: 0; color: Theme.accent }
                    GradientStop { position: 1; color: "#2a5bd7" }
                }
                Label {
                    anchors.centerIn: parent
                    text: "TF"
                    color: "white"
                    font.pixelSize: 10
                    font.bold: true
                }
            }
            Label {
                text: AppInfo.name
                color: Theme.text
                font.pixelSize: Theme.fontSize
                font.bold: true
            }

            MenuBar {
                id: menuBar
                objectName: "menuBar"
                Layout.fillHeight: true
                background: Item {}
                delegate: MenuBarItem {
                    id: menuBarItem
                    implicitHeight: 33
                    font.pixelSize: Theme.fontSize
                    contentItem: Label {
                        text: menuBarItem.text.replace("&", "")
                        color: menuBarItem.highlighted ? Theme.text : Theme.textMuted
                        verticalAlignment: Text.AlignVCenter
                    }
                    background: Rectangle { color: menuBarItem.highlighted ? Theme.rowHover : "transparent" }
                    Accessible.name: menuBarItem.text.replace("&", "")
                }

                Menu {
                    title: qsTr("&Trading")
                    Action { text: qsTr("Order ticket   F2"); onTriggered: ticket.focusSymbol() }
                    MenuSeparator {}
                    Action { text: qsTr("Sign in / Settings…   Ctrl+,"); onTriggered: settingsDialog.open() }
                    Action {
                        text: qsTr("Sign out")
                        enabled: window.appSettings !== null && window.appSettings.signedIn === true
                        onTriggered: window.appSettings.signOut()
                    }
                    MenuSeparator {}
                    Action { text: qsTr("Quit   Ctrl+Q"); onTriggered: window.close() }
                }
                Menu {
                    title: qsTr("&View")
                    MenuItem { action: togglePositions; text: qsTr("Positions   Ctrl+1") }
                    MenuItem { action: toggleOrders; text: qsTr("Orders   Ctrl+2") }
                    MenuItem { action: toggleTrades; text: qsTr("Trades   Ctrl+3") }
                    MenuItem { action: toggleWatchlist; text: qsTr("Watchlist   Ctrl+4") }
                    MenuItem { action: togglePresence; text: qsTr("On the floor   Ctrl+5") }
                    MenuSeparator {}
                    Action { text: qsTr("Diagnostics   Ctrl+D"); onTriggered: window.setPanelVisible("diagnostics", true) }
                    Action { text: qsTr("Reset layout   Ctrl+0"); onTriggered: window.resetLayout() }
                }
                Menu {
                    title: qsTr("&Help")
                    Action { text: qsTr("Keyboard shortcuts   F1"); onTriggered: shortcutsDialog.open() }
                    Action { text: qsTr("About %1").arg(AppInfo.name); onTriggered: aboutDialog.open() }
                }
            }

            Item { Layout.fillWidth: true }

            // Account at a glance: total P&L (unrealized + realized) and exposure.
            component Figure: ColumnLayout {
                property alias caption: captionLabel.text
                property alias value: valueLabel.text
                property alias valueColor: valueLabel.color
                property alias valueName: valueLabel.objectName
                spacing: -2
                Accessible.role: Accessible.StaticText
                Accessible.name: caption + " " + value
                Label {
                    id: captionLabel
                    color: Theme.textFaint
                    font.pixelSize: 9
                    font.capitalization: Font.AllUppercase
                    font.letterSpacing: 0.5
                    Layout.alignment: Qt.AlignRight
                }
                Label {
                    id: valueLabel
                    color: Theme.text
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSize
                    font.bold: true
                    Layout.alignment: Qt.AlignRight
                }
            }
            Figure {
                caption: qsTr("Total P&L")
                valueName: "totalPnlValue"
                value: window.positions ? Format.signed(window.positions.totalPnl) : Format.none
                valueColor: window.positions ? Theme.signColor(window.positions.totalPnl) : Theme.text
            }
            Figure {
                caption: qsTr("Unrealized")
                valueName: "unrealizedValue"
                value: window.positions ? Format.signed(window.positions.totalUnrealizedPnl) : Format.none
                valueColor: window.positions ? Theme.signColor(window.positions.totalUnrealizedPnl) : Theme.text
            }
            Figure {
                caption: qsTr("Realized")
                value: window.positions ? Format.signed(window.positions.totalRealizedPnl) : Format.none
                valueColor: window.positions ? Theme.signColor(window.positions.totalRealizedPnl) : Theme.text
            }
            Figure {
                caption: qsTr("Exposure")
                valueName: "exposureValue"
                value: window.positions ? Format.compact(window.positions.totalExposure) : Format.none
            }
            Rectangle { implicitWidth: 1; implicitHeight: 20; color: Theme.border }

            ToolButton {
                objectName: "diagnosticsButton"
                text: qsTr("Diagnostics")
                font.pixelSize: Theme.smallFontSize
                focusPolicy: Qt.NoFocus
                onClicked: window.setPanelVisible("diagnostics", !diagnosticsDialog.visible)
                Accessible.name: qsTr("Show diagnostics")
            }
            ToolButton {
                objectName: "settingsButton"
                text: window.appSettings && window.appSettings.signedIn ? qsTr("Settings") : qsTr("Sign in")
                font.pixelSize: Theme.smallFontSize
                focusPolicy: Qt.NoFocus
                onClicked: settingsDialog.open()
                Accessible.name: text
            }
        }
    }

    footer: StatusBar {
        id: statusBar
        status: window.status
        canRetry: window.app !== null && typeof window.app.retryNow === "function"
        onPendingOrdersClicked: window.focusPanel("orders")
        onRetryClicked: window.app.retryNow()
    }

    // --- body --------------------------------------------------------------------------------------
    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        LiveUpdatesBanner {
            objectName: "liveUpdatesBanner"
            Layout.fillWidth: true
            status: window.status
        }

        SplitView {
            id: mainSplit
            objectName: "mainSplit"
            Layout.fillWidth: true
            Layout.fillHeight: true
            orientation: Qt.Horizontal
            handle: SplitterHandle {}

            SplitView {
                id: leftColumn
                objectName: "leftColumn"
                orientation: Qt.Vertical
                visible: layoutSettings.watchlistVisible || layoutSettings.presenceVisible
                SplitView.preferredWidth: 270
                SplitView.minimumWidth: 210
                handle: SplitterHandle {}

                Panel {
                    id: watchlistPanel
                    objectName: "watchlistPanel"
                    title: qsTr("Watchlist")
                    badge: window.app && window.app.quotes ? qsTr("%1 symbols").arg(window.app.quotes.count) : ""
                    visible: layoutSettings.watchlistVisible
                    // A hidden panel must not keep the column's spare height.
                    SplitView.fillHeight: layoutSettings.watchlistVisible
                    SplitView.minimumHeight: 120
                    onCloseRequested: window.setPanelVisible("watchlist", false)
                    WatchlistView {
                        id: watchlistView
                        anchors.fill: parent
                        focus: true
                        model: window.app ? window.app.quotes : null
                        onSymbolChosen: (symbol) => ticket.fill(symbol)
                    }
                }
                Panel {
                    id: presencePanel
                    objectName: "presencePanel"
                    title: qsTr("On the floor")
                    badge: presenceView.traderCount > 0 ? String(presenceView.traderCount) : ""
                    visible: layoutSettings.presenceVisible
                    SplitView.preferredHeight: 200
                    SplitView.minimumHeight: 90
                    SplitView.fillHeight: !layoutSettings.watchlistVisible
                    onCloseRequested: window.setPanelVisible("presence", false)
                    PresenceView {
                        id: presenceView
                        anchors.fill: parent
                        focus: true
                        model: window.app ? window.app.presence : null
                    }
                }
            }

            SplitView {
                id: centerColumn
                objectName: "centerColumn"
                orientation: Qt.Vertical
                visible: layoutSettings.positionsVisible || layoutSettings.ordersVisible
                SplitView.fillWidth: true
                SplitView.minimumWidth: 420
                handle: SplitterHandle {}

                Panel {
                    id: positionsPanel
                    objectName: "positionsPanel"
                    title: qsTr("Positions")
                    badge: window.positions && window.positions.count > 0
                           ? qsTr("%1 open · P&L %2").arg(window.positions.count).arg(Format.signed(window.positions.totalPnl)) : ""
                    visible: layoutSettings.positionsVisible
                    SplitView.fillHeight: layoutSettings.positionsVisible
                    SplitView.minimumHeight: 140
                    onCloseRequested: window.setPanelVisible("positions", false)
                    PositionsView {
                        id: positionsView
                        anchors.fill: parent
                        focus: true
                        model: window.positions
                        onSymbolActivated: (symbol) => ticket.fill(symbol)
                    }
                }
                Panel {
                    id: ordersPanel
                    objectName: "ordersPanel"
                    title: qsTr("Orders")
                    badge: window.status && window.status.pendingOrders > 0 ? qsTr("%1 pending").arg(window.status.pendingOrders) : ""
                    visible: layoutSettings.ordersVisible
                    SplitView.preferredHeight: 250
                    SplitView.minimumHeight: 110
                    SplitView.fillHeight: !layoutSettings.positionsVisible
                    onCloseRequested: window.setPanelVisible("orders", false)
                    OrdersView {
                        id: ordersView
                        anchors.fill: parent
                        focus: true
                        model: window.app ? window.app.orders : null
                        orderEntry: window.app ? window.app.orderEntry : null
                        onActionFailed: (text) => toasts.show(text, "warning")
                    }
                }
            }

            SplitView {
                id: rightColumn
                objectName: "rightColumn"
                orientation: Qt.Vertical
                SplitView.preferredWidth: 300
                SplitView.minimumWidth: 260
                handle: SplitterHandle {}

                Panel {
                    id: ticketPanel
                    objectName: "ticketPanel"
                    title: qsTr("Order ticket")
                    badge: qsTr("F2")
                    closable: false
                    SplitView.preferredHeight: ticket.implicitHeight + Theme.titleHeight
                    SplitView.minimumHeight: 200
                    SplitView.fillHeight: !layoutSettings.tradesVisible
                    OrderTicket {
                        id: ticket
                        anchors.fill: parent
                        focus: true
                        orderEntry: window.app ? window.app.orderEntry : null
                        quotes: window.app ? window.app.quotes : null
                        confirmBeforeSending: window.appSettings ? window.appSettings.confirmOrders !== false : true
                        onSubmitted: (result) => {
                            const kind = result.outcome === "sent" ? "success" : result.outcome === "queued" ? "warning" : "error"
                            toasts.show(ticket.lastMessage, kind)
                        }
                    }
                }
                Panel {
                    id: tradesPanel
                    objectName: "tradesPanel"
                    title: qsTr("Trades")
                    badge: window.app && window.app.trades && window.app.trades.count > 0 ? String(window.app.trades.count) : ""
                    visible: layoutSettings.tradesVisible
                    SplitView.fillHeight: layoutSettings.tradesVisible
                    SplitView.minimumHeight: 120
                    onCloseRequested: window.setPanelVisible("trades", false)
                    TradesView {
                        id: tradesView
                        anchors.fill: parent
                        focus: true
                        model: window.app ? window.app.trades : null
                        onSymbolActivated: (symbol) => ticket.fill(symbol)
                    }
                }
            }

            onResizingChanged: if (!resizing) layoutSettings.mainSplitState = saveState()
        }
    }

    Connections {
        target: leftColumn
        function onResizingChanged() { if (!leftColumn.resizing) layoutSettings.leftSplitState = leftColumn.saveState() }
    }
    Connections {
        target: centerColumn
        function onResizingChanged() { if (!centerColumn.resizing) layoutSettings.centerSplitState = centerColumn.saveState() }
    }
    Connections {
        target: rightColumn
        function onResizingChanged() { if (!rightColumn.resizing) layoutSettings.rightSplitState = rightColumn.saveState() }
    }

    // Over the panels, under the dialogs.
    ToastHost {
        id: toasts
        objectName: "toasts"
        anchors.fill: parent
        z: 100
    }

    // --- dialogs ---------------------------------------------------------------------------------
    Dialog {
        id: diagnosticsDialog
        objectName: "diagnosticsDialog"
        title: qsTr("Diagnostics")
        modal: false
        anchors.centerIn: Overlay.overlay
        width: Math.min(window.width - 80, 900)
        height: Math.min(window.height - 80, 640)
        padding: 0
        standardButtons: Dialog.Close
        onOpened: {
            window._tellApp("diagnostics")
            diagnosticsView.forceActiveFocus()
        }
        onClosed: window._tellApp("diagnostics")
        DiagnosticsView {
            id: diagnosticsView
            anchors.fill: parent
            diagnostics: window.app ? window.app.diagnostics : null
            onCopied: toasts.show(qsTr("Diagnostics copied to the clipboard"), "info")
        }
        Shortcut {
            sequence: "Ctrl+Shift+C"
            enabled: diagnosticsDialog.visible
            onActivated: diagnosticsView.copyForSupport()
        }
        Shortcut {
            sequence: "Ctrl+D"
            enabled: diagnosticsDialog.visible
            onActivated: diagnosticsDialog.close()
        }
    }

    Dialog {
        id: settingsDialog
        objectName: "settingsDialog"
        title: window.appSettings && window.appSettings.signedIn ? qsTr("Settings") : qsTr("Sign in to Trading Floor")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: 480
        height: Math.min(window.height - 40, implicitHeight)
        padding: 12
        onAboutToShow: settingsView.reload()
        onOpened: settingsView.forceActiveFocus()
        Flickable {
            id: settingsFlick
            anchors.fill: parent
            implicitHeight: settingsView.implicitHeight
            contentHeight: settingsView.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            SettingsView {
                id: settingsView
                width: settingsFlick.width
                focus: true
                settings: window.appSettings
            }
        }
    }

    Dialog {
        id: shortcutsDialog
        objectName: "shortcutsDialog"
        title: qsTr("Keyboard shortcuts")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: 460
        standardButtons: Dialog.Close
        GridLayout {
            columns: 2
            columnSpacing: 16
            rowSpacing: 3
            Repeater {
                // Key, what it does; two cells per line of the grid.
                model: [
                    "F2 / Ctrl+T", qsTr("Order ticket"),
                    "Enter", qsTr("Submit the ticket (or confirm)"),
                    "Esc", qsTr("Clear the ticket / the filter"),
                    "B / S", qsTr("Buy / sell side"),
                    "M / L", qsTr("Market / limit order"),
                    "Ctrl+1 … Ctrl+5", qsTr("Positions, orders, trades, watchlist, on the floor"),
                    "Ctrl+F", qsTr("Filter the focused table"),
                    "↑ / ↓, Enter", qsTr("Walk rows; send the symbol to the ticket"),
                    "R / Delete", qsTr("Retry / cancel the selected order"),
                    "Ctrl+D", qsTr("Diagnostics (Ctrl+Shift+C copies)"),
                    "Ctrl+,", qsTr("Sign in and settings"),
                    "Ctrl+0", qsTr("Reset the panel layout")
                ]
                delegate: Label {
                    required property var modelData
                    required property int index
                    text: modelData
                    color: index % 2 === 0 ? Theme.text : Theme.textMuted
                    font.family: index % 2 === 0 ? Theme.monoFamily : font.family
                }
            }
        }
    }

    Dialog {
        id: aboutDialog
        title: qsTr("About %1").arg(AppInfo.name)
        modal: true
        anchors.centerIn: Overlay.overlay
        standardButtons: Dialog.Close
        Label {
            text: qsTr("%1 %2\nQt %3\nA realtime trading desk on Supabase.").arg(AppInfo.name).arg(AppInfo.version).arg(AppInfo.qtVersion)
            color: Theme.text
        }
    }
}
