#include "kite/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace kite::server {

namespace {

// Buckets kept before the full ones (of tokens idle long enough) are dropped.
constexpr qsizetype kPruneAbove = 10000;

}  // namespace

RateLimiter::RateLimiter(double ratePerSecond, double burst)
    : rate_(ratePerSecond), burst_(std::max(1.0, burst)), prune_above_(kPruneAbove) {
    clock_.start();
}

int RateLimiter::take(const QByteArray& key) {
    if (rate_ <= 0) return 0;
    const std::int64_t now = clock_.nsecsElapsed();
    if (buckets_.size() > prune_above_) {
        forgetFullBuckets(now);
        prune_above_ = std::max(kPruneAbove, 2 * buckets_.size());
    }
    auto it = buckets_.find(key);
    if (it == buckets_.end()) it = buckets_.insert(key, Bucket{burst_, now});
    Bucket& b = *it;
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now - b.at_ns) / 1e9 * rate_);
    b.at_ns = now;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

void RateLimiter::forgetFullBuckets(std::int64_t now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        if (it->tokens + static_cast<double>(now - it->at_ns) / 1e9 * rate_ >= burst_)
            it = buckets_.erase(it);
        else
            ++it;
    }
}

}  // namespace kite::server
