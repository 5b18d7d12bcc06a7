#define ZLIB_CONST
#include "kite/compression.h"

#include <zlib.h>

#include <QList>
#include <optional>

namespace kite::server {

QByteArray gzip(const QByteArray& data) {
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    QByteArray out(static_cast<qsizetype>(deflateBound(&z, static_cast<uLong>(data.size()))), Qt::Uninitialized);
    z.next_in = reinterpret_cast<const Bytef*>(data.constData());
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    // deflateBound is enough for one call to finish the stream.
    const int status = deflate(&z, Z_FINISH);
    out.resize(static_cast<qsizetype>(z.total_out));
    deflateEnd(&z);
    return status == Z_STREAM_END ? out : QByteArray();
}

bool acceptsGzip(const Request& request) {
    // e.g. "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*;q=0.1" or "gzip;q=0, *"
    std::optional<double> gzipQ, anyQ;  // a named gzip outranks "*"
    for (const QByteArray& part : request.header("Accept-Encoding").split(',')) {
        const QList<QByteArray> fields = part.split(';');
        const QByteArray coding = fields.front().trimmed().toLower();
        double q = 1.0;
        for (qsizetype i = 1; i < fields.size(); ++i) {
            const QByteArray param = fields[i].trimmed().toLower();
            if (param.startsWith("q=")) q = param.mid(2).toDouble();  // not a number: 0, refused
        }
        if (coding == "gzip" || coding == "x-gzip")
            gzipQ = q;
        else if (coding == "*")
            anyQ = q;
    }
    return gzipQ ? *gzipQ > 0.0 : anyQ && *anyQ > 0.0;
}

void gzipIfAccepted(const Request& request, Reply& reply, qsizetype minBytes) {
    reply.headers.push_back({"Vary", "Accept-Encoding"});
    if (reply.body.size() < minBytes || !acceptsGzip(request)) return;
    QByteArray packed = gzip(reply.body);
    if (packed.isEmpty()) return;  // zlib failed (out of memory): send it as it is
    reply.body = std::move(packed);
    reply.headers.push_back({"Content-Encoding", "gzip"});
}

}  // namespace kite::server
