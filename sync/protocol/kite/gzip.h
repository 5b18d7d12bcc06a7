// gzip (RFC 1952) with zlib, the one file that talks to it: the server's
// replies and request bodies, and the sync engine's pushes (docs/protocol.md,
// "Compression").
#pragma once

#include <QByteArray>
#include <QString>

namespace kite {

// `data` as one gzip member (RFC 1952), at zlib's default level.
QByteArray gzip(const QByteArray& data);

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

}  // namespace kite
