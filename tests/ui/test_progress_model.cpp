// Progress on a real store: every skill of the course, the device's estimate
// beside the server's BKT and DKT estimates with when each was computed.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include "kite/course.h"
#include "kite/progress_model.h"

namespace {

using kite::ui::ProgressModel;

class ProgressModelTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        path_ = dir_.filePath(QStringLiteral("kite.db"));
        const auto report = kite::course::readCourseDir(QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions"));
        ASSERT_TRUE(report.ok());
        course_ = *report.course;
        auto store = kite::store::Store::open(path_);
        ASSERT_TRUE(store.ok());
        ASSERT_TRUE((*store)->importCourse(course_).ok());
        learner_ = (*store)->addLearner(QStringLiteral("Ada")).value();
        bool opened = false;
        async_ = std::make_unique<kite::store::AsyncStore>(path_, &app_, [&](kite::Status, QString) { opened = true; });
        ASSERT_TRUE(waitFor([&] { return opened; }));
        model_ = std::make_unique<ProgressModel>(*async_);
    }
    void TearDown() override {
        model_.reset();
        async_.reset();
    }
    bool waitFor(const std::function<bool()>& done) {
        QDeadlineTimer deadline(10'000);
        while (!done()) {
            if (deadline.hasExpired()) return false;
            QEventLoop loop;
            QTimer::singleShot(5, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return true;
    }
    void reload() {
        model_->refresh(learner_.id, QStringLiteral("fractions"));
        ASSERT_TRUE(waitFor([&] { return !model_->loading(); }));
        ASSERT_TRUE(model_->error().isEmpty()) << model_->error().toStdString();
    }
    QVariant at(int row, ProgressModel::Role role) const { return model_->data(model_->index(row), role); }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTemporaryDir dir_;
    QString path_;
    kite::course::Course course_;
    kite::store::Learner learner_;
    std::unique_ptr<kite::store::AsyncStore> async_;
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
    {
        auto store = kite::store::Store::open(path_);
        ASSERT_TRUE(store.ok());
        kite::store::ServerChanges changes;
        changes.mastery.push_back({learner_.uid, QStringLiteral("fractions"), skill, QStringLiteral("bkt"), 0.81, 0,
                                   1'795'000'000'000});
        changes.mastery.push_back({learner_.uid, QStringLiteral("fractions"), skill, QStringLiteral("dkt"), 0.66, 0,
                                   1'795'000'060'000});
        ASSERT_TRUE((*store)->applyServerChanges(changes, QStringLiteral("3")).ok());
        ASSERT_TRUE((*store)->refreshMastery().ok());
    }
    reload();
    EXPECT_NEAR(at(0, ProgressModel::PKnownRole).toDouble(), 0.81, 1e-9) << "the server's snapshot, no newer answers";
    EXPECT_NEAR(at(0, ProgressModel::ServerBktRole).toDouble(), 0.81, 1e-9);
    EXPECT_EQ(at(0, ProgressModel::ServerBktAtRole).toDouble(), 1'795'000'000'000.0);
    EXPECT_NEAR(at(0, ProgressModel::ServerDktRole).toDouble(), 0.66, 1e-9);
    EXPECT_EQ(at(0, ProgressModel::ServerDktAtRole).toDouble(), 1'795'000'060'000.0);
    EXPECT_LT(at(1, ProgressModel::ServerDktRole).toDouble(), 0) << "other skills: none";
}

}  // namespace
