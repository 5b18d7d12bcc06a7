#include "kite/coalescer.h"

#include <QDeadlineTimer>

#include <algorithm>

namespace kite::server {

namespace {

std::int64_t monotonicMs() {
    return QDeadlineTimer::current().deadline();
}

}  // namespace

Coalescer::Coalescer(std::chrono::milliseconds interval, Send send)
    : interval_ms_(interval.count()), send_(std::move(send)) {
    timer_.setSingleShot(true);
    QObject::connect(&timer_, &QTimer::timeout, [this] { sendDue(); });
}

void Coalescer::mark(const QString& key) {
    if (waiting_.contains(key)) return;
    const std::int64_t now = monotonicMs();
    const auto it = last_.constFind(key);
    if (it == last_.constEnd() || now - *it >= interval_ms_) {
        if (last_.size() > 4096) prune(now);
        last_.insert(key, now);
        send_(key);
        return;
    }
    waiting_.insert(key);
    const auto due = std::chrono::milliseconds(std::max<std::int64_t>(1, *it + interval_ms_ - now));
    if (!timer_.isActive() || timer_.remainingTimeAsDuration() > due) timer_.start(due);
}

bool Coalescer::flush(const QString& key) {
    if (!waiting_.remove(key)) return false;
    last_.insert(key, monotonicMs());
    send_(key);
    return true;
}

void Coalescer::forget(const QString& key) {
    waiting_.remove(key);
    last_.remove(key);
}

void Coalescer::sendDue() {
    const std::int64_t now = monotonicMs();
    std::int64_t next = -1;  // ms until the next waiting key is due
    QStringList due;
    for (const QString& key : std::as_const(waiting_)) {
        const std::int64_t left = last_.value(key) + interval_ms_ - now;
        if (left <= 0) due << key;
        else next = next < 0 ? left : std::min(next, left);
    }
    for (const QString& key : due) {
        waiting_.remove(key);
        last_.insert(key, now);
        send_(key);
    }
    prune(now);
    if (next >= 0) timer_.start(std::chrono::milliseconds(next));
}

// Keys sent longer ago than the interval are as good as never sent.
void Coalescer::prune(std::int64_t now) {
    for (auto it = last_.begin(); it != last_.end();)
        it = (now - *it >= interval_ms_ && !waiting_.contains(it.key())) ? last_.erase(it) : std::next(it);
}

}  // namespace kite::server
