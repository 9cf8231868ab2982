import QtQuick
import QtTest
import TradingFloor

// Sign-in / settings form: field validation before anything is sent (URL, https, anon key shape,
// service_role refusal, e-mail, password), Enter submits, demo mode, server errors, busy state,
// sign-out, preferences written through, and the password never kept.
Item {
    id: root
    width: 520; height: 700

    QtObject {
        id: settings
        property string serverUrl: "https://abc.supabase.co"
        property string anonKey: ""
        property string email: "trader@example.com"
        property bool demo: false
        property string feedMode: "postgres_changes"
        property bool confirmOrders: true
        property bool signedIn: false
        property bool busy: false
        property string signInError: ""
        property var calls: []
        function signIn(url, key, email, password) { calls.push(["signIn", url, key, email, password]); busy = true }
        function useDemo() { calls.push(["useDemo"]); busy = true }
        function signOut() { calls.push(["signOut"]); signedIn = false }
    }

    SettingsView { id: form; width: 480; settings: settings }

    // base64url JWTs: {"role":"anon"} and {"role":"service_role"}
    readonly property string anonJwt: "eyJhbGciOiJIUzI1NiJ9." + Qt.btoa('{"role":"anon"}').replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_") + ".c2ln"
    readonly property string serviceJwt: "eyJhbGciOiJIUzI1NiJ9." + Qt.btoa('{"role":"service_role"}').replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_") + ".c2ln"

    TestCase {
        name: "SettingsView"
        when: windowShown

        function field(name) { return findChild(form, name) }
        function fill(url, key, email, password) {
            field("urlField").text = url
            field("keyField").text = key
            field("emailField").text = email
            field("passwordField").text = password
        }

        function init() {
            settings.calls = []
            settings.busy = false
            settings.signedIn = false
            settings.signInError = ""
            settings.demo = false
            form.reload()
        }

        function test_loadsSavedValuesButNoPassword() {
            compare(field("urlField").text, "https://abc.supabase.co")
            compare(field("emailField").text, "trader@example.com")
            compare(field("passwordField").text, "")
            verify(!form.useDemo)
        }

        function test_emptyFormShowsEveryMessage() {
            fill("", "", "", "")
            verify(!form.submit())
            compare(field("urlError").text, "Enter the project URL, e.g. https://<ref>.supabase.co")
            compare(field("keyError").text, "Enter the project's anon (public) key")
            compare(field("emailError").text, "Enter your e-mail address")
            compare(field("passwordError").text, "Enter your password")
            verify(field("urlField").activeFocus)
            compare(settings.calls.length, 0)
        }

        function test_fieldRules_data() {
            return [
                { tag: "not a url", url: "abc.supabase.co", key: root.anonJwt, email: "a@b.co", field: "urlError", message: "Not a URL: it starts with https:// and has no spaces" },
                { tag: "space in url", url: "https://abc .supabase.co", key: root.anonJwt, email: "a@b.co", field: "urlError", message: "Not a URL: it starts with https:// and has no spaces" },
                { tag: "plain http remote", url: "http://abc.supabase.co", key: root.anonJwt, email: "a@b.co", field: "urlError", message: "Use https:// (plain http is only for a server on this machine)" },
                { tag: "key shape", url: "https://abc.supabase.co", key: "hello world", email: "a@b.co", field: "keyError", message: "This does not look like an anon key (a JWT or sb_publishable_…)" },
                { tag: "service role", url: "https://abc.supabase.co", key: root.serviceJwt, email: "a@b.co", field: "keyError", message: "This is the service_role key: it must never be in a desktop app. Use the anon key." },
                { tag: "email", url: "https://abc.supabase.co", key: root.anonJwt, email: "trader", field: "emailError", message: "Not an e-mail address" },
            ]
        }
        function test_fieldRules(data) {
            fill(data.url, data.key, data.email, "secret")
            verify(!form.submit())
            compare(field(data.field).text, data.message)
            verify(field(data.field).visible)
            compare(settings.calls.length, 0)
        }

        function test_acceptedValues_data() {
            return [
                { tag: "https + jwt", url: "https://abc.supabase.co", key: root.anonJwt },
                { tag: "local http", url: "http://127.0.0.1:54321", key: root.anonJwt },
                { tag: "localhost path", url: "http://localhost:8000/base", key: "sb_publishable_AbC-123" },
            ]
        }
        function test_acceptedValues(data) {
            fill(data.url, data.key, "a@b.co", "pw")
            compare(Object.keys(form.validate()).length, 0, JSON.stringify(form.errors))
        }

        function test_enterSignsInWithTheTypedValues() {
            fill(" https://abc.supabase.co ", root.anonJwt, "me@desk.io", "s3cret pass")
            field("passwordField").forceActiveFocus()
            keyClick(Qt.Key_Return)
            compare(settings.calls.length, 1)
            compare(settings.calls[0], ["signIn", "https://abc.supabase.co", root.anonJwt, "me@desk.io", "s3cret pass"])
            // Busy: the form cannot be sent twice and shows progress.
            verify(field("busyIndicator").running)
            verify(!field("submitButton").enabled)
            verify(!form.submit())
            compare(settings.calls.length, 1)
        }

        function test_serverErrorShownAndPasswordKeptForRetry() {
            fill("https://abc.supabase.co", root.anonJwt, "me@desk.io", "wrong")
            verify(form.submit())
            settings.busy = false
            settings.signInError = "Invalid login credentials"
            compare(field("serverError").text, "Invalid login credentials")
            verify(field("serverError").visible)
            compare(field("passwordField").text, "wrong")
        }

        function test_passwordClearedOnceSignedIn() {
            fill("https://abc.supabase.co", root.anonJwt, "me@desk.io", "right")
            verify(form.submit())
            settings.busy = false
            settings.signedIn = true
            compare(field("passwordField").text, "")
            verify(field("signedInLabel").visible)
            compare(field("signedInLabel").text, "Signed in as trader@example.com")
            mouseClick(field("signOutButton"))
            compare(settings.calls[1], ["signOut"])
        }

        function test_demoNeedsNoFields() {
            fill("", "", "", "")
            mouseClick(field("demoSwitch"))
            verify(form.useDemo)
            compare(field("submitButton").text, "Start demo")
            verify(!field("urlField").enabled)
            verify(form.submit())
            compare(settings.calls[0], ["useDemo"])
        }

        function test_preferencesWriteThrough() {
            const box = field("confirmBox")
            verify(box.checked)
            mouseClick(box)
            compare(settings.confirmOrders, false)
            const feed = field("feedBox")
            feed.forceActiveFocus()
            keyClick(Qt.Key_Down)
            compare(settings.feedMode, "broadcast")
            settings.confirmOrders = true
            settings.feedMode = "postgres_changes"
            compare(feed.currentIndex, 0)
        }
    }
}
