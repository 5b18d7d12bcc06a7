// Waiting in tests without sleeping: the event loop runs (so queued calls,
// sockets and timers go on) until a condition holds or a deadline passes.
#pragma once

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

#include <chrono>
#include <functional>

namespace kite::testing {

// Runs the event loop until `done()` (asked every 10 ms) or `timeout`;
// returns whether done.
inline bool waitFor(const std::function<bool()>& done,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000)) {
    QDeadlineTimer deadline(timeout);
    while (!done()) {
        if (deadline.hasExpired()) return false;
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

}  // namespace kite::testing
