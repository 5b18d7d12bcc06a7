// Progress: the history chart, then each skill's mastery on this device
// beside the school's estimates (BKT, and DKT when the school has a model),
// with when each was computed.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Pane {
    objectName: "progressPage"
    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth
        ColumnLayout {
            width: scroll.availableWidth
            spacing: 12
            Label {
                text: qsTr("Your progress")
                font.pointSize: 20 * Settings.textScale
            }
            HistoryChart {
                Layout.fillWidth: true
                series: Progress.history
                answers: Progress.answers
            }
            Repeater {
                model: Progress
                delegate: ColumnLayout {
                    required property string name
                    required property double pKnown
                    required property int attempts
                    required property double serverBkt
                    required property double serverBktAt
                    required property double serverDkt
                    required property double serverDktAt
                    Layout.fillWidth: true
                    Label { text: name; font.bold: true }
                    RowLayout {
                        Layout.fillWidth: true
                        Label { text: qsTr("This device"); Layout.preferredWidth: 160 }
                        ProgressBar { value: pKnown; Layout.fillWidth: true; Accessible.name: qsTr("Mastery of %1 on this device").arg(name) }
                        Label { text: Math.round(100 * pKnown) + "%"; Layout.preferredWidth: 60 }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        visible: serverBkt >= 0
                        Label { text: qsTr("School (BKT)"); Layout.preferredWidth: 160 }
                        ProgressBar { value: Math.max(0, serverBkt); Layout.fillWidth: true; Accessible.name: qsTr("Mastery of %1 at the school, BKT").arg(name) }
                        Label { text: qsTr("%1% · %2").arg(Math.round(100 * serverBkt)).arg(Sync.ago(serverBktAt)) }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        visible: serverDkt >= 0
                        Label { text: qsTr("School (DKT)"); Layout.preferredWidth: 160 }
                        ProgressBar { value: Math.max(0, serverDkt); Layout.fillWidth: true; Accessible.name: qsTr("Chance of %1 right at the next answer, school's DKT").arg(name) }
                        Label { text: qsTr("%1% · %2").arg(Math.round(100 * serverDkt)).arg(Sync.ago(serverDktAt)) }
                    }
                    Label {
                        text: qsTr("%n answer(s)", "", attempts)
                        opacity: 0.7
                    }
                }
            }
            Label {
                visible: Progress.error !== ""
                text: Progress.error
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
        }
    }
}
