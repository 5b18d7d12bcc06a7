// Which DKT model versions a school keeps and which one is active, on a real
// SQLite file: a version becomes active only if it is not worse than the
// active one; at most five are kept, never dropping the active one.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <memory>

#include "kite/job_store.h"
#include "kite/server_store.h"

namespace {

using namespace kite::server;

class ModelVersions : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        auto core = openSqliteStore(dir_.path(), QStringLiteral("test-core"));
        ASSERT_TRUE(core) << core.error().message;
        core_ = std::move(*core);
        auto models = openSqliteModelStore(dir_.path(), QStringLiteral("test"));
        ASSERT_TRUE(models) << models.error().message;
        models_ = std::move(*models);
    }
    // Writes a stand-in model file and records the version.
    AddedModel add(const QString& school, double auc) {
        auto version = models_->nextModelVersion(school);
        EXPECT_TRUE(version);
        ModelVersion m;
        m.school = school;
        m.version = *version;
        m.valid_auc = auc;
        m.created_at = 1'795'000'000'000 + *version;
        m.path = dir_.filePath(QStringLiteral("models/%1/%2.kdkt").arg(school).arg(*version));
        QDir().mkpath(QFileInfo(m.path).absolutePath());
        QFile f(m.path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("model");
        f.close();
        auto added = models_->addModel(m, kModelsKept);
        EXPECT_TRUE(added) << added.error().message;
        return added ? *added : AddedModel{};
    }
    QList<int> kept(const QString& school) {
        QList<int> out;
        auto models = models_->models(school);
        EXPECT_TRUE(models);
        if (models)
            for (const ModelVersion& m : *models) out.push_back(m.version);
        return out;
    }
    int active(const QString& school) {
        auto a = models_->activeDktModel(school);
        return a && a->has_value() ? (*a)->version : 0;
    }

    QTemporaryDir dir_;
    std::unique_ptr<ServerStore> core_;
    std::unique_ptr<ModelStore> models_;
};

TEST_F(ModelVersions, ANewVersionIsActiveOnlyIfNotWorseThanTheActiveOne) {
    const QString school = QStringLiteral("hill");
    EXPECT_TRUE(add(school, 0.70).active) << "the first version";
    EXPECT_TRUE(add(school, 0.70).active) << "equal is not worse";
    const AddedModel worse = add(school, 0.65);
    EXPECT_FALSE(worse.active);
    ASSERT_TRUE(worse.previous.has_value());
    EXPECT_EQ(worse.previous->version, 2);
    EXPECT_EQ(active(school), 2);
    EXPECT_TRUE(add(school, 0.71).active);
    EXPECT_EQ(active(school), 4);
}

TEST_F(ModelVersions, KeepsFiveVersionsAndNeverDropsTheActiveOne) {
    const QString school = QStringLiteral("hill");
    add(school, 0.60);
    add(school, 0.80);  // version 2: the best, stays active
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(add(school, 0.70).active);
    EXPECT_EQ(active(school), 2);
    EXPECT_EQ(kept(school), QList<int>({7, 6, 5, 4, 2})) << "the active one and the four newest others";
    EXPECT_FALSE(QFile::exists(dir_.filePath(QStringLiteral("models/hill/1.kdkt"))));
    EXPECT_FALSE(QFile::exists(dir_.filePath(QStringLiteral("models/hill/3.kdkt"))));
    EXPECT_TRUE(QFile::exists(dir_.filePath(QStringLiteral("models/hill/2.kdkt"))));
    EXPECT_TRUE(QFile::exists(dir_.filePath(QStringLiteral("models/hill/7.kdkt"))));

    // Rolling back to a kept version works; to a pruned one, it says so.
    EXPECT_TRUE(models_->activateModel(school, 5));
    EXPECT_EQ(active(school), 5);
    const auto gone = models_->activateModel(school, 3);
    ASSERT_FALSE(gone);
    EXPECT_NE(gone.error().message.find("no model version 3"), std::string::npos) << gone.error().message;
    EXPECT_EQ(active(school), 5) << "a failed rollback changes nothing";

    // Once the active one is an old version, the newest prune it no more.
    EXPECT_TRUE(add(school, 0.75).active);  // version 8 beats 5's 0.70
    EXPECT_EQ(kept(school), QList<int>({8, 7, 6, 5, 4}));
}

TEST_F(ModelVersions, SchoolsKeepTheirVersionsApart) {
    add(QStringLiteral("hill"), 0.7);
    add(QStringLiteral("hill"), 0.7);
    EXPECT_EQ(add(QStringLiteral("valley"), 0.6).previous, std::nullopt) << "valley's first";
    EXPECT_EQ(active(QStringLiteral("hill")), 2);
    EXPECT_EQ(active(QStringLiteral("valley")), 1);
    EXPECT_FALSE(models_->activateModel(QStringLiteral("valley"), 2)) << "hill's version 2 is not valley's";
    EXPECT_EQ(kept(QString()).size(), 3);
}

TEST_F(ModelVersions, FailedJobsAreRetriedThenDeadAndCountedAsDeadLetters) {
    auto queue = openSqliteJobQueue(dir_.path(), QStringLiteral("test-jobs"));
    ASSERT_TRUE(queue) << queue.error().message;
    const auto job = (*queue)->submit(QStringLiteral("hill"), JobKind::BktRefit);
    ASSERT_TRUE(job);
    EXPECT_FALSE((*queue)->submit(QStringLiteral("hill"), JobKind::BktRefit)->created) << "one of a kind at a time";
    auto claimed = (*queue)->claimNext();
    ASSERT_TRUE(claimed && claimed->has_value());
    EXPECT_EQ((*claimed)->attempts, 1);
    ASSERT_TRUE((*queue)->fail(job->job.id, QStringLiteral("disk full"), 0));  // retry now
    auto shown = (*queue)->job(QStringLiteral("hill"), job->job.id);
    EXPECT_EQ((*shown)->state, JobState::Failed);
    EXPECT_EQ((*shown)->error, QStringLiteral("disk full"));
    claimed = (*queue)->claimNext();
    ASSERT_TRUE(claimed && claimed->has_value()) << "tried again";
    ASSERT_TRUE((*queue)->fail(job->job.id, QStringLiteral("disk full"), -1));
    EXPECT_EQ((*(*queue)->job(QStringLiteral("hill"), job->job.id))->state, JobState::Dead);
    EXPECT_FALSE((*(*queue)->claimNext()).has_value()) << "a dead job is not tried again";
    EXPECT_FALSE((*(*queue)->job(QStringLiteral("valley"), job->job.id)).has_value()) << "not valley's";
    auto stats = core_->stats();
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->dead_letter, 1);
}

}  // namespace
