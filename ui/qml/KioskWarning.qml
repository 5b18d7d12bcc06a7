// Under the window of a kiosk without a usable teacher PIN: says so plainly
// (docs/app.md, "Kiosk mode"). Nothing shows otherwise.
import QtQuick
import QtQuick.Controls
import Kite 1.0

Pane {
    objectName: "kioskWarning"
    visible: Kiosk.warning !== ""
    padding: 8
    background: Rectangle { color: "#fff3cd" }
    Label {
        objectName: "kioskWarningText"
        anchors.fill: parent
        text: Kiosk.warning
        color: "#5c4400"
        wrapMode: Text.Wrap
    }
}
