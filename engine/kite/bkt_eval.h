// One-step-ahead BKT predictions over a dataset, and their metrics.
#pragma once

#include <vector>

#include "kite/bkt.h"
#include "kite/dataset.h"
#include "kite/metrics.h"

namespace kite::bkt {

struct Predictions {
    // Per answer of the dataset, in its order: P(correct) made before the
    // answer is seen, from the student's earlier answers on the same skill in
    // this dataset only (each student starts from the prior).
    std::vector<double> p_correct;
    long long unseen_skill_answers = 0;  // answers on skills the model lacks (scored with model.unseen)
    long long unseen_item_answers = 0;   // per-item models: answers on items the fit never saw
};

Predictions predict(const Model& model, const Dataset& data);

// Metrics pooled over every answer with a response.
Metrics evaluate(const Dataset& data, const Predictions& predictions);

}  // namespace kite::bkt
