#define ZLIB_CONST
#include "kite/compression.h"

#include <zlib.h>

#include <QHttpServerRequest>
#include <QList>
#include <algorithm>
#include <limits>
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

Gunzipped gunzip(const QByteArray& data, qsizetype maxBytes) {
    using Outcome = Gunzipped::Outcome;
    if (data.size() > std::numeric_limits<uInt>::max()) return {Outcome::TooLarge, {}, {}};
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer (not zlib's, not raw).
    if (inflateInit2(&z, 15 + 16) != Z_OK) return {Outcome::Failed, {}, QStringLiteral("zlib could not start")};
    z.next_in = reinterpret_cast<const Bytef*>(data.constData());
    z.avail_in = static_cast<uInt>(data.size());
    constexpr qsizetype kStep = 64 * 1024;
    QByteArray out;
    Gunzipped result;
    for (;;) {
        if (out.size() > maxBytes) {
            result.outcome = Outcome::TooLarge;
            break;
        }
        // Room for at most one byte past the limit: enough to tell "over".
        const qsizetype used = out.size();
        const qsizetype room = std::min(kStep, maxBytes + 1 - used);
        if (out.capacity() < used + room)
            out.reserve(std::min(maxBytes + 1, std::max(2 * out.capacity(), used + room)));
        out.resize(used + room);
        z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
        z.avail_out = static_cast<uInt>(room);
        const int status = inflate(&z, Z_NO_FLUSH);
        out.resize(used + room - static_cast<qsizetype>(z.avail_out));
        if (status == Z_STREAM_END) {
            if (z.avail_in == 0) break;  // the last member
            inflateReset(&z);            // another member follows
            continue;
        }
        if (status == Z_OK) continue;
        if (status == Z_MEM_ERROR) {
            result.outcome = Outcome::Failed;
            result.problem = QStringLiteral("out of memory");
            break;
        }
        result.outcome = Outcome::NotGzip;
        if (status == Z_BUF_ERROR && z.avail_in == 0)
            result.problem = QStringLiteral("the gzip data ends early (all %1 bytes read, %2 bytes inflated)")
                                 .arg(data.size())
                                 .arg(out.size());
        else
            result.problem = QStringLiteral("the body is not valid gzip at byte %1: %2")
                                 .arg(data.size() - static_cast<qsizetype>(z.avail_in))
                                 .arg(QString::fromLatin1(z.msg ? z.msg : "corrupt data"));
        break;
    }
    inflateEnd(&z);
    if (result.outcome == Outcome::Ok && out.size() > maxBytes)
        result.outcome = Outcome::TooLarge;  // ended just past it
    if (result.outcome == Outcome::Ok) result.data = std::move(out);
    return result;
}

std::variant<QByteArray, Reply> decodedBody(const QHttpServerRequest& request, qsizetype maxBytes) {
    const QByteArray encoding = request.value("Content-Encoding").trimmed().toLower();
    if (encoding.isEmpty() || encoding == "identity") return request.body();
    const QString field = QStringLiteral("Content-Encoding");
    if (encoding != "gzip" && encoding != "x-gzip") {
        Reply refused = errorReply(415,
                                   QStringLiteral("Content-Encoding '%1' is not supported: send the body as it is or "
                                                  "with Content-Encoding: gzip")
                                       .arg(QString::fromLatin1(request.value("Content-Encoding").trimmed())),
                                   field);
        refused.headers.push_back({"Accept-Encoding", "gzip"});  // what it takes (RFC 7694)
        return refused;
    }
    const QByteArray body = request.body();
    if (body.isEmpty()) return body;
    Gunzipped inflated = gunzip(body, maxBytes);
    switch (inflated.outcome) {
        case Gunzipped::Outcome::Ok: return std::move(inflated.data);
        case Gunzipped::Outcome::NotGzip:
            return errorReply(400, QStringLiteral("Content-Encoding: gzip, but %1").arg(inflated.problem), field);
        case Gunzipped::Outcome::TooLarge:
            return errorReply(
                413, QStringLiteral("request body is over the limit of %1 bytes once gzip is undone").arg(maxBytes));
        case Gunzipped::Outcome::Failed: break;
    }
    Reply busy = errorReply(
        503, QStringLiteral("the server cannot inflate the body now (%1): retry later").arg(inflated.problem));
    busy.headers.push_back({"Retry-After", "5"});
    return busy;
}

}  // namespace kite::server
