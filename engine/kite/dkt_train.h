// Training a DKT network: truncated BPTT on chunks of at most `max_steps`
// answers, mini-batches of chunks of similar length, Adam with gradient-norm
// clipping, early stopping on validation AUC. Seeded: the same options, data
// and thread count give the same model.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kite/dataset.h"
#include "kite/dkt.h"
#include "kite/metrics.h"
#include "kite/result.h"

namespace kite::dkt {

struct EpochReport {
    int epoch = 0;  // from 1
    int max_epochs = 0;
    double train_loss = 0.0;  // mean cross-entropy per predicted answer
    double valid_auc = 0.0;
    double seconds = 0.0;        // this epoch, training and validation
    double train_seconds = 0.0;  // the training pass alone
    double valid_seconds = 0.0;  // the validation pass alone
    double eta_seconds = 0.0;  // if every remaining epoch ran
    bool improved = false;     // best validation AUC so far
};

struct TrainOptions {
    std::int32_t hidden = 200;
    int max_epochs = 50;
    int batch = 64;               // chunks per mini-batch
    double learning_rate = 1e-3;  // Adam
    double dropout = 0.2;         // before the output layer, training only
    double clip_norm = 10.0;      // gradient of the mean loss is scaled down to at most this norm
    int max_steps = 200;          // chunk length for truncated BPTT; shorter than 2: dropped
    double valid_fraction = 0.1;  // students held out for early stopping when no validation set is given
    // Epochs without a better validation AUC before stopping. 5 rather than
    // the usual 3: a 10% validation part of a small class (statics2011: 33
    // students) is noisy, and 3 stopped one seed in five epochs too early.
    int patience = 5;
    std::uint64_t seed = 42;
    int threads = 0;  // 0: one per core
    std::function<void(const EpochReport&)> on_epoch;
    // Asked on the calling thread before each mini-batch: true stops the
    // training, which then returns the error "stopped". For a server job
    // that is cancelled.
    std::function<bool()> stop_requested;
};

struct TrainedModel {
    Weights<float> weights;
    std::vector<std::string> skill_names;  // model skill index -> name
    long long answers = 0;                 // training answers seen
    int epochs = 0;                        // epochs run
    int best_epoch = 0;                    // the one whose weights were kept
    double valid_auc = 0.0;                // at best_epoch
};

// `valid` may be null: then valid_fraction of the students are held out.
Result<TrainedModel> train(const Dataset& data, const Dataset* valid, const TrainOptions& options);

struct DktPredictions {
    // Per answer of the dataset: P(correct) before it is seen, from the
    // student's earlier answers; NaN for a student's first answer and for
    // answers on skills the model does not know (nothing to predict from).
    std::vector<double> p_correct;
    long long unknown_skill_answers = 0;
};

DktPredictions predictDataset(const TrainedModel& model, const Dataset& data, int threads = 0);

// Metrics over every answer with a prediction.
Metrics evaluate(const Dataset& data, const DktPredictions& predictions);

}  // namespace kite::dkt
