#include "kite/ops_routes.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <memory>
#include <optional>

#include "kite/rate_limiter.h"
#include "kite/server_metrics.h"

namespace kite::server {

namespace {

constexpr qint64 kQueueSampleMs = 2000;

QString methodName(Method m) {
    switch (m) {
        case Method::Get: return QStringLiteral("GET");
        case Method::Post: return QStringLiteral("POST");
        case Method::Put: return QStringLiteral("PUT");
        case Method::Delete: return QStringLiteral("DELETE");
        case Method::Patch: return QStringLiteral("PATCH");
        case Method::Head: return QStringLiteral("HEAD");
        case Method::Options: return QStringLiteral("OPTIONS");
        default: return QStringLiteral("OTHER");
    }
}

// The last sample of the queue's counts (HTTP thread only).
struct QueueSample {
    QElapsedTimer taken;  // invalid until the first sample
    std::optional<Stats> stats;

    void refresh(ServerStore& store) {
        if (taken.isValid() && taken.elapsed() < kQueueSampleMs) return;
        taken.start();
        auto s = store.queueStats();
        if (s)
            stats = *s;
        else
            stats.reset();  // a failing store shows as missing samples, not stale ones
    }
};

bool sameSecret(const QByteArray& a, const QByteArray& b) {
    // Compares hashes, so that the time taken says nothing about the secret.
    return QCryptographicHash::hash(a, QCryptographicHash::Sha256) ==
           QCryptographicHash::hash(b, QCryptographicHash::Sha256);
}

std::optional<Reply> refuseScrape(const Request& request, const Settings& settings) {
    if (settings.metrics_token.isEmpty()) {
        if (request.http.remoteAddress().isLoopback()) return std::nullopt;
        return errorReply(403, QStringLiteral("/metrics answers loopback clients only unless metrics_token is set"));
    }
    const QByteArray header = request.header("Authorization");
    if (!header.startsWith("Bearer ")) return errorReply(401, QStringLiteral("missing 'Authorization: Bearer TOKEN'"));
    if (!sameSecret(header.mid(7).trimmed(), settings.metrics_token.toUtf8()))
        return errorReply(401, QStringLiteral("wrong metrics token"));
    return std::nullopt;
}

}  // namespace

void addOpsRoutes(Router& router, ServerStore& store, const Settings& settings) {
    auto sample = std::make_shared<QueueSample>();
    const auto queueGauge = [sample](std::int64_t Stats::*field) {
        return [sample, field] {
            QList<Sample> out;
            if (sample->stats) out.push_back(Sample{{}, static_cast<double>((*sample->stats).*field)});
            return out;
        };
    };
    Metrics::callbackGauge(QStringLiteral("kite_queue_depth"), QStringLiteral("Work items queued or running."),
                           queueGauge(&Stats::queue_depth));
    Metrics::callbackGauge(QStringLiteral("kite_dead_letters"), QStringLiteral("Work items that failed for good."),
                           queueGauge(&Stats::dead_letter));
    router.add(Method::Get, QStringLiteral("/metrics"), [&store, settings, sample](const Request& request) {
        if (auto refused = refuseScrape(request, settings)) return *refused;
        sample->refresh(store);
        Reply reply;
        reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
        reply.body = Metrics::exposition();
        return reply;
    });
}

void installRequestLimitsAndMetrics(HttpServer& server, const Settings& settings) {
    auto limiter = std::make_shared<RateLimiter>(settings.rate_per_second, settings.rate_burst);
    const std::int64_t maxBody = settings.max_body_bytes;
    const double rate = settings.rate_per_second;
    server.setMaxBodyBytes(maxBody);  // the same limit once gzip is undone
    server.setGate([limiter, maxBody, rate](const QHttpServerRequest& request) -> std::optional<Reply> {
        // Bodies over the limit are refused before they are read (listener.h);
        // this catches what slips through, e.g. a chunked body just over it.
        if (request.body().size() > maxBody)
            return errorReply(413, QStringLiteral("request body is over the limit of %1 bytes").arg(maxBody));
        const QByteArray authorization = request.value("Authorization");
        if (!authorization.startsWith("Bearer ")) return std::nullopt;
        const QByteArray key = QCryptographicHash::hash(authorization.mid(7).trimmed(), QCryptographicHash::Sha256);
        const int wait = limiter->take(key);
        if (wait == 0) return std::nullopt;
        Reply reply = errorReply(429, QStringLiteral("too many requests with this token (at most %1 per second): "
                                                     "retry after %2 s")
                                          .arg(rate)
                                          .arg(wait));
        reply.headers.push_back({"Retry-After", QByteArray::number(wait)});
        return reply;
    });

    Counter& requests = Metrics::counter(QStringLiteral("kite_http_requests_total"),
                                         QStringLiteral("HTTP requests answered, by route, method and status class."));
    Histogram& latency = Metrics::histogram(QStringLiteral("kite_http_request_duration_seconds"),
                                            QStringLiteral("Seconds from a request's arrival to its reply, by route."),
                                            Metrics::latencyBuckets());
    server.setObserver([&requests, &latency](const QString& route, Method method, int status, double seconds) {
        const QString r = route.isEmpty() ? QStringLiteral("(none)") : route;
        const QString m = methodName(method);
        requests.add({{QStringLiteral("route"), r},
                      {QStringLiteral("method"), m},
                      {QStringLiteral("status"), QString::number(status / 100) + QStringLiteral("xx")}});
        latency.observe({{QStringLiteral("route"), r}, {QStringLiteral("method"), m}}, seconds);
    });
}

}  // namespace kite::server
