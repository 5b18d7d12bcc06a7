// The batch part of the queue: one thread, at a lowered OS priority, that
// runs the jobs (BKT refits, DKT retrainings) one at a time, oldest first,
// retries failures with backoff and gives up on a job after a few tries
// (then it is "dead", counted in stats' dead_letter). It also queues a
// school's refit and retraining when enough new answers have come in.
#pragma once

#include <QString>
#include <chrono>
#include <cstdint>
#include <thread>

#include "kite/training.h"
#include "kite/wakeup.h"

namespace kite::server {

struct JobSettings {
    // New answers of a school since its last refit (retraining) that queue
    // the next one; 0 turns the schedule off.
    std::int64_t retrain_every = 5000;
    std::chrono::milliseconds check_every{60000};  // how often the schedule is looked at
    int max_tries = 3;                             // then the job is dead
    std::chrono::milliseconds retry_after{30000};  // doubled after each failed try
    TrainingSettings training;
};

class JobRunner {
public:
    // Starts the thread, which opens its own connections to DIR's store.
    JobRunner(QString dataDir, JobSettings settings);
    // Asks a running job to stop (it goes back to the queue) and joins.
    ~JobRunner();
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    // A job was queued: look now rather than at the next tick.
    void poke() { wakeup_.poke(); }

private:
    void run();
    void runJob(JobQueue& queue, ModelStore& models, ServerStore& store, const Job& job);
    bool stopping() const { return wakeup_.stopping(); }

    QString data_dir_;
    JobSettings settings_;
    Wakeup wakeup_;
    std::thread thread_;
};

}  // namespace kite::server
