// Progress on a real store: every skill of the course, the device's estimate
// beside the server's BKT and DKT estimates with when each was computed.
#include "kite/progress_model.h"
#include "store_fixture.h"

namespace {

using kite::ui::ProgressModel;

class ProgressModelTest : public kite::testing::StoreFixture {
protected:
    void SetUp() override {
        kite::testing::StoreFixture::SetUp();
        model_ = std::make_unique<ProgressModel>(*async_);
    }
    void TearDown() override {
        model_.reset();
        kite::testing::StoreFixture::TearDown();
    }
    void reload() {
        model_->refresh(learner_.id, QStringLiteral("fractions"));
        ASSERT_TRUE(waitFor([&] { return !model_->loading(); }));
        ASSERT_TRUE(model_->error().isEmpty()) << model_->error().toStdString();
    }
    QVariant at(int row, ProgressModel::Role role) const { return model_->data(model_->index(row), role); }

    std::unique_ptr<ProgressModel> model_;
};

TEST_F(ProgressModelTest, EverySkillWithThePriorAndNoServerEstimateYet) {
    reload();
    ASSERT_EQ(model_->rowCount(), course_.skills.size());
    EXPECT_EQ(at(0, ProgressModel::SkillRole).toString(), course_.skills.front().id);
    EXPECT_EQ(at(0, ProgressModel::NameRole).toString(), course_.skills.front().name);
    EXPECT_GT(at(0, ProgressModel::PKnownRole).toDouble(), 0.0);
    EXPECT_EQ(at(0, ProgressModel::AttemptsRole).toInt(), 0);
    EXPECT_LT(at(0, ProgressModel::ServerBktRole).toDouble(), 0) << "none yet";
    EXPECT_LT(at(0, ProgressModel::ServerDktRole).toDouble(), 0) << "none yet";
}

TEST_F(ProgressModelTest, TheServersBktAndDktShowBesideTheDevicesWithTheirTimes) {
    const QString skill = course_.skills.front().id;
    kite::store::ServerChanges changes;
    changes.mastery.push_back(
        {learner_.uid, QStringLiteral("fractions"), skill, QStringLiteral("bkt"), 0.81, 0, 1'795'000'000'000});
    changes.mastery.push_back(
        {learner_.uid, QStringLiteral("fractions"), skill, QStringLiteral("dkt"), 0.66, 0, 1'795'000'060'000});
    serverSends(changes);
    reload();
    EXPECT_NEAR(at(0, ProgressModel::PKnownRole).toDouble(), 0.81, 1e-9) << "the server's snapshot, no newer answers";
    EXPECT_NEAR(at(0, ProgressModel::ServerBktRole).toDouble(), 0.81, 1e-9);
    EXPECT_EQ(at(0, ProgressModel::ServerBktAtRole).toDouble(), 1'795'000'000'000.0);
    EXPECT_NEAR(at(0, ProgressModel::ServerDktRole).toDouble(), 0.66, 1e-9);
    EXPECT_EQ(at(0, ProgressModel::ServerDktAtRole).toDouble(), 1'795'000'060'000.0);
    EXPECT_LT(at(1, ProgressModel::ServerDktRole).toDouble(), 0) << "other skills: none";
}

TEST_F(ProgressModelTest, TheHistoryIsWhatEachAnswerShowedSkillBySkill) {
    reload();
    EXPECT_EQ(model_->answers(), 0);
    EXPECT_TRUE(model_->history().isEmpty()) << "no answers: nothing to chart";

    // Three answers as practice records them, each with the mastery it showed.
    const kite::course::Item& item = course_.items.front();
    const QString skill = item.skills.front();
    const double shown[] = {0.30, 0.52, 0.71};
    {
        auto store = kite::store::Store::open(path_);
        ASSERT_TRUE(store.ok());
        for (int i = 0; i < 3; ++i) {
            kite::store::AttemptRecord a;
            a.learner = learner_.id;
            a.course = QStringLiteral("fractions");
            a.item = item.id;
            a.response = "{}";
            a.correct = i > 0;
            a.score = a.correct ? 1 : 0;
            a.answered_at = 1'795'000'000'000 + i * 1000;
            a.mastery = {kite::store::Mastery{skill, shown[i], i + 1, i, a.answered_at}};
            ASSERT_TRUE((*store)->recordAttempt(a).ok());
        }
    }
    reload();
    EXPECT_EQ(model_->answers(), 3);
    ASSERT_EQ(model_->history().size(), 1) << "only the skill that was answered";
    const QVariantMap series = model_->history().front().toMap();
    EXPECT_EQ(series.value(QStringLiteral("skill")).toString(), skill);
    const QVariantList points = series.value(QStringLiteral("points")).toList();
    ASSERT_EQ(points.size(), 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(points[i].toMap().value(QStringLiteral("answer")).toInt(), i);
        EXPECT_NEAR(points[i].toMap().value(QStringLiteral("p")).toDouble(), shown[i], 1e-9);
    }
}

}  // namespace
