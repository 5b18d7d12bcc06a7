#include "kite/sql.h"

#include "kite/server_metrics.h"

#include <QDateTime>
#include <QDir>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace kite::server {

std::int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

Error sqlError(const QString& what, const QSqlError& e) {
    return Error{(what + QStringLiteral(": ") + e.text()).toStdString()};
}

namespace {

// A ticket lock: writers enter in the order they arrived. Reentrant per
// thread, so that a thread already writing never waits for itself.
class WriteTurns {
public:
    void enter() {
        std::unique_lock lock(mutex_);
        if (owner_ == std::this_thread::get_id()) {
            ++depth_;
            return;
        }
        const std::uint64_t ticket = next_++;
        turn_.wait(lock, [&] { return serving_ == ticket; });
        owner_ = std::this_thread::get_id();
        depth_ = 1;
    }
    void leave() {
        std::lock_guard lock(mutex_);
        if (--depth_ > 0) return;
        owner_ = {};
        ++serving_;
        turn_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable turn_;
    std::uint64_t next_ = 0;
    std::uint64_t serving_ = 0;
    std::thread::id owner_;
    int depth_ = 0;
};

WriteTurns& writeTurns() {
    static WriteTurns turns;
    return turns;
}

// The connection's purpose in its name, "kite-<purpose>-<n>" (SqlConnection::open).
QString purposeOf(const QSqlDatabase& db) {
    const QString name = db.connectionName();
    const qsizetype from = name.indexOf(QLatin1Char('-')) + 1;
    return name.mid(from, name.lastIndexOf(QLatin1Char('-')) - from);
}

Histogram& writeWaits() {
    static Histogram& h = Metrics::histogram(QStringLiteral("kite_write_wait_seconds"),
                                             QStringLiteral("Time waiting for the write turn, by connection."),
                                             Metrics::latencyBuckets());
    return h;
}

Histogram& writeHolds() {
    static Histogram& h = Metrics::histogram(QStringLiteral("kite_write_hold_seconds"),
                                             QStringLiteral("Time holding the write turn, by connection."),
                                             Metrics::latencyBuckets());
    return h;
}

}  // namespace

Transaction::Transaction(QSqlDatabase db, Begin begin) : db_(std::move(db)) {
    if (begin == Begin::Immediate) {
        const auto asked = std::chrono::steady_clock::now();
        writeTurns().enter();
        turn_ = true;
        entered_ = std::chrono::steady_clock::now();
        writeWaits().observe({{QStringLiteral("connection"), purposeOf(db_)}},
                             std::chrono::duration<double>(entered_ - asked).count());
    }
    QSqlQuery q(db_);
    open_ = q.exec(begin == Begin::Immediate ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    if (!open_) {
        error_ = q.lastError();
        leave();
    }
}

Transaction::~Transaction() {
    if (open_) {
        QSqlQuery q(db_);
        q.exec(QStringLiteral("ROLLBACK"));
    }
    leave();
}

bool Transaction::commit() {
    QSqlQuery q(db_);
    if (q.exec(QStringLiteral("COMMIT"))) {
        open_ = false;
        leave();
    } else {
        error_ = q.lastError();
    }
    return !open_;
}

void Transaction::leave() {
    if (!turn_) return;
    turn_ = false;
    writeTurns().leave();
    writeHolds().observe({{QStringLiteral("connection"), purposeOf(db_)}},
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - entered_).count());
}

Result<std::unique_ptr<SqlConnection>> SqlConnection::open(const QString& dataDir, const QString& purpose, Sync sync) {
    if (!QDir().mkpath(dataDir)) return Error{dataDir.toStdString() + ": cannot create the data folder"};
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("kite-%1-%2").arg(purpose).arg(counter.fetch_add(1));
    const QString path = QDir(dataDir).filePath(QStringLiteral("kite-server.db"));
    std::unique_ptr<SqlConnection> c(new SqlConnection(name, path));
    QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    database.setDatabaseName(path);
    database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!database.open()) return sqlError(path, database.lastError());
    const char* synchronous = sync == Sync::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
    for (const char* pragma : {"PRAGMA journal_mode = WAL", synchronous, "PRAGMA foreign_keys = ON"}) {
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
