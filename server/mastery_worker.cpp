#include "kite/mastery_worker.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "kite/answer_facts.h"
#include "kite/bkt.h"
#include "kite/dkt_tracker.h"
#include "kite/wire.h"

namespace kite::server {

namespace {

constexpr int kMaxAttempts = 5;

}  // namespace

std::optional<AnswerFacts> answerFacts(const QByteArray& payload) {
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    const QJsonValue course = o.value(QLatin1String("course"));
    const QJsonValue skills = o.value(QLatin1String("skills"));
    const QJsonValue correct = o.value(QLatin1String("correct"));
    if (!course.isString() || !skills.isArray() || !correct.isBool()) return std::nullopt;
    AnswerFacts out{course.toString(), {}, correct.toBool()};
    for (const QJsonValue& skill : skills.toArray()) {
        if (!skill.isString() || skill.toString().isEmpty()) return std::nullopt;
        out.skills.push_back(skill.toString());
    }
    if (out.course.isEmpty()) return std::nullopt;
    return out;
}

Result<int> processMasteryBatch(ServerStore& store, int limit, LearnerKeys* written, FittedBktCache* fitted,
                                int shard, int shards, DktTracker* dkt) {
    auto items = store.claimWork(limit, shard, shards);
    if (!items) return items.error();
    if (items->isEmpty()) return 0;
    if (fitted) {
        std::set<QString> schools;
        for (const WorkItem& item : *items) schools.insert(item.school);
        for (const QString& school : schools) fitted->refresh(school);
    }

    // Each learner's states, loaded once, updated in the order of the answers.
    std::map<std::pair<QString, QString>, std::map<std::pair<QString, QString>, SkillState>> learners;
    QList<std::int64_t> done;
    std::set<std::tuple<QString, QString, QString, QString>> touched;  // (school, learner, course, skill)
    FactsByEvent facts;  // for DKT too
    for (const WorkItem& item : *items) {
        auto key = std::make_pair(item.school, item.learner);
        auto found = learners.find(key);
        if (found == learners.end()) {
            auto states = store.skillStates(item.school, item.learner);
            if (!states) return states.error();
            found = learners.emplace(key, std::map<std::pair<QString, QString>, SkillState>{}).first;
            for (const SkillState& s : *states) found->second[{s.course, s.skill}] = s;
        }
        for (const QueuedAnswer& queued : item.answers) {
            // Checked at push; checked again because the store may hold events
            // from before a rule existed. An answer invalid as stored is
            // skipped (retrying cannot help) and the item goes on.
            auto answer = answerFacts(queued.payload);
            if (!answer) {
                std::fprintf(stderr, "kite-server: mastery worker: skipping answer %lld of device %s: not an attempt\n",
                             static_cast<long long>(queued.seq), queued.device.toUtf8().constData());
                continue;
            }
            const AnswerFacts& a = facts.emplace(queued.n, std::move(*answer)).first->second;
            for (const QString& skill : a.skills) {
                // The school's fitted parameters (refit jobs); until a refit,
                // the defaults the devices use.
                const bkt::Params p =
                    fitted ? fitted->params(item.school, a.course, skill) : bkt::kUnseenSkillDefaults;
                auto [it, fresh] = found->second.try_emplace({a.course, skill});
                SkillState& s = it->second;
                if (fresh) {
                    s.course = a.course;
                    s.skill = skill;
                    s.p_known = p.prior;
                }
                s.p_known = bkt::observe(s.p_known, a.correct ? Outcome::kCorrect : Outcome::kWrong, p).next;
                s.attempts += 1;
                touched.insert({item.school, item.learner, a.course, skill});
                const double covered = s.covers.value(queued.device).toDouble();
                s.covers.insert(queued.device, std::max(covered, static_cast<double>(queued.seq)));
            }
        }
        done.push_back(item.id);
    }
    QList<MasteryUpdate> updates;
    for (const auto& [key, states] : learners)
        for (const auto& [skill, state] : states)
            if (touched.count({key.first, key.second, skill.first, skill.second}))
                updates.push_back(MasteryUpdate{key.first, key.second, state});
    QList<DktStateRow> dktStates;
    Status s = dkt ? dkt->track(*items, updates, dktStates, &facts) : success();
    if (s) s = store.finishWork(done, updates, dktStates);
    if (!s) {
        // Try again later, backing off; give up after kMaxAttempts.
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        for (const WorkItem& item : *items) {
            const std::int64_t retryAt = item.attempts + 1 >= kMaxAttempts ? -1 : now + (1000LL << item.attempts);
            static_cast<void>(store.failWork(item.id, QString::fromStdString(s.error().message), retryAt));
        }
        return s.error();
    }
    recordMasteryLag(*items, dkt);
    if (written)
        for (const auto& [key, states] : learners) written->push_back(key);
    return static_cast<int>(items->size());
}

MasteryWorker::MasteryWorker(QString dataDir, std::function<void(const LearnerKeys&)> onWritten, int shard, int shards)
    : data_dir_(std::move(dataDir)), on_written_(std::move(onWritten)), shard_(shard), shards_(shards),
      thread_([this] { run(); }) {}

MasteryWorker::~MasteryWorker() {
    wakeup_.stop();
    thread_.join();
}

void MasteryWorker::run() {
    // Qt SQL connections belong to the thread that opens them.
    // Normal sync: the worker writes only what can be derived again.
    auto store = openSqliteStore(data_dir_, QStringLiteral("mastery-worker"), SqliteOptions{SqlSync::Normal, true});
    if (!store) {
        std::fprintf(stderr, "kite-server: mastery worker: %s\n", store.error().message.c_str());
        return;
    }
    auto models = openSqliteModelStore(data_dir_, QStringLiteral("mastery-worker-params"));
    if (!models) std::fprintf(stderr, "kite-server: mastery worker: %s\n", models.error().message.c_str());
    std::unique_ptr<FittedBktCache> fitted;
    if (models) fitted = std::make_unique<FittedBktCache>(**models);
    std::unique_ptr<DktTracker> dkt;
    if (models) {
        if (auto t = DktTracker::open(data_dir_, **models)) dkt = std::move(*t);
        else std::fprintf(stderr, "kite-server: mastery worker: DKT: %s\n", t.error().message.c_str());
    }
    for (;;) {
        const auto busyFrom = std::chrono::steady_clock::now();
        for (;;) {
            LearnerKeys written;
            // Small batches keep each transaction, and so the pushes waiting
            // on the write lock, short.
            auto n = processMasteryBatch(**store, 100, &written, fitted.get(), shard_, shards_, dkt.get());
            if (!n) std::fprintf(stderr, "kite-server: mastery worker: %s\n", n.error().message.c_str());
            if (!written.isEmpty() && on_written_) on_written_(written);
            if (!n || *n == 0) break;
        }
        // WAL checkpoints happen here, off the pushes' commits.
        if (auto s = (*store)->housekeeping(); !s)
            std::fprintf(stderr, "kite-server: mastery worker: %s\n", s.error().message.c_str());
        busy_ns_.fetch_add(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - busyFrom).count(),
            std::memory_order_relaxed);
        // Retries whose time has come are looked for at least once a second.
        if (!wakeup_.waitUntil(std::chrono::steady_clock::now() + std::chrono::seconds(1))) return;
    }
}

}  // namespace kite::server
