// Acceptance on real data (../shared/data): fitted on the training file with
// 5 restarts, Kite's BKT predicts the test file at least as well as pyBKT and
// reaches at least pyBKT's training log-likelihood on every skill.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "kite/bkt_eval.h"
#include "kite/bkt_fit.h"
#include "kite/readers.h"

namespace kite::bkt {
namespace {

namespace fs = std::filesystem;

struct Reference {
    const char* name;  // also the stem of tests/data/pybkt_reference/<name>_train_loglik.csv
    const char* train;
    const char* test;
    bool forgets;
    double pybkt_auc;  // pyBKT 1.4.2, 5 restarts, seed 42 (bench/pybkt_reference.py)
};

const Reference kReferences[] = {
    {"assist2015", "assist2015/assist2015_train.csv", "assist2015/assist2015_test.csv", false, 0.704948},
    {"assist2015_forgets", "assist2015/assist2015_train.csv", "assist2015/assist2015_test.csv", true, 0.707257},
    {"statics2011", "statics2011/STATICS_train.csv", "statics2011/STATICS_test.csv", false, 0.794259},
    {"synthetic5", "synthetic5/naive_c5_q50_s4000_v0_train.csv", "synthetic5/naive_c5_q50_s4000_v0_test.csv", false,
     0.632433},
};

std::map<std::string, double> pybktLoglik(const std::string& name) {
    std::ifstream in(fs::path(KITE_TEST_DATA_DIR) / "pybkt_reference" / (name + "_train_loglik.csv"));
    std::map<std::string, double> out;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::stringstream row(line);
        std::string skill, loglik;
        std::getline(row, skill, ',');
        std::getline(row, loglik, ',');
        out[skill] = std::stod(loglik);
    }
    return out;
}

class RealData : public ::testing::TestWithParam<Reference> {};

TEST_P(RealData, BeatsPybktOnTestAucAndOnEverySkillsTrainingLikelihood) {
    const Reference& r = GetParam();
    const fs::path data = fs::path(KITE_SHARED_DIR) / "data";
    if (!fs::exists(data / r.train) || !fs::exists(data / r.test))
        GTEST_SKIP() << "dataset " << (data / r.train) << " is absent (../shared/data not here)";
    auto train = readDataset((data / r.train).string(), ReadOptions{});
    ASSERT_TRUE(train.ok()) << train.error().message;
    auto test = readDataset((data / r.test).string(), ReadOptions{});
    ASSERT_TRUE(test.ok()) << test.error().message;

    FitOptions o;  // defaults: 5 restarts, seed 42, convergence rule
    o.forgets = r.forgets;
    auto model = fit(train.value(), o);
    ASSERT_TRUE(model.ok()) << model.error().message;

    const Metrics m = evaluate(test.value(), predict(model.value(), test.value()));
    EXPECT_GE(m.auc, r.pybkt_auc) << r.name;

    const auto reference = pybktLoglik(r.name);
    ASSERT_EQ(reference.size(), model->skills.size()) << "reference file for " << r.name;
    int worse = 0;
    for (const SkillModel& s : model->skills) {
        auto it = reference.find(s.name);
        ASSERT_NE(it, reference.end()) << "skill " << s.name;
        if (s.loglik < it->second - 1e-6 * std::max(1.0, std::abs(it->second))) {
            ++worse;
            ADD_FAILURE() << r.name << " skill " << s.name << ": loglik " << s.loglik << " < pyBKT " << it->second;
        }
    }
    EXPECT_EQ(worse, 0);
}

INSTANTIATE_TEST_SUITE_P(Pybkt, RealData, ::testing::ValuesIn(kReferences),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace kite::bkt
