// Per-token request rate: a token bucket for each bearer token (keyed by the
// token's SHA-256, never the token), refilled at `rate` per second up to
// `burst`. Used on the HTTP thread only; not thread-safe.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <cstdint>

namespace kite::server {

class RateLimiter {
public:
    // rate <= 0 turns the limit off.
    RateLimiter(double ratePerSecond, double burst);

    // Takes one request from the bucket of `key`. Returns 0 if allowed, else
    // the whole seconds (>= 1) after which one will be (for Retry-After).
    int take(const QByteArray& key);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t at_ns = 0;  // of the last refill, on clock_
    };
    void forgetFullBuckets(std::int64_t now);

    double rate_;
    double burst_;
    QElapsedTimer clock_;
    QHash<QByteArray, Bucket> buckets_;
    qsizetype prune_above_;  // grows when pruning frees little, so that pruning stays rare
};

}  // namespace kite::server
