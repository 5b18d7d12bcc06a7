// A background thread's doorbell: poke() wakes it early, stop() ends it. The
// thread waits with waitUntil() between rounds of work.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace kite::server {

class Wakeup {
public:
    void poke() {
        {
            std::lock_guard lock(mutex_);
            poked_ = true;
        }
        wake_.notify_all();
    }
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
        }
        wake_.notify_all();
    }
    bool stopping() const {
        std::lock_guard lock(mutex_);
        return stopped_;
    }
    // Waits until poked, stopped or `deadline`, and takes the poke. False
    // once stopped.
    bool waitUntil(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        wake_.wait_until(lock, deadline, [this] { return poked_ || stopped_; });
        poked_ = false;
        return !stopped_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool poked_ = false;
    bool stopped_ = false;
};

}  // namespace kite::server
