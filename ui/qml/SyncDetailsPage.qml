// Sync details: when the device last synced, what waits, the last problem in
// plain words, Retry, and pausing sync.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Pane {
    objectName: "syncDetailsPage"
    ColumnLayout {
        anchors.fill: parent
        spacing: 12
        Label {
            text: qsTr("Sync")
            font.pointSize: 20 * Settings.textScale
        }
        Label {
            text: Sync.text
            font.bold: true
        }
        Label {
            objectName: "syncDetails"
            text: Sync.details
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        ProgressBar {
            visible: Sync.downloading !== ""
            value: Sync.downloadProgress
            Layout.fillWidth: true
        }
        RowLayout {
            Button {
                text: qsTr("Sync now")
                enabled: Sync.state !== "local" && Sync.state !== "paused"
                onClicked: Sync.retry()
            }
            Switch {
                objectName: "pauseSync"
                text: qsTr("Pause sync")
                visible: Sync.state !== "local"
                enabled: !Settings.locked("sync/paused")
                checked: Sync.state === "paused"
                onToggled: Sync.setPaused(checked)
            }
        }

        // Export diagnostics (docs/app.md): the logs, versions, settings and
        // this status in one zip for the school's IT; never a token or a PIN.
        RowLayout {
            Layout.fillWidth: true
            Button {
                objectName: "exportDiagnostics"
                text: qsTr("Export diagnostics…")
                enabled: !Diagnostics.busy
                Accessible.name: qsTr("Export diagnostics to a zip file")
                onClicked: {
                    diagnosticsDialog.active = true
                    // Without Qt Quick Dialogs: straight to the Documents folder.
                    if (diagnosticsDialog.status === Loader.Ready) diagnosticsDialog.item.open()
                    else Diagnostics.exportTo(Diagnostics.defaultFolder)
                }
            }
            Label {
                objectName: "diagnosticsResult"
                text: Diagnostics.result
                color: Diagnostics.failed ? "#c62828" : palette.windowText
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
        Loader {
            id: diagnosticsDialog
            active: false
            source: "DiagnosticsDialog.qml"
        }
        Item { Layout.fillHeight: true }
    }
}
