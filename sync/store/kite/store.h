// The device's database: courses, learners, every answer, mastery and the
// outbox that the sync engine drains. One SQLite file in WAL mode.
//
// A Store is one connection and is used from one thread. The app writes
// through an AsyncStore (kite/async_store.h), whose own thread owns the
// writing Store, and reads through a second Store opened read-only: with WAL,
// reads never wait for a write.
//
// Durability: journal_mode=WAL with synchronous=FULL. In WAL mode NORMAL
// would fsync only at checkpoints, so a commit reported to the student could
// be lost with the power; FULL fsyncs the WAL at every commit, which costs
// well under a millisecond here (docs/BENCHMARKS.md) and makes "saved" true.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

#include "kite/bkt.h"
#include "kite/course.h"
#include "kite/result.h"

namespace kite::sqlite {
class Database;
}

namespace kite::store {

// The schema version this code writes; older files are migrated at open.
inline constexpr int kSchemaVersion = 5;

// How thoroughly open() looks for damage. Every open reads the header, the
// schema and both ends of every table's b-tree (O(log n) pages), which finds
// a file that is not a database, has a broken header or schema, or was cut
// short. A full PRAGMA quick_check reads every page: about 1.7 s for a store
// of a million answers, too slow for every start, so by default it runs only
// when damage is likely: after an unclean shutdown (a WAL file was left
// behind) or when damage was met while the store was in use (the store then
// leaves a "<path>-check" note for the next open).
enum class IntegrityCheck { Auto, Full, Quick };

struct OpenOptions {
    bool readOnly = false;
    IntegrityCheck check = IntegrityCheck::Auto;
};

struct Learner {
    std::int64_t id = 0;  // local row id
    QString uid;          // UUIDv7, the learner's id on the server
    QString name;
    QString colour;  // "#2a7ab0", for the kiosk's roster grid; may be empty
    bool has_pin = false;
    std::int64_t created_at = 0;  // Unix ms
};

struct CourseInfo {
    QString id;
    QString title;
    int version = 0;
    QString language;
    QString content_sha256;
    std::int64_t imported_at = 0;  // Unix ms
};

struct Mastery {
    QString skill;
    double p_known = 0.0;  // P(knows the skill) at the next answer (BKT after learn/forget)
    int attempts = 0;
    int correct = 0;
    std::int64_t updated_at = 0;  // Unix ms of the last answer
};

// A learner's mastery of one skill right after one of their answers, as the
// study session showed it then (the attempt event's "mastery").
struct MasteryPoint {
    int answer = 0;       // the learner's answers in the course before this one
    std::int64_t at = 0;  // Unix ms of the answer
    QString skill;
    double p_known = 0.0;
};

// One answer as the study session hands it to the store, with the mastery it
// computed (so the store writes exactly what the student was shown).
struct AttemptRecord {
    std::int64_t learner = 0;
    QString course;
    QString item;
    QByteArray response;  // JSON, as graded
    bool correct = false;
    double score = 0.0;  // 0..1
    int hints_used = 0;
    std::int64_t duration_ms = 0;
    std::int64_t answered_at = 0;  // Unix ms
    QList<Mastery> mastery;        // new rows for the item's skills
};

// An analytics event as an xAPI-shaped statement (docs/store.md).
enum class Verb { LessonOpened, LessonClosed, HintRequested, ItemSkipped, LessonCompleted };
QString toString(Verb verb);  // "opened", ...

struct StatementRecord {
    std::int64_t learner = 0;
    Verb verb = Verb::LessonOpened;
    QString course;
    QString lesson;  // for lesson verbs
    QString item;    // for item verbs
    std::int64_t duration_ms = -1;  // lessons closed: time spent; -1 = none
    int hint_index = -1;            // hints: which hint (from 0)
    std::int64_t at = 0;            // Unix ms
};

// What the store made durable.
struct Recorded {
    QString event_id;   // UUIDv7 of the outbox event
    std::int64_t seq = 0;  // the device's sequence number of the event
};

struct OutboxEvent {
    std::int64_t seq = 0;
    QString id;
    QString kind;  // "attempt" or "statement"
    QByteArray payload;  // JSON (docs/store.md)
    std::int64_t created_at = 0;
};

struct OutboxCounts {
    std::int64_t pending = 0;
    std::int64_t pending_answers = 0;  // of `pending`, attempts (unsentCounts() only)
    std::int64_t sent = 0;
    std::int64_t rejected = 0;
};

// What a pull brings (docs/store.md, "Sync"), as the store keeps it.
struct ServerMastery {
    QString learner;  // the learner's uid
    QString course;
    QString skill;
    QString model;  // "bkt": P(known); "dkt": P(correct at the next answer)
    double p = 0.0;
    std::int64_t covers_seq = 0;  // the highest sequence of this device the estimate includes
    std::int64_t at = 0;          // Unix ms, when the server computed it
};

struct RosterLearner {
    QString uid;
    QString name;
    QString colour;
    QString pin_hash = {};  // "" without a PIN; the scheme of kite/pin_hash.h
    bool removed = false;  // off the school's roster for good: not offered for sign-in
};

struct OfferedCourse {
    QString id;
    int version = 0;
    QString sha256;
    std::int64_t size = 0;
};

struct ServerChanges {
    QList<ServerMastery> mastery;
    QList<RosterLearner> learners;
    QList<OfferedCourse> courses;
    QHash<QString, QHash<QString, bkt::Params>> params;  // course -> skill -> fitted
};

class Store {
public:
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Opens the store at `path`, creating it if absent and migrating an older
    // schema. A damaged file is moved aside (renamed "<path>.damaged-<time>",
    // never deleted) and a fresh store is started; notice() then says so.
    // A file from a newer Kite is refused and left as it is.
    static Result<std::unique_ptr<Store>> open(const QString& path, const OpenOptions& options = {});

    // A message for the user about what open() had to do, or empty.
    const QString& notice() const { return notice_; }
    const QString& path() const;
    QString deviceId() const { return device_id_; }
    int schemaVersion() const { return schema_version_; }

    // --- learners
    Result<Learner> addLearner(const QString& name, const QString& colour = {}, const QString& pin = {});
    Result<QList<Learner>> learners();
    Result<bool> checkPin(std::int64_t learner, const QString& pin);

    // --- courses
    // Imports or updates a checked course in one transaction: a newer version
    // replaces the content; attempts and mastery are kept. Items and skills
    // that disappeared are kept hidden so that old attempts still replay.
    Status importCourse(const course::Course& course);
    Result<QList<CourseInfo>> courses();
    // The course as imported (items parsed back), for the study session.
    Result<course::Course> loadCourse(const QString& id);
    Result<QByteArray> courseFile(const QString& course, const QString& path);

    // --- BKT parameters, per skill (defaults until the server sends fitted ones)
    Result<QHash<QString, bkt::Params>> bktParams(const QString& course);
    // Stores parameters and rebuilds the course's mastery with them, in one transaction.
    Status setBktParams(const QString& course, const QHash<QString, bkt::Params>& params, const QString& source);

    // --- recording: ONE transaction each, durable when the call returns
    Result<Recorded> recordAttempt(const AttemptRecord& attempt);
    Result<Recorded> recordStatement(const StatementRecord& statement);

    // --- mastery (derived from the attempts)
    Result<QList<Mastery>> mastery(std::int64_t learner, const QString& course);
    // Recomputes every learner's mastery of `course` by replaying its attempts.
    Status rebuildMastery(const QString& course);
    // What the learner was shown after each of their answers in `course`,
    // oldest first: the progress page's history chart.
    Result<QList<MasteryPoint>> masteryHistory(std::int64_t learner, const QString& course);

    // --- what the server sent
    // In one transaction: stores the changes and the pull cursor they were
    // read up to (sync state "pull_cursor"), and notes the courses whose
    // mastery they change. Parameters and estimates of courses not installed
    // are kept for when they are (estimates) or dropped (parameters: the
    // next refit sends them again).
    Status applyServerChanges(const ServerChanges& changes, const QString& cursor);
    // Rebuilds the mastery of the courses noted by applyServerChanges, once
    // for a whole pull: mastery shown is then the server's BKT snapshot plus
    // this device's attempts it does not cover yet (rebuildMastery).
    Status refreshMastery();
    Result<QList<ServerMastery>> serverMastery(const QString& learnerUid, const QString& course);
    Result<QList<OfferedCourse>> offeredCourses();

    // --- outbox
    // Waiting events in sequence order, from after sequence `afterSeq`.
    Result<QList<OutboxEvent>> pendingEvents(int limit, std::int64_t afterSeq = 0);
    Status markSent(const QList<QString>& ids);
    Status markRejected(const QString& id, const QString& reason);
    Result<OutboxCounts> outboxCounts();
    // Waiting and set-aside events only (OutboxCounts::sent stays 0): from
    // their indexes, cheap enough to ask after every push.
    Result<OutboxCounts> unsentCounts();

    // --- key/value state
    Result<QString> setting(const QString& key, const QString& fallback = {});
    Status setSetting(const QString& key, const QString& value);
    Result<QString> syncState(const QString& key, const QString& fallback = {});
    Status setSyncState(const QString& key, const QString& value);

    // Counts for tests and tools.
    Result<std::int64_t> attemptCount();
    sqlite::Database& database();

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    QString notice_;
    QString device_id_;
    int schema_version_ = 0;
};

}  // namespace kite::store
