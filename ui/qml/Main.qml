// The app's window: the header (who, where to, the sync indicator always in
// view) over a stack of pages: sign-in, library, practice, progress.
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
            spacing: 8
            ToolButton {
                text: "‹"
                visible: stack.depth > 1
                Accessible.name: qsTr("Back")
                onClicked: stack.pop()
            }
            Label {
                text: qsTr("Kite")
                font.bold: true
            }
            ToolButton {
                objectName: "navLibrary"
                text: qsTr("Library")
                visible: SignIn.signedIn
                onClicked: stack.replace(null, libraryPage)
            }
            ToolButton {
                objectName: "navProgress"
                text: qsTr("Progress")
                visible: SignIn.signedIn
                onClicked: {
                    Progress.refresh(SignIn.learnerId, "fractions")
                    stack.replace(null, progressPage)
                }
            }
            Item { Layout.fillWidth: true }
            SyncBadge { onDetails: stack.push(syncDetailsPage) }
            ToolButton {
                objectName: "signOut"
                visible: SignIn.signedIn
                text: qsTr("%1 · Sign out").arg(SignIn.learnerName)
                onClicked: SignIn.signOut()
            }
        }
    }

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        initialItem: signInPage
    }

    Component { id: signInPage; SignInPage {} }
    Component { id: libraryPage; LibraryPage { onPractise: (course, lesson) => {
        Practice.start(SignIn.learnerId, course, lesson)
        stack.push(practicePage)
    } } }
    Component { id: practicePage; Pane { PracticePage { anchors.fill: parent; anchors.margins: 12 } } }
    Component { id: progressPage; ProgressPage {} }
    Component { id: syncDetailsPage; SyncDetailsPage {} }

    Connections {
        target: SignIn
        function onSignedInAs(learner) { stack.replace(null, libraryPage) }
        function onSignedOut(idle) { stack.replace(null, signInPage) }
    }
}
