#include "kite/gzip.h"

// next_in as a pointer to const.
#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <limits>

namespace kite {

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

}  // namespace kite
