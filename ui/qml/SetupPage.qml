// The first run: connect to the school's Kite server (its address and the
// enrollment code the school gave), or study on this device with the bundled
// sample course. Shown only when neither IT nor an earlier run set a server.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Kite 1.0

Pane {
    id: page
    objectName: "setupPage"

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 520)
        spacing: 14

        Label {
            text: qsTr("Welcome to Kite")
            font.pointSize: 24 * Settings.textScale
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: qsTr("Connect to your school to get its courses and keep your work safe on its server, or study on this device on your own.")
        }

        GroupBox {
            title: qsTr("Connect to my school")
            Layout.fillWidth: true
            ColumnLayout {
                anchors.fill: parent
                spacing: 8
                Label { text: qsTr("Server address") }
                TextField {
                    id: server
                    objectName: "setupServer"
                    Layout.fillWidth: true
                    text: Setup.server
                    placeholderText: qsTr("kite.school.org:8080")
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    Accessible.name: qsTr("Server address")
                    focus: true
                    onAccepted: code.forceActiveFocus()
                }
                Label { text: qsTr("Enrollment code") }
                TextField {
                    id: code
                    objectName: "setupCode"
                    Layout.fillWidth: true
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    Accessible.name: qsTr("Enrollment code")
                    onAccepted: connectButton.clicked()
                }
                RowLayout {
                    Button {
                        id: connectButton
                        objectName: "setupConnect"
                        text: qsTr("Connect")
                        highlighted: true
                        enabled: !Setup.busy
                        onClicked: Setup.connectToSchool(server.text, code.text)
                    }
                    BusyIndicator {
                        running: Setup.busy
                        visible: Setup.busy
                        Layout.preferredHeight: connectButton.height
                        Accessible.name: qsTr("Connecting")
                    }
                }
                Label {
                    objectName: "setupError"
                    visible: Setup.error !== ""
                    text: Setup.error
                    color: "#c62828"
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                    Accessible.role: Accessible.AlertMessage
                }
            }
        }

        RowLayout {
            spacing: 12
            Button {
                objectName: "setupOffline"
                text: qsTr("Study on this device")
                enabled: !Setup.busy
                Accessible.description: qsTr("Start with the sample course, without a school server")
                onClicked: Setup.studyOffline()
            }
            Button {
                objectName: "setupImport"
                text: qsTr("Import a course…")
                enabled: !Library.importing
                onClicked: importDialog.open()
            }
        }
        Label {
            id: imported
            objectName: "setupImported"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            visible: text !== ""
        }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Import a course package")
        nameFilters: [qsTr("Kite course packages (*.kitepack)"), qsTr("All files (*)")]
        onAccepted: Library.importPackage(selectedFile)
    }
    Connections {
        target: Library
        function onImportFinished(ok, message) { imported.text = message }
    }
}
