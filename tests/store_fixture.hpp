// SPDX-License-Identifier: Apache-2.0
// Shared by the store tests: the sample policy, a temporary directory, a fresh database of either
// engine, a raw query on either.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "crmpolicy/database.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <random>
#include <string>

namespace crm::test {

inline std::string sample_policy() {
  std::ifstream in(CRMPOLICY_DATA_DIR "/policies/demand-management.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/crmpolicy-store-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string file(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline bool is_postgres(const std::string& where) { return where.rfind("postgresql:", 0) == 0; }

// Runs `sql` on a separate raw connection to an SQLite file or a PostgreSQL URI, handing every
// cell (row, column, text or null) to `cell`; false when it fails.
template <class Cell>
bool run(const std::string& path, const char* sql, Cell&& cell) {
  if (is_postgres(path)) {
    PGconn* conn = PQconnectdb(path.c_str());
    PGresult* r = PQexec(conn, sql);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK;
    for (int i = 0; ok && i < PQntuples(r); ++i)
      for (int c = 0; c < PQnfields(r); ++c) cell(i, c, PQgetisnull(r, i, c) ? nullptr : PQgetvalue(r, i, c));
    PQclear(r);
    PQfinish(conn);
    return ok;
  }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  bool ok = true;
  if (std::string(sql).find(';') != std::string::npos) {  // several statements, no rows wanted
    ok = sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  } else {
    sqlite3_stmt* stmt = nullptr;
    ok = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK;
    int rc = SQLITE_DONE;
    for (int i = 0; ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW; ++i)
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) cell(i, c, reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)));
    ok = ok && rc == SQLITE_DONE;
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return ok;
}

// The first column of the first row ("<error>" when the query fails or returns nothing).
inline std::string query(const std::string& path, const char* sql) {
  std::string out = "<error>";
  bool first = true;
  run(path, sql, [&](int row, int column, const char* v) {
    if (first && row == 0 && column == 0) out = v ? v : "", first = false;
  });
  return out;
}

// Runs a statement (a test tampering with the stored data); true when it succeeded.
inline bool exec(const std::string& path, const char* sql) {
  return run(path, sql, [](int, int, const char*) {});
}

// Every row of a query, columns joined by '.', rows by '|' ("<error>" when it fails): what tests
// compare whole tables with, on either engine (no engine's own aggregate functions needed).
inline std::string rows(const std::string& path, const char* sql) {
  std::string out;
  const bool ok = run(path, sql, [&](int row, int column, const char* v) {
    out += std::string(column ? "." : row ? "|" : "") + (v ? v : "NULL");
  });
  return ok ? out : "<error>";
}

// The engines the engine-independent suites run on (issue 15): the same tests, the same expected
// values. PostgreSQL needs CRMPOLICY_TEST_POSTGRES (scripts/with-postgres.sh sets it); without it
// those tests fail, they are never skipped.
// Names the instances after their engine: Engines/ReportTest.X/postgres.
inline std::string engine_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

inline const std::vector<std::string>& engines() {
  static const std::vector<std::string> all = {"sqlite", "postgres"};
  return all;
}

// A fresh, empty database of `engine` for one test: an SQLite file in `dir`, or a new schema of
// the PostgreSQL database CRMPOLICY_TEST_POSTGRES names (its URI selects the schema).
inline std::string fresh_database(const std::string& engine, const TempDir& dir, const char* name = "crm.db") {
  if (engine == "sqlite") return dir.file(name);
  const char* base = std::getenv("CRMPOLICY_TEST_POSTGRES");
  if (!base || !*base) {
    ADD_FAILURE() << "the PostgreSQL suites need CRMPOLICY_TEST_POSTGRES: run the tests under scripts/with-postgres.sh";
    return "postgresql:///unavailable?host=/nonexistent";
  }
  // Unique across runs beside a long-lived server too, where process ids come round again.
  static int counter = 0;
  static const std::string run = std::to_string(std::random_device{}() % 1000000000u);
  const std::string schema = "t" + std::to_string(getpid()) + "_" + run + "_" + std::to_string(++counter) + "_" + name[0];
  if (!exec(base, ("CREATE SCHEMA " + schema).c_str())) ADD_FAILURE() << "cannot create schema " << schema << " in " << base;
  return std::string(base) + (std::string(base).find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

// A suite on both engines: each test gets a fresh database holding the sample policy.
class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    where_ = fresh_database(GetParam(), dir_);
    auto opened = Database::open(where_);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    db_ = std::make_unique<Database>(std::move(*opened));
    ASSERT_TRUE(db_->put_policy(sample_policy()).ok());
  }

  // The database's file or URI, for tests that read or tamper with its tables.
  const std::string& where() const { return where_; }

  TempDir dir_;
  std::string where_;
  std::unique_ptr<Database> db_;
};

}  // namespace crm::test
