// kite-sim: a simulated classroom. Learners with hidden true knowledge (the
// BKT generative model) answer through the real study session and store.
// Used for load, soak and crash tests and for demos.
#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QTimer>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "arguments.h"
#include "sample_course.h"
#include "kite/course.h"
#include "kite/session.h"
#include "kite/store.h"
#include "kite/sync_engine.h"

namespace {

using kite::app::Arguments;
using kite::app::UsageError;

using kite::app::kExitBadInput;
using kite::app::kExitFailure;
using kite::app::kExitOk;

constexpr const char* kUsage = R"(kite-sim: a simulated classroom answering through Kite's real study loop and store

Usage:
  kite-sim run --profile DIR [--course DIR_OR_PACK] --learners N --answers M [--seed S] [--json]
               [--server URL --enroll CODE]
  kite-sim sync --profile DIR --server URL [--enroll CODE] [--timeout SECONDS] [--json]
  kite-sim --help | --version

run options:
  --profile DIR      the simulated device: DIR/kite.db is its store (created if absent);
                     running again on the same DIR continues where it stopped
  --course PATH      a course folder or .kitepack (default: the bundled sample course)
  --learners N       simulated learners on this device (default 1); a kiosk has several
  --answers M        answers to record in this run, over all learners, in turns
  --seed S           seed of the learners' hidden knowledge and answers (default 1)
  --json             one line per answer, printed only once it is durable:
                       {"event_id": "...", "learner": "...", "seq": N}
                     then {"summary": {"answers": N, "answers_per_second": X, "p50_ms": X, "p99_ms": X}}
  --server URL       sync to this kite-server while answering (the real sync engine, on its
                     own thread); --enroll CODE enrolls the profile first if it is not yet

sync options: runs the sync engine until the outbox is empty and the pull is caught up, then
exits 0 (course updates downloaded too); exits 1 with the reason if it cannot within --timeout
(default 120 s).
  --json             the final status as {"state", "waiting", "set_aside", "last_error"}

Exit codes: 0 ok, 1 the store or the sync failed, 2 bad input or usage.
)";

std::string str(const QString& s) {
    return s.toStdString();
}

// A stable 64-bit hash of text, to seed each learner's hidden knowledge from
// (seed, learner, skill) alone: a later run on the same profile finds the
// same learners knowing the same things.
std::uint64_t hash64(const QString& text, std::uint64_t seed) {
    std::uint64_t h = 1469598103934665603ULL ^ seed;
    for (QChar c : text) {
        h ^= c.unicode();
        h *= 1099511628211ULL;
    }
    // splitmix64 finaliser
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

// The hidden truth of one simulated learner on one skill: BKT's generative
// model. The learner knows the skill from the start with P(prior), else learns
// it after each practice opportunity with P(learn): the opportunity at which
// it becomes known is drawn once.
struct HiddenSkill {
    int knownFrom = 0;  // known at every opportunity >= this
    double guess = 0.2;
    double slip = 0.1;
};

HiddenSkill hiddenSkill(std::uint64_t seed, const QString& learner, const QString& skill) {
    std::mt19937_64 rng(hash64(learner + QLatin1Char('/') + skill, seed));
    std::uniform_real_distribution<double> u(0.0, 1.0);
    // Skills differ: some are easier to pick up than others.
    const double prior = 0.1 + 0.3 * u(rng);
    const double learn = 0.05 + 0.25 * u(rng);
    HiddenSkill h;
    h.guess = 0.1 + 0.2 * u(rng);
    h.slip = 0.05 + 0.1 * u(rng);
    if (u(rng) < prior) return h;
    std::geometric_distribution<int> later(learn);
    h.knownFrom = 1 + later(rng);
    return h;
}

// A response to `item` that the real grader will mark right (or wrong).
kite::study::Response respond(const kite::course::Item& item, bool correct, std::mt19937_64& rng) {
    using kite::course::ItemType;
    kite::study::Response r;
    switch (item.type) {
    case ItemType::MultipleChoice: {
        r.choice = item.answer;
        if (!correct) {
            std::uniform_int_distribution<int> other(1, static_cast<int>(item.choices.size()) - 1);
            r.choice = (item.answer + other(rng)) % static_cast<int>(item.choices.size());
        }
        break;
    }
    case ItemType::MultipleSelect: {
        r.choices = item.answers;
        if (!correct) {
            // Flip one choice in or out of the set.
            std::uniform_int_distribution<int> any(0, static_cast<int>(item.choices.size()) - 1);
            const int c = any(rng);
            if (r.choices.contains(c)) r.choices.removeAll(c);
            else r.choices.push_back(c);
        }
        break;
    }
    case ItemType::Numeric:
        r.text = QString::number(correct ? item.value : item.value + item.tolerance + 1.0, 'g', 12);
        break;
    case ItemType::ShortText:
        r.text = correct ? item.accepted.value(0) : QStringLiteral("I am not sure");
        break;
    }
    return r;
}

double percentile(std::vector<double> xs, double q) {
    if (xs.empty()) return 0.0;
    std::sort(xs.begin(), xs.end());
    const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(xs.size()))) - 1;
    return xs[std::min(i, xs.size() - 1)];
}

// The sync engine for a profile, enrolled with `code` if the profile has no
// token yet. Empty (with a message printed) if enrolling failed.
std::unique_ptr<kite::client::SyncClient> startSync(const QString& dir, const std::string& server,
                                                    const std::optional<std::string>& code) {
    const QString path = QDir(dir).filePath(QStringLiteral("kite.db"));
    QString token;
    {
        auto store = kite::store::Store::open(path);
        if (!store) {
            std::fprintf(stderr, "kite-sim: %s\n", store.error().message.c_str());
            return nullptr;
        }
        token = (*store)->syncState(QStringLiteral("token")).value();
    }
    kite::client::SyncOptions options;
    options.server = QUrl(QString::fromStdString(server));
    if (!options.server.isValid() || options.server.host().isEmpty())
        throw UsageError{"--server needs a URL such as http://127.0.0.1:8470"};
    auto client = std::make_unique<kite::client::SyncClient>(path, options);
    client->start();
    if (token.isEmpty() && code) {
        QEventLoop wait;
        bool ok = false;
        QString why = QStringLiteral("no answer from the server within 30 s");
        QObject::connect(client.get(), &kite::client::SyncClient::enrolled, &wait,
                         [&](bool success, const QString& message) {
                             ok = success;
                             why = message;
                             wait.quit();
                         });
        QTimer::singleShot(30'000, &wait, &QEventLoop::quit);
        client->enroll(QString::fromStdString(*code), QStringLiteral("kite-sim %1").arg(QFileInfo(dir).fileName()));
        wait.exec();
        if (!ok) {
            std::fprintf(stderr, "kite-sim: enrolling at %s: %s\n", server.c_str(), str(why).c_str());
            return nullptr;
        }
    }
    return client;
}

int sync(Arguments& args) {
    const auto profile = args.take("--profile");
    const auto server = args.take("--server");
    const auto code = args.take("--enroll");
    const int timeout = args.number<int>("--timeout").value_or(120);
    const bool json = args.flag("--json");
    if (!args.positionals().empty()) throw UsageError{"sync takes no positional arguments"};
    if (!profile || !server) throw UsageError{"sync needs --profile DIR and --server URL"};
    const QString dir = QString::fromStdString(*profile);
    if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("kite.db"))) && !code) {
        std::fprintf(stderr, "kite-sim: %s holds no profile to sync\n", profile->c_str());
        return kExitBadInput;
    }
    if (!QDir().mkpath(dir)) {
        std::fprintf(stderr, "kite-sim: cannot create the profile folder %s\n", profile->c_str());
        return kExitFailure;
    }
    const std::int64_t began = QDateTime::currentMSecsSinceEpoch();
    auto client = startSync(dir, *server, code);
    if (!client) return kExitFailure;
    // Done: a sync that started after we did got up to date with nothing waiting.
    QEventLoop wait;
    bool done = false;
    kite::client::SyncStatus final;
    auto check = [&](const kite::client::SyncStatus& s) {
        if (done) return;
        done = s.state == kite::client::SyncState::UpToDate && s.waiting == 0 && s.last_success >= began &&
               s.downloading.isEmpty();
        final = s;
        if (done || s.needs_enrollment) wait.quit();
    };
    QObject::connect(client.get(), &kite::client::SyncClient::statusChanged, &wait, check);
    QTimer::singleShot(timeout * 1000, &wait, &QEventLoop::quit);
    client->syncNow();
    check(client->status());
    if (!done) wait.exec();
    // Another sync may have begun since (a poke): the status as it was when done.
    const kite::client::SyncStatus s = done ? final : client->status();
    if (json) {
        std::printf("{\"state\": \"%s\", \"waiting\": %lld, \"set_aside\": %lld, \"last_error\": \"%s\"}\n",
                    str(kite::client::toString(s.state)).c_str(), static_cast<long long>(s.waiting),
                    static_cast<long long>(s.set_aside), str(QString(s.last_error).replace(QLatin1Char('"'), QLatin1Char('\''))).c_str());
    }
    if (done) return kExitOk;
    std::fprintf(stderr, "kite-sim: not synced after %d s: %s, %lld waiting%s%s\n", timeout,
                 str(kite::client::toString(s.state)).c_str(), static_cast<long long>(s.waiting),
                 s.last_error.isEmpty() ? "" : "; ", str(s.last_error).c_str());
    return kExitFailure;
}

struct SimLearner {
    kite::store::Learner learner;
    std::unique_ptr<kite::study::StudySession> session;
};

int run(Arguments& args) {
    const auto profile = args.take("--profile");
    const auto coursePath = args.take("--course");
    const int learners = args.number<int>("--learners").value_or(1);
    const auto answers = args.number<long long>("--answers");
    const auto seed = args.number<std::uint64_t>("--seed").value_or(1);
    const bool json = args.flag("--json");
    const auto server = args.take("--server");
    const auto code = args.take("--enroll");
    if (!args.positionals().empty()) throw UsageError{"run takes no positional arguments"};
    if (code && !server) throw UsageError{"--enroll needs --server URL"};
    if (!profile) throw UsageError{"run needs --profile DIR"};
    if (!answers || *answers < 0) throw UsageError{"run needs --answers M (M >= 0)"};
    if (learners < 1 || learners > 10000) throw UsageError{"--learners must be between 1 and 10000"};

    const QString dir = QString::fromStdString(*profile);
    if (!QDir().mkpath(dir)) {
        std::fprintf(stderr, "kite-sim: cannot create the profile folder %s\n", profile->c_str());
        return kExitFailure;
    }
    auto store = kite::store::Store::open(QDir(dir).filePath(QStringLiteral("kite.db")));
    if (!store) {
        std::fprintf(stderr, "kite-sim: %s\n", store.error().message.c_str());
        return kExitFailure;
    }
    kite::store::Store& db = *store.value();
    if (!db.notice().isEmpty()) std::fprintf(stderr, "kite-sim: %s\n", str(db.notice()).c_str());

    // The course: read and checked, then imported (a no-op when this version
    // is already there).
    const QString source = coursePath ? QString::fromStdString(*coursePath) : kite::app::sampleCourse();
    const auto report = QFileInfo(source).isDir() ? kite::course::readCourseDir(source)
                                                  : kite::course::readPack(source);
    if (!report.ok()) {
        for (const auto& p : report.problems) std::fprintf(stderr, "%s\n", str(p.toString()).c_str());
        std::fprintf(stderr, "kite-sim: the course %s has errors\n", str(source).c_str());
        return kExitBadInput;
    }
    const QString courseId = report.course->id;
    if (auto s = db.importCourse(*report.course); !s) {
        std::fprintf(stderr, "kite-sim: %s\n", s.error().message.c_str());
        return kExitFailure;
    }

    // The device's learners: those already on the profile, then new ones.
    auto existing = db.learners();
    if (!existing) {
        std::fprintf(stderr, "kite-sim: %s\n", existing.error().message.c_str());
        return kExitFailure;
    }
    std::vector<SimLearner> sims;
    for (const auto& l : existing.value()) {
        if (static_cast<int>(sims.size()) < learners) sims.push_back(SimLearner{l, nullptr});
    }
    while (static_cast<int>(sims.size()) < learners) {
        auto l = db.addLearner(QStringLiteral("Learner %1").arg(sims.size() + 1));
        if (!l) {
            std::fprintf(stderr, "kite-sim: %s\n", l.error().message.c_str());
            return kExitFailure;
        }
        sims.push_back(SimLearner{l.value(), nullptr});
    }
    for (std::size_t i = 0; i < sims.size(); ++i) {
        kite::study::SessionOptions options;
        options.seed = hash64(sims[i].learner.uid, seed) | 1;
        auto session = kite::study::StudySession::start(db, sims[i].learner.id, courseId, options);
        if (!session) {
            std::fprintf(stderr, "kite-sim: %s\n", session.error().message.c_str());
            return kExitFailure;
        }
        sims[i].session = std::move(session.value());
    }

    // Syncing beside the answers, as the app does: each durable answer rings
    // the engine, which pushes whenever it can.
    std::unique_ptr<kite::client::SyncClient> syncing;
    if (server) {
        syncing = startSync(dir, *server, code);
        if (!syncing) return kExitFailure;
    }

    auto attemptsBefore = db.attemptCount();
    std::mt19937_64 rng(hash64(QString::number(attemptsBefore ? attemptsBefore.value() : 0), seed));
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> latencies;
    latencies.reserve(static_cast<std::size_t>(*answers));
    const auto began = std::chrono::steady_clock::now();
    for (long long n = 0; n < *answers; ++n) {
        SimLearner& sim = sims[static_cast<std::size_t>(n % static_cast<long long>(sims.size()))];
        kite::study::StudySession& session = *sim.session;
        const kite::course::Item* item = session.next();
        if (!item) {
            std::fprintf(stderr, "kite-sim: the course has no items\n");
            return kExitBadInput;
        }
        // Known on every skill of the item? Opportunities so far = attempts.
        bool knows = true;
        double guess = 0.0;
        double slip = 0.0;
        for (const QString& skill : item->skills) {
            const HiddenSkill h = hiddenSkill(seed, sim.learner.uid, skill);
            knows = knows && session.masteryOf(skill).attempts >= h.knownFrom;
            guess = std::max(guess, h.guess);
            slip = std::max(slip, h.slip);
        }
        const bool correct = knows ? u(rng) >= slip : u(rng) < guess;
        if (!knows && !item->hints.isEmpty() && u(rng) < 0.2) {
            if (auto hint = session.hint()) {
                if (auto r = db.recordStatement(hint->second); !r) {
                    std::fprintf(stderr, "kite-sim: %s\n", r.error().message.c_str());
                    return kExitFailure;
                }
            }
        }
        const kite::study::Answered answered = session.answer(respond(*item, correct, rng));

        const auto t0 = std::chrono::steady_clock::now();
        auto recorded = db.recordAttempt(answered.attempt);
        const auto t1 = std::chrono::steady_clock::now();
        if (!recorded) {
            std::fprintf(stderr, "kite-sim: %s\n", recorded.error().message.c_str());
            return kExitFailure;
        }
        latencies.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (json) {
            // Printed only now that the transaction is durable.
            std::printf("{\"event_id\": \"%s\", \"learner\": \"%s\", \"seq\": %lld}\n", str(recorded->event_id).c_str(),
                        str(sim.learner.uid).c_str(), static_cast<long long>(recorded->seq));
            std::fflush(stdout);
        }
        if (syncing) syncing->syncNow();
        for (const auto& st : answered.statements) {
            if (auto r = db.recordStatement(st); !r) {
                std::fprintf(stderr, "kite-sim: %s\n", r.error().message.c_str());
                return kExitFailure;
            }
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    const double rate = seconds > 0.0 ? static_cast<double>(*answers) / seconds : 0.0;
    if (json) {
        std::printf(
            "{\"summary\": {\"answers\": %lld, \"answers_per_second\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f}}\n",
            *answers, rate, percentile(latencies, 0.50), percentile(latencies, 0.99));
    } else {
        auto total = db.attemptCount();
        std::printf("%lld answers from %d learners in %.2f s (%.0f answers/s); durable write p50 %.2f ms, p99 %.2f ms; "
                    "the profile now holds %lld answers\n",
                    *answers, learners, seconds, rate, percentile(latencies, 0.50), percentile(latencies, 0.99),
                    total ? static_cast<long long>(total.value()) : -1LL);
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    return kite::app::runTool(argc, argv, "kite-sim", KITE_VERSION, kUsage, [&](const std::vector<std::string>& words) {
        Arguments args(argc, argv, 2);
        if (words[0] == "run") return run(args);
        if (words[0] == "sync") return sync(args);
        throw UsageError{"unknown command '" + words[0] + "'"};
    });
}
