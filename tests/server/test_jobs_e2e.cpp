// Batch jobs and model versions on the real kite-server: refits and
// retrainings on demand and on schedule, their progress, cancelling, the
// parameters devices pull, and `model list` / `model rollback`.

#include <QFile>
#include <cmath>
#include <functional>
#include <random>

#include "../support/server_fixture.h"
#include "kite/bkt.h"

namespace {

using namespace kite::testing;

const QString kCourse = QStringLiteral("fractions");
const QStringList kSkills = {QStringLiteral("parts"), QStringLiteral("compare"), QStringLiteral("add")};

// Answers of `learners` learners, `each` answers apiece on kSkills, right or
// wrong as a hidden BKT student would answer: a realistic stream to fit.
// Pushes go out 250 events at a time; the device's sequences start at
// `firstSeq`.
class AnswerStream {
public:
    AnswerStream(int learners, int each, std::uint32_t seed) : learners_(learners), each_(each), rng_(seed) {}

    QList<QByteArray> pushes(std::int64_t firstSeq) {
        // Hidden truth per skill: (prior, learn, guess, slip).
        const double truth[3][4] = {{0.2, 0.15, 0.2, 0.1}, {0.4, 0.1, 0.25, 0.05}, {0.1, 0.25, 0.15, 0.1}};
        std::uniform_real_distribution<double> u(0.0, 1.0);
        QList<kite::wire::PushEvent> events;
        std::int64_t seq = firstSeq;
        for (int l = 0; l < learners_; ++l) {
            bool known[3];
            for (int s = 0; s < 3; ++s) known[s] = u(rng_) < truth[s][0];
            for (int i = 0; i < each_; ++i, ++seq) {
                const int s = static_cast<int>(rng_() % 3);
                const bool correct = known[s] ? u(rng_) >= truth[s][3] : u(rng_) < truth[s][2];
                if (!known[s] && u(rng_) < truth[s][1]) known[s] = true;
                events.push_back(attemptEvent({.seq = seq,
                                               .id = uuidFor(QStringLiteral("stream"), seq),
                                               .learner = uuidFor(QStringLiteral("learner %1").arg(l), 0),
                                               .skill = kSkills[s],
                                               .item = QStringLiteral("%1-%2").arg(kSkills[s]).arg(i % 5),
                                               .correct = correct,
                                               .answered_at = 1'795'000'000'000 + seq * 1000,
                                               .duration_ms = 9000,
                                               .shown_mastery = 0.5,
                                               .course = kCourse}));
            }
        }
        QList<QByteArray> out;
        for (qsizetype i = 0; i < events.size(); i += 250) {
            kite::wire::PushRequest push;
            for (qsizetype j = i; j < std::min(events.size(), i + 250); ++j) push.events.push_back(events[j]);
            out.push_back(QJsonDocument(kite::wire::toJson(push)).toJson(QJsonDocument::Compact));
        }
        return out;
    }

private:
    int learners_;
    int each_;
    std::mt19937 rng_;
};

class JobsE2E : public ServerFixture {
protected:
    void restartWith(const std::vector<std::string>& flags) {
        server_->kill(SIGTERM);
        server_->wait();
        startServer(flags);
    }
    // Pushes `learners` x `each` answers through a new device; returns its token.
    QString pushAnswers(int learners, int each, std::uint32_t seed = 7) {
        const QString device = enroll(school_, "kiosk");
        for (const QByteArray& body : AnswerStream(learners, each, seed).pushes(1)) {
            const auto r = call("POST", QStringLiteral("/v1/sync/push"), body, device);
            EXPECT_EQ(r.status, 202) << r.raw.toStdString();
        }
        return device;
    }
    Response submit(const char* kind, const QString& token) {
        return call("POST", QStringLiteral("/v1/jobs"), QByteArray("{\"kind\": \"") + kind + "\"}", token);
    }
    Response job(const QString& id, const QString& token) {
        return call("GET", QStringLiteral("/v1/jobs/") + id, {}, token);
    }
    // Looks at the job every 50 ms until `until` holds or the deadline
    // passes; returns the last look. Every progress value seen goes to
    // `progress` if given.
    QJsonObject waitForJob(const QString& id, const std::function<bool(const QJsonObject&)>& until,
                           std::chrono::seconds limit = 30s, QList<double>* progress = nullptr) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        QJsonObject last;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto r = job(id, adminToken(school_));
            EXPECT_EQ(r.status, 200);
            last = r.body;
            if (progress) progress->push_back(last[QStringLiteral("progress")].toDouble());
            if (until(last)) return last;
            QEventLoop pause;
            QTimer::singleShot(50, &pause, &QEventLoop::quit);
            pause.exec();
        }
        ADD_FAILURE() << "job " << id.toStdString()
                      << " did not get there in time; last: " << QJsonDocument(last).toJson().toStdString();
        return last;
    }
    static bool finished(const QJsonObject& j) {
        const QString s = j[QStringLiteral("state")].toString();
        return s == QLatin1String("done") || s == QLatin1String("cancelled") || s == QLatin1String("dead");
    }
    // Pulls every change the device may see.
    QJsonArray pullAll(const QString& device) {
        QJsonArray all;
        QString cursor;
        for (;;) {
            const auto r = call("GET", QStringLiteral("/v1/sync/pull?cursor=") + cursor, {}, device);
            EXPECT_EQ(r.status, 200);
            for (const QJsonValue& c : r.body[QStringLiteral("changes")].toArray()) all.append(c);
            cursor = r.body[QStringLiteral("cursor")].toString();
            if (!r.body[QStringLiteral("more")].toBool()) return all;
        }
    }
    QJsonObject modelList() {
        return runJson({"model", "list", "--data", data_, "--json"}, dir_.path().toStdString(), "model-list");
    }
    static std::vector<std::string> smallDkt() {
        return {"--dkt-min-answers", "200", "--dkt-min-learners", "10", "--dkt-hidden", "16", "--dkt-max-epochs", "20"};
    }
};

TEST_F(JobsE2E, RefitOnDemandReportsProgressAndDevicesPullTheFittedParameters) {
    const QString device = pushAnswers(24, 50);
    const auto queued = submit("bkt_refit", adminToken(school_));
    ASSERT_EQ(queued.status, 202) << queued.raw.toStdString();
    EXPECT_EQ(queued.body[QStringLiteral("kind")].toString(), QStringLiteral("bkt_refit"));
    const QString id = queued.body[QStringLiteral("id")].toString();
    ASSERT_FALSE(id.isEmpty());

    QList<double> progress;
    const QJsonObject done = waitForJob(id, finished, 30s, &progress);
    ASSERT_EQ(done[QStringLiteral("state")].toString(), QStringLiteral("done"))
        << done[QStringLiteral("error")].toString().toStdString();
    EXPECT_DOUBLE_EQ(done[QStringLiteral("progress")].toDouble(), 1.0);
    EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end())) << "progress only moves forward";
    EXPECT_TRUE(done[QStringLiteral("message")].toString().startsWith(QStringLiteral("fitted 3 skills")))
        << done[QStringLiteral("message")].toString().toStdString();
    EXPECT_FALSE(done[QStringLiteral("started_at")].isNull());
    EXPECT_FALSE(done[QStringLiteral("finished_at")].isNull());
    const QJsonObject result = done[QStringLiteral("result")].toObject();
    EXPECT_EQ(result[QStringLiteral("skills")].toInt(), 3);
    EXPECT_EQ(result[QStringLiteral("answers")].toInt(), 24 * 50);

    // The device pulls one bkt_params change per skill, in the protocol's shape.
    QJsonObject skills;
    for (const QJsonValue& c : pullAll(device)) {
        if (c.toObject()[QStringLiteral("kind")] != QStringLiteral("bkt_params")) continue;
        const auto parsed = kite::wire::parsePullChange(c.toObject());
        ASSERT_TRUE(parsed) << parsed.error().message.toStdString();
        const auto& p = std::get<kite::wire::BktParamsChange>(*parsed);
        EXPECT_EQ(p.course, kCourse);
        EXPECT_EQ(c[QStringLiteral("version")].toInt(), result[QStringLiteral("version")].toInt());
        skills.insert(p.skill, c.toObject());
    }
    ASSERT_EQ(skills.size(), 3) << "a bkt_params change for each fitted skill";
    for (const QString& skill : kSkills) {
        const QJsonObject p = skills[skill].toObject();
        for (const char* name : {"prior", "learn", "guess", "slip", "forget"}) {
            const double v = p[QLatin1String(name)].toDouble(-1);
            EXPECT_TRUE(v >= 0.0 && v <= 1.0) << skill.toStdString() << "." << name << " = " << v;
        }
        EXPECT_LE(p[QStringLiteral("guess")].toDouble(), 0.3);
    }

    // The server's own mastery now uses the fitted parameters: a new
    // learner's first right answer on "parts" moves from the fitted prior.
    const QJsonObject parts = skills[QStringLiteral("parts")].toObject();
    const kite::bkt::Params fitted{parts[QStringLiteral("prior")].toDouble(), parts[QStringLiteral("learn")].toDouble(),
                                   parts[QStringLiteral("forget")].toDouble(),
                                   parts[QStringLiteral("guess")].toDouble(), parts[QStringLiteral("slip")].toDouble()};
    const double expected = kite::bkt::observe(fitted.prior, kite::Outcome::kCorrect, fitted).next;
    ASSERT_EQ(call("POST", QStringLiteral("/v1/sync/push"),
                   pushBody(QStringLiteral("newcomer"), 100000, 1, QStringLiteral("n")), device)
                  .status,
              202);
    const QString newcomer = uuidFor(QStringLiteral("newcomer"), 0);
    QJsonObject mastery;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (mastery.isEmpty() && std::chrono::steady_clock::now() < deadline)
        for (const QJsonValue& c : pullAll(device))
            if (c.toObject()[QStringLiteral("kind")] == QStringLiteral("mastery") &&
                c.toObject()[QStringLiteral("learner")] == newcomer)
                mastery = c.toObject();
    ASSERT_FALSE(mastery.isEmpty());
    EXPECT_NEAR(mastery[QStringLiteral("p_known")].toDouble(), expected, 1e-9);
}

TEST_F(JobsE2E, RetrainBelowTheThresholdIsSkippedSayingWhy) {
    pushAnswers(3, 10);
    const auto queued = submit("dkt_retrain", adminToken(school_));
    ASSERT_EQ(queued.status, 202);
    const QJsonObject done = waitForJob(queued.body[QStringLiteral("id")].toString(), finished);
    EXPECT_EQ(done[QStringLiteral("state")].toString(), QStringLiteral("done"));
    EXPECT_EQ(done[QStringLiteral("message")].toString(),
              QStringLiteral("skipped: not enough answers (have 30, need 2000)"));
    EXPECT_TRUE(done[QStringLiteral("result")].toObject()[QStringLiteral("skipped")].toBool());
    EXPECT_TRUE(modelList()[QStringLiteral("models")].toArray().isEmpty());
    EXPECT_EQ(stats()[QStringLiteral("model_version")].toString(), QString());
}

TEST_F(JobsE2E, RetrainActivatesAVersionThatModelListShowsAndRollbackSwitchesBack) {
    restartWith(smallDkt());
    pushAnswers(60, 60);
    const auto first = submit("dkt_retrain", adminToken(school_));
    ASSERT_EQ(first.status, 202);
    const QJsonObject one = waitForJob(first.body[QStringLiteral("id")].toString(), finished);
    ASSERT_EQ(one[QStringLiteral("state")].toString(), QStringLiteral("done"))
        << one[QStringLiteral("error")].toString().toStdString();
    const QJsonObject r1 = one[QStringLiteral("result")].toObject();
    EXPECT_EQ(r1[QStringLiteral("version")].toInt(), 1);
    EXPECT_TRUE(r1[QStringLiteral("active")].toBool());
    EXPECT_GT(r1[QStringLiteral("valid_auc")].toDouble(), 0.5) << "the hidden BKT students are predictable";
    EXPECT_EQ(stats()[QStringLiteral("model_version")].toString(), QStringLiteral("1"));

    QJsonArray models = modelList()[QStringLiteral("models")].toArray();
    ASSERT_EQ(models.size(), 1);
    QJsonObject m = models[0].toObject();
    EXPECT_EQ(m[QStringLiteral("version")].toInt(), 1);
    EXPECT_TRUE(m[QStringLiteral("active")].toBool());
    EXPECT_EQ(m[QStringLiteral("school")], school_[QStringLiteral("school_id")]);
    EXPECT_TRUE(QFile::exists(m[QStringLiteral("path")].toString())) << "the model file is in the data folder";

    // Again on the same answers: version 2 becomes active only if its
    // validation AUC is not worse than version 1's, and says why.
    const auto second = submit("dkt_retrain", adminToken(school_));
    ASSERT_EQ(second.status, 202);
    const QJsonObject two = waitForJob(second.body[QStringLiteral("id")].toString(), finished);
    ASSERT_EQ(two[QStringLiteral("state")].toString(), QStringLiteral("done"));
    const QJsonObject r2 = two[QStringLiteral("result")].toObject();
    EXPECT_EQ(r2[QStringLiteral("version")].toInt(), 2);
    EXPECT_EQ(r2[QStringLiteral("previous_version")].toInt(), 1);
    const bool notWorse = r2[QStringLiteral("valid_auc")].toDouble() >= r1[QStringLiteral("valid_auc")].toDouble();
    EXPECT_EQ(r2[QStringLiteral("active")].toBool(), notWorse);
    EXPECT_TRUE(r2[QStringLiteral("reason")].toString().contains(notWorse ? QStringLiteral("not worse")
                                                                          : QStringLiteral("worse")))
        << r2[QStringLiteral("reason")].toString().toStdString();
    const QString activeNow = notWorse ? QStringLiteral("2") : QStringLiteral("1");
    EXPECT_EQ(stats()[QStringLiteral("model_version")].toString(), activeNow);

    // Roll back to the other kept version, and to one that does not exist.
    const std::string other = notWorse ? "1" : "2";
    const auto rolled = runProgram({KITE_SERVER_BINARY, "model", "rollback", other, "--data", data_, "--school",
                                    school_[QStringLiteral("school_id")].toString().toStdString()},
                                   dir_.path().toStdString(), "rollback");
    EXPECT_EQ(rolled.exit, 0) << rolled.err;
    EXPECT_EQ(stats()[QStringLiteral("model_version")].toString(), QString::fromStdString(other));
    models = modelList()[QStringLiteral("models")].toArray();
    ASSERT_EQ(models.size(), 2);
    for (const QJsonValue& v : models)
        EXPECT_EQ(v.toObject()[QStringLiteral("active")].toBool(),
                  QString::number(v.toObject()[QStringLiteral("version")].toInt()) == QString::fromStdString(other));
    const auto unknown = runProgram({KITE_SERVER_BINARY, "model", "rollback", "99", "--data", data_, "--school",
                                     school_[QStringLiteral("school_id")].toString().toStdString()},
                                    dir_.path().toStdString(), "rollback-unknown");
    EXPECT_EQ(unknown.exit, 2);
    EXPECT_TRUE(contains(unknown.err, "no model version 99")) << unknown.err;
    // Two schools on this server: without --school, rollback asks for one.
    const auto ambiguous = runProgram({KITE_SERVER_BINARY, "model", "rollback", "1", "--data", data_},
                                      dir_.path().toStdString(), "rollback-ambiguous");
    EXPECT_EQ(ambiguous.exit, 2);
    EXPECT_TRUE(contains(ambiguous.err, "--school")) << ambiguous.err;
}

TEST_F(JobsE2E, JobsCanBeCancelledQueuedOrRunningAndOneRetrainingRunsAtATime) {
    // A retraining that would run for long: many epochs, no early stop.
    restartWith({"--dkt-min-answers", "200", "--dkt-min-learners", "10", "--dkt-hidden", "128", "--dkt-max-epochs",
                 "1000", "--dkt-patience", "1000"});
    const QString device = pushAnswers(24, 50);
    const QString admin = adminToken(school_);
    const auto retrain = submit("dkt_retrain", admin);
    ASSERT_EQ(retrain.status, 202);
    const QString retrainId = retrain.body[QStringLiteral("id")].toString();
    waitForJob(retrainId, [](const QJsonObject& j) { return j[QStringLiteral("progress")].toDouble() > 0.05; });

    // A second retraining while one runs is that one.
    const auto again = submit("dkt_retrain", admin);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body[QStringLiteral("id")].toString(), retrainId);

    // A refit queued behind it can be cancelled before it runs.
    const auto refit = submit("bkt_refit", admin);
    ASSERT_EQ(refit.status, 202);
    EXPECT_EQ(refit.body[QStringLiteral("state")].toString(), QStringLiteral("queued"));
    const QString refitId = refit.body[QStringLiteral("id")].toString();
    const auto cancelled = call("POST", QStringLiteral("/v1/jobs/%1/cancel").arg(refitId), {}, admin);
    ASSERT_EQ(cancelled.status, 200);
    EXPECT_EQ(cancelled.body[QStringLiteral("state")].toString(), QStringLiteral("cancelled"));
    EXPECT_EQ(call("POST", QStringLiteral("/v1/jobs/%1/cancel").arg(refitId), {}, admin).status, 409);
    const auto listed = call("GET", QStringLiteral("/v1/jobs?state=cancelled"), {}, admin);
    ASSERT_EQ(listed.status, 200);
    ASSERT_EQ(listed.body[QStringLiteral("jobs")].toArray().size(), 1);
    EXPECT_EQ(listed.body[QStringLiteral("jobs")].toArray()[0].toObject()[QStringLiteral("id")].toString(), refitId);

    // While the retraining runs, a learner's mastery update still comes within seconds.
    const auto pushed = std::chrono::steady_clock::now();
    ASSERT_EQ(call("POST", QStringLiteral("/v1/sync/push"),
                   pushBody(QStringLiteral("during"), 100000, 1, QStringLiteral("d")), device)
                  .status,
              202);
    const QString learner = uuidFor(QStringLiteral("during"), 0);
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() < pushed + 10s)
        for (const QJsonValue& c : pullAll(device)) seen = seen || c.toObject()[QStringLiteral("learner")] == learner;
    EXPECT_TRUE(seen);
    EXPECT_LT(std::chrono::steady_clock::now() - pushed, 5s) << "a retraining delayed a mastery update";
    EXPECT_EQ(job(retrainId, admin).body[QStringLiteral("state")].toString(), QStringLiteral("running"));

    // The running retraining stops between steps when cancelled.
    const auto stopping = call("POST", QStringLiteral("/v1/jobs/%1/cancel").arg(retrainId), {}, admin);
    ASSERT_EQ(stopping.status, 200);
    EXPECT_TRUE(stopping.body[QStringLiteral("cancel_requested")].toBool());
    const QJsonObject stopped = waitForJob(retrainId, finished, 20s);
    EXPECT_EQ(stopped[QStringLiteral("state")].toString(), QStringLiteral("cancelled"));
    EXPECT_TRUE(modelList()[QStringLiteral("models")].toArray().isEmpty()) << "a cancelled retraining adds no version";
}

TEST_F(JobsE2E, EnoughNewAnswersQueueARefitOnTheirOwn) {
    restartWith({"--retrain-every", "100", "--job-check-seconds", "1"});
    pushAnswers(6, 25);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    QJsonArray jobs;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto r = call("GET", QStringLiteral("/v1/jobs?state=done"), {}, adminToken(school_));
        ASSERT_EQ(r.status, 200);
        jobs = r.body[QStringLiteral("jobs")].toArray();
        if (jobs.size() == 2) break;
        QEventLoop pause;
        QTimer::singleShot(100, &pause, &QEventLoop::quit);
        pause.exec();
    }
    ASSERT_EQ(jobs.size(), 2) << "a refit and a retraining were queued and ran";
    QStringList kinds;
    for (const QJsonValue& j : jobs) kinds << j.toObject()[QStringLiteral("kind")].toString();
    kinds.sort();
    EXPECT_EQ(kinds, QStringList({QStringLiteral("bkt_refit"), QStringLiteral("dkt_retrain")}));
}

TEST_F(JobsE2E, AnotherSchoolsJobIsNotFoundAndMistakesNameTheField) {
    const QString admin = adminToken(school_);
    const auto queued = submit("bkt_refit", admin);
    ASSERT_EQ(queued.status, 202);
    const QString id = queued.body[QStringLiteral("id")].toString();
    const QString valley = adminToken(other_);
    EXPECT_EQ(job(id, valley).status, 404);
    EXPECT_EQ(call("POST", QStringLiteral("/v1/jobs/%1/cancel").arg(id), {}, valley).status, 404);
    EXPECT_TRUE(call("GET", QStringLiteral("/v1/jobs"), {}, valley).body[QStringLiteral("jobs")].toArray().isEmpty());

    using Case = kite::testing::RequestCase;
    const QString device = enroll(school_, "kiosk");
    const std::vector<Case> cases = {
        {"POST", QStringLiteral("/v1/jobs"), R"({"kind": "bkt_refitt"})", admin, 400, QStringLiteral("kind")},
        {"POST", QStringLiteral("/v1/jobs"), R"({"kind": 3})", admin, 400, QStringLiteral("kind")},
        {"POST", QStringLiteral("/v1/jobs"), R"({})", admin, 400, QStringLiteral("kind")},
        {"POST", QStringLiteral("/v1/jobs"), "not json", admin, 400, {}},
        {"POST", QStringLiteral("/v1/jobs"), R"({"kind": "bkt_refit"})", device, 403, {}},
        {"POST", QStringLiteral("/v1/jobs"), R"({"kind": "bkt_refit"})", {}, 401, {}},
        {"GET", QStringLiteral("/v1/jobs?state=sleeping"), {}, admin, 400, QStringLiteral("state")},
        {"GET", QStringLiteral("/v1/jobs?limit=0"), {}, admin, 400, QStringLiteral("limit")},
        {"GET", QStringLiteral("/v1/jobs/no-such-job"), {}, admin, 404, QStringLiteral("id")},
        {"DELETE", QStringLiteral("/v1/jobs/") + id, {}, admin, 405, {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.method.toStdString() + " " + c.path.toStdString() + " " + c.body.toStdString());
        const auto r = call(c.method, c.path, c.body, c.token);
        EXPECT_EQ(r.status, c.status) << r.raw.toStdString();
        EXPECT_FALSE(r.body[QStringLiteral("message")].toString().isEmpty());
        if (!c.field.isEmpty()) {
            EXPECT_EQ(r.body[QStringLiteral("field")].toString(), c.field);
        }
    }
    EXPECT_TRUE(call("POST", QStringLiteral("/v1/jobs"), R"({"kind": "bkt_refitt"})", admin)
                    .body[QStringLiteral("message")]
                    .toString()
                    .contains(QStringLiteral("bkt_refit, dkt_retrain")));
}

}  // namespace
