// Where to save the diagnostics: a save dialog opened on the user's
// Documents, with a dated name (SyncDetailsPage loads it when asked, so that
// a system without Qt Quick Dialogs still shows the page).
import QtQuick
import QtQuick.Dialogs
import Kite 1.0

FileDialog {
    objectName: "diagnosticsDialog"
    title: qsTr("Export diagnostics")
    fileMode: FileDialog.SaveFile
    acceptLabel: qsTr("Save")  // Qt 6.4's own dialog says "Open" otherwise
    nameFilters: [qsTr("Zip archives (*.zip)")]
    defaultSuffix: "zip"
    currentFolder: Diagnostics.defaultFolder
    selectedFile: Diagnostics.defaultFolder + "/" + Diagnostics.suggestedName
    onAccepted: Diagnostics.exportTo(selectedFile)
}
