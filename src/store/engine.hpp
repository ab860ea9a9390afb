// SPDX-License-Identifier: Apache-2.0
// The one small interface between the store and a database engine: prepared queries with
// numbered parameters (?1, ?2, ...), rows read by column, statements executed, errors classified.
// store/sqlite_engine.cpp and store/postgres_engine.cpp implement it; nothing else in the library
// names an engine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/database.hpp"

namespace crm::detail {

enum class Step : uint8_t { row, done, error };
enum class ColumnType : uint8_t { null, integer, text, other };

// What went wrong, as far as callers act on it.
enum class EngineError : uint8_t { none, unique_violation, constraint, busy, other };

class Query {
 public:
  virtual ~Query() = default;
  virtual void bind_int(int index, int64_t value) = 0;
  // An empty view binds '' (never NULL).
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_blob(int index, std::string_view bytes) = 0;
  virtual void bind_null(int index) = 0;
  virtual Step step() = 0;
  // Ready to run again, bindings cleared.
  virtual void reset() = 0;
  // Rows the last step of an INSERT, UPDATE or DELETE changed.
  virtual int64_t affected_rows() const = 0;

  virtual ColumnType type(int column) const = 0;
  bool is_null(int column) const { return type(column) == ColumnType::null; }
  virtual int64_t int64(int column) const = 0;
  int32_t int32(int column) const { return static_cast<int32_t>(int64(column)); }
  // Valid until the query steps or resets; "" for NULL.
  virtual std::string_view text(int column) const = 0;
  std::string string(int column) const { return std::string(text(column)); }
  virtual std::string_view blob(int column) const = 0;
};

// Rows added to one table in bulk, for inserts that cannot conflict by design (their keys are
// reserved or checked beforehand). A row may reach the database only at the engine's next
// statement, flush() or commit() (PostgreSQL sends buffered rows with COPY), so a failure can
// surface there instead of at end_row(). Values are given in the order of the appender's columns;
// the bytes of text and blobs must stay valid until end_row() (SQLite binds them without a copy).
class Appender {
 public:
  virtual ~Appender() = default;
  virtual void add_int(int64_t value) = 0;
  virtual void add_text(std::string_view text) = 0;
  virtual void add_blob(std::string_view bytes) = 0;
  virtual void add_null() = 0;
  // False on failure (the engine's error_message says why).
  virtual bool end_row() = 0;
};

// The statement an appender inserts one row with: INSERT INTO table (columns) VALUES (?1, ...),
// one parameter per column; *count gets the number of columns.
inline std::string append_statement(const std::string& table, const std::string& columns, size_t* count) {
  *count = 1;
  for (const char c : columns) *count += c == ',';
  std::string sql = "INSERT INTO " + table + " (" + columns + ") VALUES (?1";
  for (size_t i = 2; i <= *count; ++i) sql += ", ?" + std::to_string(i);
  return sql + ")";
}

class Engine {
 public:
  virtual ~Engine() = default;
  // A query, or null when `sql` does not prepare (error_message says why). Persistent queries are
  // kept for the handle's life; others run once.
  virtual std::unique_ptr<Query> prepare(const char* sql, bool persistent) = 0;
  // Runs one or more statements without results; false on failure.
  virtual bool exec(const char* sql) = 0;
  // An appender of rows of `table` into `columns` ("a, b, c"), kept for the handle's life. Buffered
  // rows are sent table by table in the order the appenders were made: parents first.
  virtual std::unique_ptr<Appender> appender(const char* table, const char* columns) = 0;
  // Sends the rows appenders hold; false on failure. A rollback discards them.
  virtual bool flush() = 0;
  // `count` unused values of `table`'s integer key `seq`, ascending, for rows the caller inserts
  // with their key given (within the current write transaction).
  virtual Result<std::vector<int64_t>> reserve_keys(const char* table, int count) = 0;
  virtual std::string error_message() const = 0;
  virtual EngineError last_error() const = 0;
  // The row id the last insert gave.
  virtual int64_t last_insert_id() const = 0;
  // Transactions: a write transaction takes the write lock at once (so it never fails later for
  // want of it); a read one sees one consistent snapshot. False on failure.
  virtual bool begin(bool write) = 0;
  virtual bool commit() = 0;
  virtual bool rollback() = 0;
  // A commit the caller need not wait for at once: start_commit() may return while the commit goes
  // on; finish_commit() waits for it and says whether it succeeded (after a failure the
  // transaction is rolled back). Between the two the caller does work that does not use the
  // engine, such as reading the next batch; any use of the engine would wait for the commit.
  virtual bool start_commit() { return commit(); }
  virtual bool finish_commit() { return true; }
  // The count of schema migrations applied, kept in the database; written inside the migration's
  // transaction.
  virtual Result<int> schema_version() = 0;
  virtual bool set_schema_version(int version) = 0;
  // A table's column names, in order.
  virtual Result<std::vector<std::string>> table_columns(const std::string& table) = 0;
  // Deletes every row of an append-only table, its delete guard `trigger` lifted for that one
  // statement, inside the caller's transaction (a restore into an empty database).
  virtual Status clear_append_only(const std::string& table, const std::string& trigger) = 0;
  // After rows were inserted with their keys given (a restore), new rows' keys continue after them.
  virtual Status sync_keys(const std::string& table) = 0;
  // A consistent copy of the whole database at `path` (written beside it, then renamed).
  virtual Status backup_to(const std::string& path) = 0;
};

// Opens (creating, readable by its owner only) an SQLite database file, or ":memory:".
Result<std::unique_ptr<Engine>> open_sqlite_engine(const std::string& path, const DatabaseOptions& options);
// "postgresql://...", "postgres://..." or "postgresql:" followed by libpq's keyword=value form.
bool is_postgres_uri(const std::string& path);
// Connects to a PostgreSQL database through libpq (passwords as libpq finds them: in the URI,
// PGPASSWORD, PGPASSFILE or ~/.pgpass; never in messages).
Result<std::unique_ptr<Engine>> open_postgres_engine(const std::string& uri, const DatabaseOptions& options);

}  // namespace crm::detail
