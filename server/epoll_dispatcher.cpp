#include "kite/epoll_dispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>

namespace kite::server {

EpollEventDispatcher::EpollEventDispatcher(QObject* parent) : QAbstractEventDispatcher(parent) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_ < 0 || wake_ < 0) qFatal("kite-server: cannot start an event loop: %s", std::strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event) != 0)
        qFatal("kite-server: cannot start an event loop: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher() {
    ::close(wake_);
    ::close(epoll_);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags) {
    interrupted_.store(false);
    emit awake();
    // Events posted from now on call wakeUp(): the wait below ends at once.
    QCoreApplication::sendPostedEvents();
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !interrupted_.load();
    if (canWait) emit aboutToBlock();
    epoll_event events[256];
    int ready = ::epoll_wait(epoll_, events, static_cast<int>(std::size(events)), canWait ? timeoutMs() : 0);
    if (ready < 0) ready = 0;  // EINTR: a signal; the loop comes round again
    if (canWait) emit awake();

    const bool sockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    int handled = 0;
    for (int i = 0; i < ready; ++i) {
        if (events[i].data.fd == wake_) {
            std::uint64_t count = 0;
            static_cast<void>(::read(wake_, &count, sizeof count));
            continue;
        }
        if (sockets) handled += fireSockets(events[i].data.fd, events[i].events);
    }
    if (sockets && !polled_.empty()) {
        const std::vector<qintptr> files = polled_;  // a handler may change the list
        for (qintptr fd : files) handled += fireSockets(fd, EPOLLIN | EPOLLOUT);
    }
    if (!(flags & QEventLoop::X11ExcludeTimers)) handled += fireTimers();
    return handled > 0;
}

int EpollEventDispatcher::fireSockets(qintptr fd, unsigned events) {
    int fired = 0;
    // Looked up again before each: a handler may remove or replace notifiers.
    auto fire = [&](QSocketNotifier* Watch::*type) {
        const auto found = watches_.find(fd);
        if (found == watches_.end() || !(found->second.*type)) return;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(found->second.*type, &event);
        ++fired;
    };
    // As Qt's poll() dispatcher: a hang-up or an error is news for a reader.
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) fire(&Watch::read);
    if (events & (EPOLLOUT | EPOLLERR)) fire(&Watch::write);
    if (events & EPOLLPRI) fire(&Watch::exception);
    return fired;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier) {
    const qintptr fd = notifier->socket();
    auto [found, fresh] = watches_.try_emplace(fd);
    Watch& w = found->second;
    switch (notifier->type()) {
        case QSocketNotifier::Read: w.read = notifier; break;
        case QSocketNotifier::Write: w.write = notifier; break;
        case QSocketNotifier::Exception: w.exception = notifier; break;
    }
    watch(fd, w, !fresh);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier) {
    const auto found = watches_.find(notifier->socket());
    if (found == watches_.end()) return;
    Watch& w = found->second;
    for (QSocketNotifier** type : {&w.read, &w.write, &w.exception})
        if (*type == notifier) *type = nullptr;
    watch(found->first, w, true);
}

// Tells epoll what the descriptor's notifiers wait for; forgets a
// descriptor without notifiers.
void EpollEventDispatcher::watch(qintptr fd, const Watch& w, bool known) {
    epoll_event event{};
    event.events = (w.read ? EPOLLIN : 0u) | (w.write ? EPOLLOUT : 0u) | (w.exception ? EPOLLPRI : 0u);
    event.data.fd = static_cast<int>(fd);
    const int descriptor = static_cast<int>(fd);
    if (event.events == 0) {
        if (!w.polled) static_cast<void>(::epoll_ctl(epoll_, EPOLL_CTL_DEL, descriptor, nullptr));
        polled_.erase(std::remove(polled_.begin(), polled_.end(), fd), polled_.end());
        watches_.erase(fd);
        return;
    }
    if (w.polled) return;
    // A descriptor closed without its notifiers being told has left epoll
    // (MOD: ENOENT), and a number can come back for a new socket (ADD: EEXIST).
    int op = known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (::epoll_ctl(epoll_, op, descriptor, &event) == 0) return;
    if (errno == ENOENT || errno == EEXIST) {
        op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (::epoll_ctl(epoll_, op, descriptor, &event) == 0) return;
    }
    if (errno == EPERM) {
        // A regular file: always ready, as poll() reports it.
        watches_[fd].polled = true;
        polled_.push_back(fd);
        return;
    }
    qWarning("kite-server: the event loop cannot watch descriptor %d: %s", descriptor, std::strerror(errno));
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object) {
    timers_[timerId] = Timer{interval, timerType, object, Clock::now() + std::chrono::milliseconds(interval)};
}

bool EpollEventDispatcher::unregisterTimer(int timerId) { return timers_.erase(timerId) > 0; }

bool EpollEventDispatcher::unregisterTimers(QObject* object) {
    return std::erase_if(timers_, [object](const auto& t) { return t.second.object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject* object) const {
    QList<TimerInfo> out;
    for (const auto& [id, t] : timers_)
        if (t.object == object) out.push_back(TimerInfo(id, static_cast<int>(t.interval), t.type));
    return out;
}

int EpollEventDispatcher::remainingTime(int timerId) {
    const auto found = timers_.find(timerId);
    if (found == timers_.end()) return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(found->second.due - Clock::now()).count();
    return static_cast<int>(std::clamp<std::int64_t>(left, 0, INT_MAX));
}

// Until the next timer is due (rounded up, so that it is due on waking);
// -1 without timers.
int EpollEventDispatcher::timeoutMs() const {
    if (!polled_.empty()) return 0;
    std::int64_t soonest = -1;
    const auto now = Clock::now();
    for (const auto& [id, t] : timers_) {
        if (t.firing) continue;
        const std::int64_t left =
            std::max<std::int64_t>(0, std::chrono::ceil<std::chrono::milliseconds>(t.due - now).count());
        if (soonest < 0 || left < soonest) soonest = left;
    }
    return static_cast<int>(std::min<std::int64_t>(soonest, INT_MAX));
}

int EpollEventDispatcher::fireTimers() {
    const auto now = Clock::now();
    std::vector<int> due;
    for (const auto& [id, t] : timers_)
        if (!t.firing && t.due <= now) due.push_back(id);
    int fired = 0;
    for (int id : due) {
        // A handler may stop, restart or add timers: looked up each time.
        auto found = timers_.find(id);
        if (found == timers_.end() || found->second.firing) continue;
        Timer& t = found->second;
        // Next: one interval on; from now if the loop fell behind.
        t.due += std::chrono::milliseconds(t.interval);
        if (t.due < now) t.due = now + std::chrono::milliseconds(t.interval);
        t.firing = true;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(t.object, &event);
        ++fired;
        if (auto again = timers_.find(id); again != timers_.end()) again->second.firing = false;
    }
    return fired;
}

void EpollEventDispatcher::wakeUp() {
    const std::uint64_t one = 1;
    static_cast<void>(::write(wake_, &one, sizeof one));
}

void EpollEventDispatcher::interrupt() {
    interrupted_.store(true);
    wakeUp();
}

}  // namespace kite::server
