// The library: courses with their download state, size and progress, and
// their lessons with completion; practise a whole course or one lesson.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Kite 1.0

Pane {
    id: page
    objectName: "libraryPage"
    signal practise(string course, string lesson)

    // A course package from a file (a USB stick, a download): checked, then
    // installed, or refused in words.
    RowLayout {
        id: importRow
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 12
        Button {
            objectName: "libraryImport"
            text: qsTr("Import a course…")
            enabled: !Library.importing
            onClicked: importDialog.open()
        }
        Label {
            id: importResult
            objectName: "libraryImportResult"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            Accessible.role: Accessible.AlertMessage
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
        function onImportFinished(ok, message) { importResult.text = message }
    }

    ListView {
        id: courses
        anchors.top: importRow.bottom
        anchors.topMargin: 12
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        spacing: 16
        model: Library
        clip: true
        delegate: ColumnLayout {
            required property string course
            required property string title
            required property string status
            required property double size
            required property double progress
            required property var lessons
            required property int skills
            required property int mastered
            width: ListView.view.width
            spacing: 6
            RowLayout {
                Layout.fillWidth: true
                Label {
                    text: title
                    font.pointSize: 18 * Settings.textScale
                    font.bold: true
                    Layout.fillWidth: true
                }
                Label {
                    text: status === "installed" ? qsTr("%1 of %2 skills mastered").arg(mastered).arg(skills)
                        : status === "downloading" ? qsTr("Downloading… %1%").arg(Math.round(100 * progress))
                        : status === "updateAvailable" ? qsTr("Update available (%1 kB)").arg(Math.round(size / 1000))
                        : qsTr("Available from the school (%1 kB)").arg(Math.round(size / 1000))
                }
                Button {
                    objectName: "practise_" + course
                    text: qsTr("Practise")
                    enabled: status !== "available"
                    highlighted: true
                    onClicked: page.practise(course, "")
                }
            }
            ProgressBar {
                visible: status === "downloading"
                value: progress
                Layout.fillWidth: true
            }
            Repeater {
                model: lessons
                delegate: ItemDelegate {
                    required property var modelData
                    objectName: "lesson_" + modelData.lesson
                    Layout.fillWidth: true
                    text: (modelData.complete ? "✓ " : "○ ") + modelData.title
                    Accessible.name: modelData.title + (modelData.complete ? qsTr(", complete") : "")
                    onClicked: page.practise(course, modelData.lesson)
                }
            }
        }
    }
    Label {
        anchors.centerIn: parent
        visible: courses.count === 0 && !Library.loading
        text: Library.error !== "" ? Library.error : qsTr("No courses yet.")
    }
}
