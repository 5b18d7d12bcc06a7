#include "kite/sql.h"

#include <QDateTime>
#include <QDir>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace kite::server {

std::int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

Error sqlError(const QString& what, const QSqlError& e) {
    return Error{(what + QStringLiteral(": ") + e.text()).toStdString()};
}

Transaction::Transaction(QSqlDatabase db, Begin begin) : db_(std::move(db)) {
    QSqlQuery q(db_);
    open_ = q.exec(begin == Begin::Immediate ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    if (!open_) error_ = q.lastError();
}

Transaction::~Transaction() {
    if (!open_) return;
    QSqlQuery q(db_);
    q.exec(QStringLiteral("ROLLBACK"));
}

bool Transaction::commit() {
    QSqlQuery q(db_);
    if (q.exec(QStringLiteral("COMMIT"))) open_ = false;
    else error_ = q.lastError();
    return !open_;
}

Result<std::unique_ptr<SqlConnection>> SqlConnection::open(const QString& dataDir, const QString& purpose) {
    if (!QDir().mkpath(dataDir)) return Error{dataDir.toStdString() + ": cannot create the data folder"};
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("kite-%1-%2").arg(purpose).arg(counter.fetch_add(1));
    const QString path = QDir(dataDir).filePath(QStringLiteral("kite-server.db"));
    std::unique_ptr<SqlConnection> c(new SqlConnection(name, path));
    QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    database.setDatabaseName(path);
    database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!database.open()) return sqlError(path, database.lastError());
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
        if (auto s = c->exec(QString::fromLatin1(pragma)); !s) return s.error();
    }
    return c;
}

SqlConnection::~SqlConnection() {
    {
        QSqlDatabase d = QSqlDatabase::database(name_, false);
        if (d.isOpen()) d.close();
    }
    QSqlDatabase::removeDatabase(name_);
}

QSqlDatabase SqlConnection::db() const {
    return QSqlDatabase::database(name_, false);
}

Status SqlConnection::exec(const QString& sql) {
    QSqlQuery q(db());
    if (!q.exec(sql)) return sqlError(path_ + QStringLiteral(": ") + sql.left(60), q.lastError());
    return success();
}

Status SqlConnection::migrate(const QString& part, std::initializer_list<std::initializer_list<const char*>> steps) {
    const int latest = static_cast<int>(steps.size());
    QSqlDatabase d = db();
    Transaction tx(d);
    if (!tx.begun()) return sqlError(path_, tx.error());
    if (auto s = exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_parts(part TEXT PRIMARY KEY, "
                                     "version INTEGER NOT NULL)"));
        !s)
        return s;
    QSqlQuery q(d);
    q.prepare(QStringLiteral("SELECT version FROM schema_parts WHERE part = ?"));
    q.addBindValue(part);
    if (!q.exec()) return sqlError(path_, q.lastError());
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    if (version > latest) {
        return Error{path_.toStdString() + ": its '" + part.toStdString() + "' tables were written by a newer "
                     "kite-server (version " + std::to_string(version) + ", this one knows " +
                     std::to_string(latest) + "); left untouched"};
    }
    if (version == latest) return success();
    int step = 0;
    for (const auto& statements : steps) {
        if (step++ < version) continue;
        for (const char* sql : statements) {
            if (auto s = exec(QString::fromUtf8(sql)); !s) return s;
        }
    }
    QSqlQuery set(d);
    set.prepare(QStringLiteral("INSERT INTO schema_parts(part, version) VALUES (?, ?) "
                               "ON CONFLICT(part) DO UPDATE SET version = excluded.version"));
    set.addBindValue(part);
    set.addBindValue(latest);
    if (!set.exec()) return sqlError(path_, set.lastError());
    if (!tx.commit()) return sqlError(path_, tx.error());
    return success();
}

}  // namespace kite::server
