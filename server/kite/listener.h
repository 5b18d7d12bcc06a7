// The sockets under kite-server's HttpServer, plain or TLS, with the limits a
// client must not be able to get around:
//
// - A body larger than max_body_bytes is refused from its headers (a
//   Content-Length over the limit) or, chunked or not, as soon as more than
//   that has arrived: 413 with the JSON error body and `Connection: close`.
//   QAbstractHttpServer (6.4) would otherwise buffer a whole body, however
//   large, before anyone sees the request. Headers over 64 KiB are a 413 too.
// - At most max_connections are open at once; while that many are, new ones
//   wait in the system's accept queue (nothing is refused). The limit is
//   checked as connections are handed over, so a burst arriving at one
//   instant may pass it by up to the accept backlog (50). The process's
//   open-file limit is raised towards it as far as the hard limit allows.
// - An HTTP connection that sends and receives nothing for idle_seconds is
//   closed. (A connection upgraded to a WebSocket is the WebSocket's to
//   manage.)
//
// How: each accepted socket gets a guard whose readyRead runs before the HTTP
// parser's (connected first) and looks at the bytes the parser is about to
// read. To refuse, the guard disconnects the parser, answers, and drains what
// the client still sends for a moment so that it can read the answer.
#pragma once

#include <QString>

#include "kite/http_server.h"
#include "kite/result.h"
#include "kite/settings.h"

namespace kite::server {

// Listens on settings.host:port (HTTPS when tls_cert and tls_key are set) for
// `server`. Returns the port listened on (the system's choice for port 0), or
// why not: the address is taken, or the certificate or key cannot be read.
// Registers kite_http_connections_open and kite_http_refused_total.
Result<quint16> listenWithLimits(HttpServer& server, const Settings& settings);

}  // namespace kite::server
