#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kite/metrics.h"

namespace kite {
namespace {

Metrics of(std::vector<double> p, std::vector<signed char> y) {
    return computeMetrics(p, y);
}

TEST(Metrics, AucCountsCorrectlyOrderedPairs) {
    // Pairs (positive, negative): (0.35,0.1) (0.35,0.4)x (0.8,0.1) (0.8,0.4): 3 of 4.
    EXPECT_DOUBLE_EQ(of({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}).auc, 0.75);
}

TEST(Metrics, TiedPredictionsCountOneHalf) {
    EXPECT_DOUBLE_EQ(of({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}).auc, 0.5);
    // One tie between a positive and a negative, one clean win.
    EXPECT_DOUBLE_EQ(of({0.3, 0.6, 0.6}, {0, 0, 1}).auc, 0.75);
}

TEST(Metrics, AucIsOneHalfWhenOnlyOneClassIsPresent) {
    EXPECT_DOUBLE_EQ(of({0.2, 0.9}, {1, 1}).auc, 0.5);
}

TEST(Metrics, RmseAccuracyAndLoglikOfKnownPredictions) {
    const Metrics m = of({0.8, 0.3, 0.6, 0.5}, {1, 0, 0, 1});
    EXPECT_EQ(m.n, 4);
    EXPECT_EQ(m.positives, 2);
    EXPECT_NEAR(m.rmse, std::sqrt((0.04 + 0.09 + 0.36 + 0.25) / 4), 1e-15);
    EXPECT_DOUBLE_EQ(m.accuracy, 0.75);  // 0.5 counts as predicting correct
    EXPECT_NEAR(m.loglik, std::log(0.8) + std::log(0.7) + std::log(0.4) + std::log(0.5), 1e-12);
}

TEST(Metrics, CertainWrongPredictionHasFiniteLoglik) {
    EXPECT_TRUE(std::isfinite(of({1.0, 0.0}, {0, 1}).loglik));
}

TEST(Metrics, EmptyInputGivesZeroCount) {
    EXPECT_EQ(of({}, {}).n, 0);
}

}  // namespace
}  // namespace kite
