#include "kite/compression.h"

#include <QHttpServerRequest>
#include <QList>
#include <algorithm>
#include <limits>
#include <optional>

namespace kite::server {

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
