// The server's durable state behind one small interface, so that the
// embedded default (SQLite, here) and PostgreSQL for many instances are two
// implementations of the same thing. Every row carries its school and every
// call is scoped to one.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

#include "kite/result.h"

namespace kite::server {

enum class Role { Admin, Teacher, Device, Learner };
QString toString(Role role);

// Who a request comes from: what its token says.
struct Principal {
    QString school;
    Role role = Role::Device;
    QString subject;  // the device id for a device token; the user for others
};

struct NewSchool {
    QString school_id;
    QString admin_token;      // shown once; only its hash is kept
    QString enrollment_code;  // for devices to enroll with
};

struct Enrolled {
    QString device_id;
    QString token;  // shown once
    QString school_id;
};

// One event of a push, already validated as far as its own content goes.
struct IncomingEvent {
    std::int64_t seq = 0;
    QString id;
    QString kind;  // "attempt" or "statement"
    QString learner;
    QByteArray payload;  // compact JSON
};

// One device's push.
struct PushBatch {
    Principal device;
    QList<IncomingEvent> events;
};

struct PushOutcome {
    int accepted = 0;
    int duplicate = 0;
    std::int64_t max_seq = 0;  // the highest device sequence now held for this device
};

// A new answer waiting in the queue.
struct QueuedAnswer {
    QString device;
    std::int64_t seq = 0;  // the event's device sequence
    QByteArray payload;    // the attempt event
    std::int64_t n = 0;    // the server's order of receipt (events.n)
};

// One queued piece of work: the mastery update for one learner's new answers
// of one commit.
struct WorkItem {
    std::int64_t id = 0;
    QString school;
    QString learner;
    QList<QueuedAnswer> answers;  // in the order they were received
    int attempts = 0;             // tries so far
    std::int64_t created_at = 0;  // Unix ms of the commit that queued it
};

// A learner's server-side BKT state of one skill. `covers` maps each device
// to the highest sequence of its events this state includes, so that a
// device can replay on top exactly the answers the server has not seen.
struct SkillState {
    QString course;
    QString skill;
    double p_known = 0.0;
    int attempts = 0;
    QJsonObject covers;
};

// With model "dkt", state.p_known holds P(correct) of the next answer
// (kite/dkt_tracker.h).
struct MasteryUpdate {
    QString school;
    QString learner;
    SkillState state;
    QString model = QStringLiteral("bkt");
};

// A learner's stored DKT state (kite/dkt_tracker.h).
struct DktStateRow {
    QString school;
    QString learner;
    int model_version = 0;
    QByteArray state;                // dkt::encodeState
    std::int64_t answers = 0;        // answers applied
    std::int64_t through_event = 0;  // the highest events.n applied
    QJsonObject covers;              // device -> highest sequence applied
};

// One entry of the change log that devices pull.
struct Change {
    std::int64_t seq = 0;
    QString kind;  // "mastery", ...
    QJsonObject body;  // as stored; a mastery body's "covers" maps every device
    std::int64_t at = 0;  // Unix ms
};

struct Stats {
    std::int64_t attempts = 0;
    std::int64_t events = 0;
    std::int64_t learners = 0;
    std::int64_t devices = 0;
    std::int64_t queue_depth = 0;
    std::int64_t dead_letter = 0;
    QString model_version;  // empty until a DKT model is active
};

class ServerStore {
public:
    virtual ~ServerStore() = default;

    // Schools and access.
    virtual Result<NewSchool> createSchool(const QString& name) = 0;
    virtual Result<Enrolled> enroll(const QString& enrollmentCode, const QString& deviceName) = 0;
    // The principal of a bearer token, or nothing for an unknown or revoked one.
    virtual Result<std::optional<Principal>> authenticate(const QString& token) = 0;

    // Commits the new events of all the batches, and their work items (one
    // per learner with new answers), in ONE transaction: a group commit, one
    // disk sync for many pushes. Ids already held count as duplicates. The
    // outcomes are in the order of the batches.
    virtual Result<QList<PushOutcome>> pushMany(const QList<PushBatch>& batches) = 0;
    Result<PushOutcome> push(const Principal& device, const QList<IncomingEvent>& events) {
        auto out = pushMany({PushBatch{device, events}});
        if (!out) return out.error();
        return out->front();
    }

    // The queue. A claim only reads: an item is queued until finishWork marks
    // it done in the same transaction as its results, so a crash between the
    // two leaves it queued (requeueRunning is for items of older versions
    // left "running"). Items are
    // sharded by learner: worker `shard` of `shards` claims only its own, so
    // one learner's answers are always applied by one worker, in order.
    virtual Result<QList<WorkItem>> claimWork(int limit, int shard = 0, int shards = 1) = 0;
    virtual Status requeueRunning(int shard = 0, int shards = 1) = 0;
    virtual Result<QList<SkillState>> skillStates(const QString& school, const QString& learner) = 0;
    // In ONE transaction: the new mastery rows, a change-log entry for each,
    // the learners' DKT states, and the items marked done.
    virtual Status finishWork(const QList<std::int64_t>& done, const QList<MasteryUpdate>& updates,
                              const QList<DktStateRow>& dktStates = {}) = 0;
    // A failed item is retried later (`retryAt`, Unix ms) or, with retryAt < 0,
    // moved to the dead letters with its reason.
    virtual Status failWork(std::int64_t id, const QString& reason, std::int64_t retryAt) = 0;

    // Adds an entry to the change log that devices pull: for one learner's
    // devices, or, with an empty `learner`, for every device of the school
    // (course versions, BKT parameters). Returns its sequence.
    virtual Result<std::int64_t> appendChange(const QString& school, const QString& learner, const QString& kind,
                                              const QJsonObject& body) = 0;
    // Changes after `cursor` that `device` may see (its learners' and the
    // school's), oldest first.
    virtual Result<QList<Change>> changesSince(const Principal& device, std::int64_t cursor, int limit) = 0;

    // Upkeep between batches of work, off the pushes' path: for SQLite, a
    // passive WAL checkpoint (the pushes' connection never checkpoints).
    virtual Status housekeeping() { return success(); }

    // Whole-server counts (`kite-server stats`), or one school's.
    virtual Result<Stats> stats(const QString& school = {}) = 0;
    // Only queue_depth and dead_letter, whole-server, from indexes: cheap
    // enough for /metrics to sample every few seconds.
    virtual Result<Stats> queueStats() { return stats(); }
};

// How a connection of the embedded store behaves. See SqlConnection::Sync
// (kite/sql.h): Normal only for connections that write nothing they
// acknowledge (the mastery workers). `checkpoints` off: its commits never
// checkpoint the WAL (the pushes' connection; ServerStore::housekeeping
// does it elsewhere). A larger page cache keeps the events' indexes in
// memory for the pushes' inserts.
enum class SqlSync { Full, Normal };
struct SqliteOptions {
    SqlSync sync = SqlSync::Full;
    bool checkpoints = true;
    int cache_mb = 0;  // page cache; 0: SQLite's default (2 MB)
};

// The embedded default: one SQLite file in the data folder (kite/sql.h). A
// store is one connection, used by the thread that opened it; `purpose` names
// it in errors.
Result<std::unique_ptr<ServerStore>> openSqliteStore(const QString& dataDir, const QString& purpose,
                                                     SqliteOptions options = {});

// Random secrets: tokens are 256 bits in base64url; enrollment codes are 12
// characters from an alphabet without look-alikes, grouped "XXXX-XXXX-XXXX".
QString newToken();
QString newEnrollmentCode();
QString sha256Hex(const QString& text);

}  // namespace kite::server
