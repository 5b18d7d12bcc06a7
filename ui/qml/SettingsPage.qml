// Settings: sync, metered connections, language, text size, theme. A value
// IT set (managed settings, docs/deploy.md) shows but cannot be changed.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

Pane {
    objectName: "settingsPage"
    ColumnLayout {
        anchors.fill: parent
        spacing: 14
        Label {
            text: qsTr("Settings")
            font.pointSize: 20 * Settings.textScale
        }
        GridLayout {
            columns: 2
            columnSpacing: 24
            rowSpacing: 12
            Layout.fillWidth: true

            Label { text: qsTr("School server") }
            Label {
                text: Sync.server !== "" ? Sync.server : qsTr("none: this device only")
                opacity: 0.8
            }

            Label { text: qsTr("Pause sync") }
            Switch {
                objectName: "settingPaused"
                checked: Settings.syncPaused
                enabled: !Settings.locked("sync/paused")
                onToggled: Sync.setPaused(checked)
                Accessible.name: qsTr("Pause sync")
            }

            Label { text: qsTr("Sync on metered connections") }
            Switch {
                objectName: "settingMetered"
                checked: Settings.allowMetered
                enabled: !Settings.locked("sync/allow_metered")
                onToggled: Settings.setValue("sync/allow_metered", checked)
                Accessible.name: qsTr("Sync on metered connections")
            }

            Label { text: qsTr("Language") }
            ComboBox {
                objectName: "settingLanguage"
                implicitContentWidthPolicy: ComboBox.WidestText  // "Comme le système" fits
                model: [{value: "system", text: qsTr("As the system")}, {value: "en", text: "English"},
                        {value: "fr", text: "Français"}, {value: "es", text: "Español"}]
                textRole: "text"
                valueRole: "value"
                enabled: !Settings.locked("language")
                Component.onCompleted: currentIndex = indexOfValue(Settings.language)
                onActivated: Settings.setValue("language", currentValue)
                Accessible.name: qsTr("Language")
            }

            Label { text: qsTr("Text size") }
            Slider {
                objectName: "settingTextScale"
                from: 0.75
                to: 2
                stepSize: 0.25
                snapMode: Slider.SnapAlways
                value: Settings.textScale
                enabled: !Settings.locked("text_scale")
                onMoved: Settings.setValue("text_scale", value)
                Accessible.name: qsTr("Text size")
            }

            Label { text: qsTr("Theme") }
            ComboBox {
                objectName: "settingTheme"
                implicitContentWidthPolicy: ComboBox.WidestText
                model: [{value: "light", text: qsTr("Light")}, {value: "dark", text: qsTr("Dark")},
                        {value: "high_contrast", text: qsTr("High contrast")}]
                textRole: "text"
                valueRole: "value"
                enabled: !Settings.locked("theme")
                Component.onCompleted: currentIndex = indexOfValue(Settings.theme)
                onActivated: Settings.setValue("theme", currentValue)
                Accessible.name: qsTr("Theme")
            }

            // Leaving kiosk mode: reaching this page on a kiosk took the teacher PIN.
            Label { text: qsTr("Kiosk mode") }
            Switch {
                objectName: "settingKiosk"
                checked: Settings.kiosk
                enabled: !Settings.locked("kiosk/enabled")
                onToggled: Settings.setValue("kiosk/enabled", checked)
                Accessible.name: qsTr("Kiosk mode")
            }
        }
        Label {
            objectName: "managedNote"
            text: qsTr("Settings marked unavailable are set by your school's IT.")
            opacity: 0.7
            visible: Settings.locked("sync/paused") || Settings.locked("sync/allow_metered") || Settings.locked("language")
                     || Settings.locked("text_scale") || Settings.locked("theme") || Settings.locked("kiosk/enabled")
        }
        Item { Layout.fillHeight: true }
    }
}
