// What a batch job does: refit a school's BKT parameters, or retrain its DKT
// model, from the school's answers (the "attempt" events). Both run on the
// caller's thread alone (the engine with one thread), so the caller decides
// the priority they run at (JobRunner: a lowered one).
#pragma once

#include <QJsonObject>
#include <QString>
#include <cstdint>
#include <functional>

#include "kite/job_store.h"
#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

struct TrainingSettings {
    // Below either of these a dkt_retrain finishes as skipped.
    std::int64_t dkt_min_answers = 2000;
    std::int64_t dkt_min_learners = 20;
    int dkt_hidden = 32;  // LSTM size: small, for a school's data and one core
    int dkt_max_epochs = 30;
    int dkt_patience = 3;  // epochs without a better validation AUC before stopping
    // Learners' chunks per mini-batch: small, so that a class of a few dozen
    // learners still gives several updates an epoch.
    int dkt_batch = 8;
    // A skill with fewer answers keeps the parameters it had (or the defaults).
    std::int64_t bkt_min_answers_per_skill = 30;
};

// What a running job may use of its runner.
struct JobContext {
    // Progress in [0, 1] and a few words on what is being done.
    std::function<void(double, const QString&)> progress;
    // Asked between steps (skills, mini-batches): true stops the job.
    std::function<bool()> stop_requested;
};

struct JobOutcome {
    QString message;  // e.g. "fitted 12 skills of 2 courses (version 3)"
    QJsonObject result;
};

// Fits every skill with enough answers, per course, with EM; saves the
// parameters under a new version and adds one school-wide "bkt_params"
// change per course for devices to pull. The error "stopped" when
// stop_requested said so.
Result<JobOutcome> refitBkt(const QString& school, ModelStore& models, ServerStore& changes,
                            const TrainingSettings& settings, const JobContext& context);

// Trains a DKT model on 80% of the learners, validated on the rest, writes
// it to DATA/models/<school>/<version>.kdkt and records the version (active
// if its validation AUC is not worse than the active one's; at most
// kModelsKept versions kept). Below the settings' thresholds: done, skipped.
Result<JobOutcome> retrainDkt(const QString& school, const QString& dataDir, ModelStore& models,
                              const TrainingSettings& settings, const JobContext& context);

}  // namespace kite::server
