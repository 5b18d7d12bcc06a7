// The teacher PIN, asked for before a kiosk closes, opens Settings or leaves
// kiosk mode (docs/app.md, "Kiosk mode"). Type the digits, Enter unlocks,
// Esc cancels. openFor(action) remembers what to do once unlocked and
// emits unlockedFor(action) then.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Dialog {
    id: dialog
    objectName: "kioskPinDialog"
    property string action: ""
    signal unlockedFor(string action)

    function openFor(what) {
        action = what
        field.text = ""
        open()
    }

    title: action === "exit" ? qsTr("Teacher PIN to close Kite")
                             : qsTr("Teacher PIN to open Settings")
    anchors.centerIn: parent
    modal: true
    closePolicy: Popup.CloseOnEscape
    onOpened: field.forceActiveFocus()
    onClosed: field.text = ""

    ColumnLayout {
        spacing: 10
        Label {
            text: qsTr("This is a kiosk. A teacher's PIN is needed.")
            wrapMode: Text.Wrap
            Layout.maximumWidth: 360
        }
        TextField {
            id: field
            objectName: "kioskPinField"
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhDigitsOnly
            validator: RegularExpressionValidator { regularExpression: /[0-9]{0,8}/ }
            placeholderText: qsTr("PIN")
            Accessible.name: qsTr("Teacher PIN")
            Layout.fillWidth: true
            onAccepted: Kiosk.unlock(text)
        }
        Label {
            objectName: "kioskPinError"
            visible: Kiosk.error !== ""
            text: Kiosk.error
            color: "#c62828"
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button {
                objectName: "kioskPinCancel"
                text: qsTr("Cancel")
                onClicked: dialog.close()
            }
            Button {
                objectName: "kioskPinOk"
                text: dialog.action === "exit" ? qsTr("Close Kite") : qsTr("Unlock")
                highlighted: true
                enabled: !Kiosk.checking && field.text.length >= 4
                onClicked: Kiosk.unlock(field.text)
            }
        }
    }

    Connections {
        target: Kiosk
        enabled: dialog.opened
        function onUnlocked() {
            const what = dialog.action
            dialog.close()
            dialog.unlockedFor(what)
        }
        function onChanged() {
            // A wrong PIN: type it again.
            if (Kiosk.error !== "") { field.text = ""; field.forceActiveFocus() }
        }
    }
}
