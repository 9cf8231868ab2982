import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Sign-in and settings: server URL, anon key, e-mail and password, or the built-in demo; the
// change feed (postgres_changes or database broadcast) and whether orders need a confirmation.
// The form checks what it can before anything leaves the desk (a URL that is https unless local,
// a key that looks like an anon key and is not the service_role key, an e-mail address, a
// password) and shows each message next to its field; the server's answer comes back through
// settings.signInError. The password is only handed to signIn(), never stored, and the field is
// emptied once signed in.
//
// `settings` (app.settings, or a plain QtObject in tests): serverUrl, anonKey, email, demo,
// feedMode, confirmOrders (read/write), signedIn, busy, signInError, signIn(url, key, email,
// password), useDemo(), signOut().
FocusScope {
    id: form

    property var settings: null
    property var errors: ({})
    property bool useDemo: false

    readonly property bool busy: settings ? settings.busy === true : false
    readonly property bool signedIn: settings ? settings.signedIn === true : false

    // Emitted after a sign-in or demo start was asked for (the dialog may close on success).
    signal submitted()

    // Loads the saved values into the fields (the form edits copies until submitted).
    function reload() {
        urlField.text = settings && settings.serverUrl ? settings.serverUrl : ""
        keyField.text = settings && settings.anonKey ? settings.anonKey : ""
        emailField.text = settings && settings.email ? settings.email : ""
        passwordField.text = ""
        useDemo = settings ? settings.demo === true : true
        errors = ({})
    }
    onSettingsChanged: reload()
    Component.onCompleted: reload()
    onSignedInChanged: if (signedIn) passwordField.text = ""

    function isLocalHost(host) {
        return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host.endsWith(".localhost")
    }
    // The role claim of a JWT-shaped key, or "" when it cannot be read.
    function jwtRole(key) {
        const parts = key.split(".")
        if (parts.length !== 3)
            return ""
        try {
            let payload = parts[1].replace(/-/g, "+").replace(/_/g, "/")
            while (payload.length % 4)
                payload += "="
            return JSON.parse(Qt.atob(payload)).role || ""
        } catch (e) {
            return ""
        }
    }
    function validate() {
        const e = {}
        if (useDemo) {
            errors = e
            return e
        }
        const url = urlField.text.trim()
        const match = /^(https?):\/\/([^\s\/:?#]+|\[[0-9a-fA-F:]+\])(:\d{1,5})?(\/[^\s]*)?$/.exec(url)
        if (url.length === 0)
            e.serverUrl = qsTr("Enter the project URL, e.g. https://<ref>.supabase.co")
        else if (!match)
            e.serverUrl = qsTr("Not a URL: it starts with https:// and has no spaces")
        else if (match[1] === "http" && !isLocalHost(match[2].toLowerCase()))
            e.serverUrl = qsTr("Use https:// (plain http is only for a server on this machine)")

        const key = keyField.text.trim()
        if (key.length === 0)
            e.anonKey = qsTr("Enter the project's anon (public) key")
        else if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(key) && !/^sb_publishable_[A-Za-z0-9_-]+$/.test(key))
            e.anonKey = qsTr("This does not look like an anon key (a JWT or sb_publishable_…)")
        else if (jwtRole(key) === "service_role")
            e.anonKey = qsTr("This is the service_role key: it must never be in a desktop app. Use the anon key.")

        const email = emailField.text.trim()
        if (email.length === 0)
            e.email = qsTr("Enter your e-mail address")
        else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
            e.email = qsTr("Not an e-mail address")

        if (passwordField.text.length === 0)
            e.password = qsTr("Enter your password")
        errors = e
        return e
    }
    // Checks the form and, when it is complete, signs in (or starts the demo). False when the
    // form has errors, or while a sign-in is already running.
    function submit() {
        if (!settings || busy)
            return false
        if (Object.keys(validate()).length > 0) {
            if (errors.serverUrl) urlField.forceActiveFocus()
            else if (errors.anonKey) keyField.forceActiveFocus()
            else if (errors.email) emailField.forceActiveFocus()
            else passwordField.forceActiveFocus()
            return false
        }
        if (useDemo) {
            settings.useDemo()
        } else {
            settings.signIn(urlField.text.trim(), keyField.text.trim(), emailField.text.trim(), passwordField.text)
        }
        submitted()
        return true
    }

    implicitWidth: 440
    implicitHeight: column.implicitHeight + 2 * Theme.spacing
    Accessible.role: Accessible.Form
    Accessible.name: qsTr("Sign in and settings")

    Keys.onReturnPressed: submit()
    Keys.onEnterPressed: submit()

    component FieldLabel: Label {
        color: Theme.textMuted
        font.pixelSize: Theme.smallFontSize
    }
    component ErrorLabel: Label {
        visible: text.length > 0
        color: Theme.down
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        Layout.fillWidth: true
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 4

        Label {
            objectName: "signedInLabel"
            visible: form.signedIn
            Layout.fillWidth: true
            text: form.settings && form.settings.demo ? qsTr("Connected to the built-in demo")
                                                      : qsTr("Signed in as %1").arg(form.settings ? form.settings.email : "")
            color: Theme.up
            font.pixelSize: Theme.fontSize
            elide: Text.ElideRight
        }

        Switch {
            id: demoSwitch
            Layout.fillWidth: true
            objectName: "demoSwitch"
            text: qsTr("Built-in demo (simulated market, no account)")
            checked: form.useDemo
            onToggled: {
                form.useDemo = checked
                form.errors = ({})
            }
            enabled: !form.busy
            Accessible.name: qsTr("Use the built-in demo")
            KeyNavigation.tab: urlField
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 3
            enabled: !form.useDemo && !form.busy
            opacity: enabled ? 1 : 0.45

            FieldLabel { text: qsTr("Server URL") }
            TextField {
                id: urlField
                objectName: "urlField"
                Layout.fillWidth: true
                placeholderText: "https://<ref>.supabase.co"
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                Accessible.name: qsTr("Server URL")
                Accessible.description: form.errors.serverUrl || ""
                KeyNavigation.tab: keyField
            }
            ErrorLabel { objectName: "urlError"; text: form.errors.serverUrl || "" }

            FieldLabel { text: qsTr("Anon key") }
            TextField {
                id: keyField
                objectName: "keyField"
                Layout.fillWidth: true
                placeholderText: qsTr("the project's anon (public) key")
                echoMode: TextInput.PasswordEchoOnEdit
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                Accessible.name: qsTr("Anon key")
                Accessible.description: form.errors.anonKey || ""
                KeyNavigation.tab: emailField
            }
            ErrorLabel { objectName: "keyError"; text: form.errors.anonKey || "" }

            FieldLabel { text: qsTr("E-mail") }
            TextField {
                id: emailField
                objectName: "emailField"
                Layout.fillWidth: true
                placeholderText: "you@example.com"
                inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
                Accessible.name: qsTr("E-mail")
                Accessible.description: form.errors.email || ""
                KeyNavigation.tab: passwordField
            }
            ErrorLabel { objectName: "emailError"; text: form.errors.email || "" }

            FieldLabel { text: qsTr("Password") }
            TextField {
                id: passwordField
                objectName: "passwordField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                Accessible.name: qsTr("Password")
                Accessible.description: form.errors.password || ""
                KeyNavigation.tab: submitButton
            }
            ErrorLabel { objectName: "passwordError"; text: form.errors.password || "" }
        }

        Label {
            objectName: "serverError"
            visible: text.length > 0 && !form.busy
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: form.settings && form.settings.signInError ? form.settings.signInError : ""
            color: Theme.down
            font.pixelSize: Theme.fontSize - 1
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 4
            BusyIndicator {
                objectName: "busyIndicator"
                running: form.busy
                visible: running
                implicitWidth: 24
                implicitHeight: 24
            }
            Label {
                visible: form.busy
                text: qsTr("Connecting…")
                color: Theme.textMuted
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "signOutButton"
                visible: form.signedIn
                enabled: !form.busy
                text: qsTr("Sign out")
                onClicked: form.settings.signOut()
                Accessible.name: qsTr("Sign out")
            }
            Button {
                id: submitButton
                objectName: "submitButton"
                enabled: !form.busy && form.settings !== null
                highlighted: true
                text: form.useDemo ? qsTr("Start demo") : qsTr("Sign in")
                onClicked: form.submit()
                Accessible.name: text
                KeyNavigation.tab: feedBox
            }
        }

        Rectangle { Layout.fillWidth: true; Layout.topMargin: 6; implicitHeight: 1; color: Theme.border }

        Label {
            text: qsTr("Preferences")
            color: Theme.text
            font.bold: true
            font.pixelSize: Theme.smallFontSize + 1
            font.capitalization: Font.AllUppercase
        }
        RowLayout {
            Layout.fillWidth: true
            FieldLabel { text: qsTr("Change feed"); Layout.fillWidth: true }
            ComboBox {
                id: feedBox
                objectName: "feedBox"
                implicitWidth: 220
                textRole: "text"
                valueRole: "value"
                model: [{ text: qsTr("Postgres changes"), value: "postgres_changes" },
                        { text: qsTr("Database broadcast"), value: "broadcast" }]
                currentIndex: form.settings && form.settings.feedMode === "broadcast" ? 1 : 0
                onActivated: if (form.settings) form.settings.feedMode = currentValue
                Accessible.name: qsTr("Change feed")
                Accessible.description: qsTr("Takes effect at the next connection")
                KeyNavigation.tab: confirmBox
            }
        }
        CheckBox {
            id: confirmBox
            objectName: "confirmBox"
            text: qsTr("Confirm before sending an order")
            checked: form.settings ? form.settings.confirmOrders !== false : true
            onToggled: if (form.settings) form.settings.confirmOrders = checked
            Accessible.name: text
            KeyNavigation.tab: demoSwitch
        }
    }
}
