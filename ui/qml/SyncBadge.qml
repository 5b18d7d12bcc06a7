// The always-visible sync indicator: offline, syncing, up to date · 2 min
// ago, N waiting, or the error in plain words with Retry.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

RowLayout {
    id: badge
    spacing: 8
    signal details()
    Accessible.role: Accessible.StatusBar
    Accessible.name: Sync.text

    Rectangle {
        width: 10
        height: 10
        radius: 5
        color: Sync.state === "upToDate" ? "#2e7d32"
             : Sync.state === "error" ? "#c62828"
             : Sync.state === "offline" || Sync.state === "paused" || Sync.state === "local" ? "#9e9e9e"
             : "#f9a825"
    }
    // A flat button: reachable by Tab, opens the details with Enter or Space.
    ToolButton {
        objectName: "syncText"
        text: Sync.text
        padding: 2
        Accessible.name: qsTr("Sync: %1").arg(Sync.text)
        Accessible.description: qsTr("Show the sync details")
        onClicked: badge.details()
    }
    Button {
        objectName: "syncRetry"
        visible: Sync.canRetry
        text: qsTr("Retry")
        onClicked: Sync.retry()
        ToolTip.visible: hovered && Sync.error !== ""
        ToolTip.text: Sync.error
    }
}
