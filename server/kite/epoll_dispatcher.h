// A Qt event dispatcher on Linux epoll, for the server's HTTP thread.
//
// Qt's own dispatchers on Linux (glib and the UNIX one) hand every socket
// to poll() on each pass of the event loop. A school's server keeps a
// thousand keep-alive connections open, and each pass of its loop then costs
// more than the request it serves (a third of the HTTP thread's time under
// bench/load_server.sh). epoll is told of a socket once and reports only the
// ready ones.
//
// It serves socket notifiers (level-triggered, as Qt's), timers (all kinds
// kept to the millisecond) and posted events; it has no native events, so
// it is not for a GUI thread. Install it before the QCoreApplication:
//
//     QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
#pragma once

#include <QAbstractEventDispatcher>
#include <QList>

#include <atomic>
#include <chrono>
#include <map>
#include <unordered_map>
#include <vector>

class QSocketNotifier;

namespace kite::server {

class EpollEventDispatcher final : public QAbstractEventDispatcher {
public:
    // Aborts if the kernel refuses an epoll or eventfd descriptor (out of
    // descriptors at start): there would be no event loop.
    explicit EpollEventDispatcher(QObject* parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;
    // The notifiers of one descriptor, by type (Qt allows one of each).
    struct Watch {
        QSocketNotifier* read = nullptr;
        QSocketNotifier* write = nullptr;
        QSocketNotifier* exception = nullptr;
        bool polled = false;  // a regular file: epoll refuses it; always ready, as poll() says
    };
    struct Timer {
        qint64 interval;
        Qt::TimerType type;
        QObject* object;
        Clock::time_point due;
        bool firing = false;  // its QTimerEvent is being handled: not sent again meanwhile
    };

    void watch(qintptr fd, const Watch& w, bool known);
    int fireSockets(qintptr fd, unsigned events);
    int fireTimers();
    int timeoutMs() const;

    int epoll_ = -1;
    int wake_ = -1;  // eventfd: wakeUp() from any thread
    std::atomic<bool> interrupted_ = false;
    std::unordered_map<qintptr, Watch> watches_;
    std::vector<qintptr> polled_;  // descriptors of Watch::polled
    std::map<int, Timer> timers_;
};

}  // namespace kite::server
