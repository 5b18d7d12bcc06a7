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
    // A kiosk fills the screen; closing it needs the teacher PIN (docs/app.md, "Kiosk mode").
    visibility: Kiosk.enabled ? Window.FullScreen : Window.AutomaticVisibility
    onClosing: (close) => {
        if (!Kiosk.requestExit()) {
            close.accepted = false
            kioskPin.openFor("exit")
        }
    }
    footer: KioskWarning {}
    font.pointSize: 12 * Settings.textScale

    // Light, dark and high contrast (setting "theme").
    palette.window: Settings.theme === "dark" ? "#1e1f22" : Settings.theme === "high_contrast" ? "#000000" : "#efefef"
    palette.windowText: Settings.theme === "light" ? "#1b1b1b" : Settings.theme === "high_contrast" ? "#ffff00" : "#e6e6e6"
    palette.base: Settings.theme === "dark" ? "#2b2d31" : Settings.theme === "high_contrast" ? "#000000" : "#ffffff"
    palette.text: Settings.theme === "light" ? "#1b1b1b" : Settings.theme === "high_contrast" ? "#ffffff" : "#e6e6e6"
    palette.button: Settings.theme === "dark" ? "#3a3d42" : Settings.theme === "high_contrast" ? "#000000" : "#e0e0e0"
    palette.buttonText: Settings.theme === "light" ? "#1b1b1b" : Settings.theme === "high_contrast" ? "#ffff00" : "#e6e6e6"
    palette.highlight: Settings.theme === "high_contrast" ? "#ffff00" : "#1e88e5"
    palette.highlightedText: Settings.theme === "high_contrast" ? "#000000" : "#ffffff"

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            spacing: 8
            ToolButton {
                objectName: "back"
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
                visible: SignIn.signedIn && !Setup.needed
                onClicked: stack.replace(null, libraryPage)
            }
            ToolButton {
                objectName: "navProgress"
                text: qsTr("Progress")
                visible: SignIn.signedIn && !Setup.needed
                onClicked: {
                    Progress.refresh(SignIn.learnerId, "fractions")
                    stack.replace(null, progressPage)
                }
            }
            ToolButton {
                objectName: "navTeacher"
                text: qsTr("Teacher")
                visible: Teacher.available && !Settings.kiosk
                onClicked: stack.push(teacherPage)
            }
            ToolButton {
                objectName: "navSettings"
                text: qsTr("Settings")
                onClicked: Kiosk.locked ? kioskPin.openFor("settings") : stack.push(settingsPage)
            }
            Item { Layout.fillWidth: true }
            SyncBadge { onDetails: stack.push(syncDetailsPage) }
            ToolButton {
                objectName: "signOut"
                visible: SignIn.signedIn && !Setup.needed
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
    Component { id: setupPage; SetupPage {} }
    // A lesson opens in the reader first; a whole course goes straight to practice.
    Component { id: libraryPage; LibraryPage { onPractise: (course, lesson) => {
        Practice.start(SignIn.learnerId, course, lesson)
        stack.push(lesson !== "" ? lessonPage : practicePage)
    } } }
    Component { id: lessonPage; LessonPage { onPractise: stack.push(practicePage) } }
    Component { id: practicePage; Pane { PracticePage { anchors.fill: parent; anchors.margins: 12 } } }
    Component { id: progressPage; ProgressPage {} }
    Component { id: syncDetailsPage; SyncDetailsPage {} }
    // Leaving Settings locks a kiosk again.
    Component { id: settingsPage; SettingsPage { StackView.onRemoved: Kiosk.lock() } }

    KioskPinDialog {
        id: kioskPin
        onUnlockedFor: (action) => action === "exit" ? window.close() : stack.push(settingsPage)
    }
    Connections {
        target: Kiosk
        // An unlock that ran out (no input for the idle time) closes Settings.
        function onRelocked() {
            if (!stack.busy && stack.currentItem && stack.currentItem.objectName === "settingsPage") stack.pop()
        }
    }
    Component { id: teacherPage; TeacherPage {} }
    // A live poll from the teacher, over any page.
    PollPromptOverlay {}

    Connections {
        target: SignIn
        // Straight to the page, no transition: the learner can start at once
        // (and the app's first page is interactive on its first frame).
        function onSignedInAs(learner) { if (!Setup.needed) stack.replace(null, libraryPage, {}, StackView.Immediate) }
        function onSignedOut(idle) { stack.replace(null, signInPage) }
    }
    // The first run: the setup page until the device is connected or the
    // learner chose to study on it alone.
    Connections {
        target: Setup
        function onChanged() { if (Setup.needed && stack.currentItem.objectName !== "setupPage") stack.replace(null, setupPage, {}, StackView.Immediate) }
        function onFinished() { stack.replace(null, SignIn.signedIn ? libraryPage : signInPage) }
    }
}
