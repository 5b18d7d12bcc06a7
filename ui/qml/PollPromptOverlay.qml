// A live poll from the teacher, over whatever page the learner is on: the
// question and its options (or a free answer), until the poll closes or the
// learner says "Not now".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Popup {
    id: prompt
    objectName: "pollPrompt"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 48 : 560, 560)
    modal: true
    focus: true
    visible: PollPrompt.active
    closePolicy: Popup.CloseOnEscape
    onClosed: if (PollPrompt.active) PollPrompt.dismiss()

    ColumnLayout {
        anchors.fill: parent
        spacing: 12
        Label {
            text: qsTr("Your teacher asks")
            font.bold: true
        }
        Label {
            objectName: "pollPromptQuestion"
            text: PollPrompt.question
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            font.pointSize: 16 * Settings.textScale
        }
        Repeater {
            model: PollPrompt.options
            Button {
                objectName: "pollOption" + index
                text: modelData
                highlighted: PollPrompt.answeredWith === modelData
                enabled: !PollPrompt.sending
                Layout.fillWidth: true
                Accessible.name: qsTr("Answer %1").arg(modelData)
                onClicked: PollPrompt.answer(modelData)
            }
        }
        RowLayout {
            visible: PollPrompt.options.length === 0
            Layout.fillWidth: true
            TextField {
                id: freeAnswer
                objectName: "pollAnswerField"
                Layout.fillWidth: true
                placeholderText: qsTr("Your answer")
                Accessible.name: qsTr("Your answer")
                onAccepted: PollPrompt.answer(text)
            }
            Button {
                objectName: "pollSend"
                text: qsTr("Send")
                enabled: !PollPrompt.sending && freeAnswer.text.trim() !== ""
                onClicked: PollPrompt.answer(freeAnswer.text)
            }
        }
        Label {
            objectName: "pollPromptStatus"
            text: PollPrompt.error !== "" ? PollPrompt.error
                  : PollPrompt.sending ? qsTr("Sending…")
                  : PollPrompt.answeredWith !== "" ? qsTr("Sent: %1. You may change it until the poll closes.").arg(PollPrompt.answeredWith)
                  : ""
            color: PollPrompt.error !== "" ? "#c62828" : palette.windowText
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Button {
            objectName: "pollDismiss"
            text: PollPrompt.answeredWith !== "" ? qsTr("Done") : qsTr("Not now")
            Layout.alignment: Qt.AlignRight
            onClicked: PollPrompt.dismiss()
        }
    }
}
