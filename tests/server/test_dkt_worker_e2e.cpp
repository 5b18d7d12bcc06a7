// DKT in the mastery worker on the real kite-server: once a school has an
// active DKT model, new answers bring "dkt" mastery changes beside the BKT
// ones, and a kill -9 mid-way applies no answer twice.

#include <csignal>
#include <functional>
#include <map>
#include <random>

#include "../support/server_fixture.h"

namespace {

using namespace kite::testing;

const QString kCourse = QStringLiteral("fractions");
const QStringList kSkills = {QStringLiteral("parts"), QStringLiteral("compare"), QStringLiteral("add")};

QString learnerId(int l) {
    return uuidFor(QStringLiteral("learner %1").arg(l), 0);
}

// One push of `n` answers of learner `l` with device sequences from
// `firstSeq`, right or wrong at random; `salt` names the event ids.
QByteArray answers(int l, std::int64_t firstSeq, int n, const QString& salt, std::mt19937& rng) {
    kite::wire::PushRequest push;
    for (int i = 0; i < n; ++i) {
        const std::int64_t seq = firstSeq + i;
        const int s = static_cast<int>(rng() % 3);
        const bool correct = rng() % 3 != 0;
        push.events.push_back(attemptEvent({.seq = seq,
                                            .id = uuidFor(salt, seq),
                                            .learner = learnerId(l),
                                            .skill = kSkills[s],
                                            .item = QStringLiteral("%1-%2").arg(kSkills[s]).arg(i % 5),
                                            .correct = correct,
                                            .answered_at = 1'795'000'000'000 + seq * 1000,
                                            .duration_ms = 9000,
                                            .shown_mastery = 0.5,
                                            .course = kCourse}));
    }
    return QJsonDocument(kite::wire::toJson(push)).toJson(QJsonDocument::Compact);
}

class DktWorkerE2E : public ServerFixture {
protected:
    static constexpr int kLearners = 12;
    static constexpr int kHistory = 40;  // answers per learner before the model

    static std::vector<std::string> smallDkt() {
        // No rate limit: the kiosk pushes as fast as it can (the limit has its
        // own tests in test_ops_e2e).
        return {"--dkt-min-answers", "200", "--dkt-min-learners", "10", "--dkt-hidden", "16", "--dkt-max-epochs", "10",
                "--rate-per-second", "0"};
    }
    void restart(int signal) {
        server_->kill(signal);
        server_->wait();
        startServer(smallDkt());
    }
    static void pause(int ms) {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        loop.exec();
    }
    // Every learner's history through a first device, then a trained, active
    // DKT model.
    void trainModel() {
        const QString kiosk = enroll(school_, "kiosk");
        std::mt19937 rng(7);
        for (int l = 0; l < kLearners; ++l) {
            const auto r = call("POST", QStringLiteral("/v1/sync/push"),
                                answers(l, 1 + l * kHistory, kHistory, QStringLiteral("history"), rng), kiosk);
            ASSERT_EQ(r.status, 202) << r.raw.toStdString();
        }
        const auto queued = call("POST", QStringLiteral("/v1/jobs"), R"({"kind": "dkt_retrain"})", adminToken(school_));
        ASSERT_EQ(queued.status, 202) << queued.raw.toStdString();
        const QString id = queued.body[QStringLiteral("id")].toString();
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        QJsonObject job;
        while (std::chrono::steady_clock::now() < deadline) {
            job = call("GET", QStringLiteral("/v1/jobs/") + id, {}, adminToken(school_)).body;
            const QString state = job[QStringLiteral("state")].toString();
            if (state == QLatin1String("done") || state == QLatin1String("dead")) break;
            pause(50);
        }
        ASSERT_EQ(job[QStringLiteral("state")].toString(), QStringLiteral("done"))
            << QJsonDocument(job).toJson().toStdString();
        ASSERT_TRUE(job[QStringLiteral("result")].toObject()[QStringLiteral("active")].toBool())
            << QJsonDocument(job).toJson().toStdString();
    }
    // Pulls every change after `cursor` the device may see; moves the cursor.
    QJsonArray pullAll(const QString& device, QString& cursor) {
        QJsonArray all;
        for (;;) {
            const auto r = call("GET", QStringLiteral("/v1/sync/pull?cursor=") + cursor, {}, device);
            EXPECT_EQ(r.status, 200) << r.raw.toStdString();
            if (r.status != 200) return all;
            for (const QJsonValue& c : r.body[QStringLiteral("changes")].toArray()) all.append(c);
            cursor = r.body[QStringLiteral("cursor")].toString();
            if (!r.body[QStringLiteral("more")].toBool()) return all;
        }
    }
    // The latest of the mastery changes per (learner, model) that cover the
    // device's highest sequence (BKT rows are per skill: the last answer's),
    // pulling until `done` holds of them or the deadline passes.
    using Latest = std::map<std::pair<QString, QString>, QJsonObject>;
    Latest pullUntil(const QString& device, const std::function<bool(const Latest&)>& done,
                     std::chrono::seconds limit = 30s) {
        Latest latest;
        QString cursor;
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            for (const QJsonValue& v : pullAll(device, cursor)) {
                const QJsonObject c = v.toObject();
                if (c[QStringLiteral("kind")].toString() != QLatin1String("mastery")) continue;
                QJsonObject& kept =
                    latest[{c[QStringLiteral("learner")].toString(), c[QStringLiteral("model")].toString()}];
                if (c[QStringLiteral("covers_seq")].toInteger() >= kept[QStringLiteral("covers_seq")].toInteger())
                    kept = c;
            }
            if (done(latest)) return latest;
            pause(50);
        }
        ADD_FAILURE() << "the mastery changes did not arrive in time";
        return latest;
    }
};

TEST_F(DktWorkerE2E, BelowTheThresholdMasteryIsBktOnly) {
    const QString tablet = enroll(school_, "tablet");
    std::mt19937 rng(3);
    ASSERT_EQ(
        call("POST", QStringLiteral("/v1/sync/push"), answers(0, 1, 5, QStringLiteral("few"), rng), tablet).status,
        202);
    const Latest latest = pullUntil(tablet, [](const Latest& l) {
        return l.count({learnerId(0), QStringLiteral("bkt")}) > 0;
    });
    const QJsonObject bkt = latest.at({learnerId(0), QStringLiteral("bkt")});
    EXPECT_EQ(bkt[QStringLiteral("covers_seq")].toInteger(), 5);
    EXPECT_TRUE(bkt.contains(QStringLiteral("p_known")));
    EXPECT_EQ(latest.count({learnerId(0), QStringLiteral("dkt")}), 0u) << "no model yet: BKT alone";
}

TEST_F(DktWorkerE2E, NewAnswersBringDktMasteryBesideBktAndAKillAppliesNoAnswerTwice) {
    restart(SIGTERM);
    trainModel();
    if (HasFatalFailure()) return;

    // A second device answers for learner 0, whose history the worker has
    // not stepped through yet: it is replayed, then each new answer is one
    // step. The worker looks the model up about once a second, so answers
    // go out one at a time until a DKT estimate covers one.
    const QString tablet = enroll(school_, "tablet");
    std::mt19937 rng(11);
    std::int64_t seq = 0;
    QJsonObject dkt;
    QJsonObject bkt;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (dkt.isEmpty() && std::chrono::steady_clock::now() < deadline) {
        ++seq;
        ASSERT_EQ(
            call("POST", QStringLiteral("/v1/sync/push"), answers(0, seq, 1, QStringLiteral("tablet"), rng), tablet)
                .status,
            202);
        const Latest latest = pullUntil(tablet, [&](const Latest& l) {
            const auto b = l.find({learnerId(0), QStringLiteral("bkt")});
            return b != l.end() && b->second[QStringLiteral("covers_seq")].toInteger() == seq;
        });
        bkt = latest.at({learnerId(0), QStringLiteral("bkt")});
        if (const auto d = latest.find({learnerId(0), QStringLiteral("dkt")}); d != latest.end()) dkt = d->second;
    }
    ASSERT_FALSE(dkt.isEmpty()) << "no DKT mastery change arrived";
    EXPECT_EQ(dkt[QStringLiteral("course")].toString(), kCourse);
    EXPECT_TRUE(kSkills.contains(dkt[QStringLiteral("skill")].toString()));
    const double p = dkt[QStringLiteral("p_correct")].toDouble(-1);
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
    EXPECT_FALSE(dkt.contains(QStringLiteral("p_known")));
    EXPECT_EQ(dkt[QStringLiteral("covers_seq")].toInteger(), seq) << "the tablet's own sequence";
    EXPECT_EQ(dkt[QStringLiteral("attempts")].toInt(), kHistory + seq) << "the history replayed, then each answer once";
    EXPECT_EQ(bkt[QStringLiteral("model")].toString(), QStringLiteral("bkt"));
    EXPECT_TRUE(bkt.contains(QStringLiteral("p_known")));

    // Many answers for every learner, and kill -9 as soon as the last push is
    // acknowledged, while the worker is at it.
    std::map<int, std::int64_t> lastSeq;  // learner -> the tablet's last sequence for them
    std::map<int, int> total;             // learner -> all their answers
    for (int l = 0; l < kLearners; ++l) total[l] = kHistory;
    total[0] += static_cast<int>(seq);
    lastSeq[0] = seq;
    for (int round = 0; round < 4; ++round)
        for (int l = 0; l < kLearners; ++l) {
            const auto r = call("POST", QStringLiteral("/v1/sync/push"),
                                answers(l, seq + 1, 10, QStringLiteral("tablet"), rng), tablet);
            ASSERT_EQ(r.status, 202) << r.raw.toStdString();
            seq += 10;
            lastSeq[l] = seq;
            total[l] += 10;
        }
    // The lag of both models is measured.
    const auto metrics = call("GET", QStringLiteral("/metrics"));
    ASSERT_EQ(metrics.status, 200);
    EXPECT_TRUE(metrics.raw.contains("kite_mastery_lag_seconds_count{model=\"dkt\"}")) << metrics.raw.toStdString();
    EXPECT_TRUE(metrics.raw.contains("kite_mastery_lag_seconds_count{model=\"bkt\"}"));
    restart(SIGKILL);

    // After the restart every learner's DKT estimate covers all their
    // answers, each applied once.
    const Latest latest = pullUntil(tablet, [&](const Latest& l) {
        for (const auto& [learner, last] : lastSeq) {
            const auto d = l.find({learnerId(learner), QStringLiteral("dkt")});
            if (d == l.end() || d->second[QStringLiteral("covers_seq")].toInteger() < last) return false;
        }
        return true;
    });
    for (const auto& [learner, last] : lastSeq) {
        const QJsonObject d = latest.at({learnerId(learner), QStringLiteral("dkt")});
        EXPECT_EQ(d[QStringLiteral("covers_seq")].toInteger(), last) << "learner " << learner;
        EXPECT_EQ(d[QStringLiteral("attempts")].toInt(), total[learner]) << "learner " << learner;
        const QJsonObject b = latest.at({learnerId(learner), QStringLiteral("bkt")});
        EXPECT_EQ(b[QStringLiteral("covers_seq")].toInteger(), last) << "learner " << learner;
    }
}

}  // namespace
