// The device's routes: POST /v1/enroll, POST /v1/sync/push (answered after
// its group commit) and GET /v1/sync/pull. docs/protocol.md.
#pragma once

#include "kite/http.h"
#include "kite/push_committer.h"
#include "kite/server_store.h"

namespace kite::server {

// Pushes up to this size (as decoded; about 25 events: a device sending its
// answers as they are given) are read on the HTTP thread and always taken.
// Larger ones, devices catching up, are read on a pool of threads so that the
// HTTP thread stays free for everyone else, and are refused with 503 and
// Retry-After while `queueBytes` of pushes are being read or stored: in a
// reconnect storm they take turns, and the server's memory and each push's
// wait stay bounded whatever the storm's size.
inline constexpr qsizetype kSmallPushBytes = 16 * 1024;

// `store` is the server thread's connection; pushes go through `committer`.
void addSyncRoutes(Router& router, ServerStore& store, PushCommitter& committer, std::int64_t queueBytes);

}  // namespace kite::server
