// The per-answer update the app runs: predictions before an answer, and the
// posterior after it.
#include <gtest/gtest.h>

#include <cmath>

#include "kite/bkt.h"

namespace kite::bkt {
namespace {

const Params kParams{0.3, 0.15, 0.0, 0.2, 0.1};

TEST(BktOnline, PredictionMixesGuessAndNoSlip) {
    EXPECT_DOUBLE_EQ(predictCorrect(0.0, kParams), 0.2);
    EXPECT_DOUBLE_EQ(predictCorrect(1.0, kParams), 0.9);
    EXPECT_DOUBLE_EQ(predictCorrect(0.5, kParams), 0.55);
}

TEST(BktOnline, CorrectAnswerRaisesMasteryAndWrongAnswerLowersIt) {
    const Step right = observe(0.3, Outcome::kCorrect, kParams);
    const Step wrong = observe(0.3, Outcome::kWrong, kParams);
    // Bayes: 0.3*0.9 / (0.3*0.9 + 0.7*0.2)
    EXPECT_NEAR(right.posterior, 0.27 / 0.41, 1e-15);
    EXPECT_NEAR(wrong.posterior, 0.03 / (0.03 + 0.56), 1e-15);
    EXPECT_GT(right.posterior, 0.3);
    EXPECT_LT(wrong.posterior, 0.3);
    // Then a chance to learn before the next answer.
    EXPECT_NEAR(right.next, right.posterior + (1 - right.posterior) * 0.15, 1e-15);
}

TEST(BktOnline, ForgettingPullsMasteryDownBetweenAnswers) {
    Params p = kParams;
    p.forget = 0.2;
    const Step s = observe(0.9, Outcome::kCorrect, p);
    EXPECT_NEAR(s.next, s.posterior * 0.8 + (1 - s.posterior) * 0.15, 1e-15);
}

TEST(BktOnline, NoResponseIsAnOpportunityWithoutEvidence) {
    const Step s = observe(0.3, Outcome::kNoResponse, kParams);
    EXPECT_DOUBLE_EQ(s.posterior, 0.3);
    EXPECT_DOUBLE_EQ(s.next, 0.3 + 0.7 * 0.15);
}

TEST(BktOnline, AnswerImpossibleInBothStatesLeavesMasteryFinite) {
    const Params certain{0.5, 0.1, 0.0, 1.0, 0.0};  // guess 1, slip 0: a wrong answer cannot happen
    const Step s = observe(0.5, Outcome::kWrong, certain);
    EXPECT_DOUBLE_EQ(s.posterior, 0.5);
    EXPECT_TRUE(std::isfinite(s.next));
}

TEST(BktOnline, PerItemEmissionOverridesTheSkillGuess) {
    const Emission hardItem{0.05, 0.3};
    EXPECT_DOUBLE_EQ(predictCorrect(0.0, hardItem), 0.05);
    const Step s = observe(0.3, Outcome::kCorrect, kParams, hardItem);
    EXPECT_NEAR(s.posterior, 0.3 * 0.7 / (0.3 * 0.7 + 0.7 * 0.05), 1e-15);
}

TEST(BktOnline, ManyCorrectAnswersConvergeTowardsMastery) {
    double pk = kParams.prior;
    for (int i = 0; i < 10; ++i) pk = observe(pk, Outcome::kCorrect, kParams).next;
    EXPECT_GT(pk, 0.99);
    EXPECT_LE(pk, 1.0);
}

}  // namespace
}  // namespace kite::bkt
