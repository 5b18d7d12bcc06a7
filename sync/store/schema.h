// The store's schema as an ordered list of migrations. Migration N takes a
// database at version N-1 (0 = empty) to version N; PRAGMA user_version says
// which version a file is at. Never edit a released migration: add one.
#pragma once

#include "kite/result.h"

namespace kite::sqlite {
class Database;
}

namespace kite::store {

// Applies the migrations after the file's version up to `target`, each in its
// own transaction. Tests use a smaller target to make files of old versions.
Status migrate(sqlite::Database& db, int target);

}  // namespace kite::store
