// Batch jobs (BKT refits, DKT retrainings) and what they produce (fitted BKT
// parameters, DKT model versions), behind two small interfaces so that the
// embedded SQLite default and a shared database later are two
// implementations. Every call is scoped to one school, but for the runner's
// claim and schedule, which serve all schools. docs/server.md, "Jobs and
// models".
#pragma once

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "kite/bkt.h"
#include "kite/result.h"
#include "kite/server_store.h"

namespace kite::server {

enum class JobKind { BktRefit, DktRetrain };
// queued: waits for the runner; running: claimed; failed: a try failed and
// it waits (not_before) to be tried again; dead: failed for good (the dead
// letters); done, cancelled: finished.
enum class JobState { Queued, Running, Failed, Done, Cancelled, Dead };

QString toString(JobKind kind);
QString toString(JobState state);
std::optional<JobKind> jobKindFrom(const QString& text);
std::optional<JobState> jobStateFrom(const QString& text);

struct Job {
    QString id;  // UUIDv7
    QString school;
    JobKind kind = JobKind::BktRefit;
    JobState state = JobState::Queued;
    double progress = 0.0;         // in [0, 1]
    QString message;               // what it is doing or did, for people
    QString error;                 // the last failure's reason; empty if none
    int attempts = 0;              // tries so far
    std::int64_t not_before = 0;   // Unix ms: not tried again before
    std::int64_t created_at = 0;   // Unix ms
    std::int64_t started_at = 0;   // Unix ms of the last claim; 0 if never
    std::int64_t finished_at = 0;  // Unix ms; 0 while not finished
    bool cancel_requested = false;
    QJsonObject result;  // what a done job produced
};

struct Submitted {
    Job job;
    bool created = false;  // false: an unfinished job of that kind was already there
};

// The queue of batch jobs. Not thread-safe: one per thread.
class JobQueue {
public:
    virtual ~JobQueue() = default;

    // A new queued job, or, when the school already has an unfinished job
    // (queued, running or failed) of that kind, that one: one of each kind
    // per school at a time.
    virtual Result<Submitted> submit(const QString& school, JobKind kind) = 0;
    // The job if it is the school's; nothing otherwise.
    virtual Result<std::optional<Job>> job(const QString& school, const QString& id) = 0;
    // The school's jobs, newest first, optionally in one state.
    virtual Result<QList<Job>> jobs(const QString& school, std::optional<JobState> state, int limit) = 0;
    // A queued or failed job is cancelled at once; a running one is asked to
    // stop (its training checks between steps). Returns the job as it is
    // now; nothing if it is not the school's.
    virtual Result<std::optional<Job>> cancel(const QString& school, const QString& id) = 0;

    // For the runner: claims the oldest job whose time has come (running,
    // attempts + 1), or nothing.
    virtual Result<std::optional<Job>> claimNext() = 0;
    // At start: jobs left running by a crash go back to the queue.
    virtual Status requeueRunning() = 0;
    virtual Status reportProgress(const QString& id, double progress, const QString& message) = 0;
    virtual Result<bool> cancelRequested(const QString& id) = 0;
    // Finishes a running job as done or cancelled.
    virtual Status finish(const QString& id, JobState state, const QString& message, const QJsonObject& result) = 0;
    // A failed try: tried again after `retryAt` (Unix ms), or, with
    // retryAt < 0, dead.
    virtual Status fail(const QString& id, const QString& reason, std::int64_t retryAt) = 0;
};

// One DKT model version of a school.
struct ModelVersion {
    QString school;
    int version = 0;  // 1, 2, ... per school
    double valid_auc = 0.0;
    std::int64_t created_at = 0;  // Unix ms
    bool active = false;
    QString path;              // the model file, absolute
    std::int64_t answers = 0;  // training answers
    std::int64_t learners = 0;
};

// What the mastery worker and the next DKT step need of the active model.
struct ActiveModel {
    int version = 0;
    QString path;  // absolute
};

struct AddedModel {
    bool active = false;                   // the new version became the active one
    std::optional<ModelVersion> previous;  // the version active before, if any
    QList<ModelVersion> removed;           // pruned (rows and files deleted)
};

// One fitted skill of a course.
struct FittedSkill {
    QString course;
    QString skill;
    bkt::Params params;
    std::int64_t answers = 0;
};

// Fitted BKT parameters and DKT model versions. Not thread-safe: one per
// thread.
class ModelStore {
public:
    virtual ~ModelStore() = default;

    // The school's attempt payloads (the wire AttemptPayload JSON) in order
    // of receipt, and the last event number read (for markTrained).
    struct Attempts {
        QList<QByteArray> payloads;
        std::int64_t last_event = 0;
    };
    virtual Result<Attempts> attempts(const QString& school) = 0;
    // Schedule: attempts received since `kind` last ran for the school.
    virtual Result<std::int64_t> newAttemptsSince(const QString& school, JobKind kind) = 0;
    virtual Status markTrained(const QString& school, JobKind kind, std::int64_t lastEvent) = 0;
    virtual Result<QList<QString>> schools() = 0;

    // Replaces the school's fitted parameters of these skills (others stay)
    // under a new version, which it returns.
    virtual Result<std::int64_t> saveBktParams(const QString& school, const QList<FittedSkill>& skills) = 0;
    // The version of the school's fitted parameters; 0 if none.
    virtual Result<std::int64_t> bktParamsVersion(const QString& school) = 0;
    // Keyed "course\tskill".
    virtual Result<std::map<QString, bkt::Params>> fittedBktParams(const QString& school) = 0;

    virtual Result<int> nextModelVersion(const QString& school) = 0;
    // Records a trained version (its file already written). It becomes active
    // unless its validation AUC is below the active one's. Then keeps at most
    // `keep` versions of the school, the active one and the newest others,
    // deleting the rest's rows and files.
    virtual Result<AddedModel> addModel(const ModelVersion& model, int keep) = 0;
    // The school's versions, newest first; all schools' when `school` is empty.
    virtual Result<QList<ModelVersion>> models(const QString& school) = 0;
    virtual Result<std::optional<ActiveModel>> activeDktModel(const QString& school) = 0;
    // Makes a kept version the active one; an error naming it if unknown.
    virtual Status activateModel(const QString& school, int version) = 0;
};

constexpr int kModelsKept = 5;

// The embedded default, on DIR/kite-server.db (kite/sql.h); the "jobs" part
// of the schema. `purpose` names the connection in errors.
Result<std::unique_ptr<JobQueue>> openSqliteJobQueue(const QString& dataDir, const QString& purpose);
Result<std::unique_ptr<ModelStore>> openSqliteModelStore(const QString& dataDir, const QString& purpose);

// For the core store's stats(): adds the dead jobs to dead_letter and fills
// model_version (one school's active version, or every school's, comma
// separated). Does nothing on a database the jobs part never touched.
Status addJobStats(QSqlDatabase db, const QString& school, Stats& stats);

}  // namespace kite::server
