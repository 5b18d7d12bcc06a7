// What the other SQLite parts of the embedded store (roster, ...) share with
// the core part (sqlite_server_store.cpp): writing the core's tokens and
// change-log rows inside their OWN transactions, so that e.g. a renamed
// learner and the change devices pull for it are committed as one.
#pragma once

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <cstdint>

#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

// Keeps only the SHA-256 of `token`.
Status insertToken(QSqlDatabase db, const QString& token, const QString& school, Role role, const QString& subject);

// ServerStore::appendChange on `db`, in whatever transaction is open on it.
// Returns the change's sequence.
Result<std::int64_t> insertChange(QSqlDatabase db, const QString& school, const QString& learner, const QString& kind,
                                  const QJsonObject& body);

}  // namespace kite::server
