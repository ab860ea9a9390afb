// SPDX-License-Identifier: Apache-2.0
// The Engine on SQLite: the only file of the library that calls SQLite.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "store/engine.hpp"

namespace crm::detail {

namespace {

class SqliteQuery final : public Query {
 public:
  // `borrow`: bound text and blobs are not copied; they must stay valid until the statement is reset
  // (an appender's rows: Appender says so).
  explicit SqliteQuery(sqlite3_stmt* stmt, bool borrow = false) : stmt_(stmt), bytes_(borrow ? SQLITE_STATIC : SQLITE_TRANSIENT) {}
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;
  ~SqliteQuery() override { sqlite3_finalize(stmt_); }

  void bind_int(int index, int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void bind_text(int index, std::string_view text) override {
    sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), bytes_, SQLITE_UTF8);
  }
  void bind_blob(int index, std::string_view bytes) override {
    sqlite3_bind_blob64(stmt_, index, bytes.empty() ? "" : bytes.data(), bytes.size(), bytes_);
  }
  void bind_null(int index) override { sqlite3_bind_null(stmt_, index); }
  Step step() override {
    const int rc = sqlite3_step(stmt_);
    return rc == SQLITE_ROW ? Step::row : rc == SQLITE_DONE ? Step::done : Step::error;
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t affected_rows() const override { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }
  ColumnType type(int column) const override {
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_NULL: return ColumnType::null;
      case SQLITE_INTEGER: return ColumnType::integer;
      case SQLITE_TEXT: return ColumnType::text;
      default: return ColumnType::other;
    }
  }
  int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string_view text(int column) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
  }
  std::string_view blob(int column) const override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
  }

 private:
  sqlite3_stmt* stmt_;
  sqlite3_destructor_type bytes_;
};

// SQLite writes in-process: each row is inserted at once through one prepared statement.
class SqliteAppender final : public Appender {
 public:
  explicit SqliteAppender(std::unique_ptr<Query> insert) : insert_(std::move(insert)) {}
  void add_int(int64_t value) override { insert_->bind_int(++column_, value); }
  void add_text(std::string_view text) override { insert_->bind_text(++column_, text); }
  void add_blob(std::string_view bytes) override { insert_->bind_blob(++column_, bytes); }
  void add_null() override { insert_->bind_null(++column_); }
  bool end_row() override {
    const bool ok = insert_->step() == Step::done;
    insert_->reset();
    column_ = 0;
    return ok;
  }

 private:
  std::unique_ptr<Query> insert_;
  int column_ = 0;
};

class SqliteEngine final : public Engine {
 public:
  explicit SqliteEngine(sqlite3* db) : db_(db) {}
  SqliteEngine(const SqliteEngine&) = delete;
  SqliteEngine& operator=(const SqliteEngine&) = delete;
  // close_v2 waits for queries still alive; the store finalizes its own first.
  ~SqliteEngine() override { sqlite3_close_v2(db_); }

  std::unique_ptr<Query> prepare(const char* sql, bool persistent) override { return compile(sql, persistent, false); }
  bool exec(const char* sql) override { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
  std::unique_ptr<Appender> appender(const char* table, const char* columns) override {
    size_t count = 0;
    auto insert = compile(append_statement(table, columns, &count).c_str(), true, true);
    return insert ? std::make_unique<SqliteAppender>(std::move(insert)) : nullptr;
  }
  bool flush() override { return true; }
  // The write lock is held, so the keys after the largest (and after those reserved already in
  // this transaction) are free.
  Result<std::vector<int64_t>> reserve_keys(const char* table, int count) override {
    auto q = prepare((std::string("SELECT coalesce(max(seq), 0) FROM ") + table).c_str(), false);
    if (!q || q->step() != Step::row) return Status::io_error(std::string("reserving keys of ") + table + ": " + error_message());
    int64_t& high = reserved_[table];
    high = std::max(high, q->int64(0));
    std::vector<int64_t> keys(static_cast<size_t>(count));
    for (int64_t& key : keys) key = ++high;
    return keys;
  }
  std::string error_message() const override { return sqlite3_errmsg(db_); }
  EngineError last_error() const override {
    const int code = sqlite3_extended_errcode(db_);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) return EngineError::unique_violation;
    switch (code & 0xff) {
      case SQLITE_OK:
      case SQLITE_ROW:
      case SQLITE_DONE: return EngineError::none;
      case SQLITE_CONSTRAINT:
      case SQLITE_MISMATCH: return EngineError::constraint;
      case SQLITE_BUSY:
      case SQLITE_LOCKED: return EngineError::busy;
      default: return EngineError::other;
    }
  }
  int64_t last_insert_id() const override { return sqlite3_last_insert_rowid(db_); }
  bool begin(bool write) override {
    reserved_.clear();
    return exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  bool commit() override { return exec("COMMIT"); }
  bool rollback() override { return exec("ROLLBACK"); }
  Result<int> schema_version() override {
    auto q = prepare("PRAGMA user_version", false);
    if (!q || q->step() != Step::row) return Status::io_error("reading the schema version: " + error_message());
    return q->int32(0);
  }
  bool set_schema_version(int version) override { return exec(("PRAGMA user_version = " + std::to_string(version)).c_str()); }
  Result<std::vector<std::string>> table_columns(const std::string& table) override {
    auto q = prepare(("PRAGMA table_info(\"" + table + "\")").c_str(), false);
    if (!q) return Status::io_error("reading the columns of " + table + ": " + error_message());
    std::vector<std::string> out;
    Step rc;
    while ((rc = q->step()) == Step::row) out.push_back(q->string(1));
    if (rc != Step::done) return Status::io_error("reading the columns of " + table + ": " + error_message());
    return out;
  }
  Status clear_append_only(const std::string& table, const std::string& trigger) override;
  Status sync_keys(const std::string&) override { return {}; }  // a rowid continues after the largest
  Status backup_to(const std::string& path) override;

 private:
  std::unique_ptr<SqliteQuery> compile(const char* sql, bool persistent, bool borrow) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return nullptr;
    }
    return std::make_unique<SqliteQuery>(stmt, borrow);
  }

  sqlite3* db_;
  std::map<std::string, int64_t> reserved_;  // per table, the largest key reserved in this transaction
};

Status SqliteEngine::clear_append_only(const std::string& table, const std::string& trigger) {
  auto q = prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", false);
  if (!q) return Status::io_error("reading trigger " + trigger + ": " + error_message());
  q->bind_text(1, trigger);
  if (q->step() != Step::row) return Status::internal("the " + trigger + " trigger is missing");
  const std::string definition = q->string(0);
  q.reset();
  const std::string clear = "DROP TRIGGER \"" + trigger + "\"; DELETE FROM \"" + table + "\"";
  if (!exec(clear.c_str()) || !exec(definition.c_str())) return Status::io_error("clearing " + table + ": " + error_message());
  return {};
}

Status SqliteEngine::backup_to(const std::string& path) {
  const std::string temporary = path + ".tmp";
  std::remove(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::io_error("cannot create \"" + temporary + "\": " + std::strerror(errno));
  ::close(fd);
  sqlite3* copy = nullptr;
  const auto fail = [&](const std::string& what) {
    const std::string message = what + ": " + (copy ? sqlite3_errmsg(copy) : "out of memory");
    sqlite3_close_v2(copy);
    std::remove(temporary.c_str());
    return Status::io_error(message);
  };
  if (sqlite3_open_v2(temporary.c_str(), &copy, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return fail("cannot open the backup \"" + temporary + "\"");
  sqlite3_backup* b = sqlite3_backup_init(copy, "main", db_, "main");
  if (!b) return fail("cannot start the backup");
  int rc;
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(rc == SQLITE_OK ? 0 : 10);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return fail("backing up to \"" + path + "\"");
  if (sqlite3_close(copy) != SQLITE_OK) return fail("closing the backup");
  copy = nullptr;
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Status::io_error("cannot move the backup to \"" + path + "\": " + std::strerror(errno));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Engine>> open_sqlite_engine(const std::string& path, const DatabaseOptions& options) {
  // Customer data is confidential: a new file is readable by its owner only (SQLite gives its
  // -wal and -shm files the database file's permissions).
  if (path != ":memory:" && !path.empty() && path.rfind("file:", 0) != 0) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    else if (errno != EEXIST) return Status::io_error("cannot create database \"" + path + "\": " + std::strerror(errno));
  }
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::io_error("cannot open database \"" + path + "\": " + message);
  }
  auto engine = std::make_unique<SqliteEngine>(db);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // A checkpoint every 10,000 WAL pages (~40 MB), not SQLite's 1,000: an index page a batch touches
  // at random (open_demand by customer) is then copied back to the file once per several commits,
  // which halved the growth of an import's cost from 100,000 to 1,000,000 demands
  // (benchmarks/sqlite_floor.py, README "Performance").
  const std::string pragmas = std::string("PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000; "
                                          "PRAGMA journal_mode = WAL; PRAGMA synchronous = ") +
                              (options.synchronous_full ? "FULL" : "NORMAL") + ";";
  if (!engine->exec(pragmas.c_str()))
    return Status::io_error("configuring \"" + path + "\": " + engine->error_message());
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace crm::detail
