// kite-sim as a tester runs it: the real binary on a fresh profile folder.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>

#include "../support/child_process.h"
#include "kite/store.h"

namespace {

using namespace std::chrono_literals;

struct Run {
    int exit = -1;
    std::vector<QJsonObject> lines;
    QString err;
};

Run runSim(const std::vector<std::string>& args, const QString& errPath) {
    std::vector<std::string> argv{KITE_SIM_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    kite::testing::ChildProcess sim(argv, errPath.toStdString());
    Run run;
    while (auto line = sim.readLine(120s)) {
        run.lines.push_back(QJsonDocument::fromJson(QByteArray::fromStdString(*line)).object());
    }
    run.exit = sim.wait();
    QFile err(errPath);
    if (err.open(QIODevice::ReadOnly)) run.err = QString::fromUtf8(err.readAll());
    return run;
}

class KiteSim : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir_.isValid()); }
    QString profile() const { return dir_.filePath(QStringLiteral("profile")); }
    QString errPath() const { return dir_.filePath(QStringLiteral("stderr.txt")); }
    QTemporaryDir dir_;
};

TEST_F(KiteSim, PrintsEachDurableAnswerThenASummaryAndContinuesWhereItStopped) {
    const auto first = runSim({"run", "--profile", profile().toStdString(), "--learners", "4", "--answers", "120",
                               "--seed", "3", "--json"},
                              errPath());
    ASSERT_EQ(first.exit, 0) << first.err.toStdString();
    ASSERT_EQ(first.lines.size(), 121u);
    QSet<QString> learners;
    QSet<QString> ids;
    qint64 lastSeq = 0;
    for (std::size_t i = 0; i < 120; ++i) {
        const QJsonObject& line = first.lines[i];
        ids.insert(line[QStringLiteral("event_id")].toString());
        learners.insert(line[QStringLiteral("learner")].toString());
        const qint64 seq = line[QStringLiteral("seq")].toInteger();
        EXPECT_GT(seq, lastSeq);
        lastSeq = seq;
    }
    EXPECT_EQ(ids.size(), 120) << "every event id is new";
    EXPECT_EQ(learners.size(), 4);
    const QJsonObject summary = first.lines.back()[QStringLiteral("summary")].toObject();
    EXPECT_EQ(summary[QStringLiteral("answers")].toInt(), 120);
    EXPECT_GT(summary[QStringLiteral("answers_per_second")].toDouble(), 0.0);
    EXPECT_GE(summary[QStringLiteral("p99_ms")].toDouble(), summary[QStringLiteral("p50_ms")].toDouble());

    // Again on the same profile: the same learners go on, numbers keep rising.
    const auto second = runSim({"run", "--profile", profile().toStdString(), "--learners", "4", "--answers", "30",
                                "--seed", "3", "--json"},
                               errPath());
    ASSERT_EQ(second.exit, 0) << second.err.toStdString();
    ASSERT_EQ(second.lines.size(), 31u);
    EXPECT_GT(second.lines[0][QStringLiteral("seq")].toInteger(), lastSeq);
    for (std::size_t i = 0; i < 30; ++i)
        EXPECT_TRUE(learners.contains(second.lines[i][QStringLiteral("learner")].toString()));

    auto store = kite::store::Store::open(QDir(profile()).filePath(QStringLiteral("kite.db")));
    ASSERT_TRUE(store.ok());
    EXPECT_EQ((*store)->attemptCount().value(), 150);
    EXPECT_EQ((*store)->learners()->size(), 4);
}

TEST_F(KiteSim, LearnersLearn) {
    const auto run = runSim({"run", "--profile", profile().toStdString(), "--answers", "400", "--seed", "5"}, errPath());
    ASSERT_EQ(run.exit, 0) << run.err.toStdString();
    auto store = kite::store::Store::open(QDir(profile()).filePath(QStringLiteral("kite.db")));
    ASSERT_TRUE(store.ok());
    const auto learner = (*store)->learners()->front();
    const auto mastery = (*store)->mastery(learner.id, QStringLiteral("fractions")).value();
    int mastered = 0;
    for (const auto& m : mastery) mastered += m.p_known >= 0.95 ? 1 : 0;
    EXPECT_GE(mastered, 2) << "after 400 answers a simulated learner has mastered some skills";
}

TEST_F(KiteSim, AMalformedCourseIsRejectedWithFileAndLineAndNothingImported) {
    const QString course = dir_.filePath(QStringLiteral("broken"));
    ASSERT_TRUE(QDir().mkpath(course + QStringLiteral("/items")));
    QFile json(course + QStringLiteral("/course.json"));
    ASSERT_TRUE(json.open(QIODevice::WriteOnly));
    json.write(R"({"format": "kite-course", "format_version": 1, "id": "broken", "title": "Broken",
  "version": 1, "language": "en",
  "skills": [{"id": "a", "name": "A", "prerequisites": ["nope"]}]}
)");
    json.close();
    QFile items(course + QStringLiteral("/items/a.json"));
    ASSERT_TRUE(items.open(QIODevice::WriteOnly));
    items.write("[{\"id\": \"a-1\", \"type\": \"multiple_choice\", \"skills\": [\"a\"],\n  \"prompt\": \"?\", \"choices\": [\"x\", \"y\"]}]\n");
    items.close();

    const auto run = runSim({"run", "--profile", profile().toStdString(), "--course", course.toStdString(), "--answers", "5"},
                            errPath());
    EXPECT_EQ(run.exit, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("course.json:3"))) << run.err.toStdString();
    EXPECT_TRUE(run.err.contains(QStringLiteral("items/a.json:1"))) << run.err.toStdString();
    auto store = kite::store::Store::open(QDir(profile()).filePath(QStringLiteral("kite.db")));
    ASSERT_TRUE(store.ok());
    EXPECT_TRUE((*store)->courses()->isEmpty());
    EXPECT_EQ((*store)->attemptCount().value(), 0);
}

TEST_F(KiteSim, StudiesACoursePackageAsFromAUsbStick) {
    const QString pack = dir_.filePath(QStringLiteral("fractions.kitepack"));
    kite::testing::ChildProcess build({KITE_PACK_BINARY, "build", KITE_SOURCE_DIR "/resources/courses/fractions", "-o",
                                       pack.toStdString()},
                                      errPath().toStdString());
    ASSERT_EQ(build.wait(), 0);
    const auto run = runSim({"run", "--profile", profile().toStdString(), "--course", pack.toStdString(), "--answers",
                             "20", "--json"},
                            errPath());
    ASSERT_EQ(run.exit, 0) << run.err.toStdString();
    EXPECT_EQ(run.lines.size(), 21u);
    auto store = kite::store::Store::open(QDir(profile()).filePath(QStringLiteral("kite.db")));
    ASSERT_TRUE(store.ok());
    ASSERT_EQ((*store)->courses()->size(), 1);
    EXPECT_EQ((*store)->courses()->front().id, QStringLiteral("fractions"));
}

TEST_F(KiteSim, UsageMistakesSayWhat) {
    auto run = runSim({"run", "--profile", profile().toStdString()}, errPath());
    EXPECT_EQ(run.exit, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--answers"))) << run.err.toStdString();
    run = runSim({"run", "--profile", profile().toStdString(), "--answers", "ten"}, errPath());
    EXPECT_EQ(run.exit, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("expected a number"))) << run.err.toStdString();
    run = runSim({"fly"}, errPath());
    EXPECT_EQ(run.exit, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("unknown command"))) << run.err.toStdString();
}

}  // namespace
