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
        Item { Layout.fillHeight: true }
    }
}
