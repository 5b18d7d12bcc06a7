// Parity with pyBKT on the golden cases of ../shared/golden/bkt: the
// fixed-iteration mode reproduces pyBKT's parameters, log-likelihoods and
// predictions; the converged fit matches pyBKT's own 2000-update EM run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "kite/bkt_eval.h"
#include "kite/bkt_fit.h"
#include "kite/readers.h"

namespace kite::bkt {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kGolden = fs::path(KITE_SHARED_DIR) / "golden" / "bkt";

std::vector<std::string> caseNames() {
    std::vector<std::string> names;
    if (!fs::exists(kGolden)) return {"absent"};
    for (const auto& e : fs::directory_iterator(kGolden))
        if (e.is_directory() && fs::exists(e.path() / "case.json")) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

Params paramsOf(const Json& j) {
    return {j["prior"].get<double>(), j["learn"].get<double>(), j["forget"].get<double>(), j["guess"].get<double>(),
            j["slip"].get<double>()};
}

// The answers of one skill only (the fit is per skill anyway).
Dataset onlySkill(const Dataset& all, const std::string& skill) {
    Dataset d;
    const std::int32_t keep = all.skills.find(skill);
    for (const Answer& a : all.answers) {
        if (a.skill != keep) continue;
        d.answers.push_back({d.students.intern(all.students.name(a.student)), d.skills.intern(skill), -1, a.outcome});
    }
    return d;
}

class GoldenBkt : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "absent")
            GTEST_SKIP() << "no golden cases at " << kGolden << " (../shared/golden is not here)";
        dir_ = kGolden / GetParam();
        std::ifstream in(dir_ / "case.json");
        in >> case_;
        ReadOptions csv;
        csv.format = DataFormat::kCsv;
        auto train = readDataset((dir_ / "train.csv").string(), csv);
        ASSERT_TRUE(train.ok()) << train.error().message;
        train_ = std::move(train.value());
        auto test = readDataset((dir_ / "test.csv").string(), csv);
        ASSERT_TRUE(test.ok()) << test.error().message;
        test_ = std::move(test.value());
    }

    FitOptions optionsFor(const std::string& skill) const {
        FitOptions o;
        o.restarts = 1;
        o.threads = 1;
        o.forgets = case_["forgets"].get<bool>();
        o.start = paramsOf(case_["start"][skill]);
        return o;
    }

    fs::path dir_;
    Json case_;
    Dataset train_;
    Dataset test_;
};

void expectParamsNear(const Params& got, const Json& want, double tol, const std::string& what) {
    EXPECT_NEAR(got.prior, want["prior"].get<double>(), tol) << what << " prior";
    EXPECT_NEAR(got.learn, want["learn"].get<double>(), tol) << what << " learn";
    EXPECT_NEAR(got.forget, want["forget"].get<double>(), tol) << what << " forget";
    EXPECT_NEAR(got.guess, want["guess"].get<double>(), tol) << what << " guess";
    EXPECT_NEAR(got.slip, want["slip"].get<double>(), tol) << what << " slip";
}

TEST_P(GoldenBkt, FixedIterationsReproducePybktParametersAndLoglik) {
    const double tol = case_["tolerance_for_parity"]["params_same_iterations"].get<double>();
    for (const std::string skill : case_["skills"]) {
        FitOptions o = optionsFor(skill);
        o.fixed_iterations = case_["em"]["iterations"][skill].get<int>();
        auto model = fit(onlySkill(train_, skill), o);
        ASSERT_TRUE(model.ok()) << model.error().message;
        ASSERT_EQ(model->skills.size(), 1U);
        const SkillModel& m = model->skills[0];
        expectParamsNear(m.params, case_["expected"][skill], tol, GetParam() + " skill " + skill);
        const double want = case_["train_loglik"][skill].get<double>();
        EXPECT_NEAR(m.loglik, want, 1e-9 * std::max(1.0, std::abs(want))) << "skill " << skill;
    }
}

TEST_P(GoldenBkt, PredictionsMatchPybktRowByRow) {
    Model model;
    for (const std::string skill : case_["skills"]) {
        FitOptions o = optionsFor(skill);
        o.fixed_iterations = case_["em"]["iterations"][skill].get<int>();
        auto fitted = fit(onlySkill(train_, skill), o);
        ASSERT_TRUE(fitted.ok()) << fitted.error().message;
        model.skills.push_back(fitted->skills[0]);
    }
    const Predictions p = predict(model, test_);
    std::ifstream in(dir_ / "test_predictions.csv");
    std::string line;
    std::getline(in, line);  // header: user_id,skill_name,order_id,correct,p_correct
    std::size_t row = 0;
    std::vector<double> goldenP;
    const double tol = case_["tolerance_for_parity"]["p_correct"].get<double>();
    while (std::getline(in, line)) {
        ASSERT_LT(row, test_.answers.size());
        std::stringstream fields(line);
        std::string user, skill, order, correct, pc;
        std::getline(fields, user, ',');
        std::getline(fields, skill, ',');
        std::getline(fields, order, ',');
        std::getline(fields, correct, ',');
        std::getline(fields, pc, ',');
        const Answer& a = test_.answers[row];
        ASSERT_EQ(test_.students.name(a.student), user) << "row " << row;
        ASSERT_EQ(test_.skills.name(a.skill), skill) << "row " << row;
        goldenP.push_back(std::stod(pc));
        EXPECT_NEAR(p.p_correct[row], goldenP.back(), tol) << "row " << row << " (" << user << ", " << skill << ")";
        ++row;
    }
    EXPECT_EQ(row, test_.answers.size());
    const Metrics m = evaluate(test_, p);
    EXPECT_NEAR(m.rmse, case_["test"]["rmse"].get<double>(), 1e-9);
    // Kite's AUC of pyBKT's own predictions is pyBKT's AUC. Kite's predictions
    // equal pyBKT's to ~1e-15 but not bit for bit, and predictions that are
    // equal in exact arithmetic can tie in one and not the other, so the AUC of
    // Kite's predictions is compared more loosely. Case 06's AUC hangs on
    // last-bit noise around p = 1 (see the golden README).
    if (case_["test"]["rows_dropped_by_pybkt_auc"].get<int>() == 0) {
        const Metrics golden = evaluate(test_, Predictions{goldenP, 0, 0});
        EXPECT_NEAR(golden.auc, case_["test"]["auc"].get<double>(), 1e-9);
        EXPECT_NEAR(m.auc, case_["test"]["auc"].get<double>(), 1e-5);
    }
}

TEST_P(GoldenBkt, ConvergedFitMatchesPybktLongRun) {
    const Json& longRun = case_["long_run"];
    for (const std::string skill : case_["skills"]) {
        FitOptions o = optionsFor(skill);
        o.tolerance = 1e-12;
        o.max_iterations = 100000;
        const Dataset data = onlySkill(train_, skill);
        auto model = fit(data, o);
        ASSERT_TRUE(model.ok()) << model.error().message;
        const SkillModel& m = model->skills[0];
        const double wantLoglik = longRun["train_loglik"][skill].get<double>();
        // Never worse than pyBKT's 2000 updates.
        EXPECT_GE(m.loglik, wantLoglik - 1e-9 * std::max(1.0, std::abs(wantLoglik))) << "skill " << skill;
        const bool longRunConverged = longRun["max_abs_param_change_in_last_iteration"][skill].get<double>() < 1e-9;
        if (!longRunConverged) continue;  // e.g. case 05 skill 26, still creeping toward guess = 0
        EXPECT_NEAR(m.loglik, wantLoglik, 1e-9 * std::max(1.0, std::abs(wantLoglik))) << "skill " << skill;
        const Json& want = longRun["params"][skill];
        const double tol = case_["tolerance_for_parity"]["params_long_run"].get<double>();
        const bool hasTransitions = m.answers > m.sequences;
        EXPECT_NEAR(m.params.prior, want["prior"].get<double>(), tol) << "skill " << skill;
        EXPECT_NEAR(m.params.guess, want["guess"].get<double>(), tol) << "skill " << skill;
        EXPECT_NEAR(m.params.slip, want["slip"].get<double>(), tol) << "skill " << skill;
        if (hasTransitions) {  // otherwise learn and forget are not identified (Kite: documented default)
            EXPECT_NEAR(m.params.learn, want["learn"].get<double>(), tol) << "skill " << skill;
            EXPECT_NEAR(m.params.forget, want["forget"].get<double>(), tol) << "skill " << skill;
        } else {
            EXPECT_EQ(m.params.learn, kUnseenSkillDefaults.learn) << "skill " << skill;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenBkt, ::testing::ValuesIn(caseNames()),
                         [](const auto& p) { return p.param == "absent" ? p.param : "case" + p.param.substr(0, 2); });

}  // namespace
}  // namespace kite::bkt
