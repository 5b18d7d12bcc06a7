// Metrics of probabilistic predictions of binary answers, pooled over
// everything passed in.
#pragma once

#include <span>

namespace kite {

struct Metrics {
    long long n = 0;          // predictions scored
    double auc = 0.5;         // area under the ROC curve; tied predictions count one half
    double rmse = 0.0;        // root mean squared error of p against 0/1
    double accuracy = 0.0;    // share of answers where (p >= 0.5) == correct
    double loglik = 0.0;      // sum of ln P(observed answer); p clamped to [1e-15, 1 - 1e-15]
    long long positives = 0;  // correct answers
};

// `p` and `correct` have the same length; correct[i] is 0 or 1.
// AUC is 0.5 when all answers are correct or all wrong (undefined otherwise).
// O(n log n).
Metrics computeMetrics(std::span<const double> p, std::span<const signed char> correct);

}  // namespace kite
