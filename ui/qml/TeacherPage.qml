// Teacher mode: the token the school's admin gave (checked, then kept on
// this device), a class's heatmap of mastery (learners × skills, updated
// live) and live polls with their counts as they arrive.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Pane {
    id: page
    objectName: "teacherPage"

    // 0 → red, 0.5 → amber, 1 → green; no estimate: the base colour.
    function heat(value) {
        if (value < 0) return palette.base
        return Qt.hsla(value * 0.33, 0.65, Settings.theme === "light" ? 0.55 : 0.4, 1)
    }

    Component.onCompleted: if (Teacher.active) Polls.loadItems()
    Connections {
        target: Teacher
        function onEntered() { Polls.loadItems() }
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: parent.width
            spacing: 14

            Label {
                text: qsTr("Teacher")
                font.pointSize: 20 * Settings.textScale
            }

            Label {
                visible: !Teacher.available
                text: qsTr("Teacher mode needs the school server; this device has none.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // ------------------------------------------------ the token
            ColumnLayout {
                visible: Teacher.available && !Teacher.active
                spacing: 8
                Layout.fillWidth: true
                Label {
                    text: qsTr("Paste the teacher token the school's admin gave you. It is checked with the school server and kept on this device until you leave teacher mode.")
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                RowLayout {
                    Layout.fillWidth: true
                    TextField {
                        id: tokenField
                        objectName: "teacherToken"
                        Layout.fillWidth: true
                        echoMode: TextInput.Password
                        placeholderText: qsTr("Teacher token")
                        Accessible.name: qsTr("Teacher token")
                        enabled: !Teacher.checking
                        onAccepted: Teacher.enter(text)
                    }
                    Button {
                        objectName: "teacherEnter"
                        text: Teacher.checking ? qsTr("Checking…") : qsTr("Enter teacher mode")
                        enabled: !Teacher.checking && tokenField.text.trim() !== ""
                        onClicked: Teacher.enter(tokenField.text)
                    }
                }
            }

            Label {
                objectName: "teacherError"
                visible: Teacher.error !== ""
                text: Teacher.error
                color: "#c62828"
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // ------------------------------------------------ the class
            RowLayout {
                visible: Teacher.active
                spacing: 12
                Layout.fillWidth: true
                Label { text: qsTr("Class") }
                ComboBox {
                    objectName: "teacherClass"
                    model: Teacher.classes
                    textRole: "name"
                    valueRole: "id"
                    Layout.preferredWidth: 240
                    Accessible.name: qsTr("Class")
                    currentIndex: indexOfValue(Teacher.classId)
                    onActivated: Teacher.selectClass(currentValue)
                }
                Label {
                    objectName: "teacherLive"
                    text: Teacher.live ? qsTr("● Live") : qsTr("○ Not live: reconnecting")
                    opacity: 0.8
                    Accessible.name: Teacher.live ? qsTr("The heatmap updates live")
                                                  : qsTr("Not connected to the school server's stream; reconnecting")
                }
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "teacherRefresh"
                    text: qsTr("Refresh")
                    onClicked: Teacher.refresh()
                }
                Button {
                    objectName: "teacherLeave"
                    text: qsTr("Leave teacher mode")
                    onClicked: Teacher.leave()
                }
            }
            Label {
                visible: Teacher.active && Teacher.classes.length === 0 && !Teacher.checking
                text: qsTr("The school has no classes yet: the school's admin or a teacher makes them.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // ------------------------------------------------ the heatmap
            Label {
                visible: Teacher.active && Teacher.classId !== ""
                text: Teacher.heatmap.learners.length === 0 ? qsTr("No learners in this class yet.")
                      : Teacher.heatmap.skills.length === 0 ? qsTr("No answers from this class yet.")
                      : qsTr("Mastery by learner and skill")
                font.bold: true
            }
            GridLayout {
                id: heatmap
                objectName: "heatmap"
                visible: Teacher.active && Teacher.heatmap.skills.length > 0
                columns: Teacher.heatmap.skills.length + 1
                rowSpacing: 2
                columnSpacing: 2
                Accessible.role: Accessible.Table
                Accessible.name: qsTr("Mastery heatmap")

                Item { implicitWidth: 1; implicitHeight: 1 }
                Repeater {
                    model: Teacher.heatmap.skills
                    Label {
                        text: modelData
                        font.bold: true
                        horizontalAlignment: Text.AlignHCenter
                        Layout.preferredWidth: 96
                        elide: Text.ElideRight
                    }
                }
                Repeater {
                    model: Teacher.heatmap.learners.length * (Teacher.heatmap.skills.length + 1)
                    Loader {
                        readonly property int row: Math.floor(index / (Teacher.heatmap.skills.length + 1))
                        readonly property int column: index % (Teacher.heatmap.skills.length + 1) - 1
                        sourceComponent: column < 0 ? rowHeader : cell
                        Component {
                            id: rowHeader
                            Label {
                                text: Teacher.heatmap.learners[row]
                                rightPadding: 8
                            }
                        }
                        Component {
                            id: cell
                            Rectangle {
                                // Read again with every new grid (the revision).
                                readonly property real value: Teacher.heatmap.revision, Teacher.heatmap.valueAt(row, column)
                                readonly property string name: Teacher.heatmap.revision, Teacher.heatmap.cellName(row, column)
                                objectName: "cell_" + row + "_" + column
                                implicitWidth: 96
                                implicitHeight: 32
                                color: page.heat(value)
                                border.color: palette.mid
                                Accessible.role: Accessible.Cell
                                Accessible.name: name
                                ToolTip.visible: cellMouse.containsMouse
                                ToolTip.text: name
                                Label {
                                    anchors.centerIn: parent
                                    text: parent.value < 0 ? "–" : Math.round(parent.value * 100) + " %"
                                    color: "black"
                                }
                                MouseArea { id: cellMouse; anchors.fill: parent; hoverEnabled: true }
                            }
                        }
                    }
                }
            }
            // The legend.
            RowLayout {
                visible: heatmap.visible
                spacing: 6
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Legend: red is little mastery, amber about half, green mastered; a dash is no answers yet")
                Label { text: qsTr("0 %") }
                Repeater {
                    model: 11
                    Rectangle { width: 18; height: 14; color: page.heat(index / 10) }
                }
                Label { text: qsTr("100 %") }
                Label { text: qsTr("   – no answers yet"); opacity: 0.8 }
            }

            // ------------------------------------------------ live polls
            Label {
                visible: Teacher.active
                text: qsTr("Live poll")
                font.pointSize: 16 * Settings.textScale
            }
            GridLayout {
                visible: Teacher.active && Polls.state !== "open" && Polls.state !== "opening"
                columns: 2
                columnSpacing: 12
                rowSpacing: 8
                Layout.fillWidth: true
                Label { text: qsTr("Question") }
                TextField {
                    id: questionField
                    objectName: "pollQuestion"
                    Layout.fillWidth: true
                    placeholderText: qsTr("What is ½ + ¼?")
                    Accessible.name: qsTr("Poll question")
                }
                Label { text: qsTr("Options, one a line") }
                TextArea {
                    id: optionsField
                    objectName: "pollOptions"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 90
                    placeholderText: qsTr("¾\n½\n⅔")
                    Accessible.name: qsTr("Poll options, one a line")
                    KeyNavigation.priority: KeyNavigation.BeforeItem
                    KeyNavigation.tab: openQuestion
                }
                Item { implicitWidth: 1 }
                Button {
                    id: openQuestion
                    objectName: "pollOpen"
                    text: qsTr("Open the poll")
                    onClicked: Polls.openQuestion(questionField.text, optionsField.text)
                }
                Label { text: qsTr("Or an item") }
                RowLayout {
                    Layout.fillWidth: true
                    ComboBox {
                        id: itemBox
                        objectName: "pollItem"
                        Layout.fillWidth: true
                        model: Polls.items
                        textRole: "label"
                        Accessible.name: qsTr("Course item to ask")
                    }
                    Button {
                        objectName: "pollOpenItem"
                        text: qsTr("Ask this item")
                        enabled: itemBox.currentIndex >= 0
                        onClicked: {
                            const it = Polls.items[itemBox.currentIndex]
                            Polls.openItem(it.course, it.item)
                        }
                    }
                }
            }
            Label {
                objectName: "pollError"
                visible: Polls.error !== ""
                text: Polls.error
                color: "#c62828"
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ColumnLayout {
                visible: Teacher.active && Polls.state !== "idle"
                spacing: 6
                Layout.fillWidth: true
                Label {
                    text: Polls.question
                    font.bold: true
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "pollAnswered"
                    text: Polls.state === "closed" ? qsTr("Closed: %n answer(s)", "", Polls.answered)
                                                   : qsTr("Open: %n answer(s) so far", "", Polls.answered)
                }
                Repeater {
                    model: Polls.results
                    RowLayout {
                        spacing: 8
                        Layout.fillWidth: true
                        Accessible.role: Accessible.StaticText
                        Accessible.name: qsTr("%1: %n answer(s)", "", modelData.count).arg(modelData.answer)
                        Label {
                            text: modelData.answer
                            Layout.preferredWidth: 160
                            elide: Text.ElideRight
                        }
                        Rectangle {
                            objectName: "pollBar_" + index
                            Layout.preferredWidth: Math.max(2, 300 * modelData.fraction)
                            height: 18
                            color: palette.highlight
                        }
                        Label { text: modelData.count }
                    }
                }
                Button {
                    objectName: "pollClose"
                    visible: Polls.state === "open" || Polls.state === "closing"
                    enabled: Polls.state === "open"
                    text: qsTr("Close the poll and show the results")
                    onClicked: Polls.close()
                }
            }
        }
    }
}
