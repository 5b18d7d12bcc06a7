// Group commit for pushes: devices' pushes wait in a queue, and one thread
// commits all that are waiting in ONE transaction (one disk sync), then
// answers each. Under load many pushes share a sync; alone, a push waits for
// nothing but its own commit.
#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

class PushCommitter final : public QObject {
    Q_OBJECT
public:
    // Opens its own store connection on its own thread; fails if that cannot.
    static Result<std::unique_ptr<PushCommitter>> start(const QString& dataDir);
    ~PushCommitter() override;

    using Done = std::function<void(const Result<PushOutcome>&)>;
    // Queues a push; `done` runs on the thread this object lives on, after
    // the commit (or its failure).
    void submit(PushBatch batch, Done done);
    // Runs (on this object's thread) after every commit that took new events.
    void onCommitted(std::function<void()> callback) { on_committed_ = std::move(callback); }

    // Events per commit at most: bounds a transaction under a burst.
    static constexpr int kMaxEventsPerCommit = 20000;

private:
    explicit PushCommitter(QString dataDir);
    void run(std::function<void(Status)> opened);

    struct Pending {
        PushBatch batch;
        Done done;
    };
    QString data_dir_;
    std::function<void()> on_committed_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace kite::server
