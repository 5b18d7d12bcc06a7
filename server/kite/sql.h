// The SQLite plumbing every part of the server's embedded store shares: one
// connection per thread to DIR/kite-server.db (Qt SQL connections belong to
// the thread that opens them), a transaction guard, and schema migrations per
// part, so that each area (core, courses, jobs, ...) owns its tables.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

#include <cstdint>
#include <initializer_list>
#include <chrono>
#include <memory>

#include "kite/result.h"

namespace kite::server {

std::int64_t nowMs();

Error sqlError(const QString& what, const QSqlError& e);

// One connection, closed and removed with the object.
class SqlConnection {
public:
    // Opens (creating the folder and file if need be) DIR/kite-server.db in
    // WAL mode with synchronous=FULL: what a 202 promises survives a crash.
    // `purpose` names the connection in errors.
    //
    // Sync::Normal (no disk sync at each commit) is for connections that
    // write only what can be derived again and acknowledge nothing, such as
    // the mastery workers': a commit lost to a power cut loses its results
    // and its items' "done" marks together, and the items are done again.
    // WAL frames are written in order, so any later synced commit syncs it too.
    enum class Sync { Full, Normal };
    static Result<std::unique_ptr<SqlConnection>> open(const QString& dataDir, const QString& purpose,
                                                       Sync sync = Sync::Full);
    ~SqlConnection();
    SqlConnection(const SqlConnection&) = delete;
    SqlConnection& operator=(const SqlConnection&) = delete;

    QSqlDatabase db() const;
    QString path() const { return path_; }
    Status exec(const QString& sql);

    // Brings `part`'s tables to the last of `steps` (step i takes the part
    // from version i to i+1), each step in one transaction. A part newer than
    // this program knows is refused, and nothing is touched.
    Status migrate(const QString& part, std::initializer_list<std::initializer_list<const char*>> steps);

private:
    SqlConnection(QString name, QString path) : name_(std::move(name)), path_(std::move(path)) {}
    QString name_;
    QString path_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit()
// succeeded, so that every early return leaves nothing half-written.
// IMMEDIATE takes the write lock at once (waiting on the busy timeout), so a
// transaction that reads before it writes cannot fail half-way with "database
// is locked" when another connection committed meanwhile.
//
// Writers of this process also take turns in arrival order before BEGIN
// IMMEDIATE: SQLite's own busy wait sleeps and retries, so a writer that
// commits back to back (the pushes' group commit, under load) could starve
// the others (the mastery workers) for seconds.
class Transaction {
public:
    // Deferred only for a transaction that only reads (a consistent snapshot).
    enum class Begin { Deferred, Immediate };
    explicit Transaction(QSqlDatabase db, Begin begin = Begin::Immediate);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    bool begun() const { return open_; }
    bool commit();
    // Why BEGIN or COMMIT failed.
    QSqlError error() const { return error_; }

private:
    void leave();

    QSqlDatabase db_;
    bool open_;
    bool turn_ = false;  // holds the process's write turn
    std::chrono::steady_clock::time_point entered_;
    QSqlError error_;
};

}  // namespace kite::server
