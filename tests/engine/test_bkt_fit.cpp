// The EM fit on simulated students whose true parameters are known.
#include <gtest/gtest.h>

#include <atomic>

#include "bkt_simulation.h"
#include "kite/bkt_eval.h"
#include "kite/bkt_fit.h"

namespace kite::bkt {
namespace {

using kite::testing::simulate;

const Params kTruth{0.3, 0.15, 0.0, 0.2, 0.1};

const Dataset& twoSkills() {
    static const Dataset data =
        simulate({{"fractions", kTruth, {}}, {"decimals", {0.5, 0.08, 0.0, 0.25, 0.05}, {}}}, 1500, 20, 7);
    return data;
}

const SkillModel& skillNamed(const Model& m, const std::string& name) {
    const int i = m.find(name);
    EXPECT_GE(i, 0) << name;
    return m.skills[static_cast<std::size_t>(i)];
}

TEST(BktFit, RecoversTheParametersThatGeneratedTheData) {
    auto model = fit(twoSkills(), FitOptions{});
    ASSERT_TRUE(model.ok()) << model.error().message;
    const Params& p = skillNamed(model.value(), "fractions").params;
    EXPECT_NEAR(p.prior, kTruth.prior, 0.04);
    EXPECT_NEAR(p.learn, kTruth.learn, 0.03);
    EXPECT_NEAR(p.guess, kTruth.guess, 0.03);
    EXPECT_NEAR(p.slip, kTruth.slip, 0.03);
    EXPECT_EQ(p.forget, 0.0);
    const Params& d = skillNamed(model.value(), "decimals").params;
    EXPECT_NEAR(d.learn, 0.08, 0.03);
    EXPECT_NEAR(d.slip, 0.05, 0.03);
}

TEST(BktFit, EveryConvergedSkillIsAFixedPointOfEm) {
    FitOptions o;
    o.tolerance = 1e-9;
    auto model = fit(twoSkills(), o);
    ASSERT_TRUE(model.ok());
    for (const SkillModel& s : model->skills) {
        EXPECT_TRUE(s.converged) << s.name;
        // One more plain EM update from the answer moves nothing noticeably.
        FitOptions one;
        one.start = s.params;
        one.fixed_iterations = 1;
        Dataset only;
        for (const Answer& a : twoSkills().answers)
            if (twoSkills().skills.name(a.skill) == s.name)
                only.answers.push_back({a.student, only.skills.intern(s.name), -1, a.outcome});
        only.students = twoSkills().students;
        auto again = fit(only, one);
        ASSERT_TRUE(again.ok());
        EXPECT_NEAR(again->skills[0].params.learn, s.params.learn, 1e-7) << s.name;
        EXPECT_NEAR(again->skills[0].params.guess, s.params.guess, 1e-7) << s.name;
        EXPECT_NEAR(again->skills[0].loglik, s.loglik, 1e-6) << s.name;
    }
}

TEST(BktFit, ConvergedFitIsAtLeastAsLikelyAsFewEmUpdates) {
    FitOptions few;
    few.fixed_iterations = 3;
    auto early = fit(twoSkills(), few);
    auto converged = fit(twoSkills(), FitOptions{});
    ASSERT_TRUE(early.ok() && converged.ok());
    for (std::size_t i = 0; i < converged->skills.size(); ++i)
        EXPECT_GE(converged->skills[i].loglik, early->skills[i].loglik - 1e-9) << converged->skills[i].name;
}

TEST(BktFit, SameSeedGivesIdenticalParametersWhateverTheThreadCount) {
    FitOptions one;
    one.threads = 1;
    one.seed = 11;
    FitOptions two = one;
    two.threads = 2;
    auto a = fit(twoSkills(), one);
    auto b = fit(twoSkills(), two);
    ASSERT_TRUE(a.ok() && b.ok());
    for (std::size_t i = 0; i < a->skills.size(); ++i) {
        EXPECT_EQ(a->skills[i].params.prior, b->skills[i].params.prior);
        EXPECT_EQ(a->skills[i].params.learn, b->skills[i].params.learn);
        EXPECT_EQ(a->skills[i].params.guess, b->skills[i].params.guess);
        EXPECT_EQ(a->skills[i].params.slip, b->skills[i].params.slip);
        EXPECT_EQ(a->skills[i].loglik, b->skills[i].loglik);
    }
}

TEST(BktFit, OneSkillSharesItsRestartsAcrossThreadsWithTheSameResult) {
    const Dataset data = simulate({{"only", kTruth, {}}}, 600, 20, 21);
    FitOptions one;
    one.threads = 1;
    one.restarts = 7;
    FitOptions three = one;
    three.threads = 3;
    auto a = fit(data, one);
    auto b = fit(data, three);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->skills[0].params.prior, b->skills[0].params.prior);
    EXPECT_EQ(a->skills[0].params.learn, b->skills[0].params.learn);
    EXPECT_EQ(a->skills[0].params.slip, b->skills[0].params.slip);
    EXPECT_EQ(a->skills[0].loglik, b->skills[0].loglik);
    EXPECT_EQ(a->skills[0].iterations, b->skills[0].iterations);
}

TEST(BktFit, MoreRestartsNeverFindAWorseOptimum) {
    FitOptions single;
    single.restarts = 1;
    FitOptions many;
    many.restarts = 8;
    auto a = fit(twoSkills(), single);
    auto b = fit(twoSkills(), many);
    ASSERT_TRUE(a.ok() && b.ok());
    for (std::size_t i = 0; i < a->skills.size(); ++i) EXPECT_GE(b->skills[i].loglik, a->skills[i].loglik - 1e-6);
}

TEST(BktFit, BoundsKeepGuessAndSlipBelowTheirLimit) {
    const Dataset data = simulate({{"sloppy", {0.4, 0.1, 0.0, 0.45, 0.35}, {}}}, 800, 15, 3);
    FitOptions o;
    o.guess = {0.0, 0.3};
    o.slip = {0.0, 0.3};
    auto model = fit(data, o);
    ASSERT_TRUE(model.ok());
    EXPECT_LE(model->skills[0].params.guess, 0.3);
    EXPECT_LE(model->skills[0].params.slip, 0.3);
    auto free = fit(data, FitOptions{});
    ASSERT_TRUE(free.ok());
    EXPECT_GE(free->skills[0].loglik, model->skills[0].loglik - 1e-9);  // the bound costs likelihood
}

TEST(BktFit, ForgetsRecoversForgettingAndIsZeroOtherwise) {
    const Dataset data = simulate({{"volatile", {0.3, 0.2, 0.1, 0.2, 0.08}, {}}}, 2000, 25, 5);
    FitOptions o;
    o.forgets = true;
    auto withForget = fit(data, o);
    auto without = fit(data, FitOptions{});
    ASSERT_TRUE(withForget.ok() && without.ok());
    EXPECT_NEAR(withForget->skills[0].params.forget, 0.1, 0.03);
    EXPECT_EQ(without->skills[0].params.forget, 0.0);
    EXPECT_GT(withForget->skills[0].loglik, without->skills[0].loglik);
}

TEST(BktFit, PerItemGuessIsRecoveredForEachItem) {
    const Dataset data = simulate({{"mixed", {0.3, 0.15, 0.0, 0.2, 0.1}, {0.05, 0.45}}}, 2000, 20, 9);
    FitOptions o;
    o.emissions = ItemEmissions::kPerItem;
    auto model = fit(data, o);
    ASSERT_TRUE(model.ok()) << model.error().message;
    const SkillModel& s = model->skills[0];
    ASSERT_EQ(s.items.size(), 2U);
    for (std::size_t i = 0; i < 2; ++i) {
        const double want = s.item_names[i] == "mixed-i0" ? 0.05 : 0.45;
        EXPECT_NEAR(s.items[i].guess, want, 0.04) << s.item_names[i];
    }
    auto perSkill = fit(data, FitOptions{});
    ASSERT_TRUE(perSkill.ok());
    EXPECT_GT(s.loglik, perSkill->skills[0].loglik);
}

TEST(BktFit, PerItemFitNeedsItemsInTheData) {
    FitOptions o;
    o.emissions = ItemEmissions::kPerItem;
    auto model = fit(twoSkills(), o);
    ASSERT_FALSE(model.ok());
    EXPECT_NE(model.error().message.find("item"), std::string::npos);
}

TEST(BktFit, SkillWithoutRepeatAnswersGetsTheDefaultLearnRate) {
    Dataset data;
    data.skills.intern("once");
    for (int i = 0; i < 50; ++i)
        data.answers.push_back(
            {data.students.intern("s" + std::to_string(i)), 0, -1, i % 3 != 0 ? Outcome::kCorrect : Outcome::kWrong});
    auto model = fit(data, FitOptions{});
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(model->skills[0].params.learn, kUnseenSkillDefaults.learn);
    const Params& p = model->skills[0].params;
    EXPECT_NEAR(predictCorrect(p.prior, p), 33.0 / 50.0, 1e-6);  // P(correct) of a first answer: the share correct
}

TEST(BktFit, ProgressReportsEverySkillOnce) {
    std::atomic<int> calls{0};
    std::atomic<int> last{0};
    FitOptions o;
    o.progress = [&](int done, int total) {
        ++calls;
        if (done == total) last = total;
    };
    ASSERT_TRUE(fit(twoSkills(), o).ok());
    EXPECT_EQ(calls.load(), 2);
    EXPECT_EQ(last.load(), 2);
}

TEST(BktFit, InvalidOptionsAreRejectedWithTheirName) {
    FitOptions o;
    o.restarts = 0;
    auto a = fit(twoSkills(), o);
    ASSERT_FALSE(a.ok());
    EXPECT_NE(a.error().message.find("restarts"), std::string::npos);
    FitOptions b;
    b.guess = {0.0, 1.5};
    auto r = fit(twoSkills(), b);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("guess"), std::string::npos);
}

TEST(BktEval, UnseenSkillUsesTheModelDefault) {
    auto model = fit(twoSkills(), FitOptions{});
    ASSERT_TRUE(model.ok());
    Dataset test;
    const auto s = test.students.intern("new");
    test.answers.push_back({s, test.skills.intern("geometry"), -1, Outcome::kCorrect});
    const Predictions p = predict(model.value(), test);
    EXPECT_EQ(p.unseen_skill_answers, 1);
    EXPECT_DOUBLE_EQ(p.p_correct[0], predictCorrect(model->unseen.prior, model->unseen));
}

TEST(BktEval, PredictionsAreMadeBeforeEachAnswerIsSeen) {
    Model model;
    SkillModel s;
    s.name = "k";
    s.params = {0.3, 0.15, 0.0, 0.2, 0.1};
    model.skills.push_back(s);
    Dataset test;
    const auto st = test.students.intern("a");
    const auto k = test.skills.intern("k");
    for (Outcome o : {Outcome::kCorrect, Outcome::kCorrect, Outcome::kWrong}) test.answers.push_back({st, k, -1, o});
    const Predictions p = predict(model, test);
    double pk = 0.3;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_DOUBLE_EQ(p.p_correct[i], predictCorrect(pk, s.params));
        pk = observe(pk, test.answers[i].outcome, s.params).next;
    }
}

}  // namespace
}  // namespace kite::bkt
