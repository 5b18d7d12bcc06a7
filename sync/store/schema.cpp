#include "schema.h"

#include <string>

#include "sqlite.h"

namespace kite::store {

namespace {

// Version 1: courses, learners, answers, mastery and the outbox.
//
// Surrogate integer keys (learners.id, skills.id, items.id) keep the attempt
// and mastery rows small and the replay a scan of integers; the text ids
// (uid) are what the server and the course files use.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE learners(
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL);

CREATE TABLE courses(
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  version INTEGER NOT NULL,
  language TEXT NOT NULL,
  description TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  imported_at INTEGER NOT NULL);

-- Skills, lessons and items that a newer course version dropped stay, retired,
-- so that the attempts made on them still replay.
CREATE TABLE skills(
  id INTEGER PRIMARY KEY,
  course TEXT NOT NULL REFERENCES courses(id),
  uid TEXT NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0,
  UNIQUE(course, uid));
CREATE TABLE skill_prerequisites(
  skill INTEGER NOT NULL REFERENCES skills(id),
  prerequisite INTEGER NOT NULL REFERENCES skills(id),
  PRIMARY KEY(skill, prerequisite)) WITHOUT ROWID;
CREATE TABLE lessons(
  id INTEGER PRIMARY KEY,
  course TEXT NOT NULL REFERENCES courses(id),
  uid TEXT NOT NULL,
  title TEXT NOT NULL,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  markdown TEXT NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0,
  UNIQUE(course, uid));
CREATE TABLE lesson_skills(
  lesson INTEGER NOT NULL REFERENCES lessons(id),
  skill INTEGER NOT NULL REFERENCES skills(id),
  PRIMARY KEY(lesson, skill)) WITHOUT ROWID;
CREATE TABLE items(
  id INTEGER PRIMARY KEY,
  course TEXT NOT NULL REFERENCES courses(id),
  uid TEXT NOT NULL,
  position INTEGER NOT NULL,
  body TEXT NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0,
  UNIQUE(course, uid));
CREATE TABLE item_skills(
  item INTEGER NOT NULL REFERENCES items(id),
  skill INTEGER NOT NULL REFERENCES skills(id),
  PRIMARY KEY(item, skill)) WITHOUT ROWID;
CREATE TABLE course_files(
  course TEXT NOT NULL REFERENCES courses(id),
  path TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY(course, path)) WITHOUT ROWID;

CREATE TABLE bkt_params(
  skill INTEGER PRIMARY KEY REFERENCES skills(id),
  prior REAL NOT NULL, learn REAL NOT NULL, forget REAL NOT NULL,
  guess REAL NOT NULL, slip REAL NOT NULL,
  source TEXT NOT NULL,
  updated_at INTEGER NOT NULL);

-- seq is the device's event sequence: AUTOINCREMENT never reuses a number,
-- even after rows are deleted. state: 0 waiting, 1 sent, 2 rejected.
CREATE TABLE outbox(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  reason TEXT);
CREATE INDEX outbox_waiting ON outbox(seq) WHERE state = 0;

-- Immutable: rows are only ever inserted.
CREATE TABLE attempts(
  id INTEGER PRIMARY KEY,
  event TEXT NOT NULL UNIQUE REFERENCES outbox(id),
  learner INTEGER NOT NULL REFERENCES learners(id),
  item INTEGER NOT NULL REFERENCES items(id),
  correct INTEGER NOT NULL,
  score REAL NOT NULL,
  hints_used INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  answered_at INTEGER NOT NULL,
  response TEXT NOT NULL);

-- Derived from attempts; rebuilt by replaying them.
CREATE TABLE mastery(
  learner INTEGER NOT NULL REFERENCES learners(id),
  skill INTEGER NOT NULL REFERENCES skills(id),
  p_known REAL NOT NULL,
  attempts INTEGER NOT NULL,
  correct INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY(learner, skill)) WITHOUT ROWID;
)sql";

// Version 2: kiosks (a colour and an optional PIN per learner) and lesson
// progress for the library's completion marks.
constexpr const char* kVersion2 = R"sql(
ALTER TABLE learners ADD COLUMN colour TEXT NOT NULL DEFAULT '';
ALTER TABLE learners ADD COLUMN pin_hash TEXT;
CREATE TABLE lesson_progress(
  learner INTEGER NOT NULL REFERENCES learners(id),
  lesson INTEGER NOT NULL REFERENCES lessons(id),
  opened_at INTEGER,
  completed_at INTEGER,
  seconds INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(learner, lesson)) WITHOUT ROWID;
)sql";

// Version 3: what the server sent (docs/store.md, "Sync"): its mastery
// estimates per learner, skill and model, with the device sequence each
// covers, and the course versions it offers.
constexpr const char* kVersion3 = R"sql(
CREATE TABLE server_mastery(
  learner TEXT NOT NULL,
  course TEXT NOT NULL,
  skill TEXT NOT NULL,
  model TEXT NOT NULL,
  p REAL NOT NULL,
  covers_seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY(learner, course, skill, model)) WITHOUT ROWID;
-- What the sync status counts after every push: events set aside, found
-- without reading the table (waiting ones have outbox_waiting).
CREATE INDEX outbox_set_aside ON outbox(seq) WHERE state = 2;
CREATE TABLE courses_offered(
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// Version 4: the answers among the waiting events, counted for the sync
// indicator ("3 waiting" means three answers) without reading the table.
constexpr const char* kVersion4 = R"sql(
CREATE INDEX outbox_answers_waiting ON outbox(seq) WHERE state = 0 AND kind = 'attempt';
)sql";

// Version 5: learners the school removed from its roster (docs/protocol.md,
// "A device's roster"): kept, for the answers of theirs still to send, but
// no longer offered for sign-in.
constexpr const char* kVersion5 = R"sql(
ALTER TABLE learners ADD COLUMN removed_at INTEGER;
)sql";

constexpr const char* kMigrations[] = {kVersion1, kVersion2, kVersion3, kVersion4, kVersion5};
constexpr int kMigrationCount = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

}  // namespace

Status migrate(sqlite::Database& db, int target) {
    auto version = db.scalar("PRAGMA user_version");
    if (!version) return version.error();
    if (target > kMigrationCount) target = kMigrationCount;
    for (int v = static_cast<int>(version.value()) + 1; v <= target; ++v) {
        sqlite::Transaction tx(db);
        if (auto s = tx.begin(); !s) return s;
        // Read again under the write lock: another connection opening the
        // same new file at the same moment (the app's store and its sync
        // engine) may have just made this version.
        auto now = db.scalar("PRAGMA user_version");
        if (!now) return now.error();
        if (now.value() >= v) continue;
        if (auto s = db.exec(kMigrations[v - 1]); !s)
            return Error{"upgrading the database to version " + std::to_string(v) + ": " + s.error().message};
        const std::string setVersion = "PRAGMA user_version = " + std::to_string(v);
        if (auto s = db.exec(setVersion.c_str()); !s) return s;
        if (auto s = tx.commit(); !s) return s;
    }
    return success();
}

}  // namespace kite::store
