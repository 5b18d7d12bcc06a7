// The app's window: the sync indicator always in view, and practice.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

ApplicationWindow {
    id: window
    width: 960
    height: 680
    visible: true
    title: qsTr("Kite")
    font.pointSize: 12 * Settings.textScale

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            Label {
                text: qsTr("Kite")
                font.bold: true
                Layout.fillWidth: true
            }
            SyncBadge {}
        }
    }

    PracticePage {
        anchors.fill: parent
        anchors.margins: 24
    }
}
