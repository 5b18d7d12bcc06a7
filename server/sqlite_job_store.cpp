// JobQueue and ModelStore on SQLite: the "jobs" part of the schema.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>
#include <algorithm>

#include "kite/job_store.h"
#include "kite/sql.h"
#include "kite/uuid.h"

namespace kite::server {

namespace {

const std::initializer_list<std::initializer_list<const char*>> kJobsSchema = {
    {
        // state: queued, running, failed (waiting for a retry), done,
        // cancelled, dead. priority: 1 batch (interactive work is 0, in
        // work_items); kept for a shared queue later.
        "CREATE TABLE jobs(id TEXT PRIMARY KEY, school TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, "
        "priority INTEGER NOT NULL DEFAULT 1, progress REAL NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '', "
        "error TEXT, attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0, "
        "cancel_requested INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, started_at INTEGER, "
        "finished_at INTEGER, result TEXT)",
        "CREATE INDEX jobs_ready ON jobs(state, priority, created_at)",
        "CREATE INDEX jobs_by_school ON jobs(school, created_at)",
        // The last event (events.n) each kind of job read, per school: the
        // schedule counts the attempts after it.
        "CREATE TABLE job_marks(school TEXT NOT NULL, kind TEXT NOT NULL, last_event INTEGER NOT NULL, "
        "at INTEGER NOT NULL, PRIMARY KEY(school, kind)) WITHOUT ROWID",
        // The latest fitted parameters per skill; version grows with each refit.
        "CREATE TABLE bkt_params(school TEXT NOT NULL, course TEXT NOT NULL, skill TEXT NOT NULL, "
        "version INTEGER NOT NULL, prior REAL NOT NULL, learn REAL NOT NULL, forget REAL NOT NULL, "
        "guess REAL NOT NULL, slip REAL NOT NULL, answers INTEGER NOT NULL, fitted_at INTEGER NOT NULL, "
        "PRIMARY KEY(school, course, skill)) WITHOUT ROWID",
        // Trained model versions; path is relative to the data folder.
        "CREATE TABLE models(school TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL, "
        "valid_auc REAL NOT NULL, created_at INTEGER NOT NULL, active INTEGER NOT NULL DEFAULT 0, "
        "path TEXT NOT NULL, answers INTEGER NOT NULL, learners INTEGER NOT NULL, "
        "PRIMARY KEY(school, kind, version)) WITHOUT ROWID",
    },
};

constexpr const char* kJobColumns =
    "id, school, kind, state, progress, message, error, attempts, not_before, created_at, started_at, "
    "finished_at, cancel_requested, result";

Job jobFrom(const QSqlQuery& q) {
    Job j;
    j.id = q.value(0).toString();
    j.school = q.value(1).toString();
    j.kind = jobKindFrom(q.value(2).toString()).value_or(JobKind::BktRefit);
    j.state = jobStateFrom(q.value(3).toString()).value_or(JobState::Dead);
    j.progress = q.value(4).toDouble();
    j.message = q.value(5).toString();
    j.error = q.value(6).toString();
    j.attempts = q.value(7).toInt();
    j.not_before = q.value(8).toLongLong();
    j.created_at = q.value(9).toLongLong();
    j.started_at = q.value(10).toLongLong();
    j.finished_at = q.value(11).toLongLong();
    j.cancel_requested = q.value(12).toInt() != 0;
    j.result = QJsonDocument::fromJson(q.value(13).toString().toUtf8()).object();
    return j;
}

// A prepared query with its values bound in order.
QSqlQuery prepared(const QSqlDatabase& db, const QString& sql, std::initializer_list<QVariant> values) {
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant& v : values) q.addBindValue(v);
    return q;
}


class SqliteJobQueue final : public JobQueue {
public:
    explicit SqliteJobQueue(std::unique_ptr<SqlConnection> c) : connection_(std::move(c)) {}

    Result<Submitted> submit(const QString& school, JobKind kind) override;
    Result<std::optional<Job>> job(const QString& school, const QString& id) override;
    Result<QList<Job>> jobs(const QString& school, std::optional<JobState> state, int limit) override;
    Result<std::optional<Job>> cancel(const QString& school, const QString& id) override;
    Result<std::optional<Job>> claimNext() override;
    Status requeueRunning() override;
    Status reportProgress(const QString& id, double progress, const QString& message) override;
    Result<bool> cancelRequested(const QString& id) override;
    Status finish(const QString& id, JobState state, const QString& message, const QJsonObject& result) override;
    Status fail(const QString& id, const QString& reason, std::int64_t retryAt) override;

private:
    QSqlDatabase db() const { return connection_->db(); }
    Status run(const QString& what, QSqlQuery& q) {
        if (!q.exec()) return sqlError(what, q.lastError());
        return success();
    }
    std::unique_ptr<SqlConnection> connection_;
};

Result<Submitted> SqliteJobQueue::submit(const QString& school, JobKind kind) {
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("queueing a job"), tx.error());
    QSqlQuery existing = prepared(d,
                                  QStringLiteral("SELECT %1 FROM jobs WHERE school = ? AND kind = ? AND state IN "
                                                 "('queued', 'running', 'failed') ORDER BY created_at LIMIT 1")
                                      .arg(QLatin1String(kJobColumns)),
                                  {school, toString(kind)});
    if (!existing.exec()) return sqlError(QStringLiteral("queueing a job"), existing.lastError());
    if (existing.next()) return Submitted{jobFrom(existing), false};
    existing.finish();
    Job job;
    job.id = newUuidV7();
    job.school = school;
    job.kind = kind;
    job.created_at = nowMs();
    job.message = QStringLiteral("queued");
    QSqlQuery insert = prepared(d,
                                QStringLiteral("INSERT INTO jobs(id, school, kind, state, message, created_at) "
                                               "VALUES (?, ?, ?, 'queued', ?, ?)"),
                                {job.id, school, toString(kind), job.message, static_cast<qint64>(job.created_at)});
    if (!insert.exec()) return sqlError(QStringLiteral("queueing a job"), insert.lastError());
    if (!tx.commit()) return sqlError(QStringLiteral("queueing a job"), tx.error());
    return Submitted{job, true};
}

Result<std::optional<Job>> SqliteJobQueue::job(const QString& school, const QString& id) {
    QSqlQuery q = prepared(
        db(), QStringLiteral("SELECT %1 FROM jobs WHERE id = ? AND school = ?").arg(QLatin1String(kJobColumns)),
        {id, school});
    if (!q.exec()) return sqlError(QStringLiteral("reading a job"), q.lastError());
    if (!q.next()) return std::optional<Job>();
    return std::optional<Job>(jobFrom(q));
}

Result<QList<Job>> SqliteJobQueue::jobs(const QString& school, std::optional<JobState> state, int limit) {
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE school = ? %2 ORDER BY created_at DESC, id DESC LIMIT ?")
                  .arg(QLatin1String(kJobColumns), state ? QStringLiteral("AND state = ?") : QString()));
    q.addBindValue(school);
    if (state) q.addBindValue(toString(*state));
    q.addBindValue(limit);
    if (!q.exec()) return sqlError(QStringLiteral("listing jobs"), q.lastError());
    QList<Job> out;
    while (q.next()) out.push_back(jobFrom(q));
    return out;
}

Result<std::optional<Job>> SqliteJobQueue::cancel(const QString& school, const QString& id) {
    const qint64 now = nowMs();
    QSqlQuery waiting = prepared(db(),
                                 QStringLiteral("UPDATE jobs SET state = 'cancelled', finished_at = ?, "
                                                "message = 'cancelled before it ran' WHERE id = ? AND school = ? "
                                                "AND state IN ('queued', 'failed')"),
                                 {now, id, school});
    if (auto s = run(QStringLiteral("cancelling a job"), waiting); !s) return s.error();
    QSqlQuery running = prepared(db(),
                                 QStringLiteral("UPDATE jobs SET cancel_requested = 1, message = 'cancelling' "
                                                "WHERE id = ? AND school = ? AND state = 'running'"),
                                 {id, school});
    if (auto s = run(QStringLiteral("cancelling a job"), running); !s) return s.error();
    return job(school, id);
}

Result<std::optional<Job>> SqliteJobQueue::claimNext() {
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("claiming a job"), tx.error());
    const qint64 now = nowMs();
    QSqlQuery q = prepared(d,
                           QStringLiteral("UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, "
                                          "message = 'started' WHERE id = (SELECT id FROM jobs WHERE state IN "
                                          "('queued', 'failed') AND not_before <= ? ORDER BY priority, created_at, id "
                                          "LIMIT 1) RETURNING %1")
                               .arg(QLatin1String(kJobColumns)),
                           {now, now});
    if (!q.exec()) return sqlError(QStringLiteral("claiming a job"), q.lastError());
    std::optional<Job> out;
    if (q.next()) out = jobFrom(q);
    q.finish();
    if (!tx.commit()) return sqlError(QStringLiteral("claiming a job"), tx.error());
    return out;
}

Status SqliteJobQueue::requeueRunning() {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled' "
                                          "ELSE 'queued' END, message = 'interrupted by a restart' "
                                          "WHERE state = 'running'"),
                           {});
    return run(QStringLiteral("requeueing jobs"), q);
}

Status SqliteJobQueue::reportProgress(const QString& id, double progress, const QString& message) {
    QSqlQuery q = prepared(db(), QStringLiteral("UPDATE jobs SET progress = ?, message = ? WHERE id = ?"),
                           {std::clamp(progress, 0.0, 1.0), message, id});
    return run(QStringLiteral("reporting progress"), q);
}

Result<bool> SqliteJobQueue::cancelRequested(const QString& id) {
    QSqlQuery q = prepared(db(), QStringLiteral("SELECT cancel_requested FROM jobs WHERE id = ?"), {id});
    if (!q.exec()) return sqlError(QStringLiteral("reading a job"), q.lastError());
    return q.next() && q.value(0).toInt() != 0;
}

Status SqliteJobQueue::finish(const QString& id, JobState state, const QString& message, const QJsonObject& result) {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("UPDATE jobs SET state = ?, progress = CASE WHEN ? = 'done' THEN 1 ELSE "
                                          "progress END, message = ?, finished_at = ?, result = ? WHERE id = ?"),
                           {toString(state), toString(state), message, static_cast<qint64>(nowMs()),
                            QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)), id});
    return run(QStringLiteral("finishing a job"), q);
}

Status SqliteJobQueue::fail(const QString& id, const QString& reason, std::int64_t retryAt) {
    const bool dead = retryAt < 0;
    QSqlQuery q =
        prepared(db(),
                 QStringLiteral("UPDATE jobs SET state = ?, error = ?, not_before = ?, message = ?, finished_at = ? "
                                "WHERE id = ?"),
                 {dead ? QStringLiteral("dead") : QStringLiteral("failed"), reason,
                  static_cast<qint64>(std::max<std::int64_t>(retryAt, 0)),
                  dead ? QStringLiteral("failed for good") : QStringLiteral("failed; will be tried again"),
                  dead ? QVariant(static_cast<qint64>(nowMs())) : QVariant(), id});
    return run(QStringLiteral("recording a failed job"), q);
}

// ---------------------------------------------------------------- models

class SqliteModelStore final : public ModelStore {
public:
    explicit SqliteModelStore(std::unique_ptr<SqlConnection> c)
        : connection_(std::move(c)), data_dir_(QFileInfo(connection_->path()).absolutePath()) {}

    Result<Attempts> attempts(const QString& school) override;
    Result<std::int64_t> newAttemptsSince(const QString& school, JobKind kind) override;
    Status markTrained(const QString& school, JobKind kind, std::int64_t lastEvent) override;
    Result<QList<QString>> schools() override;
    Result<std::int64_t> saveBktParams(const QString& school, const QList<FittedSkill>& skills) override;
    Result<std::int64_t> bktParamsVersion(const QString& school) override;
    Result<std::map<QString, bkt::Params>> fittedBktParams(const QString& school) override;
    Result<int> nextModelVersion(const QString& school) override;
    Result<AddedModel> addModel(const ModelVersion& model, int keep) override;
    Result<QList<ModelVersion>> models(const QString& school) override;
    Result<std::optional<ActiveModel>> activeDktModel(const QString& school) override;
    Status activateModel(const QString& school, int version) override;

private:
    QSqlDatabase db() const { return connection_->db(); }
    QString absolute(const QString& relative) const { return QDir(data_dir_).filePath(relative); }
    QString relative(const QString& path) const { return QDir(data_dir_).relativeFilePath(path); }
    ModelVersion modelFrom(const QSqlQuery& q) const;

    std::unique_ptr<SqlConnection> connection_;
    QString data_dir_;
};

constexpr const char* kModelColumns = "school, version, valid_auc, created_at, active, path, answers, learners";

ModelVersion SqliteModelStore::modelFrom(const QSqlQuery& q) const {
    ModelVersion m;
    m.school = q.value(0).toString();
    m.version = q.value(1).toInt();
    m.valid_auc = q.value(2).toDouble();
    m.created_at = q.value(3).toLongLong();
    m.active = q.value(4).toInt() != 0;
    m.path = absolute(q.value(5).toString());
    m.answers = q.value(6).toLongLong();
    m.learners = q.value(7).toLongLong();
    return m;
}

Result<ModelStore::Attempts> SqliteModelStore::attempts(const QString& school) {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("SELECT n, payload FROM events WHERE school = ? AND kind = 'attempt' "
                                          "ORDER BY n"),
                           {school});
    q.setForwardOnly(true);
    if (!q.exec()) return sqlError(QStringLiteral("reading answers"), q.lastError());
    Attempts out;
    while (q.next()) {
        out.last_event = q.value(0).toLongLong();
        out.payloads.push_back(q.value(1).toString().toUtf8());
    }
    return out;
}

Result<std::int64_t> SqliteModelStore::newAttemptsSince(const QString& school, JobKind kind) {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("SELECT count(*) FROM events WHERE n > coalesce((SELECT last_event FROM "
                                          "job_marks WHERE school = ? AND kind = ?), 0) AND school = ? AND "
                                          "kind = 'attempt'"),
                           {school, toString(kind), school});
    if (!q.exec() || !q.next()) return sqlError(QStringLiteral("counting new answers"), q.lastError());
    return q.value(0).toLongLong();
}

Status SqliteModelStore::markTrained(const QString& school, JobKind kind, std::int64_t lastEvent) {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("INSERT INTO job_marks(school, kind, last_event, at) VALUES (?, ?, ?, ?) "
                                          "ON CONFLICT(school, kind) DO UPDATE SET last_event = "
                                          "max(last_event, excluded.last_event), at = excluded.at"),
                           {school, toString(kind), static_cast<qint64>(lastEvent), static_cast<qint64>(nowMs())});
    if (!q.exec()) return sqlError(QStringLiteral("marking a run"), q.lastError());
    return success();
}

Result<QList<QString>> SqliteModelStore::schools() {
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("SELECT id FROM schools ORDER BY created_at, id")))
        return sqlError(QStringLiteral("listing schools"), q.lastError());
    QList<QString> out;
    while (q.next()) out.push_back(q.value(0).toString());
    return out;
}

Result<std::int64_t> SqliteModelStore::saveBktParams(const QString& school, const QList<FittedSkill>& skills) {
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("saving BKT parameters"), tx.error());
    auto version = bktParamsVersion(school);
    if (!version) return version.error();
    const std::int64_t next = *version + 1;
    QSqlQuery q(d);
    q.prepare(QStringLiteral(
        "INSERT INTO bkt_params(school, course, skill, version, prior, learn, forget, guess, slip, answers, "
        "fitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(school, course, skill) DO UPDATE SET "
        "version = excluded.version, prior = excluded.prior, learn = excluded.learn, forget = excluded.forget, "
        "guess = excluded.guess, slip = excluded.slip, answers = excluded.answers, fitted_at = excluded.fitted_at"));
    const qint64 now = nowMs();
    for (const FittedSkill& s : skills) {
        for (const QVariant& v :
             {QVariant(school), QVariant(s.course), QVariant(s.skill), QVariant(static_cast<qint64>(next)),
              QVariant(s.params.prior), QVariant(s.params.learn), QVariant(s.params.forget), QVariant(s.params.guess),
              QVariant(s.params.slip), QVariant(static_cast<qint64>(s.answers)), QVariant(now)})
            q.addBindValue(v);
        if (!q.exec()) return sqlError(QStringLiteral("saving BKT parameters"), q.lastError());
    }
    if (!tx.commit()) return sqlError(QStringLiteral("saving BKT parameters"), tx.error());
    return next;
}

Result<std::int64_t> SqliteModelStore::bktParamsVersion(const QString& school) {
    QSqlQuery q =
        prepared(db(), QStringLiteral("SELECT coalesce(max(version), 0) FROM bkt_params WHERE school = ?"), {school});
    if (!q.exec() || !q.next()) return sqlError(QStringLiteral("reading BKT parameters"), q.lastError());
    return q.value(0).toLongLong();
}

Result<std::map<QString, bkt::Params>> SqliteModelStore::fittedBktParams(const QString& school) {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("SELECT course, skill, prior, learn, forget, guess, slip FROM bkt_params "
                                          "WHERE school = ?"),
                           {school});
    if (!q.exec()) return sqlError(QStringLiteral("reading BKT parameters"), q.lastError());
    std::map<QString, bkt::Params> out;
    while (q.next()) {
        out[q.value(0).toString() + QLatin1Char('\t') + q.value(1).toString()] =
            bkt::Params{q.value(2).toDouble(), q.value(3).toDouble(), q.value(4).toDouble(), q.value(5).toDouble(),
                        q.value(6).toDouble()};
    }
    return out;
}

Result<int> SqliteModelStore::nextModelVersion(const QString& school) {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("SELECT coalesce(max(version), 0) + 1 FROM models WHERE school = ? AND "
                                          "kind = 'dkt'"),
                           {school});
    if (!q.exec() || !q.next()) return sqlError(QStringLiteral("reading model versions"), q.lastError());
    return q.value(0).toInt();
}

Result<AddedModel> SqliteModelStore::addModel(const ModelVersion& model, int keep) {
    QSqlDatabase d = db();
    Transaction tx(d);
    auto fail = [](const QSqlError& e) { return sqlError(QStringLiteral("recording a model"), e); };
    if (!tx.begun()) return fail(tx.error());
    auto before = models(model.school);
    if (!before) return before.error();
    AddedModel out;
    for (const ModelVersion& m : *before)
        if (m.active) out.previous = m;
    // Not worse than the active one: an equal AUC (the same data again)
    // still moves to the newer version.
    out.active = !out.previous || model.valid_auc >= out.previous->valid_auc;
    if (out.active) {
        QSqlQuery off = prepared(d, QStringLiteral("UPDATE models SET active = 0 WHERE school = ? AND kind = 'dkt'"),
                                 {model.school});
        if (!off.exec()) return fail(off.lastError());
    }
    QSqlQuery insert = prepared(
        d,
        QStringLiteral("INSERT INTO models(school, kind, version, valid_auc, created_at, active, path, answers, "
                       "learners) VALUES (?, 'dkt', ?, ?, ?, ?, ?, ?, ?)"),
        {model.school, model.version, model.valid_auc, static_cast<qint64>(model.created_at), out.active ? 1 : 0,
         relative(model.path), static_cast<qint64>(model.answers), static_cast<qint64>(model.learners)});
    if (!insert.exec()) return fail(insert.lastError());

    // Keep the active version and the newest others, `keep` in all.
    auto now = models(model.school);
    if (!now) return now.error();
    int kept = 0;
    for (const ModelVersion& m : *now) {
        if (m.active || kept < keep - 1) {
            if (!m.active) ++kept;
            continue;
        }
        out.removed.push_back(m);
    }
    QSqlQuery remove(d);
    remove.prepare(QStringLiteral("DELETE FROM models WHERE school = ? AND kind = 'dkt' AND version = ?"));
    for (const ModelVersion& m : out.removed) {
        remove.addBindValue(m.school);
        remove.addBindValue(m.version);
        if (!remove.exec()) return fail(remove.lastError());
    }
    if (!tx.commit()) return fail(tx.error());
    // After the commit: a crash in between leaves a stray file, never a row
    // without its file.
    for (const ModelVersion& m : out.removed) QFile::remove(m.path);
    return out;
}

Result<QList<ModelVersion>> SqliteModelStore::models(const QString& school) {
    QSqlQuery q(db());
    q.prepare(QStringLiteral("SELECT %1 FROM models WHERE kind = 'dkt' %2 ORDER BY school, version DESC")
                  .arg(QLatin1String(kModelColumns), school.isEmpty() ? QString() : QStringLiteral("AND school = ?")));
    if (!school.isEmpty()) q.addBindValue(school);
    if (!q.exec()) return sqlError(QStringLiteral("listing models"), q.lastError());
    QList<ModelVersion> out;
    while (q.next()) out.push_back(modelFrom(q));
    return out;
}

Result<std::optional<ActiveModel>> SqliteModelStore::activeDktModel(const QString& school) {
    QSqlQuery q = prepared(db(),
                           QStringLiteral("SELECT version, path FROM models WHERE school = ? AND kind = 'dkt' AND "
                                          "active = 1"),
                           {school});
    if (!q.exec()) return sqlError(QStringLiteral("reading the active model"), q.lastError());
    if (!q.next()) return std::optional<ActiveModel>();
    return std::optional<ActiveModel>(ActiveModel{q.value(0).toInt(), absolute(q.value(1).toString())});
}

Status SqliteModelStore::activateModel(const QString& school, int version) {
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(QStringLiteral("activating a model"), tx.error());
    QSqlQuery q = prepared(d,
                           QStringLiteral("UPDATE models SET active = (version = ?) WHERE school = ? AND kind = 'dkt' "
                                          "AND EXISTS (SELECT 1 FROM models WHERE school = ? AND kind = 'dkt' AND "
                                          "version = ?)"),
                           {version, school, school, version});
    if (!q.exec()) return sqlError(QStringLiteral("activating a model"), q.lastError());
    if (q.numRowsAffected() == 0)
        return Error{"no model version " + std::to_string(version) + " is kept for school " + school.toStdString()};
    if (!tx.commit()) return sqlError(QStringLiteral("activating a model"), tx.error());
    return success();
}

}  // namespace

QString toString(JobKind kind) {
    switch (kind) {
        case JobKind::BktRefit: return QStringLiteral("bkt_refit");
        case JobKind::DktRetrain: return QStringLiteral("dkt_retrain");
    }
    return {};
}

QString toString(JobState state) {
    switch (state) {
        case JobState::Queued: return QStringLiteral("queued");
        case JobState::Running: return QStringLiteral("running");
        case JobState::Failed: return QStringLiteral("failed");
        case JobState::Done: return QStringLiteral("done");
        case JobState::Cancelled: return QStringLiteral("cancelled");
        case JobState::Dead: return QStringLiteral("dead");
    }
    return {};
}

std::optional<JobKind> jobKindFrom(const QString& text) {
    for (JobKind k : {JobKind::BktRefit, JobKind::DktRetrain})
        if (toString(k) == text) return k;
    return std::nullopt;
}

std::optional<JobState> jobStateFrom(const QString& text) {
    for (JobState s :
         {JobState::Queued, JobState::Running, JobState::Failed, JobState::Done, JobState::Cancelled, JobState::Dead})
        if (toString(s) == text) return s;
    return std::nullopt;
}

Result<std::unique_ptr<JobQueue>> openSqliteJobQueue(const QString& dataDir, const QString& purpose) {
    auto connection = SqlConnection::open(dataDir, purpose);
    if (!connection) return connection.error();
    if (auto s = (*connection)->migrate(QStringLiteral("jobs"), kJobsSchema); !s) return s.error();
    return std::unique_ptr<JobQueue>(new SqliteJobQueue(std::move(*connection)));
}

Result<std::unique_ptr<ModelStore>> openSqliteModelStore(const QString& dataDir, const QString& purpose) {
    auto connection = SqlConnection::open(dataDir, purpose);
    if (!connection) return connection.error();
    if (auto s = (*connection)->migrate(QStringLiteral("jobs"), kJobsSchema); !s) return s.error();
    return std::unique_ptr<ModelStore>(new SqliteModelStore(std::move(*connection)));
}

Status addJobStats(QSqlDatabase db, const QString& school, Stats& stats) {
    QSqlQuery exists(db);
    if (!exists.exec(QStringLiteral("SELECT 1 FROM schema_parts WHERE part = 'jobs'"))) return success();
    if (!exists.next()) return success();
    exists.finish();
    const QString andSchool = school.isEmpty() ? QString() : QStringLiteral(" AND school = ?");
    QSqlQuery dead(db);
    dead.prepare(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 'dead'") + andSchool);
    if (!school.isEmpty()) dead.addBindValue(school);
    if (!dead.exec() || !dead.next()) return sqlError(QStringLiteral("counting dead jobs"), dead.lastError());
    stats.dead_letter += dead.value(0).toLongLong();
    QSqlQuery active(db);
    active.prepare(QStringLiteral("SELECT version FROM models WHERE kind = 'dkt' AND active = 1") + andSchool +
                   QStringLiteral(" ORDER BY school"));
    if (!school.isEmpty()) active.addBindValue(school);
    if (!active.exec()) return sqlError(QStringLiteral("reading the active model"), active.lastError());
    QStringList versions;
    while (active.next()) versions << active.value(0).toString();
    stats.model_version = versions.join(QLatin1Char(','));
    return success();
}

}  // namespace kite::server
