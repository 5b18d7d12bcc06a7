// The app's logging categories (QLoggingCategory), so that a log line says
// which part spoke: "warning kite.sync: ...". Enable the debug lines of one
// with QT_LOGGING_RULES="kite.sync.debug=true".
#pragma once

#include <QLoggingCategory>

namespace kite::ui {

Q_DECLARE_LOGGING_CATEGORY(lcApp)       // "kite.app": the program starting and stopping
Q_DECLARE_LOGGING_CATEGORY(lcUi)        // "kite.ui": notices shown to the user
Q_DECLARE_LOGGING_CATEGORY(lcStore)     // "kite.store": the device's store
Q_DECLARE_LOGGING_CATEGORY(lcSync)      // "kite.sync": syncing with the school's server
Q_DECLARE_LOGGING_CATEGORY(lcSettings)  // "kite.settings": managed and user settings

}  // namespace kite::ui
