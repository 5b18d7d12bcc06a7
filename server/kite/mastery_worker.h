// The interactive part of the queue: new answers move the server's BKT state
// of the learner's skills, and each change goes into the log devices pull.
#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

// Claims up to `limit` queued answers and applies them in one transaction.
// Returns how many items were handled (done or set aside as failed).
Result<int> processMasteryBatch(ServerStore& store, int limit);

// processMasteryBatch on its own thread with its own store connection: runs
// whenever poked (a push committed work) and at least once a second (retries
// whose time has come).
class MasteryWorker {
public:
    explicit MasteryWorker(QString dataDir);
    ~MasteryWorker();
    MasteryWorker(const MasteryWorker&) = delete;
    MasteryWorker& operator=(const MasteryWorker&) = delete;

    void poke();

private:
    void run();

    QString data_dir_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool poked_ = false;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace kite::server
