#include "kite/store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <QScopeGuard>
#include <QThread>

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kite/pin_hash.h"
#include "kite/uuid.h"
#include "kite/wire.h"
#include "schema.h"
#include "sqlite.h"

namespace kite::store {

namespace {

std::int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray compact(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// ISO 8601 duration, as xAPI wants it: "PT12.345S".
QString isoDuration(std::int64_t ms) {
    return QStringLiteral("PT%1S").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 3);
}

// Whether `pin` is the PIN of `stored`: a hash of kite/pin_hash.h (new
// learners, and what the server sends), or one of the older local form
// "SALTHEX$SHA256HEX" (SHA-256 of the salt and the PIN) that profiles made
// before it may still hold.
bool storedPinMatches(const QString& pin, const QString& stored) {
    if (isPinHash(stored)) return pinMatches(pin, stored);
    const QStringList parts = stored.split(QLatin1Char('$'));
    if (parts.size() != 2) return false;
    const QByteArray salt = QByteArray::fromHex(parts[0].toLatin1());
    const QByteArray digest = QCryptographicHash::hash(salt + pin.toUtf8(), QCryptographicHash::Sha256);
    return !salt.isEmpty() && QString::fromLatin1(digest.toHex()) == parts[1];
}

// Moves a damaged database and its WAL files aside, never deleting them.
Result<QString> moveAside(const QString& path) {
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString target = path + QStringLiteral(".damaged-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".damaged-") + stamp + QLatin1Char('-') + QString::number(n);
    if (!QFile::rename(path, target))
        return Error{path.toStdString() + ": the database is damaged and could not be moved aside to " +
                     target.toStdString()};
    for (const char* suffix : {"-wal", "-shm"}) {
        const QString side = path + QLatin1String(suffix);
        if (QFileInfo::exists(side)) QFile::rename(side, target + QLatin1String(suffix));
    }
    return target;
}

}  // namespace

QString toString(Verb verb) {
    switch (verb) {
    case Verb::LessonOpened: return QStringLiteral("opened");
    case Verb::LessonClosed: return QStringLiteral("closed");
    case Verb::LessonCompleted: return QStringLiteral("completed");
    case Verb::HintRequested: return QStringLiteral("hint-requested");
    case Verb::ItemSkipped: return QStringLiteral("skipped");
    }
    return {};
}

// The ids the recording path needs, kept in memory so that recording an
// answer costs no lookups beyond its own inserts.
struct CourseIds {
    int version = 0;
    QHash<QString, std::int64_t> skills;   // uid -> skills.id (including retired)
    QHash<QString, std::int64_t> items;    // uid -> items.id (including retired)
    QHash<QString, std::int64_t> lessons;  // uid -> lessons.id
};

struct Store::Impl {
    std::unique_ptr<sqlite::Database> db;
    QHash<QString, CourseIds> courses;
    QHash<std::int64_t, QString> learnerUids;

    // Prepared once: the statements of the recording path.
    sqlite::Statement insertOutbox;
    sqlite::Statement insertAttempt;
    sqlite::Statement upsertMastery;

    Status prepareStatements();
    Status loadIds();
    Result<std::int64_t> insertEvent(const QString& id, const char* kind, const QByteArray& payload,
                                     std::int64_t at);
};

Status Store::Impl::prepareStatements() {
    auto a = db->prepare("INSERT INTO outbox(id, kind, payload, created_at) VALUES (?, ?, ?, ?)");
    if (!a) return a.error();
    insertOutbox = std::move(a.value());
    auto b = db->prepare(
        "INSERT INTO attempts(event, learner, item, correct, score, hints_used, duration_ms, answered_at, response) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!b) return b.error();
    insertAttempt = std::move(b.value());
    auto c = db->prepare(
        "INSERT INTO mastery(learner, skill, p_known, attempts, correct, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(learner, skill) DO UPDATE SET p_known = excluded.p_known, attempts = excluded.attempts, "
        "correct = excluded.correct, updated_at = excluded.updated_at");
    if (!c) return c.error();
    upsertMastery = std::move(c.value());
    return success();
}

Status Store::Impl::loadIds() {
    courses.clear();
    learnerUids.clear();
    auto q = db->prepare("SELECT id, version FROM courses");
    if (!q) return q.error();
    while (q->step()) courses[q->text(0)].version = q->int32(1);
    if (auto s = q->status(); !s) return s;
    const char* tables[][2] = {{"skills", "SELECT course, uid, id FROM skills"},
                               {"items", "SELECT course, uid, id FROM items"},
                               {"lessons", "SELECT course, uid, id FROM lessons"}};
    for (int t = 0; t < 3; ++t) {
        auto s = db->prepare(tables[t][1]);
        if (!s) return s.error();
        while (s->step()) {
            CourseIds& ids = courses[s->text(0)];
            auto& map = t == 0 ? ids.skills : t == 1 ? ids.items : ids.lessons;
            map.insert(s->text(1), s->int64(2));
        }
        if (auto st = s->status(); !st) return st;
    }
    auto l = db->prepare("SELECT id, uid FROM learners");
    if (!l) return l.error();
    while (l->step()) learnerUids.insert(l->int64(0), l->text(1));
    return l->status();
}

Result<std::int64_t> Store::Impl::insertEvent(const QString& id, const char* kind, const QByteArray& payload,
                                              std::int64_t at) {
    insertOutbox.bind(1, id).bindText(2, QByteArray(kind)).bindText(3, payload).bind(4, at);
    if (auto s = insertOutbox.run(); !s) return s.error();
    return db->lastInsertRowId();
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const QString& Store::path() const {
    return impl_->db->path();
}

sqlite::Database& Store::database() {
    return *impl_->db;
}

// ------------------------------------------------------------------ opening

namespace {

// Sets the connection up and checks that the file is a healthy Kite store.
// `damaged` tells a damaged file (to be moved aside) from other failures.
Status prepareConnection(sqlite::Database& db, const OpenOptions& options, bool fullCheck, bool& damaged) {
    damaged = false;
    auto check = [&](Status s) {
        if (!s) damaged = db.lastFailure() == sqlite::Failure::Corrupt;
        return s;
    };
    if (!options.readOnly) {
        // A new file opened by two connections at once (the app's store and
        // its sync engine on first run): the switch to WAL needs the file to
        // itself, and SQLite does not wait for it. The other connection
        // switches it, or lets go within moments.
        for (int attempt = 0;; ++attempt) {
            auto mode = db.prepare("PRAGMA journal_mode = WAL");
            if (!mode) return check(mode.error());
            const bool wal = mode->step() && mode->text(0) == QLatin1String("wal");
            Status status = mode->status();
            if (status && wal) break;
            if (status && !wal) return Error{db.path().toStdString() + ": cannot switch the database to WAL mode"};
            if (db.lastFailure() != sqlite::Failure::Busy || attempt >= 100) return check(status);
            QThread::msleep(50);
        }
    }
    if (auto s = check(db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")); !s) return s;
    // Both ends of every table's b-tree: cheap, and enough to find a file
    // that was cut short or whose schema pages are gone.
    QStringList tables;
    {
        auto q = db.prepare("SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_schema WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite_%'");
        if (!q) return check(q.error());
        while (q->step()) tables.push_back(q->text(0) + (q->int64(1) ? QStringLiteral(" WITHOUT ROWID") : QString()));
        if (auto s = check(q->status()); !s) return s;
    }
    for (const QString& t : tables) {
        const QString name = t.section(QLatin1Char(' '), 0, 0);
        const bool rowid = !t.contains(QLatin1String("WITHOUT ROWID"));
        for (const QString& sql : {QStringLiteral("SELECT * FROM \"%1\" LIMIT 1").arg(name),
                                   rowid ? QStringLiteral("SELECT * FROM \"%1\" ORDER BY rowid DESC LIMIT 1").arg(name)
                                         : QString()}) {
            if (sql.isEmpty()) continue;
            auto q = db.prepare(sql.toUtf8().constData());
            if (!q) return check(q.error());
            while (q->step()) {
            }
            if (auto s = check(q->status()); !s) return s;
        }
    }
    if (fullCheck) {
        // quick_check reports most damage in its rows rather than as an error.
        auto q = db.prepare("PRAGMA quick_check(1)");
        if (!q) return check(q.error());
        const QString verdict = q->step() ? q->text(0) : QString();
        if (auto s = check(q->status()); !s) return s;
        if (verdict != QLatin1String("ok")) {
            damaged = true;
            return Error{db.path().toStdString() + ": the database file is damaged (" + verdict.toStdString() + ")"};
        }
    }
    return success();
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const QString& path, const OpenOptions& options) {
    QString notice;
    const QString checkNote = path + QStringLiteral("-check");
    for (int round = 0;; ++round) {
        // Decided before opening: a WAL file left behind means the last
        // writer did not close cleanly.
        const bool fullCheck =
            !options.readOnly && options.check != IntegrityCheck::Quick &&
            (options.check == IntegrityCheck::Full || QFileInfo(path + QStringLiteral("-wal")).size() > 0 ||
             QFileInfo::exists(checkNote));
        auto db = sqlite::Database::open(path, /*create=*/!options.readOnly, options.readOnly);
        if (!db) return db.error();
        sqlite::Database& d = *db.value();
        bool damaged = false;
        Status ready = prepareConnection(d, options, fullCheck, damaged);
        std::int64_t version = 0;
        if (ready) {
            auto v = d.scalar("PRAGMA user_version");
            if (v) {
                version = v.value();
            } else {
                damaged = d.lastFailure() == sqlite::Failure::Corrupt;
                ready = v.error();
            }
        }
        if (damaged && !options.readOnly && round == 0) {
            db.value().reset();  // close before moving the file
            auto moved = moveAside(path);
            if (!moved) return moved.error();
            QFile::remove(checkNote);
            notice = QStringLiteral("The study database %1 was damaged. It was moved aside to %2 and a new one "
                                    "was started; answers already sent to the school server are kept there.")
                         .arg(path, moved.value());
            continue;
        }
        if (!ready) return ready.error();
        if (version > kSchemaVersion) {
            return Error{path.toStdString() + ": this database was written by a newer Kite (schema version " +
                         std::to_string(version) + ", this Kite knows up to " + std::to_string(kSchemaVersion) +
                         "); it has been left untouched"};
        }
        if (version < kSchemaVersion) {
            if (options.readOnly)
                return Error{path.toStdString() + ": the database needs an upgrade that a read-only open cannot do"};
            if (auto s = migrate(d, kSchemaVersion); !s) return s.error();
        }

        if (fullCheck && !options.readOnly) QFile::remove(checkNote);  // checked: healthy

        auto impl = std::make_unique<Impl>();
        impl->db = std::move(db.value());
        // Damage met later, in use, is noted for a full check at the next open.
        impl->db->onCorrupt([checkNote] {
            QFile note(checkNote);
            if (note.open(QIODevice::WriteOnly)) note.write("damage was seen in use; check at the next open\n");
        });
        if (!options.readOnly) {
            if (auto s = impl->prepareStatements(); !s) return s.error();
        }
        if (auto s = impl->loadIds(); !s) return s.error();
        std::unique_ptr<Store> store(new Store(std::move(impl)));
        store->notice_ = notice;
        store->schema_version_ = kSchemaVersion;
        // The device id is made once, with the store.
        auto device = store->setting(QStringLiteral("device_id"));
        if (!device) return device.error();
        if (device->isEmpty() && !options.readOnly) {
            device = newUuidV7();
            if (auto s = store->setSetting(QStringLiteral("device_id"), device.value()); !s) return s.error();
        }
        store->device_id_ = device.value();
        return store;
    }
}

// ------------------------------------------------------------------ learners

Result<Learner> Store::addLearner(const QString& name, const QString& colour, const QString& pin) {
    if (name.trimmed().isEmpty()) return Error{"a learner needs a name"};
    Learner learner;
    learner.uid = newUuidV7();
    learner.name = name.trimmed();
    learner.colour = colour;
    learner.has_pin = !pin.isEmpty();
    learner.created_at = nowMs();
    auto insert = impl_->db->prepare(
        "INSERT INTO learners(uid, name, created_at, colour, pin_hash) VALUES (?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, learner.uid).bind(2, learner.name).bind(3, learner.created_at).bind(4, colour);
    if (pin.isEmpty()) {
        insert->bindNull(5);
    } else {
        insert->bind(5, hashPin(pin));
    }
    if (auto s = insert->run(); !s) return s.error();
    learner.id = impl_->db->lastInsertRowId();
    impl_->learnerUids.insert(learner.id, learner.uid);
    return learner;
}

Result<QList<Learner>> Store::learners() {
    auto q = impl_->db->prepare(
        "SELECT id, uid, name, colour, pin_hash IS NOT NULL, created_at FROM learners WHERE removed_at IS NULL "
        "ORDER BY name, id");
    if (!q) return q.error();
    QList<Learner> out;
    while (q->step()) {
        out.push_back(Learner{q->int64(0), q->text(1), q->text(2), q->text(3), q->int64(4) != 0, q->int64(5)});
    }
    if (auto s = q->status(); !s) return s.error();
    return out;
}

Result<bool> Store::checkPin(std::int64_t learner, const QString& pin) {
    auto q = impl_->db->prepare("SELECT pin_hash FROM learners WHERE id = ?");
    if (!q) return q.error();
    q->bind(1, learner);
    if (!q->step()) {
        if (auto s = q->status(); !s) return s.error();
        return Error{"no learner " + std::to_string(learner)};
    }
    if (q->isNull(0)) return pin.isEmpty();
    return storedPinMatches(pin, q->text(0));
}

// ------------------------------------------------------------------- courses

Status Store::importCourse(const course::Course& course) {
    sqlite::Database& db = *impl_->db;
    const auto known = impl_->courses.constFind(course.id);
    if (known != impl_->courses.constEnd()) {
        auto hash = db.prepare("SELECT content_sha256 FROM courses WHERE id = ?");
        if (!hash) return hash.error();
        hash->bind(1, course.id);
        const QString installed = hash->step() ? hash->text(0) : QString();
        if (auto s = hash->status(); !s) return s;
        if (course.version < known->version) {
            return Error{"course '" + course.id.toStdString() + "' version " + std::to_string(course.version) +
                         " is older than the installed version " + std::to_string(known->version)};
        }
        if (course.version == known->version) {
            if (installed == course.content_sha256) return success();  // already installed
            return Error{"course '" + course.id.toStdString() + "' version " + std::to_string(course.version) +
                         " is already installed with different content; the new content needs a higher version"};
        }
    }

    // Declared before the transaction so that it runs after a rollback: the
    // cached ids must not keep rows that were never committed.
    bool committed = false;
    auto reload = qScopeGuard([&] {
        if (!committed) static_cast<void>(impl_->loadIds());
    });
    sqlite::Transaction tx(db);
    if (auto s = tx.begin(); !s) return s;
    auto run = [&](const char* sql, auto&&... binds) -> Status {
        auto q = db.prepare(sql);
        if (!q) return q.error();
        int i = 0;
        (q->bind(++i, binds), ...);
        return q->run();
    };
    const std::int64_t now = nowMs();
    if (auto s = run("INSERT INTO courses(id, title, version, language, description, content_sha256, imported_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
                     "version = excluded.version, language = excluded.language, description = "
                     "excluded.description, content_sha256 = excluded.content_sha256, imported_at = "
                     "excluded.imported_at",
                     course.id, course.title, static_cast<std::int64_t>(course.version), course.language,
                     course.description, course.content_sha256, now);
        !s)
        return s;
    for (const char* sql : {"UPDATE skills SET retired = 1 WHERE course = ?", "UPDATE lessons SET retired = 1 WHERE course = ?",
                            "UPDATE items SET retired = 1 WHERE course = ?", "DELETE FROM course_files WHERE course = ?"}) {
        if (auto s = run(sql, course.id); !s) return s;
    }

    // Upserts by (course, uid) and returns the row id.
    auto upsert = [&](sqlite::Statement& q) -> Result<std::int64_t> {
        if (!q.step()) {
            if (auto s = q.status(); !s) return s.error();
            return Error{"upsert returned no id"};
        }
        const std::int64_t id = q.int64(0);
        q.reset();
        return id;
    };
    auto skillQ = db.prepare(
        "INSERT INTO skills(course, uid, name, position, retired) VALUES (?, ?, ?, ?, 0) ON CONFLICT(course, uid) "
        "DO UPDATE SET name = excluded.name, position = excluded.position, retired = 0 RETURNING id");
    if (!skillQ) return skillQ.error();
    QHash<QString, std::int64_t> skillIds;
    for (int i = 0; i < course.skills.size(); ++i) {
        const auto& skill = course.skills[i];
        skillQ->bind(1, course.id).bind(2, skill.id).bind(3, skill.name).bind(4, i);
        auto id = upsert(skillQ.value());
        if (!id) return id.error();
        skillIds.insert(skill.id, id.value());
    }
    if (auto s = run("DELETE FROM skill_prerequisites WHERE skill IN (SELECT id FROM skills WHERE course = ?)",
                     course.id);
        !s)
        return s;
    for (const auto& skill : course.skills) {
        for (const auto& pre : skill.prerequisites) {
            if (auto s = run("INSERT INTO skill_prerequisites(skill, prerequisite) VALUES (?, ?)",
                             skillIds.value(skill.id), skillIds.value(pre));
                !s)
                return s;
        }
    }

    auto lessonQ = db.prepare(
        "INSERT INTO lessons(course, uid, title, position, path, markdown, retired) VALUES (?, ?, ?, ?, ?, ?, 0) "
        "ON CONFLICT(course, uid) DO UPDATE SET title = excluded.title, position = excluded.position, path = "
        "excluded.path, markdown = excluded.markdown, retired = 0 RETURNING id");
    if (!lessonQ) return lessonQ.error();
    for (const auto& lesson : course.lessons) {
        lessonQ->bind(1, course.id).bind(2, lesson.id).bind(3, lesson.title).bind(4, lesson.order)
            .bind(5, lesson.path).bind(6, lesson.markdown);
        auto id = upsert(lessonQ.value());
        if (!id) return id.error();
        if (auto s = run("DELETE FROM lesson_skills WHERE lesson = ?", id.value()); !s) return s;
        for (const auto& skill : lesson.skills) {
            if (auto s = run("INSERT INTO lesson_skills(lesson, skill) VALUES (?, ?)", id.value(),
                             skillIds.value(skill));
                !s)
                return s;
        }
    }

    auto itemQ = db.prepare(
        "INSERT INTO items(course, uid, position, body, retired) VALUES (?, ?, ?, ?, 0) ON CONFLICT(course, uid) "
        "DO UPDATE SET position = excluded.position, body = excluded.body, retired = 0 RETURNING id");
    if (!itemQ) return itemQ.error();
    for (int i = 0; i < course.items.size(); ++i) {
        const auto& item = course.items[i];
        itemQ->bind(1, course.id).bind(2, item.id).bind(3, i).bindText(4, item.json);
        auto id = upsert(itemQ.value());
        if (!id) return id.error();
        if (auto s = run("DELETE FROM item_skills WHERE item = ?", id.value()); !s) return s;
        for (const auto& skill : item.skills) {
            if (auto s = run("INSERT INTO item_skills(item, skill) VALUES (?, ?)", id.value(), skillIds.value(skill));
                !s)
                return s;
        }
    }

    for (auto it = course.files.constBegin(); it != course.files.constEnd(); ++it) {
        if (!it.key().startsWith(QLatin1String("images/"))) continue;  // the rest is in the tables above
        if (auto s = run("INSERT INTO course_files(course, path, data) VALUES (?, ?, ?)", course.id, it.key(),
                         it.value());
            !s)
            return s;
    }
    // Item skills may have changed with the version: bring mastery in line,
    // in the same transaction.
    if (auto s = impl_->loadIds(); !s) return s;
    if (auto s = rebuildMastery(course.id); !s) return s;
    if (auto s = tx.commit(); !s) return s;
    committed = true;
    return success();
}

Result<QList<CourseInfo>> Store::courses() {
    auto q = impl_->db->prepare(
        "SELECT id, title, version, language, content_sha256, imported_at FROM courses ORDER BY title, id");
    if (!q) return q.error();
    QList<CourseInfo> out;
    while (q->step()) out.push_back(CourseInfo{q->text(0), q->text(1), q->int32(2), q->text(3), q->text(4), q->int64(5)});
    if (auto s = q->status(); !s) return s.error();
    return out;
}

Result<course::Course> Store::loadCourse(const QString& id) {
    sqlite::Database& db = *impl_->db;
    course::Course c;
    {
        auto q = db.prepare("SELECT title, version, language, description, content_sha256 FROM courses WHERE id = ?");
        if (!q) return q.error();
        q->bind(1, id);
        if (!q->step()) {
            if (auto s = q->status(); !s) return s.error();
            return Error{"course '" + id.toStdString() + "' is not installed"};
        }
        c.id = id;
        c.title = q->text(0);
        c.version = q->int32(1);
        c.language = q->text(2);
        c.description = q->text(3);
        c.content_sha256 = q->text(4);
    }
    QHash<std::int64_t, QString> skillUid;
    {
        auto q = db.prepare("SELECT id, uid, name FROM skills WHERE course = ? AND retired = 0 ORDER BY position");
        if (!q) return q.error();
        q->bind(1, id);
        while (q->step()) {
            skillUid.insert(q->int64(0), q->text(1));
            c.skills.push_back(course::Skill{q->text(1), q->text(2), {}});
        }
        if (auto s = q->status(); !s) return s.error();
    }
    {
        auto q = db.prepare(
            "SELECT s.uid, p.uid FROM skill_prerequisites sp JOIN skills s ON s.id = sp.skill "
            "JOIN skills p ON p.id = sp.prerequisite WHERE s.course = ? ORDER BY p.position");
        if (!q) return q.error();
        q->bind(1, id);
        while (q->step()) {
            const QString skill = q->text(0);
            for (auto& s : c.skills)
                if (s.id == skill) s.prerequisites.push_back(q->text(1));
        }
        if (auto s = q->status(); !s) return s.error();
    }
    {
        auto q = db.prepare(
            "SELECT id, uid, title, position, path, markdown FROM lessons WHERE course = ? AND retired = 0 "
            "ORDER BY position");
        if (!q) return q.error();
        q->bind(1, id);
        auto skills = db.prepare("SELECT skill FROM lesson_skills WHERE lesson = ?");
        if (!skills) return skills.error();
        while (q->step()) {
            course::Lesson lesson{q->text(1), q->text(2), {}, q->int32(3), q->text(4), q->text(5)};
            skills->bind(1, q->int64(0));
            while (skills->step()) lesson.skills.push_back(skillUid.value(skills->int64(0)));
            if (auto s = skills->status(); !s) return s.error();
            skills->reset();
            c.lessons.push_back(std::move(lesson));
        }
        if (auto s = q->status(); !s) return s.error();
    }
    {
        auto q = db.prepare("SELECT uid, body FROM items WHERE course = ? AND retired = 0 ORDER BY position");
        if (!q) return q.error();
        q->bind(1, id);
        while (q->step()) {
            auto item = course::parseItem(q->blob(1));
            if (!item) {
                return Error{path().toStdString() + ": item '" + q->text(0).toStdString() + "' of course '" +
                             id.toStdString() + "' cannot be read: " + item.error().message};
            }
            c.items.push_back(std::move(item.value()));
        }
        if (auto s = q->status(); !s) return s.error();
    }
    return c;
}

Result<QByteArray> Store::courseFile(const QString& course, const QString& path) {
    auto q = impl_->db->prepare("SELECT data FROM course_files WHERE course = ? AND path = ?");
    if (!q) return q.error();
    q->bind(1, course).bind(2, path);
    if (!q->step()) {
        if (auto s = q->status(); !s) return s.error();
        return Error{"course '" + course.toStdString() + "' has no file " + path.toStdString()};
    }
    return q->blob(0);
}

// -------------------------------------------------------------- BKT params

Result<QHash<QString, bkt::Params>> Store::bktParams(const QString& course) {
    auto q = impl_->db->prepare(
        "SELECT s.uid, p.prior, p.learn, p.forget, p.guess, p.slip FROM skills s LEFT JOIN bkt_params p ON "
        "p.skill = s.id WHERE s.course = ?");
    if (!q) return q.error();
    q->bind(1, course);
    QHash<QString, bkt::Params> out;
    while (q->step()) {
        bkt::Params p = bkt::kUnseenSkillDefaults;
        if (!q->isNull(1)) p = bkt::Params{q->real(1), q->real(2), q->real(3), q->real(4), q->real(5)};
        out.insert(q->text(0), p);
    }
    if (auto s = q->status(); !s) return s.error();
    return out;
}

Status Store::setBktParams(const QString& course, const QHash<QString, bkt::Params>& params, const QString& source) {
    const auto ids = impl_->courses.constFind(course);
    if (ids == impl_->courses.constEnd()) return Error{"course '" + course.toStdString() + "' is not installed"};
    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        const bkt::Params& p = it.value();
        for (double v : {p.prior, p.learn, p.forget, p.guess, p.slip})
            if (!(v >= 0.0 && v <= 1.0))
                return Error{"BKT parameters of skill '" + it.key().toStdString() + "' are not probabilities"};
        if (!ids->skills.contains(it.key()))
            return Error{"course '" + course.toStdString() + "' has no skill '" + it.key().toStdString() + "'"};
    }
    sqlite::Database& db = *impl_->db;
    // Its own transaction, or the caller's (applyServerChanges).
    const bool own = !db.inTransaction();
    sqlite::Transaction tx(db);
    if (own) {
        if (auto s = tx.begin(); !s) return s;
    }
    auto q = db.prepare(
        "INSERT INTO bkt_params(skill, prior, learn, forget, guess, slip, source, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(skill) DO UPDATE SET prior = excluded.prior, learn = excluded.learn, "
        "forget = excluded.forget, guess = excluded.guess, slip = excluded.slip, source = excluded.source, "
        "updated_at = excluded.updated_at");
    if (!q) return q.error();
    const std::int64_t now = nowMs();
    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        const bkt::Params& p = it.value();
        q->bind(1, ids->skills.value(it.key())).bind(2, p.prior).bind(3, p.learn).bind(4, p.forget)
            .bind(5, p.guess).bind(6, p.slip).bind(7, source).bind(8, now);
        if (auto s = q->run(); !s) return s;
    }
    if (auto s = rebuildMastery(course); !s) return s;  // joins this transaction
    return own ? tx.commit() : success();
}

// ------------------------------------------------------------------ recording

Result<Recorded> Store::recordAttempt(const AttemptRecord& a) {
    const auto ids = impl_->courses.constFind(a.course);
    if (ids == impl_->courses.constEnd()) return Error{"course '" + a.course.toStdString() + "' is not installed"};
    const std::int64_t item = ids->items.value(a.item, -1);
    if (item < 0)
        return Error{"course '" + a.course.toStdString() + "' has no item '" + a.item.toStdString() + "'"};
    const QString learnerUid = impl_->learnerUids.value(a.learner);
    if (learnerUid.isEmpty()) return Error{"no learner " + std::to_string(a.learner)};

    Recorded recorded;
    recorded.event_id = newUuidV7();
    // The event as the protocol defines it (kite/wire.h), so the server reads
    // exactly what the device wrote.
    wire::AttemptPayload payload;
    payload.id = recorded.event_id;
    payload.device = device_id_;
    payload.learner = learnerUid;
    payload.course = a.course;
    payload.course_version = ids->version;
    payload.item = a.item;
    for (const Mastery& m : a.mastery) {
        payload.skills.push_back(m.skill);
        payload.mastery.insert(m.skill, m.p_known);
    }
    payload.response = QJsonDocument::fromJson(a.response).object();
    payload.correct = a.correct;
    payload.score = a.score;
    payload.hints_used = a.hints_used;
    payload.duration_ms = a.duration_ms;
    payload.answered_at = a.answered_at;

    Impl& d = *impl_;
    sqlite::Transaction tx(*d.db);
    if (auto s = tx.begin(); !s) return s.error();
    auto seq = d.insertEvent(recorded.event_id, "attempt", compact(wire::toJson(payload)), a.answered_at);
    if (!seq) return seq.error();
    recorded.seq = seq.value();
    d.insertAttempt.bind(1, recorded.event_id).bind(2, a.learner).bind(3, item).bind(4, a.correct ? 1 : 0)
        .bind(5, a.score).bind(6, a.hints_used).bind(7, a.duration_ms).bind(8, a.answered_at).bindText(9, a.response);
    if (auto s = d.insertAttempt.run(); !s) return s.error();
    for (const Mastery& m : a.mastery) {
        const std::int64_t skill = ids->skills.value(m.skill, -1);
        if (skill < 0) return Error{"course '" + a.course.toStdString() + "' has no skill '" + m.skill.toStdString() + "'"};
        d.upsertMastery.bind(1, a.learner).bind(2, skill).bind(3, m.p_known).bind(4, m.attempts).bind(5, m.correct)
            .bind(6, m.updated_at);
        if (auto s = d.upsertMastery.run(); !s) return s.error();
    }
    if (auto s = tx.commit(); !s) return s.error();
    return recorded;
}

Result<Recorded> Store::recordStatement(const StatementRecord& st) {
    const auto ids = impl_->courses.constFind(st.course);
    if (ids == impl_->courses.constEnd()) return Error{"course '" + st.course.toStdString() + "' is not installed"};
    const QString learnerUid = impl_->learnerUids.value(st.learner);
    if (learnerUid.isEmpty()) return Error{"no learner " + std::to_string(st.learner)};
    const bool aboutLesson = st.verb == Verb::LessonOpened || st.verb == Verb::LessonClosed ||
                             st.verb == Verb::LessonCompleted;
    const std::int64_t lesson = aboutLesson ? ids->lessons.value(st.lesson, -1) : -1;
    if (aboutLesson && lesson < 0)
        return Error{"course '" + st.course.toStdString() + "' has no lesson '" + st.lesson.toStdString() + "'"};
    if (!aboutLesson && !ids->items.contains(st.item))
        return Error{"course '" + st.course.toStdString() + "' has no item '" + st.item.toStdString() + "'"};

    // xAPI verbs: ADL's where one fits, else Tin Can registry or Kite's own URN.
    QString verbId;
    switch (st.verb) {
    case Verb::LessonOpened: verbId = QStringLiteral("http://adlnet.gov/expapi/verbs/initialized"); break;
    case Verb::LessonClosed: verbId = QStringLiteral("http://adlnet.gov/expapi/verbs/terminated"); break;
    case Verb::LessonCompleted: verbId = QStringLiteral("http://adlnet.gov/expapi/verbs/completed"); break;
    case Verb::HintRequested: verbId = QStringLiteral("urn:kite:xapi:verb:hint-requested"); break;
    case Verb::ItemSkipped: verbId = QStringLiteral("http://id.tincanapi.com/verb/skipped"); break;
    }
    const QString objectId = aboutLesson
                                 ? QStringLiteral("urn:kite:course:%1:lesson:%2").arg(st.course, st.lesson)
                                 : QStringLiteral("urn:kite:course:%1:item:%2").arg(st.course, st.item);
    const QString objectType = aboutLesson ? QStringLiteral("http://adlnet.gov/expapi/activities/lesson")
                                           : QStringLiteral("http://adlnet.gov/expapi/activities/cmi.interaction");
    Recorded recorded;
    recorded.event_id = newUuidV7();
    QJsonObject statement{
        {QStringLiteral("id"), recorded.event_id},
        {QStringLiteral("actor"),
         QJsonObject{{QStringLiteral("objectType"), QStringLiteral("Agent")},
                     {QStringLiteral("account"),
                      QJsonObject{{QStringLiteral("homePage"), QStringLiteral("urn:kite:device:") + device_id_},
                                  {QStringLiteral("name"), learnerUid}}}}},
        {QStringLiteral("verb"),
         QJsonObject{{QStringLiteral("id"), verbId},
                     {QStringLiteral("display"), QJsonObject{{QStringLiteral("en-US"), toString(st.verb)}}}}},
        {QStringLiteral("object"),
         QJsonObject{{QStringLiteral("objectType"), QStringLiteral("Activity")},
                     {QStringLiteral("id"), objectId},
                     {QStringLiteral("definition"), QJsonObject{{QStringLiteral("type"), objectType}}}}},
        {QStringLiteral("timestamp"), wire::isoTime(st.at)},
    };
    QJsonObject result;
    if (st.duration_ms >= 0) result.insert(QStringLiteral("duration"), isoDuration(st.duration_ms));
    if (st.verb == Verb::LessonCompleted) result.insert(QStringLiteral("completion"), true);
    if (st.hint_index >= 0)
        result.insert(QStringLiteral("extensions"),
                      QJsonObject{{QStringLiteral("urn:kite:xapi:hint-index"), st.hint_index}});
    if (!result.isEmpty()) statement.insert(QStringLiteral("result"), result);

    Impl& d = *impl_;
    sqlite::Transaction tx(*d.db);
    if (auto s = tx.begin(); !s) return s.error();
    auto seq = d.insertEvent(recorded.event_id, "statement", compact(statement), st.at);
    if (!seq) return seq.error();
    recorded.seq = seq.value();
    if (aboutLesson) {
        // ?1 learner, ?2 lesson, ?3 the time or the seconds spent.
        const char* sql = nullptr;
        std::int64_t value = st.at;
        switch (st.verb) {
        case Verb::LessonOpened:
            sql = "INSERT INTO lesson_progress(learner, lesson, opened_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT(learner, lesson) DO UPDATE SET opened_at = COALESCE(opened_at, ?3)";
            break;
        case Verb::LessonClosed:
            sql = "INSERT INTO lesson_progress(learner, lesson, seconds) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT(learner, lesson) DO UPDATE SET seconds = seconds + ?3";
            value = std::max<std::int64_t>(st.duration_ms, 0) / 1000;
            break;
        default:
            sql = "INSERT INTO lesson_progress(learner, lesson, completed_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT(learner, lesson) DO UPDATE SET completed_at = COALESCE(completed_at, ?3)";
            break;
        }
        auto q = d.db->prepare(sql);
        if (!q) return q.error();
        q->bind(1, st.learner).bind(2, lesson).bind(3, value);
        if (auto s = q->run(); !s) return s.error();
    }
    if (auto s = tx.commit(); !s) return s.error();
    return recorded;
}

// ------------------------------------------------------------------- mastery

Result<QList<Mastery>> Store::mastery(std::int64_t learner, const QString& course) {
    auto q = impl_->db->prepare(
        "SELECT s.uid, m.p_known, m.attempts, m.correct, m.updated_at FROM mastery m JOIN skills s ON s.id = m.skill "
        "WHERE m.learner = ? AND s.course = ? AND s.retired = 0 ORDER BY s.position");
    if (!q) return q.error();
    q->bind(1, learner).bind(2, course);
    QList<Mastery> out;
    while (q->step()) out.push_back(Mastery{q->text(0), q->real(1), q->int32(2), q->int32(3), q->int64(4)});
    if (auto s = q->status(); !s) return s.error();
    return out;
}

Status Store::rebuildMastery(const QString& course) {
    const auto ids = impl_->courses.constFind(course);
    if (ids == impl_->courses.constEnd()) return Error{"course '" + course.toStdString() + "' is not installed"};
    sqlite::Database& db = *impl_->db;
    auto params = bktParams(course);
    if (!params) return params.error();

    // Dense indexes for the replay: skills of this course, items -> skills.
    std::unordered_map<std::int64_t, int> skillIndex;
    std::vector<std::int64_t> skillIds;
    std::vector<bkt::Params> skillParams;
    for (auto it = ids->skills.constBegin(); it != ids->skills.constEnd(); ++it) {
        skillIndex.emplace(it.value(), static_cast<int>(skillIds.size()));
        skillIds.push_back(it.value());
        skillParams.push_back(params->value(it.key(), bkt::kUnseenSkillDefaults));
    }
    std::unordered_map<std::int64_t, std::vector<int>> itemSkills;
    {
        auto q = db.prepare("SELECT i.id, x.skill FROM items i JOIN item_skills x ON x.item = i.id WHERE i.course = ?");
        if (!q) return q.error();
        q->bind(1, course);
        while (q->step()) {
            const auto s = skillIndex.find(q->int64(1));
            if (s != skillIndex.end()) itemSkills[q->int64(0)].push_back(s->second);
        }
        if (auto s = q->status(); !s) return s;
    }

    // The server's BKT snapshots: a learner's state of a skill starts from
    // its snapshot and replays only this device's attempts it does not cover.
    struct Snapshot {
        double p_known;
        std::int64_t covers_seq;
    };
    std::unordered_map<std::uint64_t, Snapshot> snapshots;  // (learner << 20 | skill index)
    {
        auto q = db.prepare(
            "SELECT l.id, m.skill, m.p, m.covers_seq FROM server_mastery m JOIN learners l ON l.uid = m.learner "
            "WHERE m.course = ? AND m.model = 'bkt'");
        if (!q) return q.error();
        q->bind(1, course);
        while (q->step()) {
            const auto skill = skillIndex.find(ids->skills.value(q->text(1), -1));
            if (skill == skillIndex.end()) continue;
            snapshots[(static_cast<std::uint64_t>(q->int64(0)) << 20) | static_cast<std::uint64_t>(skill->second)] =
                Snapshot{q->real(2), q->int64(3)};
        }
        if (auto s = q->status(); !s) return s;
    }

    struct State {
        double p_known;
        std::int64_t covered = 0;  // this device's attempts up to this sequence are in p_known already
        int attempts = 0;
        int correct = 0;
        std::int64_t updated_at = 0;
    };
    std::unordered_map<std::uint64_t, State> states;  // (learner << 20 | skill index)
    auto q = db.prepare(
        "SELECT a.learner, a.item, a.correct, a.answered_at, o.seq FROM attempts a JOIN outbox o ON o.id = a.event "
        "ORDER BY a.id");
    if (!q) return q.error();
    while (q->step()) {
        const auto skills = itemSkills.find(q->int64(1));
        if (skills == itemSkills.end()) continue;  // another course
        const auto learner = static_cast<std::uint64_t>(q->int64(0));
        const bool correct = q->int64(2) != 0;
        for (int skill : skills->second) {
            const bkt::Params& p = skillParams[static_cast<std::size_t>(skill)];
            const std::uint64_t key = (learner << 20) | static_cast<std::uint64_t>(skill);
            auto [it, fresh] = states.try_emplace(key, State{p.prior});
            State& st = it->second;
            if (fresh) {
                const auto snapshot = snapshots.find(key);
                if (snapshot != snapshots.end()) st = State{snapshot->second.p_known, snapshot->second.covers_seq};
            }
            if (q->int64(4) > st.covered)
                st.p_known = bkt::observe(st.p_known, correct ? Outcome::kCorrect : Outcome::kWrong, p).next;
            ++st.attempts;
            st.correct += correct ? 1 : 0;
            st.updated_at = q->int64(3);
        }
    }
    if (auto s = q->status(); !s) return s;
    // Skills this device has no attempts of: the server's estimate as it is.
    for (const auto& [key, snapshot] : snapshots) states.try_emplace(key, State{snapshot.p_known, snapshot.covers_seq});

    // Write it back in one transaction (or inside the caller's).
    const bool own = !db.inTransaction();
    sqlite::Transaction tx(db);
    if (own) {
        if (auto s = tx.begin(); !s) return s;
    }
    auto del = db.prepare("DELETE FROM mastery WHERE skill IN (SELECT id FROM skills WHERE course = ?)");
    if (!del) return del.error();
    del->bind(1, course);
    if (auto s = del->run(); !s) return s;
    for (const auto& [key, st] : states) {
        impl_->upsertMastery.bind(1, static_cast<std::int64_t>(key >> 20))
            .bind(2, skillIds[static_cast<std::size_t>(key & 0xfffff)])
            .bind(3, st.p_known).bind(4, st.attempts).bind(5, st.correct).bind(6, st.updated_at);
        if (auto s = impl_->upsertMastery.run(); !s) return s;
    }
    if (own) return tx.commit();
    return success();
}

// ------------------------------------------------------ what the server sent

Status Store::applyServerChanges(const ServerChanges& changes, const QString& cursor) {
    sqlite::Database& db = *impl_->db;
    sqlite::Transaction tx(db);
    if (auto s = tx.begin(); !s) return s;
    QSet<QString> touched;  // courses whose mastery is rebuilt

    if (!changes.learners.isEmpty()) {
        // The record as the server has it now; a removed learner stays (their
        // unsent answers need them) but leaves the sign-in grid.
        auto q = db.prepare(
            "INSERT INTO learners(uid, name, created_at, colour, pin_hash, removed_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(uid) DO UPDATE SET name = excluded.name, colour = excluded.colour, "
            "pin_hash = excluded.pin_hash, removed_at = coalesce(removed_at, excluded.removed_at)");
        if (!q) return q.error();
        const std::int64_t now = nowMs();
        for (const RosterLearner& l : changes.learners) {
            q->bind(1, l.uid).bind(2, l.name).bind(3, now).bind(4, l.colour);
            if (l.pin_hash.isEmpty())
                q->bindNull(5);
            else
                q->bind(5, l.pin_hash);
            if (l.removed)
                q->bind(6, now);
            else
                q->bindNull(6);
            if (auto s = q->run(); !s) return s;
        }
        if (auto s = impl_->loadIds(); !s) return s;
        // A learner new here may have server estimates already.
        touched.unite(QSet<QString>(impl_->courses.keyBegin(), impl_->courses.keyEnd()));
    }

    auto mastery = db.prepare(
        "INSERT INTO server_mastery(learner, course, skill, model, p, covers_seq, at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(learner, course, skill, model) DO UPDATE SET p = excluded.p, covers_seq = excluded.covers_seq, "
        "at = excluded.at");
    if (!mastery) return mastery.error();
    for (const ServerMastery& m : changes.mastery) {
        mastery->bind(1, m.learner).bind(2, m.course).bind(3, m.skill).bind(4, m.model).bind(5, m.p)
            .bind(6, m.covers_seq).bind(7, m.at);
        if (auto s = mastery->run(); !s) return s;
        if (m.model == QLatin1String("bkt")) touched.insert(m.course);
    }

    auto offered = db.prepare(
        "INSERT INTO courses_offered(id, version, sha256, size) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "version = excluded.version, sha256 = excluded.sha256, size = excluded.size WHERE excluded.version > version");
    if (!offered) return offered.error();
    for (const OfferedCourse& c : changes.courses) {
        offered->bind(1, c.id).bind(2, c.version).bind(3, c.sha256).bind(4, c.size);
        if (auto s = offered->run(); !s) return s;
    }

    for (auto course = changes.params.constBegin(); course != changes.params.constEnd(); ++course) {
        const auto ids = impl_->courses.constFind(course.key());
        if (ids == impl_->courses.constEnd()) continue;
        QHash<QString, bkt::Params> known;
        for (auto p = course.value().constBegin(); p != course.value().constEnd(); ++p)
            if (ids->skills.contains(p.key())) known.insert(p.key(), p.value());
        if (known.isEmpty()) continue;
        if (auto s = setBktParams(course.key(), known, QStringLiteral("server")); !s) return s;  // joins, rebuilds
        touched.remove(course.key());
    }

    // The courses whose mastery is to be rebuilt, kept with the page: a
    // long pull rebuilds once at its end (refreshMastery), and a crash
    // before then leaves the note for the next start.
    if (!touched.isEmpty()) {
        auto stale = syncState(QStringLiteral("stale_mastery"));
        if (!stale) return stale.error();
        for (const QString& course : stale->split(QLatin1Char('\n'), Qt::SkipEmptyParts)) touched.insert(course);
        QStringList courses(touched.begin(), touched.end());
        courses.sort();
        if (auto s = setSyncState(QStringLiteral("stale_mastery"), courses.join(QLatin1Char('\n'))); !s) return s;
    }
    if (auto s = setSyncState(QStringLiteral("pull_cursor"), cursor); !s) return s;
    return tx.commit();
}

Status Store::refreshMastery() {
    auto stale = syncState(QStringLiteral("stale_mastery"));
    if (!stale) return stale.error();
    if (stale->isEmpty()) return success();
    sqlite::Transaction tx(*impl_->db);
    if (auto s = tx.begin(); !s) return s;
    for (const QString& course : stale->split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (impl_->courses.contains(course))
            if (auto s = rebuildMastery(course); !s) return s;
    if (auto s = setSyncState(QStringLiteral("stale_mastery"), QString()); !s) return s;
    return tx.commit();
}

Result<QList<MasteryPoint>> Store::masteryHistory(std::int64_t learner, const QString& course) {
    auto q = impl_->db->prepare(
        "SELECT a.answered_at, o.payload FROM attempts a JOIN items i ON i.id = a.item JOIN outbox o ON o.id = a.event "
        "WHERE a.learner = ? AND i.course = ? ORDER BY a.id");
    if (!q) return q.error();
    q->bind(1, learner).bind(2, course);
    QList<MasteryPoint> out;
    for (int answer = 0; q->step(); ++answer) {
        const QJsonObject shown = QJsonDocument::fromJson(q->blob(1)).object().value(QLatin1String("mastery")).toObject();
        for (auto it = shown.constBegin(); it != shown.constEnd(); ++it)
            out.push_back(MasteryPoint{answer, q->int64(0), it.key(), it.value().toDouble()});
    }
    if (auto s = q->status(); !s) return s.error();
    return out;
}

Result<QList<ServerMastery>> Store::serverMastery(const QString& learnerUid, const QString& course) {
    auto q = impl_->db->prepare(
        "SELECT skill, model, p, covers_seq, at FROM server_mastery WHERE learner = ? AND course = ? "
        "ORDER BY skill, model");
    if (!q) return q.error();
    q->bind(1, learnerUid).bind(2, course);
    QList<ServerMastery> out;
    while (q->step())
        out.push_back(ServerMastery{learnerUid, course, q->text(0), q->text(1), q->real(2), q->int64(3), q->int64(4)});
    if (auto s = q->status(); !s) return s.error();
    return out;
}

Result<QList<OfferedCourse>> Store::offeredCourses() {
    auto q = impl_->db->prepare("SELECT id, version, sha256, size FROM courses_offered ORDER BY id");
    if (!q) return q.error();
    QList<OfferedCourse> out;
    while (q->step()) out.push_back(OfferedCourse{q->text(0), q->int32(1), q->text(2), q->int64(3)});
    if (auto s = q->status(); !s) return s.error();
    return out;
}

// -------------------------------------------------------------------- outbox

Result<QList<OutboxEvent>> Store::pendingEvents(int limit, std::int64_t afterSeq) {
    auto q = impl_->db->prepare(
        "SELECT seq, id, kind, payload, created_at FROM outbox WHERE state = 0 AND seq > ? ORDER BY seq LIMIT ?");
    if (!q) return q.error();
    q->bind(1, afterSeq).bind(2, limit);
    QList<OutboxEvent> out;
    while (q->step()) out.push_back(OutboxEvent{q->int64(0), q->text(1), q->text(2), q->blob(3), q->int64(4)});
    if (auto s = q->status(); !s) return s.error();
    return out;
}

Status Store::markSent(const QList<QString>& ids) {
    sqlite::Transaction tx(*impl_->db);
    if (auto s = tx.begin(); !s) return s;
    auto q = impl_->db->prepare("UPDATE outbox SET state = 1 WHERE id = ? AND state = 0");
    if (!q) return q.error();
    for (const QString& id : ids) {
        q->bind(1, id);
        if (auto s = q->run(); !s) return s;
    }
    return tx.commit();
}

Status Store::markRejected(const QString& id, const QString& reason) {
    auto q = impl_->db->prepare("UPDATE outbox SET state = 2, reason = ? WHERE id = ?");
    if (!q) return q.error();
    q->bind(1, reason).bind(2, id);
    return q->run();
}

Result<OutboxCounts> Store::outboxCounts() {
    auto q = impl_->db->prepare("SELECT state, count(*) FROM outbox GROUP BY state");
    if (!q) return q.error();
    OutboxCounts c;
    while (q->step()) {
        const std::int64_t n = q->int64(1);
        switch (q->int32(0)) {
        case 0: c.pending = n; break;
        case 1: c.sent = n; break;
        default: c.rejected += n; break;
        }
    }
    if (auto s = q->status(); !s) return s.error();
    return c;
}

Result<OutboxCounts> Store::unsentCounts() {
    auto q = impl_->db->prepare(
        "SELECT (SELECT count(*) FROM outbox WHERE state = 0), (SELECT count(*) FROM outbox WHERE state = 2), "
        "(SELECT count(*) FROM outbox WHERE state = 0 AND kind = 'attempt')");
    if (!q) return q.error();
    OutboxCounts c;
    if (q->step()) {
        c.pending = q->int64(0);
        c.rejected = q->int64(1);
        c.pending_answers = q->int64(2);
    }
    if (auto s = q->status(); !s) return s.error();
    return c;
}

// ----------------------------------------------------------------- key/value

namespace {

Result<QString> readValue(sqlite::Database& db, const char* sql, const QString& key, const QString& fallback) {
    auto q = db.prepare(sql);
    if (!q) return q.error();
    q->bind(1, key);
    QString value = fallback;
    if (q->step()) value = q->text(0);
    if (auto s = q->status(); !s) return s.error();
    return value;
}

Status writeValue(sqlite::Database& db, const char* sql, const QString& key, const QString& value) {
    auto q = db.prepare(sql);
    if (!q) return q.error();
    q->bind(1, key).bind(2, value);
    return q->run();
}

}  // namespace

Result<QString> Store::setting(const QString& key, const QString& fallback) {
    return readValue(*impl_->db, "SELECT value FROM settings WHERE key = ?", key, fallback);
}

Status Store::setSetting(const QString& key, const QString& value) {
    return writeValue(*impl_->db,
                      "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                      "excluded.value",
                      key, value);
}

Result<QString> Store::syncState(const QString& key, const QString& fallback) {
    return readValue(*impl_->db, "SELECT value FROM sync_state WHERE key = ?", key, fallback);
}

Status Store::setSyncState(const QString& key, const QString& value) {
    return writeValue(*impl_->db,
                      "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                      "excluded.value",
                      key, value);
}

Result<std::int64_t> Store::attemptCount() {
    return impl_->db->scalar("SELECT count(*) FROM attempts");
}

}  // namespace kite::store
