// SPDX-License-Identifier: Apache-2.0
// The Engine on SQLite: the only file of the library that calls SQLite.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "store/engine.hpp"

namespace crm::detail {

namespace {

// Rows appenders ended and not inserted yet (SQLite): in the order they were ended, across
// appenders, so parents precede their children. They are inserted by a second thread while the
// caller goes on working, in hand-offs of kHandOffRows, or by the caller at its next use of the
// connection (settle()), whichever comes first. An import spends about half its time computing
// rows and half inserting them; on two cores the two halves now overlap. Every other use of the
// connection settles first, so the connection is never used by two threads at once, and reads
// see every row appended before them. An insert that fails is reported by the next use of the
// connection (step, exec, commit, flush), as the Appender contract allows; until a rollback
// every use fails, so a transaction missing a row can never commit.
class RowPipeline {
 public:
  static constexpr size_t kHandOffRows = 512;
  static constexpr size_t kQueuedHandOffs = 2;  // the caller waits beyond this: memory stays bounded

  explicit RowPipeline(sqlite3* db) : db_(db) {}
  RowPipeline(const RowPipeline&) = delete;
  RowPipeline& operator=(const RowPipeline&) = delete;
  ~RowPipeline() { stop(); }

  // Building a row: values in column order; text and blob bytes are copied.
  void add_int(int64_t value) { filling_.values.push_back({Value::integer, value, 0, 0}); }
  void add_bytes(std::string_view bytes, bool blob) {
    filling_.values.push_back({blob ? Value::blob : Value::text, 0, filling_.bytes.size(), bytes.size()});
    filling_.bytes.append(bytes);
  }
  void add_null() { filling_.values.push_back({Value::null, 0, 0, 0}); }
  // Hands the rows over with the transaction's COMMIT after them; settle() reports how it went.
  void commit_later() {
    outstanding_ = true;
    filling_.commit = true;
    hand_off();
  }
  void end_row(sqlite3_stmt* insert, const char* table) {
    filling_.rows.push_back({insert, table, first_, filling_.values.size() - first_});
    first_ = filling_.values.size();
    outstanding_ = true;
    if (filling_.rows.size() >= kHandOffRows) hand_off();
  }

  // Waits for the second thread and inserts what is left; false when an insert failed (then
  // every later call is false until discard()).
  bool settle() {
    if (outstanding_) settle_outstanding();
    return !failure_;
  }
  // Forgets the rows not inserted yet and any failure (the transaction or savepoint that holds
  // them is being rolled back).
  void discard();
  // Settles and ends the second thread (before the connection closes).
  void stop();

  bool failed() const { return failure_.has_value(); }
  // Why the insert failed, and SQLite's extended result code.
  const std::string& failure_message() const { return failure_->message; }
  int failure_code() const { return failure_->code; }

 private:
  struct Value {
    enum Kind : uint8_t { integer, text, blob, null } kind;
    int64_t number;
    size_t offset, size;  // into Rows::bytes
  };
  struct Row {
    sqlite3_stmt* insert;
    const char* table;
    size_t first, count;  // into Rows::values
  };
  struct Rows {
    std::vector<Row> rows;
    std::vector<Value> values;
    std::string bytes;
    bool commit = false;  // then COMMIT after the rows (ROLLBACK when a row failed)
    void clear() {
      rows.clear();
      values.clear();
      bytes.clear();
      commit = false;
    }
  };
  struct Failure {
    std::string message;
    int code;
  };

  // Inserts `rows` in order on the calling thread; the first failure stops it.
  std::optional<Failure> insert(const Rows& rows);
  // insert(), then the commit `rows` asks for; or, when `skip` (an earlier failure), neither. A
  // commit that does not happen is a rollback. Clears `rows`; never throws.
  std::optional<Failure> run(Rows& rows, bool skip);
  void hand_off();
  void settle_outstanding();
  void work();

  sqlite3* db_;
  // The caller's side.
  Rows filling_;
  size_t first_ = 0;  // the first value of the row being built
  bool outstanding_ = false;  // rows are being filled or were handed off since the last settle
  std::optional<Failure> failure_;
  // Shared with the second thread, under mutex_.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Rows> queue_;
  std::vector<Rows> spare_;  // emptied buffers, reused: no allocation once warm
  bool inserting_ = false;
  bool stopping_ = false;
  std::optional<Failure> worker_failure_;
  std::thread worker_;  // started by the first hand-off
};

std::optional<RowPipeline::Failure> RowPipeline::insert(const Rows& rows) {
  for (const Row& row : rows.rows) {
    for (size_t i = 0; i < row.count; ++i) {
      const Value& v = rows.values[row.first + i];
      const int index = static_cast<int>(i) + 1;
      const char* bytes = rows.bytes.data() + v.offset;
      switch (v.kind) {
        case Value::integer: sqlite3_bind_int64(row.insert, index, v.number); break;
        case Value::text: sqlite3_bind_text64(row.insert, index, bytes, v.size, SQLITE_STATIC, SQLITE_UTF8); break;
        case Value::blob: sqlite3_bind_blob64(row.insert, index, bytes, v.size, SQLITE_STATIC); break;
        case Value::null: sqlite3_bind_null(row.insert, index); break;
      }
    }
    const int rc = sqlite3_step(row.insert);
    std::optional<Failure> failure;
    if (rc != SQLITE_DONE)
      failure = Failure{std::string("inserting into ") + row.table + ": " + sqlite3_errmsg(db_), sqlite3_extended_errcode(db_)};
    sqlite3_reset(row.insert);
    sqlite3_clear_bindings(row.insert);
    if (failure) return failure;
  }
  return std::nullopt;
}

std::optional<RowPipeline::Failure> RowPipeline::run(Rows& rows, bool skip) {
  std::optional<Failure> failure;
  try {
    if (!skip) failure = insert(rows);
    if (!skip && !failure && rows.commit && sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      failure = Failure{std::string("committing: ") + sqlite3_errmsg(db_), sqlite3_extended_errcode(db_)};
  } catch (const std::exception& e) {  // out of memory: on the helper thread it would end the process
    failure = Failure{std::string("inserting rows: ") + e.what(), SQLITE_NOMEM};
  }
  if (rows.commit && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  rows.clear();
  return failure;
}

void RowPipeline::hand_off() {
  if (failure_) {  // the caller knows the transaction failed: these rows would be rolled back
    filling_.clear();
    first_ = 0;
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (!worker_.joinable()) {
    try {
      worker_ = std::thread([this] { work(); });
    } catch (const std::system_error&) {  // no thread to be had: the rows go in here and now
      lock.unlock();
      failure_ = run(filling_, false);
      first_ = 0;
      return;
    }
  }
  changed_.wait(lock, [&] { return queue_.size() < kQueuedHandOffs; });
  queue_.push_back(std::move(filling_));
  if (!spare_.empty()) {
    filling_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    filling_ = Rows();
  }
  first_ = 0;
  changed_.notify_all();
}

void RowPipeline::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    Rows rows = std::move(queue_.front());
    queue_.pop_front();
    const bool skip = worker_failure_.has_value();  // after a failure nothing more is inserted
    inserting_ = true;
    lock.unlock();
    std::optional<Failure> failure = run(rows, skip);
    lock.lock();
    inserting_ = false;
    if (failure) worker_failure_ = std::move(failure);
    try {
      spare_.push_back(std::move(rows));
    } catch (const std::bad_alloc&) {  // the buffer is dropped, not reused
    }
    changed_.notify_all();
  }
}

void RowPipeline::settle_outstanding() {
  outstanding_ = false;
  if (worker_.joinable()) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return queue_.empty() && !inserting_; });
    if (worker_failure_ && !failure_) failure_ = std::move(worker_failure_);
    worker_failure_.reset();
  }
  if (!failure_ && !filling_.rows.empty()) failure_ = insert(filling_);
  filling_.clear();
  first_ = 0;
}

void RowPipeline::discard() {
  if (worker_.joinable()) {
    std::unique_lock<std::mutex> lock(mutex_);
    for (Rows& rows : queue_) {
      rows.clear();
      spare_.push_back(std::move(rows));
    }
    queue_.clear();
    changed_.wait(lock, [&] { return !inserting_; });
    worker_failure_.reset();
    changed_.notify_all();
  }
  filling_.clear();
  first_ = 0;
  outstanding_ = false;
  failure_.reset();
}

void RowPipeline::stop() {
  settle();
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

class SqliteQuery final : public Query {
 public:
  // Every use settles the pipeline first: the connection is then this thread's alone, and the
  // rows appended before are in.
  SqliteQuery(sqlite3_stmt* stmt, std::shared_ptr<RowPipeline> rows) : stmt_(stmt), rows_(std::move(rows)) {}
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;
  ~SqliteQuery() override {
    rows_->settle();
    sqlite3_finalize(stmt_);
  }

  void bind_int(int index, int64_t value) override {
    rows_->settle();
    sqlite3_bind_int64(stmt_, index, value);
  }
  void bind_text(int index, std::string_view text) override {
    rows_->settle();
    sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void bind_blob(int index, std::string_view bytes) override {
    rows_->settle();
    sqlite3_bind_blob64(stmt_, index, bytes.empty() ? "" : bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  }
  void bind_null(int index) override {
    rows_->settle();
    sqlite3_bind_null(stmt_, index);
  }
  Step step() override {
    if (!rows_->settle()) return Step::error;
    const int rc = sqlite3_step(stmt_);
    changes_ = sqlite3_changes64(sqlite3_db_handle(stmt_));
    return rc == SQLITE_ROW ? Step::row : rc == SQLITE_DONE ? Step::done : Step::error;
  }
  void reset() override {
    rows_->settle();
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t affected_rows() const override { return changes_; }
  ColumnType type(int column) const override {
    rows_->settle();
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_NULL: return ColumnType::null;
      case SQLITE_INTEGER: return ColumnType::integer;
      case SQLITE_TEXT: return ColumnType::text;
      default: return ColumnType::other;
    }
  }
  int64_t int64(int column) const override {
    rows_->settle();
    return sqlite3_column_int64(stmt_, column);
  }
  std::string_view text(int column) const override {
    rows_->settle();
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
  }
  std::string_view blob(int column) const override {
    rows_->settle();
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
  }

 private:
  sqlite3_stmt* stmt_;
  std::shared_ptr<RowPipeline> rows_;
  int64_t changes_ = 0;  // of the last step: later appended rows must not change the answer
};

// Rows go into the pipeline; its threads insert them through the appender's statement.
class SqliteAppender final : public Appender {
 public:
  SqliteAppender(sqlite3_stmt* insert, std::string table, std::shared_ptr<RowPipeline> rows)
      : insert_(insert), table_(std::move(table)), rows_(std::move(rows)) {}
  SqliteAppender(const SqliteAppender&) = delete;
  SqliteAppender& operator=(const SqliteAppender&) = delete;
  ~SqliteAppender() override {
    rows_->settle();  // no pending row names the statement any more
    sqlite3_finalize(insert_);
  }
  void add_int(int64_t value) override { rows_->add_int(value); }
  void add_text(std::string_view text) override { rows_->add_bytes(text, false); }
  void add_blob(std::string_view bytes) override { rows_->add_bytes(bytes, true); }
  void add_null() override { rows_->add_null(); }
  bool end_row() override {
    rows_->end_row(insert_, table_.c_str());
    return true;
  }

 private:
  sqlite3_stmt* insert_;
  std::string table_;
  std::shared_ptr<RowPipeline> rows_;
};

// Waits for another connection's lock by trying again every millisecond until the busy timeout.
// SQLite's own handler (sqlite3_busy_timeout) sleeps longer and longer between tries, up to 100 ms,
// so under steady contention the writer that has waited longest is the least likely to find the
// lock free: with 8 writers on one file (the Concurrency suite, ASan build, 2 vCPUs, 2026-12-07)
// one waited 3.2 s of a 7 s run, and out its 5 s timeout with a second run beside it. Trying
// every millisecond, the longest wait was 0.45 s alone and 0.8 s with a second run, the runs as long.
class BusyWait {
 public:
  explicit BusyWait(int timeout_ms) : timeout_(timeout_ms) {}
  static int retry(void* self, int tries) {
    auto& wait = *static_cast<BusyWait*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (tries == 0) wait.since_ = now;
    if (now - wait.since_ >= wait.timeout_) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
  }

 private:
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point since_;
};

class SqliteEngine final : public Engine {
 public:
  SqliteEngine(sqlite3* db, int busy_timeout_ms)
      : db_(db), rows_(std::make_shared<RowPipeline>(db)), busy_(busy_timeout_ms) {
    sqlite3_busy_handler(db_, &BusyWait::retry, &busy_);
  }
  SqliteEngine(const SqliteEngine&) = delete;
  SqliteEngine& operator=(const SqliteEngine&) = delete;
  // close_v2 waits for queries still alive; the store finalizes its own first.
  ~SqliteEngine() override {
    rows_->stop();
    sqlite3_busy_handler(db_, nullptr, nullptr);  // a query still alive may outlive busy_
    sqlite3_close_v2(db_);
  }

  std::unique_ptr<Query> prepare(const char* sql, bool persistent) override {
    sqlite3_stmt* stmt = compile(sql, persistent);
    return stmt ? std::make_unique<SqliteQuery>(stmt, rows_) : nullptr;
  }
  // A rollback (of the transaction or to a savepoint) drops the rows not inserted yet: they were
  // all appended after the last statement, so inside what is rolled back.
  bool exec(const char* sql) override {
    if (std::strncmp(sql, "ROLLBACK", 8) == 0) rows_->discard();
    else if (!rows_->settle()) return false;
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  std::unique_ptr<Appender> appender(const char* table, const char* columns) override {
    size_t count = 0;
    sqlite3_stmt* insert = compile(append_statement(table, columns, &count).c_str(), true);
    return insert ? std::make_unique<SqliteAppender>(insert, table, rows_) : nullptr;
  }
  bool flush() override { return rows_->settle(); }
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
  std::string error_message() const override {
    return rows_->failed() ? rows_->failure_message() : std::string(sqlite3_errmsg(db_));
  }
  EngineError last_error() const override {
    const int code = rows_->failed() ? rows_->failure_code() : sqlite3_extended_errcode(db_);
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
    rows_->settle();
    rows_->discard();  // a failure no rollback cleared belongs to no transaction of this one
    return exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  bool commit() override { return exec("COMMIT"); }
  bool start_commit() override {
    if (rows_->failed()) return false;  // a failure the caller was told of already
    rows_->commit_later();
    return true;
  }
  bool finish_commit() override { return rows_->settle(); }
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
  sqlite3_stmt* compile(const char* sql, bool persistent) {
    if (!rows_->settle()) return nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return nullptr;
    }
    return stmt;
  }

  sqlite3* db_;
  std::shared_ptr<RowPipeline> rows_;  // shared with the queries and appenders, which may outlive the handle's use
  std::map<std::string, int64_t> reserved_;  // per table, the largest key reserved in this transaction
  BusyWait busy_;  // SQLite holds its address until the destructor
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
  if (!rows_->settle()) return Status::io_error("backing up to \"" + path + "\": " + error_message());
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
  auto engine = std::make_unique<SqliteEngine>(db, options.busy_timeout_ms);
  // A new file gets 16 KiB pages, not SQLite's 4 KiB: an import writes 6-10% more demands a second
  // in them (10-15% in benchmarks/sqlite_floor.py) and a monthly report reads a fifth faster
  // (README "Performance"). The size only takes on a file with no table yet; an older file keeps its pages.
  const std::string pragmas = std::string("PRAGMA page_size = 16384; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; "
                                          "PRAGMA journal_mode = WAL; PRAGMA synchronous = ") +
                              (options.synchronous_full ? "FULL" : "NORMAL") + ";";
  if (!engine->exec(pragmas.c_str()))
    return Status::io_error("configuring \"" + path + "\": " + engine->error_message());
  // A checkpoint every ~40 MB of WAL, not SQLite's 1,000 pages: an index page a batch touches at
  // random (open_demand by customer) is then copied back to the file once per several commits,
  // which halved the growth of an import's cost from 100,000 to 1,000,000 demands
  // (benchmarks/sqlite_floor.py, README "Performance").
  int64_t checkpoint_pages = 0;
  {
    const auto page_size = engine->prepare("PRAGMA page_size", false);
    if (!page_size || page_size->step() != Step::row || page_size->int64(0) <= 0)
      return Status::io_error("reading the page size of \"" + path + "\": " + engine->error_message());
    checkpoint_pages = (int64_t{40} << 20) / page_size->int64(0);
  }
  if (!engine->exec(("PRAGMA wal_autocheckpoint = " + std::to_string(checkpoint_pages)).c_str()))
    return Status::io_error("configuring \"" + path + "\": " + engine->error_message());
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace crm::detail
