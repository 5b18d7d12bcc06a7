// gzip for HTTP replies (Content-Encoding: gzip), with zlib. A .kitepack is
// gzip already and is sent as it is; JSON replies are compressed when the
// client takes gzip and the body is big enough to gain from it.
#pragma once

#include <QByteArray>

#include "kite/http.h"

namespace kite::server {

// `data` as one gzip member (RFC 1952), at zlib's default level.
QByteArray gzip(const QByteArray& data);

// Whether the request's Accept-Encoding takes gzip ("gzip", "x-gzip" or "*",
// with a q-value above 0).
bool acceptsGzip(const Request& request);

// Compresses `reply`'s body in place, with Content-Encoding: gzip, when the
// client takes gzip and the body has at least `minBytes`; a reply whose
// encoding depends on the request says so with Vary: Accept-Encoding.
void gzipIfAccepted(const Request& request, Reply& reply, qsizetype minBytes = 1024);

}  // namespace kite::server
