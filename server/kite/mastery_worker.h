// The interactive part of the queue: new answers move the server's BKT state
// of the learner's skills, and each change goes into the log devices pull.
#pragma once

#include <QString>

#include <QList>

#include <condition_variable>
#include <functional>
#include <utility>
#include <mutex>
#include <thread>

#include "kite/fitted_params.h"
#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

// (school, learner) pairs.
using LearnerKeys = QList<std::pair<QString, QString>>;

// Claims up to `limit` queued items and applies them in one transaction.
// Returns how many items were handled (done or set aside as failed); the
// learners whose mastery was written are added to `written` if given. Skills
// use the school's fitted BKT parameters from `fitted` if given, the
// defaults otherwise.
Result<int> processMasteryBatch(ServerStore& store, int limit, LearnerKeys* written = nullptr,
                                FittedBktCache* fitted = nullptr);

// processMasteryBatch on its own thread with its own store connection: runs
// whenever poked (a push committed work) and at least once a second (retries
// whose time has come).
class MasteryWorker {
public:
    // `onWritten` runs on the worker's thread after each commit, with the
    // learners whose mastery changed (to poke their devices).
    explicit MasteryWorker(QString dataDir, std::function<void(const LearnerKeys&)> onWritten = {});
    ~MasteryWorker();
    MasteryWorker(const MasteryWorker&) = delete;
    MasteryWorker& operator=(const MasteryWorker&) = delete;

    void poke();

private:
    void run();

    QString data_dir_;
    std::function<void(const LearnerKeys&)> on_written_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool poked_ = false;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace kite::server
