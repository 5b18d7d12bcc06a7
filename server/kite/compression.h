// gzip over HTTP, with zlib (the one file that talks to it). Replies: a
// .kitepack is gzip already and is sent as it is; JSON replies are compressed
// when the client takes gzip and the body is big enough to gain from it.
// Requests: a body sent with Content-Encoding: gzip is inflated, up to the
// body limit, before any route sees it (docs/protocol.md "Conventions").
#pragma once

#include <QByteArray>
#include <QString>
#include <variant>

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

// What gunzip made of some bytes.
struct Gunzipped {
    enum class Outcome {
        Ok,        // `data` holds the inflated bytes
        NotGzip,   // not gzip, corrupt or cut short: `problem` says how
        TooLarge,  // inflates to more than the limit (inflating stopped there)
        Failed,    // zlib could not start (out of memory)
    };
    Outcome outcome = Outcome::Ok;
    QByteArray data;
    QString problem;
};

// Inflates `data`, one or more gzip members (RFC 1952) one after another, to
// at most `maxBytes`. Stops as soon as the output passes `maxBytes`, so a
// small "zip bomb" costs no more than `maxBytes` of memory.
Gunzipped gunzip(const QByteArray& data, qsizetype maxBytes);

// The body of `request` with its Content-Encoding undone: as it is without
// one (or with "identity"), inflated for "gzip" or "x-gzip" (any case; an
// empty body stays empty); or the reply refusing it: 415 naming
// Content-Encoding for any other encoding, 400 naming it for a body that is
// not gzip or is cut short, 413 when it inflates to more than `maxBytes`.
std::variant<QByteArray, Reply> decodedBody(const QHttpServerRequest& request, qsizetype maxBytes);

}  // namespace kite::server
