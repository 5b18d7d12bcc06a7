// Training DKT: it learns what there is to learn, and it is reproducible.
#include <gtest/gtest.h>

#include <cmath>

#include "kite/dkt_train.h"

namespace kite::dkt {
namespace {

// Students alternate two skills; an answer is correct exactly when the
// previous one was wrong, so predicting it needs the network's memory.
Dataset alternating(int students, int answers) {
    Dataset d;
    d.skills.intern("a");
    d.skills.intern("b");
    for (int s = 0; s < students; ++s) {
        const auto st = d.students.intern("s" + std::to_string(s));
        bool correct = s % 2 == 0;
        for (int i = 0; i < answers; ++i) {
            d.answers.push_back({st, i % 2, -1, correct ? Outcome::kCorrect : Outcome::kWrong});
            correct = !correct;
        }
    }
    return d;
}

TrainOptions small() {
    TrainOptions o;
    o.hidden = 16;
    o.dropout = 0.0;
    o.learning_rate = 0.02;
    o.max_epochs = 150;
    o.patience = 150;
    o.batch = 8;
    o.threads = 2;
    return o;
}

TEST(DktTrain, TinyDatasetIsLearnedToNearZeroLoss) {
    const Dataset data = alternating(40, 30);
    double lastLoss = 1.0;
    TrainOptions o = small();
    o.on_epoch = [&](const EpochReport& r) { lastLoss = r.train_loss; };
    auto model = train(data, nullptr, o);
    ASSERT_TRUE(model.ok()) << model.error().message;
    EXPECT_LT(lastLoss, 0.02);
    EXPECT_GT(model->valid_auc, 0.99);
    const Metrics m = evaluate(data, predictDataset(model.value(), data));
    // The kept weights are those of the first epoch with the best validation
    // AUC, here 1: they rank every answer right even if not yet calibrated.
    EXPECT_GT(m.auc, 0.999);
    EXPECT_EQ(m.n, 40 * 29);  // every answer but each student's first
}

TEST(DktTrain, SameSeedGivesTheSameModel) {
    const Dataset data = alternating(20, 12);
    TrainOptions o = small();
    o.max_epochs = 3;
    auto a = train(data, nullptr, o);
    auto b = train(data, nullptr, o);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->weights.recurrent, b->weights.recurrent);
    EXPECT_EQ(a->weights.output, b->weights.output);
    EXPECT_EQ(a->valid_auc, b->valid_auc);
}

TEST(DktTrain, EarlyStoppingKeepsTheBestEpoch) {
    const Dataset data = alternating(20, 12);
    TrainOptions o = small();
    o.max_epochs = 40;
    o.patience = 2;
    double bestSeen = -1.0;
    int epochs = 0;
    o.on_epoch = [&](const EpochReport& r) {
        bestSeen = std::max(bestSeen, r.valid_auc);
        epochs = r.epoch;
    };
    auto model = train(data, nullptr, o);
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(model->epochs, epochs);
    EXPECT_EQ(model->valid_auc, bestSeen);
    EXPECT_LE(model->best_epoch, model->epochs);
}

TEST(DktTrain, AnswersOnUnknownSkillsGetNoPrediction) {
    const Dataset data = alternating(10, 6);
    TrainOptions o = small();
    o.max_epochs = 1;
    auto model = train(data, nullptr, o);
    ASSERT_TRUE(model.ok());
    Dataset other;
    const auto st = other.students.intern("x");
    other.answers.push_back({st, other.skills.intern("a"), -1, Outcome::kCorrect});
    other.answers.push_back({st, other.skills.intern("zzz"), -1, Outcome::kCorrect});
    other.answers.push_back({st, other.skills.intern("b"), -1, Outcome::kWrong});
    const DktPredictions p = predictDataset(model.value(), other);
    EXPECT_EQ(p.unknown_skill_answers, 1);
    EXPECT_TRUE(std::isnan(p.p_correct[0]));  // first answer: nothing to predict from
    EXPECT_TRUE(std::isnan(p.p_correct[1]));  // unknown skill
    EXPECT_FALSE(std::isnan(p.p_correct[2]));
}

TEST(DktTrain, BadOptionsAreRefusedWithTheirName) {
    const Dataset data = alternating(4, 4);
    TrainOptions o = small();
    o.dropout = 1.0;
    auto r = train(data, nullptr, o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("dropout"), std::string::npos);
}

}  // namespace
}  // namespace kite::dkt
