// ServerStore on SQLite through Qt SQL: the embedded default.

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "kite/dkt_tracker.h"
#include "kite/job_store.h"
#include "kite/server_store.h"
#include "kite/sql.h"
#include "kite/sqlite_core.h"
#include "kite/uuid.h"

namespace kite::server {

namespace {

// The core part: schools, access, events, the mastery queue, mastery and the
// change log. Every table carries its school.
const std::initializer_list<std::initializer_list<const char*>> kCoreSchema = {
    {
        "CREATE TABLE schools(id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL)",
        // Only hashes of secrets are kept.
        "CREATE TABLE tokens(hash TEXT PRIMARY KEY, school TEXT NOT NULL REFERENCES schools(id), role TEXT NOT NULL, "
        "subject TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)",
        "CREATE TABLE enrollment_codes(hash TEXT PRIMARY KEY, school TEXT NOT NULL REFERENCES schools(id), "
        "created_at INTEGER NOT NULL, revoked_at INTEGER)",
        "CREATE TABLE devices(id TEXT PRIMARY KEY, school TEXT NOT NULL REFERENCES schools(id), name TEXT NOT NULL, "
        "created_at INTEGER NOT NULL, max_seq INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE learners(school TEXT NOT NULL REFERENCES schools(id), id TEXT NOT NULL, "
        "name TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, PRIMARY KEY(school, id)) WITHOUT ROWID",
        // n is the server's order of receipt; (school, id) is unique: an id
        // that another school holds says nothing here.
        "CREATE TABLE events(n INTEGER PRIMARY KEY, school TEXT NOT NULL, id TEXT NOT NULL, device TEXT NOT NULL, "
        "seq INTEGER NOT NULL, kind TEXT NOT NULL, learner TEXT, payload TEXT NOT NULL, received_at INTEGER NOT NULL, "
        "UNIQUE(school, id))",
        // One mastery item per (commit, learner): the learner's new attempts
        // among events first_event..last_event.
        // state: 0 queued, 1 running, 2 done, 3 dead (failed for good).
        // priority: 0 interactive (mastery updates, polls), 1 batch.
        "CREATE TABLE work_items(id INTEGER PRIMARY KEY, school TEXT NOT NULL, kind TEXT NOT NULL, learner TEXT, "
        "first_event INTEGER, last_event INTEGER, shard INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL, state "
        "INTEGER NOT NULL DEFAULT 0, "
        "attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0, error TEXT, "
        "created_at INTEGER NOT NULL)",
        "CREATE INDEX work_ready ON work_items(state, priority, id)",
        // Which learners each device has answered for: what its pulls may see.
        "CREATE TABLE device_learners(school TEXT NOT NULL, device TEXT NOT NULL, learner TEXT NOT NULL, "
        "PRIMARY KEY(school, device, learner)) WITHOUT ROWID",
        // The server's estimates per learner and skill, per model ('bkt', 'dkt').
        "CREATE TABLE mastery(school TEXT NOT NULL, learner TEXT NOT NULL, course TEXT NOT NULL, "
        "skill TEXT NOT NULL, model TEXT NOT NULL, p REAL NOT NULL, attempts INTEGER NOT NULL, covers TEXT NOT NULL, "
        "updated_at INTEGER NOT NULL, PRIMARY KEY(school, learner, course, skill, model)) WITHOUT ROWID",
        // What devices pull: one row per change, in commit order.
        "CREATE TABLE changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, school TEXT NOT NULL, learner TEXT, "
        "kind TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL)",
        "CREATE INDEX changes_by_learner ON changes(school, learner, seq)",
    },
};

// A learner's shard in [0, 1024): FNV-1a of the id, stable across versions
// and runs (unlike qHash), so a learner's items always land on one worker.
int learnerShard(const QString& learner) {
    std::uint32_t h = 2166136261u;
    for (char c : learner.toUtf8()) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
    return static_cast<int>(h % 1024);
}

// Codes are typed by people: compare them without case or dashes.
QString normaliseCode(const QString& code) {
    QString out;
    for (QChar c : code)
        if (c.isLetterOrNumber()) out += c.toUpper();
    return out;
}

class SqliteServerStore final : public ServerStore {
public:
    explicit SqliteServerStore(std::unique_ptr<SqlConnection> connection) : connection_(std::move(connection)) {}

    Result<NewSchool> createSchool(const QString& name) override;
    Result<Enrolled> enroll(const QString& enrollmentCode, const QString& deviceName) override;
    Result<std::optional<Principal>> authenticate(const QString& token) override;
    Result<QList<PushOutcome>> pushMany(const QList<PushBatch>& batches) override;
    Result<Stats> stats(const QString& school) override;
    Status housekeeping() override { return exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")); }
    Result<Stats> queueStats() override;
    Result<QList<WorkItem>> claimWork(int limit, int shard, int shards) override;
    Status requeueRunning(int shard, int shards) override;
    Result<QList<SkillState>> skillStates(const QString& school, const QString& learner) override;
    Status finishWork(const QList<std::int64_t>& done, const QList<MasteryUpdate>& updates,
                      const QList<DktStateRow>& dktStates) override;
    Status failWork(std::int64_t id, const QString& reason, std::int64_t retryAt) override;
    Result<std::int64_t> appendChange(const QString& school, const QString& learner, const QString& kind,
                                      const QJsonObject& body) override;
    Result<QList<Change>> changesSince(const Principal& device, std::int64_t cursor, int limit) override;

private:
    QSqlDatabase db() const { return connection_->db(); }
    Status exec(const QString& sql) { return connection_->exec(sql); }
    // The prepared statement of `sql`, prepared once per connection (Qt SQL
    // would parse it again for every new QSqlQuery), reset and ready to bind.
    QSqlQuery& statement(const QString& sql);
    Status insertToken(const QString& token, const QString& school, Role role, const QString& subject);

    std::unique_ptr<SqlConnection> connection_;
    std::unordered_map<QString, QSqlQuery> statements_;
};

QSqlQuery& SqliteServerStore::statement(const QString& sql) {
    auto found = statements_.find(sql);
    if (found == statements_.end()) {
        found = statements_.emplace(sql, QSqlQuery(db())).first;
        found->second.prepare(sql);  // a failure shows at exec()
    }
    found->second.finish();
    return found->second;
}

Status SqliteServerStore::insertToken(const QString& token, const QString& school, Role role, const QString& subject) {
    return server::insertToken(db(), token, school, role, subject);
}

Result<NewSchool> SqliteServerStore::createSchool(const QString& name) {
    if (name.trimmed().isEmpty()) return Error{"a school needs a name"};
    NewSchool out{newUuidV7(), newToken(), newEnrollmentCode()};
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("creating a school"), tx.error());
    QSqlQuery q(d);
    q.prepare(QStringLiteral("INSERT INTO schools(id, name, created_at) VALUES (?, ?, ?)"));
    q.addBindValue(out.school_id);
    q.addBindValue(name.trimmed());
    q.addBindValue(static_cast<qint64>(nowMs()));
    if (!q.exec()) return sqlError(QStringLiteral("creating a school"), q.lastError());
    if (auto s = insertToken(out.admin_token, out.school_id, Role::Admin, QStringLiteral("admin")); !s)
        return s.error();
    QSqlQuery code(d);
    code.prepare(QStringLiteral("INSERT INTO enrollment_codes(hash, school, created_at) VALUES (?, ?, ?)"));
    code.addBindValue(sha256Hex(normaliseCode(out.enrollment_code)));
    code.addBindValue(out.school_id);
    code.addBindValue(static_cast<qint64>(nowMs()));
    if (!code.exec()) return sqlError(QStringLiteral("saving the enrollment code"), code.lastError());
    if (!tx.commit()) return sqlError(QStringLiteral("creating a school"), tx.error());
    return out;
}

Result<Enrolled> SqliteServerStore::enroll(const QString& enrollmentCode, const QString& deviceName) {
    QSqlDatabase d = db();
    QSqlQuery find(d);
    find.prepare(QStringLiteral("SELECT school FROM enrollment_codes WHERE hash = ? AND revoked_at IS NULL"));
    find.addBindValue(sha256Hex(normaliseCode(enrollmentCode)));
    if (!find.exec()) return sqlError(QStringLiteral("enrolling"), find.lastError());
    if (!find.next()) return Error{"unknown enrollment code"};
    Enrolled out{newUuidV7(), newToken(), find.value(0).toString()};
    find.finish();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("enrolling"), tx.error());
    QSqlQuery device(d);
    device.prepare(QStringLiteral("INSERT INTO devices(id, school, name, created_at) VALUES (?, ?, ?, ?)"));
    device.addBindValue(out.device_id);
    device.addBindValue(out.school_id);
    device.addBindValue(deviceName.trimmed());
    device.addBindValue(static_cast<qint64>(nowMs()));
    if (!device.exec()) return sqlError(QStringLiteral("enrolling"), device.lastError());
    if (auto s = insertToken(out.token, out.school_id, Role::Device, out.device_id); !s) return s.error();
    if (!tx.commit()) return sqlError(QStringLiteral("enrolling"), tx.error());
    return out;
}

Result<std::optional<Principal>> SqliteServerStore::authenticate(const QString& token) {
    QSqlQuery& q =
        statement(QStringLiteral("SELECT school, role, subject FROM tokens WHERE hash = ? AND revoked_at IS NULL"));
    q.addBindValue(sha256Hex(token));
    if (!q.exec()) return sqlError(QStringLiteral("checking a token"), q.lastError());
    if (!q.next()) return std::optional<Principal>();
    Principal p;
    p.school = q.value(0).toString();
    const QString role = q.value(1).toString();
    p.role = role == QLatin1String("admin")     ? Role::Admin
             : role == QLatin1String("teacher") ? Role::Teacher
             : role == QLatin1String("learner") ? Role::Learner
                                                : Role::Device;
    p.subject = q.value(2).toString();
    q.finish();  // end the read: a statement left mid-rows holds the WAL open
    return std::optional<Principal>(p);
}

Result<QList<PushOutcome>> SqliteServerStore::pushMany(const QList<PushBatch>& batches) {
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("storing events"), tx.error());
    auto fail = [](const QSqlError& e) { return sqlError(QStringLiteral("storing events"), e); };
    const qint64 now = nowMs();
    QSqlQuery& insert = statement(
        QStringLiteral("INSERT OR IGNORE INTO events(school, id, device, seq, kind, learner, payload, received_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));

    // What the commit adds besides the events, gathered once per key.
    struct NewAnswers {
        std::int64_t first = 0, last = 0;
    };
    std::map<std::pair<QString, QString>, NewAnswers> work;            // (school, learner)
    std::set<std::tuple<QString, QString, QString>> seen;              // (school, device, learner)
    std::map<std::pair<QString, QString>, std::int64_t> deviceMaxSeq;  // (school, device)

    QList<PushOutcome> out;
    out.reserve(batches.size());
    for (const PushBatch& batch : batches) {
        const Principal& device = batch.device;
        PushOutcome outcome;
        std::int64_t& maxSeq = deviceMaxSeq[{device.school, device.subject}];
        for (const IncomingEvent& e : batch.events) {
            insert.addBindValue(device.school);
            insert.addBindValue(e.id);
            insert.addBindValue(device.subject);
            insert.addBindValue(static_cast<qint64>(e.seq));
            insert.addBindValue(e.kind);
            insert.addBindValue(e.learner.isEmpty() ? QVariant() : QVariant(e.learner));
            insert.addBindValue(QString::fromUtf8(e.payload));
            insert.addBindValue(now);
            if (!insert.exec()) return fail(insert.lastError());
            maxSeq = std::max(maxSeq, e.seq);
            if (insert.numRowsAffected() == 0) {
                ++outcome.duplicate;
                continue;
            }
            ++outcome.accepted;
            if (e.kind != QLatin1String("attempt")) continue;
            const std::int64_t n = insert.lastInsertId().toLongLong();
            auto [it, fresh] = work.try_emplace({device.school, e.learner}, NewAnswers{n, n});
            it->second.last = n;
            seen.emplace(device.school, device.subject, e.learner);
        }
        out.push_back(outcome);
    }

    QSqlQuery& learner =
        statement(QStringLiteral("INSERT OR IGNORE INTO learners(school, id, created_at) VALUES (?, ?, ?)"));
    QSqlQuery& item =
        statement(QStringLiteral("INSERT INTO work_items(school, kind, learner, first_event, last_event, shard, "
                                 "priority, created_at) VALUES (?, 'mastery', ?, ?, ?, ?, 0, ?)"));
    for (const auto& [key, range] : work) {
        learner.addBindValue(key.first);
        learner.addBindValue(key.second);
        learner.addBindValue(now);
        if (!learner.exec()) return fail(learner.lastError());
        item.addBindValue(key.first);
        item.addBindValue(key.second);
        item.addBindValue(static_cast<qint64>(range.first));
        item.addBindValue(static_cast<qint64>(range.last));
        item.addBindValue(learnerShard(key.second));
        item.addBindValue(now);
        if (!item.exec()) return fail(item.lastError());
    }
    QSqlQuery& link =
        statement(QStringLiteral("INSERT OR IGNORE INTO device_learners(school, device, learner) VALUES (?, ?, ?)"));
    for (const auto& [school, device, who] : seen) {
        link.addBindValue(school);
        link.addBindValue(device);
        link.addBindValue(who);
        if (!link.exec()) return fail(link.lastError());
    }
    QSqlQuery& seq =
        statement(QStringLiteral("UPDATE devices SET max_seq = max(max_seq, ?) WHERE id = ? AND school = ? "
                                 "RETURNING max_seq"));
    for (auto& [key, maxSeq] : deviceMaxSeq) {
        seq.addBindValue(static_cast<qint64>(maxSeq));
        seq.addBindValue(key.second);
        seq.addBindValue(key.first);
        if (!seq.exec()) return fail(seq.lastError());
        if (seq.next()) maxSeq = seq.value(0).toLongLong();
        seq.finish();
    }
    for (qsizetype i = 0; i < batches.size(); ++i)
        out[i].max_seq = deviceMaxSeq[{batches[i].device.school, batches[i].device.subject}];
    if (!tx.commit()) return fail(tx.error());
    return out;
}

Result<Stats> SqliteServerStore::stats(const QString& school) {
    Stats s;
    const QString where = school.isEmpty() ? QString() : QStringLiteral(" WHERE school = :school");
    const QString andWhere = school.isEmpty() ? QString() : QStringLiteral(" AND school = :school");
    struct Count {
        std::int64_t* into;
        QString sql;
    };
    const Count counts[] = {
        {&s.attempts, QStringLiteral("SELECT count(*) FROM events WHERE kind = 'attempt'") + andWhere},
        {&s.events, QStringLiteral("SELECT count(*) FROM events") + where},
        {&s.learners, QStringLiteral("SELECT count(*) FROM learners") + where},
        {&s.devices, QStringLiteral("SELECT count(*) FROM devices") + where},
        {&s.queue_depth, QStringLiteral("SELECT count(*) FROM work_items WHERE state IN (0, 1)") + andWhere},
        {&s.dead_letter, QStringLiteral("SELECT count(*) FROM work_items WHERE state = 3") + andWhere},
    };
    for (const Count& c : counts) {
        QSqlQuery q(db());
        q.prepare(c.sql);
        if (!school.isEmpty()) q.bindValue(QStringLiteral(":school"), school);
        if (!q.exec() || !q.next()) return sqlError(QStringLiteral("counting"), q.lastError());
        *c.into = q.value(0).toLongLong();
    }
    // Dead batch jobs and the active DKT model (job_store.h).
    if (auto j = addJobStats(db(), school, s); !j) return j.error();
    return s;
}

Result<Stats> SqliteServerStore::queueStats() {
    Stats s;
    QSqlQuery q(db());
    // Both counts walk the work_ready index over the matching rows only.
    if (!q.exec(QStringLiteral("SELECT (SELECT count(*) FROM work_items WHERE state IN (0, 1)), "
                               "(SELECT count(*) FROM work_items WHERE state = 3)")) ||
        !q.next())
        return sqlError(QStringLiteral("counting the queue"), q.lastError());
    s.queue_depth = q.value(0).toLongLong();
    s.dead_letter = q.value(1).toLongLong();
    return s;
}

Result<QList<WorkItem>> SqliteServerStore::claimWork(int limit, int shard, int shards) {
    // Only reads: each shard has one worker, so nobody else takes these
    // items, and an item is marked done in the same transaction as what it
    // wrote (finishWork). A crash in between leaves it queued: done again,
    // and its results written once.
    auto fail = [](const QSqlError& e) { return sqlError(QStringLiteral("claiming work"), e); };
    QSqlQuery& q = statement(QStringLiteral(
        "SELECT id, school, learner, first_event, last_event, attempts, created_at FROM work_items "
        "WHERE state = 0 AND kind = 'mastery' AND not_before <= ? AND shard % ? = ? ORDER BY priority, id LIMIT ?"));
    q.addBindValue(static_cast<qint64>(nowMs()));
    q.addBindValue(shards);
    q.addBindValue(shard);
    q.addBindValue(limit);
    if (!q.exec()) return fail(q.lastError());
    QList<WorkItem> items;
    QList<std::pair<std::int64_t, std::int64_t>> ranges;
    while (q.next()) {
        WorkItem item;
        item.id = q.value(0).toLongLong();
        item.school = q.value(1).toString();
        item.learner = q.value(2).toString();
        item.attempts = q.value(5).toInt();
        item.created_at = q.value(6).toLongLong();
        ranges.push_back({q.value(3).toLongLong(), q.value(4).toLongLong()});
        items.push_back(std::move(item));
    }
    q.finish();
    QSqlQuery& answers =
        statement(QStringLiteral("SELECT device, seq, payload, n FROM events WHERE n BETWEEN ? AND ? AND +school = ? "
                                 "AND learner = ? AND kind = 'attempt' ORDER BY n"));
    for (qsizetype i = 0; i < items.size(); ++i) {
        WorkItem& item = items[i];
        answers.addBindValue(static_cast<qint64>(ranges[i].first));
        answers.addBindValue(static_cast<qint64>(ranges[i].second));
        answers.addBindValue(item.school);
        answers.addBindValue(item.learner);
        if (!answers.exec()) return fail(answers.lastError());
        while (answers.next())
            item.answers.push_back(QueuedAnswer{answers.value(0).toString(), answers.value(1).toLongLong(),
                                                answers.value(2).toString().toUtf8(), answers.value(3).toLongLong()});
        answers.finish();
    }
    return items;
}

Status SqliteServerStore::requeueRunning(int shard, int shards) {
    return exec(
        QStringLiteral("UPDATE work_items SET state = 0 WHERE state = 1 AND shard % %1 = %2").arg(shards).arg(shard));
}

Result<QList<SkillState>> SqliteServerStore::skillStates(const QString& school, const QString& learner) {
    QSqlQuery& q = statement(
        QStringLiteral("SELECT course, skill, p, attempts, covers FROM mastery WHERE school = ? AND learner = ? "
                       "AND model = 'bkt'"));
    q.addBindValue(school);
    q.addBindValue(learner);
    if (!q.exec()) return sqlError(QStringLiteral("reading mastery"), q.lastError());
    QList<SkillState> out;
    while (q.next()) {
        out.push_back(SkillState{q.value(0).toString(), q.value(1).toString(), q.value(2).toDouble(),
                                 q.value(3).toInt(), QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object()});
    }
    return out;
}

Status SqliteServerStore::finishWork(const QList<std::int64_t>& done, const QList<MasteryUpdate>& updates,
                                     const QList<DktStateRow>& dktStates) {
    // The JSON is built before the write lock is taken: pushes wait for it.
    auto compact = [](const QJsonObject& o) {
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    };
    std::vector<std::pair<QString, QString>> texts;  // per update: covers, change body
    texts.reserve(static_cast<std::size_t>(updates.size()));
    for (const MasteryUpdate& u : updates) {
        const QJsonObject body{
            {QStringLiteral("kind"), QStringLiteral("mastery")},
            {QStringLiteral("learner"), u.learner},
            {QStringLiteral("course"), u.state.course},
            {QStringLiteral("skill"), u.state.skill},
            {QStringLiteral("model"), u.model},
            {u.model == QLatin1String("dkt") ? QStringLiteral("p_correct") : QStringLiteral("p_known"),
             u.state.p_known},
            {QStringLiteral("attempts"), u.state.attempts},
            {QStringLiteral("covers"), u.state.covers}};
        texts.emplace_back(compact(u.state.covers), compact(body));
    }
    std::vector<QString> dktCovers;
    dktCovers.reserve(static_cast<std::size_t>(dktStates.size()));
    for (const DktStateRow& r : dktStates) dktCovers.push_back(compact(r.covers));

    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("saving mastery"), tx.error());
    auto fail = [](const QSqlError& e) -> Status { return sqlError(QStringLiteral("saving mastery"), e); };
    const qint64 now = nowMs();
    QSqlQuery& upsert = statement(QStringLiteral(
        "INSERT INTO mastery(school, learner, course, skill, model, p, attempts, covers, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(school, learner, course, skill, model) DO UPDATE SET "
        "p = excluded.p, attempts = excluded.attempts, covers = excluded.covers, updated_at = excluded.updated_at"));
    QSqlQuery& change = statement(
        QStringLiteral("INSERT INTO changes(school, learner, kind, body, at) VALUES (?, ?, 'mastery', ?, ?)"));
    for (qsizetype i = 0; i < updates.size(); ++i) {
        const MasteryUpdate& u = updates[i];
        upsert.addBindValue(u.school);
        upsert.addBindValue(u.learner);
        upsert.addBindValue(u.state.course);
        upsert.addBindValue(u.state.skill);
        upsert.addBindValue(u.model);
        upsert.addBindValue(u.state.p_known);
        upsert.addBindValue(u.state.attempts);
        upsert.addBindValue(texts[static_cast<std::size_t>(i)].first);
        upsert.addBindValue(now);
        if (!upsert.exec()) return fail(upsert.lastError());
        change.addBindValue(u.school);
        change.addBindValue(u.learner);
        change.addBindValue(texts[static_cast<std::size_t>(i)].second);
        change.addBindValue(now);
        if (!change.exec()) return fail(change.lastError());
    }
    // Prepared only when used: the "dkt" part makes the table (DktTracker::open).
    if (!dktStates.isEmpty()) {
        QSqlQuery& dkt = statement(QStringLiteral(
            "INSERT INTO dkt_states(school, learner, model_version, state, answers, through_event, covers, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(school, learner) DO UPDATE SET "
            "model_version = excluded.model_version, state = excluded.state, answers = excluded.answers, "
            "through_event = excluded.through_event, covers = excluded.covers, updated_at = excluded.updated_at"));
        for (qsizetype i = 0; i < dktStates.size(); ++i) {
            const DktStateRow& r = dktStates[i];
            dkt.addBindValue(r.school);
            dkt.addBindValue(r.learner);
            dkt.addBindValue(r.model_version);
            dkt.addBindValue(r.state);
            dkt.addBindValue(static_cast<qint64>(r.answers));
            dkt.addBindValue(static_cast<qint64>(r.through_event));
            dkt.addBindValue(dktCovers[static_cast<std::size_t>(i)]);
            dkt.addBindValue(now);
            if (!dkt.exec()) return fail(dkt.lastError());
        }
    }
    QSqlQuery& finish = statement(QStringLiteral("UPDATE work_items SET state = 2 WHERE id = ?"));
    for (std::int64_t id : done) {
        finish.addBindValue(static_cast<qint64>(id));
        if (!finish.exec()) return fail(finish.lastError());
    }
    if (!tx.commit()) return fail(tx.error());
    return success();
}

Status SqliteServerStore::failWork(std::int64_t id, const QString& reason, std::int64_t retryAt) {
    QSqlQuery q(db());
    q.prepare(
        QStringLiteral("UPDATE work_items SET state = ?, not_before = ?, error = ?, attempts = attempts + 1 "
                       "WHERE id = ?"));
    q.addBindValue(retryAt < 0 ? 3 : 0);
    q.addBindValue(static_cast<qint64>(std::max<std::int64_t>(retryAt, 0)));
    q.addBindValue(reason);
    q.addBindValue(static_cast<qint64>(id));
    if (!q.exec()) return sqlError(QStringLiteral("recording a failure"), q.lastError());
    return success();
}

Result<std::int64_t> SqliteServerStore::appendChange(const QString& school, const QString& learner, const QString& kind,
                                                     const QJsonObject& body) {
    return insertChange(db(), school, learner, kind, body);
}

Result<QList<Change>> SqliteServerStore::changesSince(const Principal& device, std::int64_t cursor, int limit) {
    // The page's sequence numbers come from changes_by_learner alone (the
    // school's changes for everyone, then each of the device's learners'),
    // so a pull reads only what this device may see: scanning the school's
    // changes since the cursor cost a storm of devices O(school) each.
    // CROSS JOIN keeps the device's learners outside (without ANALYZE the
    // planner would scan the school's changes instead).
    QSqlQuery& q = statement(QStringLiteral(
        "SELECT seq, kind, body, at FROM changes WHERE seq IN ("
        "SELECT seq FROM changes WHERE school = ? AND learner IS NULL AND seq > ? "
        "UNION ALL SELECT c.seq FROM device_learners d CROSS JOIN changes c ON c.school = d.school AND c.learner = d.learner "
        "AND c.seq > ? WHERE d.school = ? AND d.device = ? ORDER BY 1 LIMIT ?) ORDER BY seq"));
    q.addBindValue(device.school);
    q.addBindValue(static_cast<qint64>(cursor));
    q.addBindValue(static_cast<qint64>(cursor));
    q.addBindValue(device.school);
    q.addBindValue(device.subject);
    q.addBindValue(limit);
    if (!q.exec()) return sqlError(QStringLiteral("reading changes"), q.lastError());
    QList<Change> out;
    while (q.next()) {
        out.push_back(Change{q.value(0).toLongLong(), q.value(1).toString(),
                             QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object(),
                             q.value(3).toLongLong()});
    }
    q.finish();
    return out;
}

}  // namespace

Status insertToken(QSqlDatabase db, const QString& token, const QString& school, Role role, const QString& subject) {
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO tokens(hash, school, role, subject, created_at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(sha256Hex(token));
    q.addBindValue(school);
    q.addBindValue(toString(role));
    q.addBindValue(subject);
    q.addBindValue(static_cast<qint64>(nowMs()));
    if (!q.exec()) return sqlError(QStringLiteral("saving a token"), q.lastError());
    return success();
}

Result<std::int64_t> insertChange(QSqlDatabase db, const QString& school, const QString& learner, const QString& kind,
                                  const QJsonObject& body) {
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO changes(school, learner, kind, body, at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(school);
    q.addBindValue(learner.isEmpty() ? QVariant() : QVariant(learner));
    q.addBindValue(kind);
    q.addBindValue(QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact)));
    q.addBindValue(static_cast<qint64>(nowMs()));
    if (!q.exec()) return sqlError(QStringLiteral("adding a change"), q.lastError());
    return q.lastInsertId().toLongLong();
}

QString toString(Role role) {
    switch (role) {
        case Role::Admin: return QStringLiteral("admin");
        case Role::Teacher: return QStringLiteral("teacher");
        case Role::Device: return QStringLiteral("device");
        case Role::Learner: return QStringLiteral("learner");
    }
    return {};
}

QString newToken() {
    QByteArray bytes(32, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString newEnrollmentCode() {
    // No 0/O, 1/I/L, 5/S, 8/B: codes are read off a board and typed.
    static constexpr char kAlphabet[] = "234679ACDEFGHJKMNPQRTUVWXYZ";
    QString code;
    for (int i = 0; i < 12; ++i) {
        if (i > 0 && i % 4 == 0) code += QLatin1Char('-');
        code += QLatin1Char(kAlphabet[QRandomGenerator::system()->bounded(static_cast<int>(sizeof kAlphabet - 1))]);
    }
    return code;
}

QString sha256Hex(const QString& text) {
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Result<std::unique_ptr<ServerStore>> openSqliteStore(const QString& dataDir, const QString& purpose,
                                                     SqliteOptions options) {
    auto connection = SqlConnection::open(
        dataDir, purpose, options.sync == SqlSync::Full ? SqlConnection::Sync::Full : SqlConnection::Sync::Normal);
    if (connection && !options.checkpoints) {
        if (auto s = (*connection)->exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0")); !s) return s.error();
    }
    if (connection && options.cache_mb > 0) {
        const QString pragma = QStringLiteral("PRAGMA cache_size = -%1").arg(options.cache_mb * 1024);
        if (auto s = (*connection)->exec(pragma); !s) return s.error();
    }
    if (!connection) return connection.error();
    if (auto s = (*connection)->migrate(QStringLiteral("core"), kCoreSchema); !s) return s.error();
    return std::unique_ptr<ServerStore>(new SqliteServerStore(std::move(*connection)));
}

}  // namespace kite::server
