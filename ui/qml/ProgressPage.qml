// Progress: each skill's mastery on this device beside the school's estimate
// (DKT when the school has a model), with when it was computed.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Pane {
    objectName: "progressPage"
    ListView {
        anchors.fill: parent
        model: Progress
        spacing: 12
        clip: true
        header: Label {
            text: qsTr("Your progress")
            font.pointSize: 20 * Settings.textScale
            bottomPadding: 12
        }
        delegate: ColumnLayout {
            required property string name
            required property double pKnown
            required property int attempts
            required property double serverDkt
            required property double serverDktAt
            width: ListView.view.width
            Label { text: name; font.bold: true }
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("This device"); Layout.preferredWidth: 160 }
                ProgressBar { value: pKnown; Layout.fillWidth: true; Accessible.name: qsTr("Mastery of %1 on this device").arg(name) }
                Label { text: Math.round(100 * pKnown) + "%"; Layout.preferredWidth: 60 }
            }
            RowLayout {
                Layout.fillWidth: true
                visible: serverDkt >= 0
                Label { text: qsTr("School (DKT)"); Layout.preferredWidth: 160 }
                ProgressBar { value: Math.max(0, serverDkt); Layout.fillWidth: true }
                Label { text: Math.round(100 * serverDkt) + "%"; Layout.preferredWidth: 60 }
            }
            Label {
                visible: serverDkt >= 0
                text: qsTr("computed %1").arg(Sync.ago(serverDktAt))
                opacity: 0.7
            }
            Label {
                text: qsTr("%n answer(s)", "", attempts)
                opacity: 0.7
            }
        }
    }
}
