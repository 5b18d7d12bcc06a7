// Who is studying: a grid of the device's learners (name and colour); a PIN
// when the learner has one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Pane {
    objectName: "signInPage"
    ColumnLayout {
        anchors.fill: parent
        spacing: 16
        Label {
            text: qsTr("Who is studying?")
            font.pointSize: 20 * Settings.textScale
        }
        Label {
            visible: SignIn.error !== ""
            text: SignIn.error
            color: "#c62828"
        }
        GridView {
            id: grid
            Layout.fillWidth: true
            Layout.fillHeight: true
            cellWidth: 180
            cellHeight: 140
            model: SignIn.learners
            keyNavigationEnabled: true
            focus: true
            delegate: Button {
                required property var modelData
                required property int index
                objectName: "learner" + index
                width: 164
                height: 124
                text: modelData.name
                Accessible.name: qsTr("Sign in as %1").arg(modelData.name)
                background: Rectangle {
                    radius: 12
                    color: modelData.colour !== "" ? modelData.colour : "#5c6bc0"
                    border.width: parent.activeFocus ? 3 : 0
                    border.color: "#212121"
                }
                contentItem: Label {
                    text: modelData.name + (modelData.hasPin ? " 🔒" : "")
                    color: "white"
                    font.pointSize: 16 * Settings.textScale
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    wrapMode: Text.Wrap
                }
                onClicked: {
                    if (modelData.hasPin) {
                        pin.learner = modelData.id
                        pin.open()
                    } else {
                        SignIn.signIn(modelData.id)
                    }
                }
            }
        }
    }
    Dialog {
        id: pin
        property var learner: 0
        title: qsTr("Your PIN")
        anchors.centerIn: parent
        modal: true
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: pinField
            objectName: "pinField"
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhDigitsOnly
            focus: true
            Accessible.name: qsTr("PIN")
            onAccepted: pin.accept()
        }
        onAccepted: { SignIn.signIn(learner, pinField.text); pinField.text = "" }
        onRejected: pinField.text = ""
    }
}
