// Rate-limits a repeated notification per key: the first mark of a key is
// sent at once, and marks within `interval` of the last send are folded into
// one send when the interval ends. For stream pokes (one per device per
// 250 ms) and live poll results (at most 10 a second per poll). Lives on the
// thread that created it (its timer does).
#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <functional>

namespace kite::server {

class Coalescer {
public:
    using Send = std::function<void(const QString& key)>;
    Coalescer(std::chrono::milliseconds interval, Send send);
    Coalescer(const Coalescer&) = delete;
    Coalescer& operator=(const Coalescer&) = delete;

    // Sends `key` now, or once when its interval ends if it was sent within it.
    void mark(const QString& key);
    // Sends `key` now if a send is waiting; true if one was.
    bool flush(const QString& key);
    // Drops a waiting send of `key` (its receiver went away).
    void forget(const QString& key);

private:
    void sendDue();
    void prune(std::int64_t now);

    std::int64_t interval_ms_;
    Send send_;
    QHash<QString, std::int64_t> last_;  // when each key was last sent (ms, monotonic)
    QSet<QString> waiting_;
    QTimer timer_;
};

}  // namespace kite::server
