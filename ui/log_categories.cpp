#include "kite/log_categories.h"

namespace kite::ui {

Q_LOGGING_CATEGORY(lcApp, "kite.app")
Q_LOGGING_CATEGORY(lcUi, "kite.ui")
Q_LOGGING_CATEGORY(lcStore, "kite.store")
Q_LOGGING_CATEGORY(lcSync, "kite.sync")
Q_LOGGING_CATEGORY(lcSettings, "kite.settings")

}  // namespace kite::ui
