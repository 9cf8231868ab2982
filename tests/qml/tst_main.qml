import QtQuick
import QtQuick.Controls
import QtTest
import TradingFloor
import TradingFloor.Testing

// The whole window over a stand-in `app` (real models fed like the sync service, plain QtObjects
// for status, order entry, diagnostics and settings): the layout at 1280×720, panels telling the
// app when they hide and show, shortcuts, status bar → orders, watchlist → ticket, toasts,
// sign-in, remembered layout, accessible names. With TF_QML_SCREENSHOT_DIR set it also saves PNGs
// of the layout for a human to look at.
Item {
    id: root

    QtObject {
        id: fakeApp
        property QuoteModel quotes: QuoteModel {}
        property PositionModel positions: PositionModel { quoteSource: fakeApp.quotes }
        property TradeModel trades: TradeModel { maxRows: 40 }
        property PresenceModel presence: PresenceModel {}
        property OrderModel orders: OrderModel { ageRefreshInterval: 0 }
        property QtObject status: QtObject {
            property string state: "live"
            property int reconnectInSeconds: 0
            property string health: "healthy"
            property real latencyMs: 23
            property real lastMessageAgeMs: 180
            property real messagesPerSecond: 38
            property int pendingOrders: 2
            property string signedInUser: "dana@desk.example"
            property string reason: ""
        }
        property QtObject orderEntry: QtObject {
            property bool canSubmit: true
            property string refusalReason: ""
            property var submitted: []
            function validateOrder(t) {
                const e = {}
                if (!t.symbol) e.symbol = "Enter a symbol"
                if (!(t.qty > 0)) e.qty = "Enter a quantity"
                return e
            }
            function submitOrder(t) {
                submitted.push(t)
                return { outcome: "queued", message: "Order queued — will send when online", clientOrderId: "c" + submitted.length }
            }
            function retryOrder(id) { return true }
            function cancelOrder(id) { return true }
        }
        property QtObject diagnostics: QtObject {
            property date connectedSince: new Date(Date.now() - 42 * 60000)
            property int disconnects: 1
            property double messagesReceived: 98231
            property double bytesReceived: 48 * 1024 * 1024
            property double messagesPerSecond: 38
            property double framesDropped: 0
            property double latencyMs: 23
            property double averageLatencyMs: 26
            property string server: "demo (embedded simulator)"
            property var latencyHistory: []
            property var channels: [{ topic: "realtime:public:positions", state: "joined" },
                                    { topic: "realtime:public:orders", state: "joined" },
                                    { topic: "realtime:public:trades", state: "joined" },
                                    { topic: "realtime:prices", state: "joined" },
                                    { topic: "realtime:floor", state: "joining" }]
            property var lastErrors: [{ time: new Date(Date.now() - 30 * 60000), text: "socket closed: heartbeat timeout (reconnected after 2 s)" }]
            function asText() { return "Trading Floor diagnostics" }
        }
        property QtObject settings: QtObject {
            property string serverUrl: ""
            property string anonKey: ""
            property string email: "dana@desk.example"
            property bool demo: true
            property string feedMode: "postgres_changes"
            property bool confirmOrders: false
            property bool signedIn: true
            property bool busy: false
            property string signInError: ""
            function signIn(url, key, email, password) { busy = true }
            function useDemo() { signedIn = true }
            function signOut() { signedIn = false }
        }
        property var panelCalls: []
        function setPanelVisible(name, visible) { panelCalls.push([name, visible]) }
        signal notify(string kind, string text)

        function lastCallFor(name) {
            for (let i = panelCalls.length - 1; i >= 0; --i) {
                if (panelCalls[i][0] === name)
                    return panelCalls[i][1]
            }
            return undefined
        }
    }

    Component {
        id: mainComponent
        Main {}
    }

    TestCase {
        id: tc
        name: "Main"
        when: windowShown

        property var win: null

        // A deterministic market: a seeded random walk per symbol.
        property int seed: 7
        function rand() {
            seed = (seed * 1103515245 + 12345) % 2147483648
            return seed / 2147483648
        }

        function populate() {
            const symbols = { AAPL: 189.3, MSFT: 402.1, NVDA: 880.5, AMZN: 178.2, GOOGL: 141.8, META: 485.6, TSLA: 201.4,
                              AMD: 158.9, NFLX: 612.0, INTC: 43.1, ORCL: 124.7, CRM: 301.2, ADBE: 559.3, JPM: 196.4,
                              V: 278.9, KO: 60.2 }
            for (const s in symbols) {
                let p = symbols[s]
                for (let i = 0; i < 60; ++i) {
                    p = Math.max(1, p * (1 + (rand() - 0.49) * 0.006))
                    Feed.tick(fakeApp.quotes, { symbol: s, price: Math.round(p * 100) / 100 })
                }
            }
            fakeApp.quotes.flush()
            const held = [["1", "AAPL", 300, 182.4, 1240.5], ["2", "MSFT", -80, 410.2, -310], ["3", "NVDA", 25, 842.0, 5120],
                          ["4", "TSLA", 150, 215.3, -890.25], ["5", "AMD", 400, 149.5, 0], ["6", "META", -40, 470.0, 210],
                          ["7", "JPM", 120, 190.1, 75.5], ["8", "KO", 1000, 61.4, -120]]
            for (const h of held)
                Feed.upsert(fakeApp.positions, { id: h[0], symbol: h[1], qty: h[2], avg_price: h[3], realized_pnl: h[4], updated_at: Feed.isoAgo(300) })
            fakeApp.positions.flush()
            const names = Object.keys(symbols)
            for (let i = 0; i < 52; ++i) {
                const s = names[Math.floor(rand() * names.length)]
                Feed.upsert(fakeApp.trades, { id: "t" + i, executed_at: Feed.isoAgo(3000 - i * 55), symbol: s,
                                              side: rand() < 0.5 ? "buy" : "sell", qty: Math.ceil(rand() * 20) * 10,
                                              price: fakeApp.quotes.lastPrice(s), order_id: "ord-" + (4000 + i) })
            }
            fakeApp.trades.flush()
            const o = fakeApp.orders
            Feed.upsert(o, { client_order_id: "o1", id: "s1", symbol: "NVDA", side: "buy", qty: 25, type: "limit", limit_price: 842, status: "filled",
                             filled_qty: 25, avg_fill_price: 841.95, created_at: Feed.isoAgo(900), updated_at: Feed.isoAgo(880) })
            Feed.upsert(o, { client_order_id: "o2", id: "s2", symbol: "ZZZ", side: "buy", qty: 10, type: "market", status: "rejected",
                             reject_reason: "unknown symbol ZZZ", created_at: Feed.isoAgo(600), updated_at: Feed.isoAgo(599) })
            Feed.upsert(o, { client_order_id: "o3", id: "s3", symbol: "AMD", side: "buy", qty: 400, type: "limit", limit_price: 149.5, status: "partially_filled",
                             filled_qty: 150, avg_fill_price: 149.48, created_at: Feed.isoAgo(400), updated_at: Feed.isoAgo(100) })
            Feed.upsert(o, { client_order_id: "o4", id: "s4", symbol: "MSFT", side: "sell", qty: 80, type: "market", status: "accepted",
                             filled_qty: 0, created_at: Feed.isoAgo(200), updated_at: Feed.isoAgo(199) })
            Feed.addPending(o, { client_order_id: "o5", symbol: "TSLA", side: "sell", qty: 50, type: "market", created_at: Feed.isoAgo(90) })
            Feed.addPending(o, { client_order_id: "o6", symbol: "KO", side: "buy", qty: 500, type: "limit", limit_price: 60.1, created_at: Feed.isoAgo(30) })
            o.flush()
            Feed.setDeliveryState(o, "o5", OrderModel.Failed, "server unreachable (gave up after 8 tries)")
            o.flush()
            const traders = [["ann", "Ann Becker", "active", 1], ["raj", "Raj Patel", "active", 2], ["li", "Li Wei", "away", 1],
                             ["sam", "Sam O'Neil", "active", 1], ["dana", "Dana Cruz", "active", 3]]
            const state = {}
            for (const t of traders) {
                const metas = []
                for (let i = 0; i < t[3]; ++i)
                    metas.push({ phx_ref: t[0] + i, display_name: t[1], status: t[2], online_at: Feed.isoAgo(3600 + i * 60) })
                state["k-" + t[0]] = { metas: metas }
            }
            Feed.setPresences(fakeApp.presence, state)
            fakeApp.presence.flush()
            const history = []
            const now = Date.now()
            for (let i = 0; i < 120; ++i)
                history.push({ time: now - (120 - i) * 5000, latencyMs: 18 + rand() * 14 + (i > 70 && i < 80 ? 60 : 0) })
            fakeApp.diagnostics.latencyHistory = history
        }

        function initTestCase() {
            for (const m of [fakeApp.quotes, fakeApp.positions, fakeApp.trades, fakeApp.presence, fakeApp.orders])
                Feed.watch(m)
            populate()
        }

        function init() {
            fakeApp.panelCalls = []
            fakeApp.settings.signedIn = true
            fakeApp.settings.busy = false
            fakeApp.settings.confirmOrders = false
            fakeApp.status.state = "live"
            fakeApp.status.health = "healthy"
            win = createTemporaryObject(mainComponent, null, { app: fakeApp })
            verify(win, "Main.qml loads with an app")
            win.width = 1280
            win.height = 720
            win.resetLayout()
            win.requestActivate()
            tryCompare(win, "active", true, 5000)
            waitForRendering(win.contentItem)
        }

        function child(name) { return findChild(win.contentItem.parent, name) }
        function inWindow(item) {
            const p = item.mapToItem(null, 0, 0)
            return p.x >= 0 && p.y >= 0 && p.x + item.width <= win.width + 0.5 && p.y + item.height <= win.height + 0.5
        }
        function screenshot(name) {
            const dir = Feed.screenshotDir()
            if (dir.length === 0)
                return
            waitForRendering(win.contentItem)
            const image = grabImage(win.contentItem.parent)
            image.save(dir + "/" + name + ".png")
        }

        function test_layoutAt1280x720() {
            for (const name of ["watchlistPanel", "presencePanel", "positionsPanel", "ordersPanel", "ticketPanel", "tradesPanel"]) {
                const panel = child(name)
                verify(panel.visible, name)
                verify(panel.width >= 200 && panel.height >= 90, name + " " + panel.width + "x" + panel.height)
                verify(inWindow(panel), name + " fits the window")
            }
            // Every column of the main tables fits: nothing needs a sideways scroll at 1280×720.
            const positionsList = findChild(child("positionsPanel"), "positionsList")
            verify(positionsList.count === 8)
            positionsList.forceLayout()
            const row = positionsList.itemAtIndex(0)
            verify(findChild(row, "realizedCell").width > 0, "realized P&L column shown")
            verify(findChild(row, "realizedCell").mapToItem(positionsList, 0, 0).x + findChild(row, "realizedCell").width <= positionsList.width + 0.5)
            const orderRow = findChild(child("ordersPanel"), "ordersList").itemAtIndex(0)
            verify(findChild(orderRow, "reasonCell").width > 0, "order reasons shown")
            const submit = findChild(child("ticketPanel"), "submitButton")
            verify(submit.visible && inWindow(submit), "the ticket's submit button is on screen")
            compare(child("totalPnlValue").text, Format.signed(fakeApp.positions.totalPnl))
            screenshot("main-live")
        }

        function test_appToldAboutPanels() {
            // At start: every panel's state, so the app subscribes for what is shown.
            const w2 = createTemporaryObject(mainComponent, null, { app: fakeApp })
            for (const name of ["positions", "orders", "trades", "watchlist", "presence"])
                compare(fakeApp.lastCallFor(name), true, name)
            compare(fakeApp.lastCallFor("diagnostics"), false)
            w2.close()
        }

        function test_hidingReleasesAndShowingResubscribes() {
            fakeApp.panelCalls = []
            mouseClick(findChild(child("tradesPanel"), "hideButton"))
            verify(!child("tradesPanel").visible)
            compare(fakeApp.panelCalls, [["trades", false]])
            // The ticket takes the column's height; nothing else moved out of the window.
            tryVerify(() => child("ticketPanel").height > 500, 2000, "the ticket takes the freed height")
            screenshot("main-trades-hidden")
            win.requestActivate()
            keySequence("Ctrl+3")
            tryCompare(child("tradesPanel"), "visible", true)
            compare(fakeApp.lastCallFor("trades"), true)
            verify(child("tradesPanel").activeFocus)
            // A whole column goes when both of its panels are hidden.
            mouseClick(findChild(child("watchlistPanel"), "hideButton"))
            mouseClick(findChild(child("presencePanel"), "hideButton"))
            verify(!child("leftColumn").visible)
            screenshot("main-left-hidden")
            tryVerify(() => child("positionsPanel").mapToItem(null, 0, 0).x < 10, 2000, "the centre column moved left")
            compare(fakeApp.lastCallFor("watchlist"), false)
            compare(fakeApp.lastCallFor("presence"), false)
            win.resetLayout()
            compare(fakeApp.lastCallFor("watchlist"), true)
            verify(child("leftColumn").visible)
        }

        function test_layoutRemembered() {
            mouseClick(findChild(child("presencePanel"), "hideButton"))
            win.width = 1400
            win.close()
            win.destroy()       // Settings are written when the window goes
            wait(0)
            const again = createTemporaryObject(mainComponent, null, { app: fakeApp })
            verify(!findChild(again.contentItem, "presencePanel").visible, "still hidden after a restart")
            compare(again.width, 1400)
            again.resetLayout()
            again.width = 1280
            again.close()
        }

        function test_diagnosticsDialog() {
            fakeApp.panelCalls = []
            keySequence("Ctrl+D")
            const dialog = child("diagnosticsDialog")
            tryCompare(dialog, "opened", true)
            compare(fakeApp.lastCallFor("diagnostics"), true)
            screenshot("diagnostics")
            keySequence("Ctrl+D")
            tryCompare(dialog, "visible", false)
            compare(fakeApp.lastCallFor("diagnostics"), false)
        }

        function test_pendingOrdersGoToOrdersPanel() {
            mouseClick(findChild(child("ordersPanel"), "hideButton"))
            verify(!child("ordersPanel").visible)
            mouseClick(findChild(win.footer, "pendingButton"))
            tryCompare(child("ordersPanel"), "visible", true)
            verify(findChild(child("ordersPanel"), "ordersList").activeFocus)
            compare(fakeApp.lastCallFor("orders"), true)
        }

        function test_watchlistFillsTicketAndSubmitToasts() {
            const list = findChild(child("watchlistPanel"), "watchList")
            list.forceLayout()
            const row = list.itemAtIndex(2)
            const symbol = findChild(row, "symbolCell").text
            mouseClick(findChild(row, "symbolCell"))
            const ticket = findChild(child("ticketPanel"), "symbolField")
            compare(ticket.text, symbol)
            verify(findChild(child("ticketPanel"), "qtyField").activeFocus)
            keyClick(Qt.Key_1); keyClick(Qt.Key_0)
            keyClick(Qt.Key_Return)                         // confirmOrders is off in this app
            const toasts = child("toasts")
            tryCompare(toasts, "count", 1)
            compare(toasts.messageAt(0), "Order queued — will send when online")
            compare(toasts.kindAt(0), "warning")
            const sent = fakeApp.orderEntry.submitted[fakeApp.orderEntry.submitted.length - 1]
            compare(sent.symbol, symbol)
            compare(sent.qty, 10)
        }

        function test_confirmationFollowsSettings() {
            fakeApp.settings.confirmOrders = true
            const ticketPanel = child("ticketPanel")
            findChild(ticketPanel, "symbolField").text = "AAPL"
            findChild(ticketPanel, "qtyField").text = "5"
            findChild(ticketPanel, "qtyField").forceActiveFocus()
            const before = fakeApp.orderEntry.submitted.length
            keyClick(Qt.Key_Return)
            const dialog = findChild(ticketPanel, "confirmDialog")
            tryCompare(dialog, "opened", true)
            compare(fakeApp.orderEntry.submitted.length, before)
            screenshot("confirm-order")
            keyClick(Qt.Key_Escape)
            tryCompare(dialog, "visible", false)
            compare(fakeApp.orderEntry.submitted.length, before)
            fakeApp.settings.confirmOrders = false
        }

        function test_notifyShowsToast() {
            fakeApp.notify("success", "Filled: buy 25 NVDA at 841.95")
            fakeApp.notify("error", "Rejected: sell 10 ZZZ: unknown symbol ZZZ")
            const toasts = child("toasts")
            compare(toasts.count, 2)
            compare(toasts.messageAt(1), "Rejected: sell 10 ZZZ: unknown symbol ZZZ")
            compare(toasts.kindAt(1), "error")
            screenshot("toasts")
        }

        function test_pollingBannerAndStatus() {
            fakeApp.status.state = "polling"
            fakeApp.status.health = "stale"
            const banner = child("liveUpdatesBanner")
            verify(banner.visible)
            compare(findChild(win.footer, "stateLabel").text, "Polling (live updates unavailable)")
            verify(inWindow(child("ticketPanel")))
            screenshot("main-polling")
            fakeApp.status.state = "live"
            fakeApp.status.health = "healthy"
            verify(!banner.visible)
        }

        function test_signInOpensWhenSignedOut() {
            fakeApp.settings.signedIn = false
            const dialog = child("settingsDialog")
            tryCompare(dialog, "opened", true, 5000)
            compare(dialog.title, "Sign in to Trading Floor")
            screenshot("sign-in")
            fakeApp.settings.signedIn = true
            tryCompare(dialog, "visible", false)
        }

        function test_ctrlFFiltersPositions() {
            keySequence("Ctrl+F")
            const field = findChild(child("positionsPanel"), "filterField")
            verify(field.activeFocus)
            keyClick(Qt.Key_N); keyClick(Qt.Key_V)
            compare(findChild(child("positionsPanel"), "positionsList").count, 1)
            keyClick(Qt.Key_Escape)
            compare(field.text, "")
        }

        function test_tabLeavesTheTicket() {
            const submit = findChild(child("ticketPanel"), "submitButton")
            submit.forceActiveFocus()
            keyClick(Qt.Key_Tab)
            verify(!child("ticketPanel").activeFocus, "Tab moves on instead of trapping the keyboard")
            verify(win.activeFocusItem !== null)
        }

        function test_everyControlHasAnAccessibleName() {
            // Interactive controls: buttons (clicked), text fields (editingFinished), combo boxes
            // (activated), plus the tables and headers that declare a role. Accessibility is not
            // active in a test run, so only names the views set themselves count.
            const named = [Accessible.ColumnHeader, Accessible.List, Accessible.Table, Accessible.Form]
            const unnamed = []
            let checked = 0
            function isInteractive(item) {
                // Controls, and text fields (a TextField is a TextInput, not a Control) other than
                // a combo box's own display. MouseAreas are not controls: the rows they sit in
                // carry the name.
                const inComboBox = item.parent && typeof item.parent.activated === "function" && item.parent.focusPolicy !== undefined
                const control = item.focusPolicy !== undefined || (item.echoMode !== undefined && !inComboBox)
                return (control && (typeof item.clicked === "function" || typeof item.editingFinished === "function"
                                    || typeof item.activated === "function"))
                       || named.indexOf(item.Accessible.role) >= 0
            }
            function walk(item) {
                if (!item.visible)
                    return
                if (isInteractive(item)) {
                    ++checked
                    if (!item.Accessible.name || String(item.Accessible.name).trim().length === 0)
                        unnamed.push(String(item) + " " + (item.objectName || "") + " text: " + (item.text || ""))
                }
                for (let i = 0; i < item.children.length; ++i)
                    walk(item.children[i])
            }
            walk(win.contentItem.parent)
            verify(checked > 40, "checked " + checked + " controls")
            // The dialogs too: settings / sign-in and diagnostics.
            const settingsDialog = child("settingsDialog")
            settingsDialog.open()
            tryCompare(settingsDialog, "opened", true)
            const before = checked
            walk(settingsDialog.contentItem)
            settingsDialog.close()
            tryCompare(settingsDialog, "visible", false)
            win.setPanelVisible("diagnostics", true)
            const diagnosticsDialog = child("diagnosticsDialog")
            tryCompare(diagnosticsDialog, "opened", true)
            walk(diagnosticsDialog.contentItem)
            win.setPanelVisible("diagnostics", false)
            verify(checked > before + 8, "dialog controls checked: " + (checked - before))
            compare(unnamed, [], "controls without an accessible name")
        }
    }
}
