// Benchmarks of the device's store (issue 4), on real SQLite files in a
// temporary folder:
//
//   BM_RecordAnswer              one answer made durable: attempt + mastery +
//                                outbox event in one transaction (fsync'd WAL)
//   BM_ReplayAttempts/N          mastery rebuilt by replaying N attempts
//   BM_OpenStore/N/full          opening a store that holds N attempts: after
//                                a clean shutdown (0), and with the full
//                                integrity check run after an unclean one (1)
//
// Sustained answers/s with p50/p99 latency come from kite-sim (its --json
// summary), which goes through the study session as well; see
// docs/BENCHMARKS.md.
#include <benchmark/benchmark.h>

#include <QDir>
#include <QTemporaryDir>

#include <map>
#include <random>

#include "kite/course.h"
#include "kite/session.h"
#include "kite/store.h"
#include "sqlite.h"

namespace {

using kite::store::Store;

const kite::course::Course& sample() {
    static const auto report = kite::course::readCourseDir(QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions"));
    if (!report.ok()) std::abort();
    return *report.course;
}

// A store holding `attempts` answers of 30 learners, written directly with
// SQL in one transaction (making them one by one would take minutes).
struct Filled {
    QTemporaryDir dir;
    QString path;
};

Filled& filledStore(std::int64_t attempts) {
    static std::map<std::int64_t, std::unique_ptr<Filled>> cache;
    auto& slot = cache[attempts];
    if (slot) return *slot;
    slot = std::make_unique<Filled>();
    slot->path = slot->dir.filePath(QStringLiteral("kite.db"));
    auto store = Store::open(slot->path);
    if (!store || !(*store)->importCourse(sample())) std::abort();
    for (int l = 0; l < 30; ++l)
        if (!(*store)->addLearner(QStringLiteral("Learner %1").arg(l))) std::abort();
    auto& db = (*store)->database();
    if (!db.exec("BEGIN")) std::abort();
    auto outbox = db.prepare("INSERT INTO outbox(id, kind, payload, created_at, state) VALUES (?, 'attempt', ?, ?, 1)");
    auto attempt = db.prepare(
        "INSERT INTO attempts(event, learner, item, correct, score, hints_used, duration_ms, answered_at, response) "
        "VALUES (?, ?, ?, ?, ?, 0, 8000, ?, '{\"choice\": 1}')");
    const auto items = db.scalar("SELECT max(id) FROM items").value();
    std::mt19937_64 rng(1);
    const QByteArray payload(420, 'x');  // about the size of a real attempt event
    for (std::int64_t i = 0; i < attempts; ++i) {
        const QString id = QStringLiteral("e%1").arg(i);
        outbox->bind(1, id).bindText(2, payload).bind(3, i);
        if (!outbox->run()) std::abort();
        const bool correct = rng() % 3 != 0;
        attempt->bind(1, id).bind(2, static_cast<std::int64_t>(1 + rng() % 30))
            .bind(3, static_cast<std::int64_t>(1 + rng() % static_cast<std::uint64_t>(items)))
            .bind(4, correct ? 1 : 0).bind(5, correct ? 1.0 : 0.0).bind(6, i);
        if (!attempt->run()) std::abort();
    }
    if (!db.exec("COMMIT") || !db.exec("PRAGMA wal_checkpoint(TRUNCATE)")) std::abort();
    return *slot;
}

void BM_RecordAnswer(benchmark::State& state) {
    QTemporaryDir dir;
    auto store = Store::open(dir.filePath(QStringLiteral("kite.db")));
    if (!store || !(*store)->importCourse(sample())) std::abort();
    auto learner = (*store)->addLearner(QStringLiteral("Ada"));
    auto session = kite::study::StudySession::start(**store, learner->id, sample().id);
    kite::store::AttemptRecord record;
    {
        (*session)->next();
        record = (*session)->answer(kite::study::Response{}).attempt;
    }
    for (auto _ : state) {
        auto r = (*store)->recordAttempt(record);
        if (!r) state.SkipWithError(r.error().message.c_str());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordAnswer)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReplayAttempts(benchmark::State& state) {
    Filled& filled = filledStore(state.range(0));
    auto store = Store::open(filled.path);
    if (!store) std::abort();
    for (auto _ : state) {
        auto r = (*store)->rebuildMastery(sample().id);
        if (!r) state.SkipWithError(r.error().message.c_str());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ReplayAttempts)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_OpenStore(benchmark::State& state) {
    Filled& filled = filledStore(state.range(0));
    kite::store::OpenOptions options;
    options.check = state.range(1) != 0 ? kite::store::IntegrityCheck::Full : kite::store::IntegrityCheck::Auto;
    for (auto _ : state) {
        auto store = Store::open(filled.path, options);
        if (!store) state.SkipWithError(store.error().message.c_str());
        benchmark::DoNotOptimize(store);
    }
    state.SetLabel(state.range(1) != 0 ? "full check (after an unclean shutdown)" : "a clean start");
}
BENCHMARK(BM_OpenStore)->Args({1000000, 1})->Args({1000000, 0})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
