// Practice: the item, the answer, feedback and explanation, hints, and the
// item's skills with mastery bars that move with the answer.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

ColumnLayout {
    id: page
    spacing: 16

    BusyIndicator {
        running: Practice.loading
        visible: running
        Layout.alignment: Qt.AlignHCenter
    }
    Label {
        objectName: "practiceError"
        visible: Practice.error !== ""
        text: Practice.error
        color: "#c62828"
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Text {
        objectName: "prompt"
        text: Practice.prompt
        textFormat: Text.MarkdownText
        baseUrl: "image://course/" + Practice.course + "/items/"
        wrapMode: Text.Wrap
        font.pointSize: 14 * Settings.textScale
        color: palette.windowText
        Layout.fillWidth: true
        Accessible.role: Accessible.StaticText
        Accessible.name: Practice.prompt
    }

    // multiple choice: one button per choice
    ColumnLayout {
        visible: Practice.itemType === "multiple_choice"
        Layout.fillWidth: true
        Repeater {
            model: Practice.itemType === "multiple_choice" ? Practice.choices : []
            delegate: Button {
                required property int index
                required property string modelData
                objectName: "choice" + index
                text: modelData
                enabled: !Practice.answered
                Layout.fillWidth: true
                onClicked: Practice.answerChoice(index)
            }
        }
    }

    // multiple select: check boxes and a Check button
    ColumnLayout {
        id: select
        visible: Practice.itemType === "multiple_select"
        Layout.fillWidth: true
        property var picked: []
        Connections {
            target: Practice
            function onItemChanged() { select.picked = [] }
        }
        Repeater {
            id: boxes
            model: Practice.itemType === "multiple_select" ? Practice.choices : []
            delegate: CheckBox {
                required property int index
                required property string modelData
                objectName: "select" + index
                text: modelData
                enabled: !Practice.answered
                onToggled: {
                    const p = select.picked.filter(i => i !== index)
                    if (checked) p.push(index)
                    select.picked = p
                }
            }
        }
        Button {
            objectName: "checkSelected"
            text: qsTr("Check")
            enabled: !Practice.answered
            onClicked: Practice.answerChoices(select.picked)
        }
    }

    // numeric and short text: a field and a Check button (Enter works too)
    RowLayout {
        visible: Practice.itemType === "numeric" || Practice.itemType === "short_text"
        Layout.fillWidth: true
        TextField {
            id: typed
            objectName: "answerField"
            Layout.fillWidth: true
            enabled: !Practice.answered
            placeholderText: Practice.unit !== "" ? qsTr("Answer in %1").arg(Practice.unit) : qsTr("Your answer")
            Accessible.name: qsTr("Your answer")
            onAccepted: Practice.answerText(text)
        }
        Button {
            objectName: "checkTyped"
            text: qsTr("Check")
            enabled: !Practice.answered && typed.text !== ""
            onClicked: Practice.answerText(typed.text)
        }
    }

    // hints
    Repeater {
        model: Practice.hints
        delegate: Label {
            required property string modelData
            text: "💡 " + modelData
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    // feedback and explanation
    Label {
        objectName: "feedback"
        visible: Practice.answered
        text: (Practice.correct ? qsTr("Right!") : qsTr("Not quite."))
              + (Practice.feedback !== "" ? " " + Practice.feedback : "")
        font.bold: true
        color: Practice.correct ? "#2e7d32" : "#c62828"
    }
    Text {
        visible: Practice.answered && Practice.explanation !== ""
        text: Practice.explanation
        textFormat: Text.MarkdownText
        baseUrl: "image://course/" + Practice.course + "/items/"
        wrapMode: Text.Wrap
        color: palette.windowText
        Layout.fillWidth: true
    }

    // the item's skills, mastery moving with the answer
    Repeater {
        model: Practice.skills
        delegate: ColumnLayout {
            required property var modelData
            Layout.fillWidth: true
            Label { text: modelData.name + " · " + Math.round(100 * modelData.pKnown) + "%" }
            ProgressBar {
                objectName: "mastery_" + modelData.skill
                value: modelData.pKnown
                Layout.fillWidth: true
                Accessible.name: qsTr("Mastery of %1").arg(modelData.name)
                Behavior on value { NumberAnimation { duration: 250 } }
            }
        }
    }

    Item { Layout.fillHeight: true }

    RowLayout {
        Button {
            objectName: "hint"
            text: qsTr("Hint")
            visible: Practice.moreHints
            onClicked: Practice.showHint()
        }
        Button {
            text: qsTr("Skip")
            visible: Practice.ready && !Practice.answered
            onClicked: Practice.skip()
        }
        Item { Layout.fillWidth: true }
        Button {
            objectName: "next"
            text: qsTr("Next")
            visible: Practice.answered
            highlighted: true
            onClicked: { typed.text = ""; Practice.next() }
        }
    }
}
