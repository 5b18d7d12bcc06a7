// A thin RAII layer over the SQLite C API: a connection, prepared statements
// and transactions, with errors as kite::Error. Nothing Kite-specific here.
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "kite/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kite::sqlite {

class Database;

// What kind of failure an error was, so callers can tell a damaged file or a
// full disk from everything else.
enum class Failure { None, Other, Corrupt, Full, Busy, ReadOnly };

class Statement {
public:
    Statement() = default;
    Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are numbered from 1, as in SQL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value);
    Statement& bind(int index, const QByteArray& value);  // as a BLOB
    Statement& bindText(int index, const QByteArray& utf8);
    Statement& bindNull(int index);

    // One step: true when a row is ready, false when done. An error is kept
    // for status() and ends the statement (step() keeps returning false).
    bool step();
    // Runs to completion (for statements that return no rows) and resets.
    Status run();
    // The first error since the last reset, or success.
    Status status() const;
    void reset();

    // Columns are numbered from 0.
    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    bool isNull(int column) const;

    bool valid() const { return stmt_ != nullptr; }

private:
    void fail(int code);

    Database* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    int error_ = 0;
    std::string message_;
};

// One connection. Statements keep a pointer to it, so it does not move.
class Database {
public:
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Opens (and with `create`, creates) the file. Opening does not read it:
    // a damaged file shows up at the first statement.
    static Result<std::unique_ptr<Database>> open(const QString& path, bool create, bool readOnly = false);

    // Runs one or more statements that return no rows.
    Status exec(const char* sql);
    // Prepares a statement; an error here is a bug or a damaged schema.
    Result<Statement> prepare(const char* sql);

    // The first column of the first row of `sql`, for PRAGMAs and counts.
    Result<std::int64_t> scalar(const char* sql);

    // True between BEGIN and COMMIT/ROLLBACK.
    bool inTransaction() const;
    std::int64_t lastInsertRowId() const;
    int changes() const;
    sqlite3* handle() const { return db_; }
    const QString& path() const { return path_; }

    // The kind of the most recent error on this connection.
    Failure lastFailure() const { return last_failure_; }
    void clearFailure() { last_failure_ = Failure::None; }
    // Called whenever SQLite reports the file damaged, wherever that happens.
    void onCorrupt(std::function<void()> callback) { on_corrupt_ = std::move(callback); }

    // "PATH: what SQLite said", for errors.
    Error error(int code, const char* what) const;

private:
    friend class Statement;
    Database(sqlite3* db, QString path) : db_(db), path_(std::move(path)) {}
    void noteFailure(int code);

    sqlite3* db_ = nullptr;
    QString path_;
    Failure last_failure_ = Failure::None;
    std::function<void()> on_corrupt_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back if destroyed without commit().
class Transaction {
public:
    explicit Transaction(Database& db) : db_(db) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Status begin();
    Status commit();

private:
    Database& db_;
    bool open_ = false;
};

}  // namespace kite::sqlite
