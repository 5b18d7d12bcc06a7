#include "kite/stream_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace kite::server {

namespace {

// Polls and their answers: one answer per (poll, learner), the latest kept.
const std::initializer_list<std::initializer_list<const char*>> kPollSchema = {
    {
        "CREATE TABLE polls(id TEXT PRIMARY KEY, school TEXT NOT NULL, class TEXT, question TEXT NOT NULL, "
        "options TEXT NOT NULL, item TEXT, opened_by TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER)",
        "CREATE INDEX polls_open ON polls(school, closed_at, opened_at)",
        "CREATE TABLE poll_answers(school TEXT NOT NULL, poll TEXT NOT NULL, learner TEXT NOT NULL, "
        "device TEXT NOT NULL, answer TEXT NOT NULL, answered_at INTEGER NOT NULL, "
        "PRIMARY KEY(school, poll, learner)) WITHOUT ROWID",
    },
};

QString compact(const QJsonArray& a) {
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QString compact(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// SQLite's limit on bound parameters is 32766; stay well under it.
constexpr qsizetype kLearnersPerQuery = 500;

}  // namespace

Result<std::unique_ptr<StreamStore>> StreamStore::open(const QString& dataDir) {
    auto connection = SqlConnection::open(dataDir, QStringLiteral("stream"));
    if (!connection) return connection.error();
    if (auto s = (*connection)->migrate(QStringLiteral("polls"), kPollSchema); !s) return s.error();
    return std::unique_ptr<StreamStore>(new StreamStore(std::move(connection.value())));
}

Result<QStringList> StreamStore::devicesOf(const QString& school, const QStringList& learners) {
    QStringList out;
    for (qsizetype from = 0; from < learners.size(); from += kLearnersPerQuery) {
        const QStringList part = learners.mid(from, kLearnersPerQuery);
        QStringList marks(part.size(), QStringLiteral("?"));
        QSqlQuery q(connection_->db());
        q.prepare(QStringLiteral("SELECT DISTINCT device FROM device_learners WHERE school = ? AND learner IN (%1)")
                      .arg(marks.join(QLatin1Char(','))));
        q.addBindValue(school);
        for (const QString& learner : part) q.addBindValue(learner);
        if (!q.exec()) return sqlError(QStringLiteral("devices of learners"), q.lastError());
        while (q.next()) out << q.value(0).toString();
    }
    out.removeDuplicates();
    return out;
}

Status StreamStore::addPoll(const Poll& poll) {
    QSqlQuery q(connection_->db());
    q.prepare(QStringLiteral("INSERT INTO polls(id, school, class, question, options, item, opened_by, opened_at) "
                             "VALUES (?, ?, ?, coalesce(?, ''), ?, ?, ?, ?)"));
    q.addBindValue(poll.id);
    q.addBindValue(poll.school);
    q.addBindValue(poll.class_id.isEmpty() ? QVariant() : QVariant(poll.class_id));
    q.addBindValue(poll.question);
    q.addBindValue(compact(QJsonArray::fromStringList(poll.options)));
    q.addBindValue(poll.item.isEmpty() ? QVariant() : QVariant(compact(poll.item)));
    q.addBindValue(poll.opened_by);
    q.addBindValue(static_cast<qint64>(poll.opened_at));
    if (!q.exec()) return sqlError(QStringLiteral("add poll"), q.lastError());
    return success();
}

namespace {

Poll pollFrom(const QSqlQuery& q) {
    Poll p;
    p.id = q.value(0).toString();
    p.school = q.value(1).toString();
    p.class_id = q.value(2).toString();
    p.question = q.value(3).toString();
    for (const QJsonValue& v : QJsonDocument::fromJson(q.value(4).toString().toUtf8()).array())
        p.options << v.toString();
    if (!q.value(5).isNull()) p.item = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
    p.opened_by = q.value(6).toString();
    p.opened_at = q.value(7).toLongLong();
    p.closed_at = q.value(8).isNull() ? 0 : q.value(8).toLongLong();
    return p;
}

const char* const kPollColumns = "id, school, class, question, options, item, opened_by, opened_at, closed_at";

}  // namespace

Result<std::optional<Poll>> StreamStore::pollWithoutCounts(const QString& school, const QString& id) {
    QSqlQuery q(connection_->db());
    q.prepare(QStringLiteral("SELECT %1 FROM polls WHERE school = ? AND id = ?").arg(QLatin1String(kPollColumns)));
    q.addBindValue(school);
    q.addBindValue(id);
    if (!q.exec()) return sqlError(QStringLiteral("poll"), q.lastError());
    if (!q.next()) return std::optional<Poll>();
    return std::optional<Poll>(pollFrom(q));
}

Result<std::optional<Poll>> StreamStore::poll(const QString& school, const QString& id) {
    auto found = pollWithoutCounts(school, id);
    if (!found || !found->has_value()) return found;
    Poll& p = **found;
    for (const QString& option : std::as_const(p.options)) p.counts.insert(option, 0);
    QSqlQuery q(connection_->db());
    q.prepare(QStringLiteral("SELECT answer, count(*) FROM poll_answers WHERE school = ? AND poll = ? GROUP BY answer"));
    q.addBindValue(school);
    q.addBindValue(id);
    if (!q.exec()) return sqlError(QStringLiteral("poll counts"), q.lastError());
    while (q.next()) {
        const int n = q.value(1).toInt();
        p.counts.insert(q.value(0).toString(), n);
        p.answered += n;
    }
    return found;
}

Result<QList<Poll>> StreamStore::openPolls(const QString& school, std::int64_t sinceMs) {
    QSqlQuery q(connection_->db());
    q.prepare(QStringLiteral("SELECT %1 FROM polls WHERE school = ? AND closed_at IS NULL AND opened_at >= ? "
                             "ORDER BY opened_at LIMIT 100")
                  .arg(QLatin1String(kPollColumns)));
    q.addBindValue(school);
    q.addBindValue(static_cast<qint64>(sinceMs));
    if (!q.exec()) return sqlError(QStringLiteral("open polls"), q.lastError());
    QList<Poll> out;
    while (q.next()) out << pollFrom(q);
    return out;
}

Result<PollAnswerOutcome> StreamStore::answer(const QString& school, const QString& pollId, const QString& learner,
                                              const QString& device, const QString& value) {
    auto found = pollWithoutCounts(school, pollId);
    if (!found) return found.error();
    if (!found->has_value()) return PollAnswerOutcome::NoSuchPoll;
    const Poll& p = **found;
    if (!p.open()) return PollAnswerOutcome::Closed;
    if (!p.options.isEmpty() && !p.options.contains(value)) return PollAnswerOutcome::NotAnOption;
    QSqlQuery q(connection_->db());
    // Whether this replaces an answer: this connection (the server thread's)
    // is the only writer of answers, so nothing comes in between.
    q.prepare(QStringLiteral("SELECT 1 FROM poll_answers WHERE school = ? AND poll = ? AND learner = ?"));
    q.addBindValue(school);
    q.addBindValue(pollId);
    q.addBindValue(learner);
    if (!q.exec()) return sqlError(QStringLiteral("poll answer"), q.lastError());
    const bool replacing = q.next();
    q.finish();
    QSqlQuery w(connection_->db());
    w.prepare(QStringLiteral("INSERT INTO poll_answers(school, poll, learner, device, answer, answered_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(school, poll, learner) DO UPDATE SET "
                             "device = excluded.device, answer = excluded.answer, answered_at = excluded.answered_at"));
    w.addBindValue(school);
    w.addBindValue(pollId);
    w.addBindValue(learner);
    w.addBindValue(device);
    w.addBindValue(value);
    w.addBindValue(static_cast<qint64>(nowMs()));
    if (!w.exec()) return sqlError(QStringLiteral("poll answer"), w.lastError());
    return replacing ? PollAnswerOutcome::Replaced : PollAnswerOutcome::Recorded;
}

Result<std::optional<Poll>> StreamStore::close(const QString& school, const QString& id) {
    QSqlQuery q(connection_->db());
    q.prepare(QStringLiteral("UPDATE polls SET closed_at = ? WHERE school = ? AND id = ? AND closed_at IS NULL"));
    q.addBindValue(static_cast<qint64>(nowMs()));
    q.addBindValue(school);
    q.addBindValue(id);
    if (!q.exec()) return sqlError(QStringLiteral("close poll"), q.lastError());
    return poll(school, id);
}

}  // namespace kite::server
