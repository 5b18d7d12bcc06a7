// The device's routes: POST /v1/enroll, POST /v1/sync/push (answered after
// its group commit) and GET /v1/sync/pull. docs/protocol.md.
#pragma once

#include "kite/http.h"
#include "kite/push_committer.h"
#include "kite/server_store.h"

namespace kite::server {

// `store` is the server thread's connection; pushes go through `committer`.
void addSyncRoutes(Router& router, ServerStore& store, PushCommitter& committer);

}  // namespace kite::server
