// SPDX-License-Identifier: Apache-2.0
// The Engine on PostgreSQL through libpq: the only file of the library that calls libpq. The
// store's SQL is written once, in the subset both engines speak; what differs is handled here:
// ?N placeholders become $N, the schema's SQLite DDL is translated (types, identity keys, trigger
// functions), writers serialise on one advisory lock like SQLite's single writer, and readers see
// one snapshot.
#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>
#include <cstring>
#include <regex>
#include <string>
#include <tuple>
#include <utility>

#include "store/engine.hpp"

namespace crm::detail {

namespace {

constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kNumeric = 1700;
// One writer lock per schema: tenants in schemas of one database do not wait for each other.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(726100, hashtext(current_schema()))";

// An unsigned integer of `bytes` bytes in network order.
uint64_t big_endian(const char* v, int bytes) {
  uint64_t x = 0;
  for (int i = 0; i < bytes; ++i) x = x << 8 | static_cast<unsigned char>(v[i]);
  return x;
}

// The integer part of a NUMERIC in binary form (ndigits, weight, sign, dscale, then base-10000
// digits): sums and averages of BIGINT columns. Fractions are cut toward zero, as strtoll of the
// text form did.
int64_t numeric_integer(const char* v, int length) {
  if (length < 8) return 0;
  const auto ndigits = static_cast<int>(big_endian(v, 2));
  const auto weight = static_cast<int16_t>(big_endian(v + 2, 2));
  const auto sign = big_endian(v + 4, 2);
  int64_t value = 0;
  for (int i = 0; i <= weight; ++i)
    value = value * 10000 + (i < ndigits && 8 + 2 * i + 1 < length ? static_cast<int64_t>(big_endian(v + 8 + 2 * i, 2)) : 0);
  return sign == 0x4000 ? -value : value;
}

std::string trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// ?N -> $N outside string literals; `count` gets the largest N (unbound parameters are NULL, as in
// SQLite, so every one is sent).
// SQLite's COLLATE BINARY (byte order, its default) is PostgreSQL's COLLATE "C": where the
// library's SQL needs text in byte order (the work list's pages), it says BINARY on both.
std::string byte_order(std::string sql) {
  static const std::string binary = "COLLATE BINARY", c = "COLLATE \"C\"";
  for (size_t at = sql.find(binary); at != std::string::npos; at = sql.find(binary, at + c.size()))
    sql.replace(at, binary.size(), c);
  return sql;
}

std::string placeholders(const char* sql, int& count) {
  std::string out;
  bool quoted = false;
  count = 0;
  for (const char* p = sql; *p; ++p) {
    if (*p == '\'') quoted = !quoted;
    if (!quoted && *p == '?') {
      out += '$';
      count = std::max(count, std::atoi(p + 1));
    } else {
      out += *p;
    }
  }
  return byte_order(out);
}

// The password of a connection string, hidden for messages.
std::string redacted(const std::string& uri) {
  static const std::regex in_uri(R"(^(postgres(?:ql)?://[^:/@]*):[^@]*@)"), in_keywords(R"((password\s*=\s*)('[^']*'|\S+))");
  return std::regex_replace(std::regex_replace(uri, in_uri, "$1:***@"), in_keywords, "$1***");
}

class PgEngine;

// Rows held as raw values and sent by PgEngine::flush(): many with one COPY ... FROM STDIN (two
// round trips for thousands of rows), a few (a customer saved between lookups) with a prepared
// INSERT each, which costs one.
class PgAppender final : public Appender {
 public:
  PgAppender(PgEngine& engine, const std::string& table, const std::string& columns);
  ~PgAppender() override;
  void add_int(int64_t value) override {
    char digits[24];
    const int n = std::snprintf(digits, sizeof digits, "%lld", static_cast<long long>(value));
    add(std::string_view(digits, static_cast<size_t>(n)), Kind::text);
  }
  void add_text(std::string_view text) override { add(text, Kind::text); }
  void add_blob(std::string_view bytes) override { add(bytes, Kind::blob); }
  void add_null() override { add({}, Kind::null); }
  bool end_row() override;

  bool empty() const { return values_.empty(); }
  size_t size() const { return data_.size(); }
  void clear() {
    data_.clear();
    values_.clear();
  }
  // Sends the rows and clears them; false on failure (the engine notes why).
  bool send(PGconn* conn);

 private:
  enum class Kind : uint8_t { text, blob, null };
  struct Value {
    size_t at, size;
    Kind kind;
  };
  static constexpr size_t kCopyFrom = 8;  // rows; fewer go as single inserts

  void add(std::string_view bytes, Kind kind) {
    values_.push_back({data_.size(), bytes.size(), kind});
    data_.append(bytes.data(), bytes.size());
    data_ += '\0';  // text parameters are C strings
  }
  bool copy(PGconn* conn);
  bool insert(PGconn* conn);

  PgEngine& engine_;
  std::string copy_sql_, insert_name_, insert_sql_;
  size_t columns_ = 0;
  uint64_t prepared_on_ = 0;  // the connection the insert was prepared on (0: none)
  std::string data_;           // the values, each followed by NUL
  std::vector<Value> values_;  // row after row, columns_ each
  std::string text_;           // COPY's text form, built when sent
};

class PgQuery final : public Query {
 public:
  PgQuery(PgEngine& engine, std::string name, std::string sql, int parameters, uint64_t connection)
      : engine_(engine), name_(std::move(name)), sql_(std::move(sql)), parameters_(parameters), connection_(connection) {
    reset();
  }
  ~PgQuery() override { PQclear(result_); }

  void bind_int(int index, int64_t value) override { param(index) = std::to_string(value), format(index) = 0; }
  void bind_text(int index, std::string_view text) override { param(index) = std::string(text), format(index) = 0; }
  void bind_blob(int index, std::string_view bytes) override { param(index) = std::string(bytes), format(index) = 1; }
  void bind_null(int index) override {
    param(index).reset();
    format(index) = 0;
  }
  Step step() override;
  void reset() override {
    PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    params_.assign(static_cast<size_t>(parameters_), std::nullopt);
    formats_.assign(static_cast<size_t>(parameters_), 0);
  }
  int64_t affected_rows() const override {
    const char* n = result_ ? PQcmdTuples(result_) : "";
    return *n ? std::strtoll(n, nullptr, 10) : 0;
  }
  ColumnType type(int column) const override {
    if (PQgetisnull(result_, row_, column)) return ColumnType::null;
    switch (PQftype(result_, column)) {
      case kBool:
      case kInt2:
      case kInt4:
      case kInt8:
      case kNumeric: return ColumnType::integer;
      case kBytea: return ColumnType::other;
      default: return ColumnType::text;
    }
  }
  // Results come in binary: integers in network order, bytea raw, text as it is.
  int64_t int64(int column) const override {
    if (PQgetisnull(result_, row_, column)) return 0;
    const char* v = PQgetvalue(result_, row_, column);
    switch (PQftype(result_, column)) {
      case kInt8: return static_cast<int64_t>(big_endian(v, 8));
      case kInt4: return static_cast<int32_t>(big_endian(v, 4));
      case kInt2: return static_cast<int16_t>(big_endian(v, 2));
      case kBool: return v[0] != 0;  // EXISTS reads as 0 / 1, as in SQLite
      case kNumeric: return numeric_integer(v, PQgetlength(result_, row_, column));
      default: return std::strtoll(v, nullptr, 10);  // a number kept as text (libpq ends values with NUL)
    }
  }
  std::string_view text(int column) const override {
    if (!result_ || PQgetisnull(result_, row_, column)) return {};
    switch (PQftype(result_, column)) {
      case kInt8:
      case kInt4:
      case kInt2:
      case kBool:
      case kNumeric: {  // a number read as text, as SQLite would give it
        if (numbers_.size() <= static_cast<size_t>(column)) numbers_.resize(static_cast<size_t>(column) + 1);
        return numbers_[static_cast<size_t>(column)] = std::to_string(int64(column));
      }
      default:
        return std::string_view(PQgetvalue(result_, row_, column), static_cast<size_t>(PQgetlength(result_, row_, column)));
    }
  }
  std::string_view blob(int column) const override { return text(column); }

 private:
  std::optional<std::string>& param(int index) {
    if (params_.size() < static_cast<size_t>(index)) params_.resize(static_cast<size_t>(index)), formats_.resize(static_cast<size_t>(index));
    return params_[static_cast<size_t>(index) - 1];
  }
  int& format(int index) {
    param(index);
    return formats_[static_cast<size_t>(index) - 1];
  }

  PgEngine& engine_;
  std::string name_, sql_;  // a named prepared statement, or (name empty) a one-off query
  int parameters_;
  uint64_t connection_;  // the connection the statement was prepared on (PgEngine::connection())
  std::vector<std::optional<std::string>> params_;
  std::vector<int> formats_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  mutable std::vector<std::string> numbers_;  // text() of number columns, per column
};

class PgEngine final : public Engine {
 public:
  // `busy_timeout_ms` bounds the wait for the writer lock (lock_timeout), like SQLite's busy timeout.
  PgEngine(PGconn* conn, int busy_timeout_ms)
      : conn_(conn),
        settings_("SET client_min_messages = warning; SET lock_timeout = " + std::to_string(std::max(busy_timeout_ms, 1))) {}
  const std::string& settings() const { return settings_; }
  PgEngine(const PgEngine&) = delete;
  PgEngine& operator=(const PgEngine&) = delete;
  ~PgEngine() override {
    settle();
    PQfinish(conn_);
  }

  std::unique_ptr<Appender> appender(const char* table, const char* columns) override {
    auto appender = std::make_unique<PgAppender>(*this, table, columns);
    appenders_.push_back(appender.get());
    return appender;
  }
  void forget(PgAppender* appender) { appenders_.erase(std::find(appenders_.begin(), appenders_.end(), appender)); }
  bool flush() override {
    settle();
    for (PgAppender* a : appenders_) {
      if (a->empty()) continue;
      if (!a->send(conn_)) {
        discard();
        return false;
      }
    }
    return true;
  }
  // Appended rows waiting to be sent, in bytes: past a few megabytes they go.
  bool flush_if_large() {
    size_t pending = 0;
    for (const PgAppender* a : appenders_) pending += a->size();
    return (in_transaction_ && pending < (8u << 20)) || flush();
  }
  void discard() {
    for (PgAppender* a : appenders_) a->clear();
  }
  Result<std::vector<int64_t>> reserve_keys(const char* table, int count) override {
    if (!ready()) return Status::io_error(std::string("reserving keys of ") + table + ": " + message_);
    const std::string sql = std::string("SELECT nextval(pg_get_serial_sequence('") + table + "', 'seq')) FROM generate_series(1, " +
                            std::to_string(count) + ")";
    PGresult* r = PQexec(conn_, sql.c_str());
    std::vector<int64_t> keys;
    const bool ok = note(r, PGRES_TUPLES_OK);
    for (int i = 0; ok && i < PQntuples(r); ++i) keys.push_back(std::strtoll(PQgetvalue(r, i, 0), nullptr, 10));
    PQclear(r);
    if (!ok) return Status::io_error(std::string("reserving keys of ") + table + ": " + message_);
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  std::unique_ptr<Query> prepare(const char* sql, bool persistent) override {
    int parameters = 0;
    const std::string translated = placeholders(sql, parameters);
    std::string name;
    if (persistent) {
      name = "crm" + std::to_string(++statements_);
      if (!connected() || !prepare_on_server(name, translated)) return nullptr;
    }
    return std::make_unique<PgQuery>(*this, std::move(name), translated, parameters, connection_);
  }
  bool prepare_on_server(const std::string& name, const std::string& sql) {
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    const bool ok = note(r, PGRES_COMMAND_OK);
    PQclear(r);
    return ok;
  }
  // Counts connections: a statement prepared on an earlier one is prepared again.
  uint64_t connection() const { return connection_; }
  // After the server went away (a restart, a failover) the next call outside a transaction
  // connects again; a transaction the loss interrupted is gone (the server rolled it back) and
  // its calls fail until it ends.
  bool connected() {
    settle();
    if (PQstatus(conn_) != CONNECTION_BAD) return true;
    error_ = EngineError::other;
    if (in_transaction_) {
      message_ = "the connection to the server was lost during a transaction, which the server rolled back";
      return false;
    }
    discard();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      message_ = "the connection to the server is lost and connecting again failed (the next call tries again): " +
                 trimmed(PQerrorMessage(conn_));
      return false;
    }
    ++connection_;
    PGresult* r = PQexec(conn_, settings_.c_str());
    const bool ok = note(r, PGRES_COMMAND_OK);
    PQclear(r);
    return ok;
  }
  // Connected (again, if the server went away) and nothing appended left unsent: before anything
  // else goes to the server.
  bool ready() { return connected() && flush(); }
  bool exec(const char* sql) override {
    if (!ready()) return false;
    PGresult* r = PQexec(conn_, translate_ddl(sql).c_str());
    const bool ok = note(r, PQresultStatus(r) == PGRES_TUPLES_OK ? PGRES_TUPLES_OK : PGRES_COMMAND_OK);
    PQclear(r);
    return ok;
  }
  std::string error_message() const override { return message_; }
  EngineError last_error() const override { return error_; }
  int64_t last_insert_id() const override {
    // The insert that gave it was a statement: nothing is buffered and no commit is in flight.
    PGresult* r = PQexec(conn_, "SELECT lastval()");
    const int64_t id = PQresultStatus(r) == PGRES_TUPLES_OK ? std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10) : 0;
    PQclear(r);
    return id;
  }
  bool begin(bool write) override {
    settle();
    commit_failure_.reset();  // a commit no one asked after belongs to no transaction of this one
    if (!exec(write ? "BEGIN ISOLATION LEVEL READ COMMITTED" : "BEGIN ISOLATION LEVEL REPEATABLE READ")) return false;
    in_transaction_ = true;
    if (!write || exec(kWriterLock)) return true;
    const std::string why = message_;
    const EngineError kind = error_;
    rollback();
    message_ = why;
    error_ = kind;
    return false;
  }
  bool commit() override {
    const bool ok = exec("COMMIT");
    if (!ok) unknown_outcome();
    in_transaction_ = false;
    return ok;
  }
  // COMMIT is sent and the server works on it (writes and flushes its WAL) while the caller goes on;
  // its result is read by finish_commit() or by the next use of the connection (settle()).
  bool start_commit() override {
    const bool flushed = ready();
    if (!flushed || PQsendQuery(conn_, "COMMIT") != 1) {
      if (flushed) note(nullptr, PGRES_COMMAND_OK);  // PQsendQuery's error
      // COMMIT never left: the transaction did not commit (no "unknown outcome" to report).
      const std::pair<std::string, EngineError> why{message_, error_};
      rollback();  // the caller is told now: nothing is left for finish_commit()
      std::tie(message_, error_) = why;
      return false;
    }
    in_transaction_ = false;
    commit_pending_ = true;
    return true;
  }
  bool finish_commit() override {
    settle();
    if (!commit_failure_) return true;
    std::tie(message_, error_) = *commit_failure_;
    commit_failure_.reset();
    return false;
  }
  // Reads the result of the COMMIT start_commit() sent; a failure is kept for finish_commit().
  void settle() {
    if (!commit_pending_) return;
    commit_pending_ = false;
    PGresult* r = PQgetResult(conn_);
    const bool ok = note(r, PGRES_COMMAND_OK);
    PQclear(r);
    while ((r = PQgetResult(conn_)) != nullptr) PQclear(r);
    if (ok) return;
    unknown_outcome();
    commit_failure_ = {message_, error_};
  }
  void unknown_outcome() {
    if (PQstatus(conn_) == CONNECTION_BAD)
      message_ += "; whether the transaction committed is unknown: read back before sending it again";
  }
  bool rollback() override {
    settle();
    discard();
    in_transaction_ = false;
    return PQstatus(conn_) == CONNECTION_BAD || exec("ROLLBACK");  // a lost connection rolled back already
  }
  Result<int> schema_version() override {
    if (!ready()) return Status::io_error("reading the schema version: " + message_);
    // Created by the first open (the tables' owner); a role that may only use the tables finds it.
    PGresult* found = PQexec(conn_, "SELECT to_regclass('crm_schema_version') IS NOT NULL");
    const bool exists = note(found, PGRES_TUPLES_OK) && PQgetvalue(found, 0, 0)[0] == 't';
    PQclear(found);
    if (!exists && (!exec("CREATE TABLE crm_schema_version (version INTEGER NOT NULL)") ||
                    !exec("INSERT INTO crm_schema_version VALUES (0)")))
      return Status::io_error("reading the schema version: " + message_);
    PGresult* r = PQexec(conn_, "SELECT version FROM crm_schema_version");
    const bool ok = note(r, PGRES_TUPLES_OK) && PQntuples(r) == 1;
    const int version = ok ? std::atoi(PQgetvalue(r, 0, 0)) : 0;
    PQclear(r);
    if (!ok) return Status::io_error("reading the schema version: " + message_);
    return version;
  }
  bool set_schema_version(int version) override {
    return exec(("UPDATE crm_schema_version SET version = " + std::to_string(version)).c_str());
  }
  Result<std::vector<std::string>> table_columns(const std::string& table) override {
    if (!ready()) return Status::io_error("reading the columns of " + table + ": " + message_);
    const char* values[] = {table.c_str()};
    PGresult* r = PQexecParams(conn_,
                               "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                               "AND table_name = $1 ORDER BY ordinal_position",
                               1, nullptr, values, nullptr, nullptr, 0);
    std::vector<std::string> out;
    const bool ok = note(r, PGRES_TUPLES_OK);
    for (int i = 0; ok && i < PQntuples(r); ++i) out.emplace_back(PQgetvalue(r, i, 0));
    PQclear(r);
    if (!ok) return Status::io_error("reading the columns of " + table + ": " + message_);
    return out;
  }
  Status clear_append_only(const std::string& table, const std::string& trigger) override {
    const std::string sql = "ALTER TABLE " + table + " DISABLE TRIGGER " + trigger + "; DELETE FROM " + table + "; ALTER TABLE " +
                            table + " ENABLE TRIGGER " + trigger;
    if (!exec(sql.c_str())) return Status::io_error("clearing " + table + ": " + message_);
    return {};
  }
  Status sync_keys(const std::string& table) override {
    const std::string sql = "SELECT setval(pg_get_serial_sequence('" + table + "', 'seq'), coalesce(max(seq), 0) + 1, false) FROM " + table;
    if (!exec(sql.c_str())) return Status::io_error("continuing the keys of " + table + ": " + message_);
    return {};
  }
  Status backup_to(const std::string&) override {
    return Status::invalid_state("a hot backup file is an SQLite feature; back a PostgreSQL database up with pg_dump or "
                                 "pg_basebackup, or export a snapshot (crm_db_export_snapshot)");
  }

  // Records the outcome of `r`: true when it has status `want`.
  bool note(PGresult* r, ExecStatusType want) {
    const ExecStatusType got = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (got == want || (want == PGRES_COMMAND_OK && got == PGRES_TUPLES_OK)) {
      error_ = EngineError::none;
      return true;
    }
    message_ = trimmed(r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "";
    error_ = code == "23505"                                       ? EngineError::unique_violation
             : code.rfind("23", 0) == 0 || code.rfind("22", 0) == 0 ? EngineError::constraint
             : code == "40001" || code == "40P01" || code == "55P03" ? EngineError::busy
                                                                     : EngineError::other;
    if (PQstatus(conn_) == CONNECTION_BAD)
      message_ += " (the connection to the server is lost; the next call on this handle connects again)";
    return false;
  }
  PGconn* conn() const { return conn_; }

  // The schema's SQLite DDL in PostgreSQL's words (migrations are written once, in store/schema.cpp).
  static std::string translate_ddl(const char* sql) {
    std::string s = sql;
    if (s.find("CREATE") == std::string::npos && s.find("ALTER") == std::string::npos) return s;
    static const std::regex strict(R"(\)\s*STRICT(\s*,\s*WITHOUT ROWID)?\s*;)"), rowid_key(R"(\b(\w+)\s+INTEGER PRIMARY KEY\b)"),
        integer(R"(\bINTEGER\b)"), blob(R"(\bBLOB\b)"),
        trigger(R"(CREATE TRIGGER (\w+) BEFORE (UPDATE|DELETE) ON (\w+) BEGIN SELECT RAISE\(ABORT, '([^']*)'\); END;)");
    s = std::regex_replace(s, strict, ");");
    s = std::regex_replace(s, rowid_key, "$1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    s = std::regex_replace(s, integer, "BIGINT");
    s = std::regex_replace(s, blob, "BYTEA");
    s = byte_order(std::move(s));
    s = std::regex_replace(s, trigger,
                           "CREATE FUNCTION $1() RETURNS trigger LANGUAGE plpgsql AS $$$$BEGIN RAISE EXCEPTION '$4'; END$$$$; "
                           "CREATE TRIGGER $1 BEFORE $2 ON $3 FOR EACH ROW EXECUTE FUNCTION $1();");
    return s;
  }

 private:
  PGconn* conn_;
  std::string settings_;  // sent on every connection
  uint64_t connection_ = 1;
  bool in_transaction_ = false;
  bool commit_pending_ = false;                                        // start_commit() sent COMMIT
  std::optional<std::pair<std::string, EngineError>> commit_failure_;  // for finish_commit()
  std::vector<PgAppender*> appenders_;  // in the order made: parent tables first
  int statements_ = 0;
  std::string message_;
  EngineError error_ = EngineError::none;
};

PgAppender::PgAppender(PgEngine& engine, const std::string& table, const std::string& columns)
    : engine_(engine),
      copy_sql_("COPY " + table + " (" + columns + ") FROM STDIN"),
      insert_name_("crm_append_" + table) {
  int parameters = 0;
  insert_sql_ = placeholders(append_statement(table, columns, &columns_).c_str(), parameters);
}

PgAppender::~PgAppender() { engine_.forget(this); }

bool PgAppender::end_row() {
  return engine_.flush_if_large();  // outside a transaction at once: nothing waits for a later one
}

bool PgAppender::send(PGconn* conn) {
  const bool ok = values_.size() >= kCopyFrom * columns_ ? copy(conn) : insert(conn);
  clear();
  return ok;
}

bool PgAppender::insert(PGconn* conn) {
  if (prepared_on_ != engine_.connection()) {
    if (!engine_.prepare_on_server(insert_name_, insert_sql_)) return false;
    prepared_on_ = engine_.connection();
  }
  std::vector<const char*> params(columns_);
  std::vector<int> lengths(columns_), formats(columns_);
  for (size_t row = 0; row < values_.size(); row += columns_) {
    for (size_t c = 0; c < columns_; ++c) {
      const Value& v = values_[row + c];
      params[c] = v.kind == Kind::null ? nullptr : data_.data() + v.at;
      lengths[c] = static_cast<int>(v.size);
      formats[c] = v.kind == Kind::blob ? 1 : 0;
    }
    PGresult* r = PQexecPrepared(conn, insert_name_.c_str(), static_cast<int>(columns_), params.data(), lengths.data(),
                                 formats.data(), 0);
    const bool ok = engine_.note(r, PGRES_COMMAND_OK);
    PQclear(r);
    if (!ok) return false;
  }
  return true;
}

bool PgAppender::copy(PGconn* conn) {
  static const char digits[] = "0123456789abcdef";
  text_.clear();
  for (size_t i = 0; i < values_.size(); ++i) {
    if (i % columns_) text_ += '\t';
    const Value& v = values_[i];
    const std::string_view bytes(data_.data() + v.at, v.size);
    if (v.kind == Kind::null) {
      text_ += "\\N";
    } else if (v.kind == Kind::blob) {
      text_ += "\\\\x";  // bytea's hex form, its backslash escaped for COPY
      for (const char c : bytes) {
        text_ += digits[static_cast<unsigned char>(c) >> 4];
        text_ += digits[static_cast<unsigned char>(c) & 15];
      }
    } else {
      for (const char c : bytes) {
        switch (c) {
          case '\\': text_ += "\\\\"; break;
          case '\t': text_ += "\\t"; break;
          case '\n': text_ += "\\n"; break;
          case '\r': text_ += "\\r"; break;
          default: text_ += c;
        }
      }
    }
    if (i % columns_ == columns_ - 1) text_ += '\n';
  }
  PGresult* r = PQexec(conn, copy_sql_.c_str());
  bool ok = PQresultStatus(r) == PGRES_COPY_IN;
  if (!ok) {
    engine_.note(r, PGRES_COPY_IN);
  } else {
    PQclear(r);
    ok = PQputCopyData(conn, text_.data(), static_cast<int>(text_.size())) == 1 && PQputCopyEnd(conn, nullptr) == 1;
    r = PQgetResult(conn);
    ok = engine_.note(r, PGRES_COMMAND_OK) && ok;
  }
  PQclear(r);
  while ((r = PQgetResult(conn)) != nullptr) PQclear(r);
  return ok;
}

Step PgQuery::step() {
  if (!result_) {
    if (!engine_.ready()) return Step::error;
    if (!name_.empty() && connection_ != engine_.connection()) {
      if (!engine_.prepare_on_server(name_, sql_)) return Step::error;
      connection_ = engine_.connection();
    }
    std::vector<const char*> values(params_.size());
    std::vector<int> lengths(params_.size());
    for (size_t i = 0; i < params_.size(); ++i) {
      values[i] = params_[i] ? params_[i]->c_str() : nullptr;
      lengths[i] = params_[i] ? static_cast<int>(params_[i]->size()) : 0;
    }
    const int n = static_cast<int>(params_.size());
    result_ = name_.empty()
                  ? PQexecParams(engine_.conn(), sql_.c_str(), n, nullptr, values.data(), lengths.data(), formats_.data(), 1)
                  : PQexecPrepared(engine_.conn(), name_.c_str(), n, values.data(), lengths.data(), formats_.data(), 1);
    if (!engine_.note(result_, PQresultStatus(result_) == PGRES_TUPLES_OK ? PGRES_TUPLES_OK : PGRES_COMMAND_OK)) return Step::error;
    row_ = -1;
  }
  if (PQresultStatus(result_) != PGRES_TUPLES_OK) return Step::done;
  ++row_;
  return row_ < PQntuples(result_) ? Step::row : Step::done;
}

}  // namespace

bool is_postgres_uri(const std::string& path) {
  return path.rfind("postgresql://", 0) == 0 || path.rfind("postgres://", 0) == 0 || path.rfind("postgresql:", 0) == 0;
}

Result<std::unique_ptr<Engine>> open_postgres_engine(const std::string& uri, const DatabaseOptions& options) {
  // "postgresql:host=... dbname=..." is libpq's keyword form behind our prefix.
  const std::string conninfo = uri.rfind("postgresql:", 0) == 0 && uri.rfind("postgresql://", 0) != 0 ? uri.substr(11) : uri;
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    const std::string message = conn ? trimmed(PQerrorMessage(conn)) : "out of memory";
    PQfinish(conn);
    return Status::io_error("cannot open database \"" + redacted(uri) + "\": " + message);
  }
  auto engine = std::make_unique<PgEngine>(conn, options.busy_timeout_ms);
  if (!engine->exec(engine->settings().c_str()))
    return Status::io_error("configuring \"" + redacted(uri) + "\": " + engine->error_message());
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace crm::detail
