// The device's routes: POST /v1/enroll, POST /v1/sync/push (answered after
// its group commit) and GET /v1/sync/pull. docs/protocol.md.
#pragma once

#include "kite/http.h"
#include "kite/push_committer.h"
#include "kite/server_store.h"

namespace kite::server {

// A push whose body (as decoded) is larger than this is refused with 503 and
// Retry-After while more than `queueEvents` events wait for the group commit:
// in a reconnect storm the devices catching up take turns, and the server's
// memory and every push's wait stay bounded. Smaller pushes, a device sending
// answers as they are given (about 25 events), are always taken.
inline constexpr qsizetype kAlwaysTakenPushBytes = 16 * 1024;

// `store` is the server thread's connection; pushes go through `committer`.
void addSyncRoutes(Router& router, ServerStore& store, PushCommitter& committer, std::int64_t queueEvents);

}  // namespace kite::server
