// The interactive part of the queue: new answers move the server's BKT state
// of the learner's skills, and each change goes into the log devices pull.
#pragma once

#include <QString>

#include <QList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <utility>
#include <thread>

#include "kite/fitted_params.h"
#include "kite/result.h"
#include "kite/server_store.h"
#include "kite/wakeup.h"

namespace kite::server {

class DktTracker;

// (school, learner) pairs.
using LearnerKeys = QList<std::pair<QString, QString>>;

// Claims up to `limit` queued items and applies them in one transaction.
// Returns how many items were handled (done or set aside as failed); the
// learners whose mastery was written are added to `written` if given. Skills
// use the school's fitted BKT parameters from `fitted` if given, the
// defaults otherwise. Only items of worker `shard` of `shards` are claimed.
// With `dkt`, schools with an active DKT model also get "dkt" mastery.
Result<int> processMasteryBatch(ServerStore& store, int limit, LearnerKeys* written = nullptr,
                                FittedBktCache* fitted = nullptr, int shard = 0, int shards = 1,
                                DktTracker* dkt = nullptr);

// processMasteryBatch on its own thread with its own store connection: runs
// whenever poked (a push committed work) and at least once a second (retries
// whose time has come).
class MasteryWorker {
public:
    // `onWritten` runs on the worker's thread after each commit, with the
    // learners whose mastery changed (to poke their devices).
    // Worker `shard` of `shards` (kite-server serve --workers N): each claims
    // only its learners' items. Items a crash left running are put back by
    // the caller before workers start (ServerStore::requeueRunning).
    explicit MasteryWorker(QString dataDir, std::function<void(const LearnerKeys&)> onWritten = {}, int shard = 0,
                           int shards = 1);
    ~MasteryWorker();
    MasteryWorker(const MasteryWorker&) = delete;
    MasteryWorker& operator=(const MasteryWorker&) = delete;

    void poke() { wakeup_.poke(); }

    // Seconds spent working (not waiting) since start; any thread may read
    // it. Its rate is the worker's utilisation (kite_worker_busy_seconds_total).
    double busySeconds() const { return static_cast<double>(busy_ns_.load(std::memory_order_relaxed)) / 1e9; }

private:
    void run();

    QString data_dir_;
    std::function<void(const LearnerKeys&)> on_written_;
    int shard_;
    int shards_;
    Wakeup wakeup_;
    std::atomic<std::int64_t> busy_ns_{0};
    std::thread thread_;
};

}  // namespace kite::server
