// GET /v1/stream: the WebSocket (docs/protocol.md, "Stream"). Any token of a
// school may open one, from `Authorization: Bearer` or, for browsers (which
// cannot set headers on a WebSocket), `?token=`.
#pragma once

#include "kite/http_server.h"
#include "kite/server_store.h"
#include "kite/stream_hub.h"

namespace kite::server {

// `store` is the server thread's connection; accepted sockets go to `hub`.
void addStreamRoutes(HttpServer& server, ServerStore& store, StreamHub& hub);

}  // namespace kite::server
