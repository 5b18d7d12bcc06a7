// The lesson reader: the lesson's text (Markdown with pictures), then practice.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Pane {
    id: page
    objectName: "lessonPage"
    signal practise()

    ColumnLayout {
        anchors.fill: parent
        spacing: 12
        BusyIndicator {
            running: Practice.loading
            visible: running
            Layout.alignment: Qt.AlignHCenter
        }
        Label {  // lessons usually open with their own heading
            text: Practice.lessonTitle
            visible: !Practice.lessonText.startsWith("#")
            font.pointSize: 20 * Settings.textScale
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            Text {
                objectName: "lessonText"
                width: page.availableWidth
                text: Practice.lessonText
                textFormat: Text.MarkdownText
                baseUrl: "image://course/" + Practice.course + "/lessons/"
                wrapMode: Text.Wrap
                color: palette.windowText
                font.pointSize: 13 * Settings.textScale
                onLinkActivated: link => Qt.openUrlExternally(link)
            }
        }
        Button {
            objectName: "startPractice"
            text: qsTr("Practise this lesson")
            highlighted: true
            enabled: Practice.ready
            Layout.alignment: Qt.AlignRight
            onClicked: page.practise()
        }
    }
}
