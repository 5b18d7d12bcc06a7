#include "kite/job_runner.h"

#include <Eigen/Core>
#include <cstdio>
#include <exception>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "kite/sql.h"

namespace kite::server {

namespace {

using Clock = std::chrono::steady_clock;

void warn(const std::string& message) {
    std::fprintf(stderr, "kite-server: job runner: %s\n", message.c_str());
}

// Training yields to interactive work: this thread runs at nice 10 (on Linux
// a nice value is per thread), and the engine runs on it alone, so that one
// core stays for the HTTP thread and the mastery worker.
void lowerThisThreadsPriority() {
#if defined(__linux__)
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10) != 0)
        warn("cannot lower the priority of batch work; it runs at normal priority");
#endif
    Eigen::setNbThreads(1);
}

// Queues the schools' refits and retrainings that enough new answers call for.
void queueDue(JobQueue& queue, ModelStore& models, std::int64_t every) {
    if (every <= 0) return;
    auto schools = models.schools();
    if (!schools) return warn(schools.error().message);
    for (const QString& school : *schools) {
        for (JobKind kind : {JobKind::BktRefit, JobKind::DktRetrain}) {
            auto fresh = models.newAttemptsSince(school, kind);
            if (!fresh) return warn(fresh.error().message);
            if (*fresh < every) continue;
            if (auto s = queue.submit(school, kind); !s) warn(s.error().message);
        }
    }
}

}  // namespace

JobRunner::JobRunner(QString dataDir, JobSettings settings)
    : data_dir_(std::move(dataDir)), settings_(std::move(settings)), thread_([this] { run(); }) {}

JobRunner::~JobRunner() {
    wakeup_.stop();
    thread_.join();
}

void JobRunner::run() {
    lowerThisThreadsPriority();
    // Qt SQL connections belong to the thread that opens them.
    auto queue = openSqliteJobQueue(data_dir_, QStringLiteral("job-runner"));
    if (!queue) return warn(queue.error().message);
    auto models = openSqliteModelStore(data_dir_, QStringLiteral("job-runner-models"));
    if (!models) return warn(models.error().message);
    auto store = openSqliteStore(data_dir_, QStringLiteral("job-runner-changes"));
    if (!store) return warn(store.error().message);
    if (auto s = (*queue)->requeueRunning(); !s) warn(s.error().message);

    Clock::time_point nextCheck = Clock::now();
    while (!stopping()) {
        if (Clock::now() >= nextCheck) {
            queueDue(**queue, **models, settings_.retrain_every);
            nextCheck = Clock::now() + settings_.check_every;
        }
        auto job = (*queue)->claimNext();
        if (!job) warn(job.error().message);
        if (job && job->has_value()) {
            runJob(**queue, **models, **store, **job);
            continue;
        }
        // Retries whose time has come are looked for at least once a second.
        wakeup_.waitUntil(std::min(nextCheck, Clock::now() + std::chrono::seconds(1)));
    }
}

void JobRunner::runJob(JobQueue& queue, ModelStore& models, ServerStore& store, const Job& job) {
    bool cancelled = false;
    Clock::time_point lastLook{};
    Clock::time_point lastReport{};
    JobContext context;
    context.progress = [&](double progress, const QString& message) {
        // A few writes a second at most.
        const auto now = Clock::now();
        if (now - lastReport < std::chrono::milliseconds(200) && progress < 1.0) return;
        lastReport = now;
        if (auto s = queue.reportProgress(job.id, progress, message); !s) warn(s.error().message);
    };
    context.stop_requested = [&] {
        if (cancelled || stopping()) return true;
        const auto now = Clock::now();
        if (now - lastLook < std::chrono::milliseconds(250)) return false;
        lastLook = now;
        auto asked = queue.cancelRequested(job.id);
        cancelled = asked && *asked;
        return cancelled;
    };

    Result<JobOutcome> outcome = Error{"not run"};
    try {
        outcome = job.kind == JobKind::BktRefit
                      ? refitBkt(job.school, models, store, settings_.training, context)
                      : retrainDkt(job.school, data_dir_, models, settings_.training, context);
    } catch (const std::exception& e) {
        // The engine allocates; a school too big for memory fails the job,
        // not the server.
        outcome = Error{std::string("the job failed: ") + e.what()};
    }
    Status saved = success();
    if (outcome) {
        saved = queue.finish(job.id, JobState::Done, outcome->message, outcome->result);
    } else if (cancelled) {
        saved = queue.finish(job.id, JobState::Cancelled, QStringLiteral("cancelled while running"), {});
    } else if (stopping()) {
        saved = queue.requeueRunning();  // the server is stopping: the job runs again at the next start
    } else {
        const bool last = job.attempts >= settings_.max_tries;
        const std::int64_t retryAt = last ? -1 : nowMs() + settings_.retry_after.count() * (1LL << (job.attempts - 1));
        saved = queue.fail(job.id, QString::fromStdString(outcome.error().message), retryAt);
    }
    if (!saved) warn(saved.error().message);
}

}  // namespace kite::server
