// gzip over HTTP, with zlib (the one file that talks to it). Replies: a
// .kitepack is gzip already and is sent as it is; JSON replies are compressed
// when the client takes gzip and the body is big enough to gain from it.
// Requests: a body sent with Content-Encoding: gzip is inflated, up to the
// body limit, before any route sees it (docs/protocol.md "Conventions").
#pragma once

#include <QByteArray>
#include <QString>
#include <variant>

#include "kite/gzip.h"
#include "kite/http.h"

namespace kite::server {

// Whether the request's Accept-Encoding takes gzip ("gzip", "x-gzip" or "*",
// with a q-value above 0).
bool acceptsGzip(const Request& request);

// Compresses `reply`'s body in place, with Content-Encoding: gzip, when the
// client takes gzip and the body has at least `minBytes`; a reply whose
// encoding depends on the request says so with Vary: Accept-Encoding.
void gzipIfAccepted(const Request& request, Reply& reply, qsizetype minBytes = 1024);

// The body of `request` with its Content-Encoding undone: as it is without
// one (or with "identity"), inflated for "gzip" or "x-gzip" (any case; an
// empty body stays empty); or the reply refusing it: 415 naming
// Content-Encoding for any other encoding, 400 naming it for a body that is
// not gzip or is cut short, 413 when it inflates to more than `maxBytes`.
std::variant<QByteArray, Reply> decodedBody(const QHttpServerRequest& request, qsizetype maxBytes);

}  // namespace kite::server
