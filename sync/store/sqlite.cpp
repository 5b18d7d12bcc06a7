#include "sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace kite::sqlite {

namespace {

Failure failureOf(int code) {
    switch (code & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return Failure::None;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Failure::Corrupt;
    case SQLITE_FULL: return Failure::Full;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Failure::Busy;
    case SQLITE_READONLY: return Failure::ReadOnly;
    default: return Failure::Other;
    }
}

}  // namespace

// ---------------------------------------------------------------- Statement

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      error_(other.error_),
      message_(std::move(other.message_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
        error_ = other.error_;
        message_ = std::move(other.message_);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

void Statement::fail(int code) {
    if (error_ != 0) return;  // keep the first error
    error_ = code;
    message_ = db_->error(code, sqlite3_sql(stmt_)).message;
    db_->noteFailure(code);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) fail(rc);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK) fail(rc);
    return *this;
}

Statement& Statement::bind(int index, const QString& value) {
    return bindText(index, value.toUtf8());
}

Statement& Statement::bindText(int index, const QByteArray& utf8) {
    if (int rc = sqlite3_bind_text(stmt_, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(rc);
    return *this;
}

Statement& Statement::bind(int index, const QByteArray& value) {
    if (int rc = sqlite3_bind_blob(stmt_, index, value.constData(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(rc);
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(rc);
    return *this;
}

bool Statement::step() {
    if (error_ != 0) return false;
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(rc);
    return false;
}

Status Statement::run() {
    while (step()) {
    }
    Status result = status();
    reset();
    return result;
}

Status Statement::status() const {
    if (error_ != 0) return Error{message_};
    return success();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    error_ = 0;
    message_.clear();
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}

QString Statement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return QString::fromUtf8(p, sqlite3_column_bytes(stmt_, column));
}

QByteArray Statement::blob(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return QByteArray(p, sqlite3_column_bytes(stmt_, column));
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ----------------------------------------------------------------- Database

Database::~Database() {
    sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Database>> Database::open(const QString& path, bool create, bool readOnly) {
    sqlite3* db = nullptr;
    int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !readOnly) flags |= SQLITE_OPEN_CREATE;
    // One connection per thread; SQLite's own mutexes are not needed.
    flags |= SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e{path.toStdString() + ": cannot open the database: " +
                (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
        sqlite3_close_v2(db);
        return e;
    }
    sqlite3_extended_result_codes(db, 1);
    // Wait a little for another connection's write instead of failing at once.
    sqlite3_busy_timeout(db, 5000);
    return std::unique_ptr<Database>(new Database(db, path));
}

Error Database::error(int code, const char* what) const {
    std::string message = path_.toStdString() + ": ";
    switch (failureOf(code)) {
    case Failure::Corrupt: message += "the database file is damaged"; break;
    case Failure::Full: message += "the disk is full"; break;
    case Failure::Busy: message += "the database is in use by another program"; break;
    case Failure::ReadOnly: message += "the database cannot be written (read-only)"; break;
    default: message += "database error"; break;
    }
    message += " (";
    message += db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    if (what) {
        message += ", in: ";
        std::string sql(what);
        if (sql.size() > 80) sql = sql.substr(0, 77) + "...";
        message += sql;
    }
    message += ")";
    return Error{message};
}

void Database::noteFailure(int code) {
    last_failure_ = failureOf(code);
    if (last_failure_ == Failure::Corrupt && on_corrupt_) on_corrupt_();
}

Status Database::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) {
        noteFailure(rc);
        return error(rc, sql);
    }
    return success();
}

Result<Statement> Database::prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        noteFailure(rc);
        sqlite3_finalize(stmt);
        return error(rc, sql);
    }
    return Statement(this, stmt);
}

Result<std::int64_t> Database::scalar(const char* sql) {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    std::int64_t value = 0;
    if (stmt->step()) value = stmt->int64(0);
    if (auto s = stmt->status(); !s) return s.error();
    return value;
}

bool Database::inTransaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

std::int64_t Database::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
    return sqlite3_changes(db_);
}

// -------------------------------------------------------------- Transaction

Transaction::~Transaction() {
    if (open_) static_cast<void>(db_.exec("ROLLBACK"));
}

Status Transaction::begin() {
    auto s = db_.exec("BEGIN IMMEDIATE");
    open_ = s.ok();
    return s;
}

Status Transaction::commit() {
    auto s = db_.exec("COMMIT");
    if (s) {
        open_ = false;
    } else if (sqlite3_get_autocommit(db_.handle())) {
        open_ = false;  // SQLite already rolled back (e.g. disk full)
    }
    return s;
}

}  // namespace kite::sqlite
