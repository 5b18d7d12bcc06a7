// Crash safety: kite-sim records answers and is killed with SIGKILL at random
// moments, again and again, on one profile. After every kill the database
// must open, pass PRAGMA integrity_check, hold every answer kite-sim reported
// durable together with its outbox event, and hold no attempt without one.

#include <gtest/gtest.h>

#include <QSet>
#include <QTemporaryDir>

#include <random>
#include <string>

#include "../support/child_process.h"
#include "kite/store.h"
#include "sqlite.h"

namespace {

using namespace std::chrono_literals;

// {"event_id": "…", "learner": "…", "seq": N} -> the event id.
QString eventIdOf(const std::string& line) {
    const std::string key = "\"event_id\": \"";
    const auto at = line.find(key);
    if (at == std::string::npos) return {};
    const auto start = at + key.size();
    return QString::fromStdString(line.substr(start, line.find('"', start) - start));
}

std::int64_t count(kite::sqlite::Database& db, const char* sql) {
    auto n = db.scalar(sql);
    EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message);
    return n.ok() ? n.value() : -1;
}

TEST(CrashSafety, KilledAtRandomMomentsLosesNoDurableAnswer) {
    QTemporaryDir profile;
    ASSERT_TRUE(profile.isValid());
    const QString dbPath = profile.filePath(QStringLiteral("kite.db"));
    const std::string stderrPath = profile.filePath(QStringLiteral("stderr.txt")).toStdString();
    std::mt19937 rng(20261124);
    QSet<QString> durable;
    constexpr int kKills = 200;
    for (int round = 0; round < kKills; ++round) {
        SCOPED_TRACE("kill " + std::to_string(round + 1));
        kite::testing::ChildProcess sim({KITE_SIM_BINARY, "run", "--profile", profile.path().toStdString(),
                                         "--learners", "3", "--answers", "100000000", "--seed", "7", "--json"},
                                        stderrPath);
        ASSERT_TRUE(sim.started());
        // The moment: after 0 to 30 answers were reported durable, so the kill
        // lands anywhere from start-up to the middle of a later transaction.
        const int lines = static_cast<int>(rng() % 31);
        for (int i = 0; i < lines; ++i) {
            auto line = sim.readLine(60s);
            ASSERT_TRUE(line.has_value()) << "kite-sim stopped answering";
            const QString id = eventIdOf(*line);
            ASSERT_FALSE(id.isEmpty()) << *line;
            durable.insert(id);
        }
        sim.kill(SIGKILL);
        // Whatever was already on its way is durable too, if it was printed.
        while (auto line = sim.readLine(10s)) {
            if (const QString id = eventIdOf(*line); !id.isEmpty()) durable.insert(id);
        }
        ASSERT_EQ(sim.wait(), 128 + SIGKILL);

        auto store = kite::store::Store::open(dbPath);
        ASSERT_TRUE(store.ok()) << store.error().message;
        ASSERT_TRUE((*store)->notice().isEmpty()) << (*store)->notice().toStdString();
        auto& db = (*store)->database();
        auto check = db.prepare("PRAGMA integrity_check");
        ASSERT_TRUE(check.ok());
        ASSERT_TRUE(check->step());
        ASSERT_EQ(check->text(0).toStdString(), "ok");
        ASSERT_EQ(count(db, "SELECT count(*) FROM attempts a LEFT JOIN outbox o ON o.id = a.event WHERE o.id IS NULL"),
                  0)
            << "an attempt without its outbox event";
        ASSERT_EQ(count(db, "SELECT count(*) FROM outbox o LEFT JOIN attempts a ON a.event = o.id "
                            "WHERE o.kind = 'attempt' AND a.id IS NULL"),
                  0)
            << "an attempt event without its attempt";
        ASSERT_GE(count(db, "SELECT count(*) FROM attempts"), durable.size());
    }

    // Every answer ever reported durable is there, with its event.
    auto store = kite::store::Store::open(dbPath);
    ASSERT_TRUE(store.ok());
    auto q = (*store)->database().prepare(
        "SELECT count(*) FROM attempts a JOIN outbox o ON o.id = a.event WHERE a.event = ?");
    ASSERT_TRUE(q.ok());
    int missing = 0;
    for (const QString& id : durable) {
        q->bind(1, id);
        if (!q->step() || q->int64(0) != 1) ++missing;
        q->reset();
    }
    EXPECT_EQ(missing, 0) << "of " << durable.size() << " answers reported durable";
    EXPECT_GT(durable.size(), 1000) << "the kills did let answers through";
}

}  // namespace
