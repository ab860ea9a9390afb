// SPDX-License-Identifier: Apache-2.0
// Shared by the store tests: the sample policy, a temporary directory, a fresh database of either
// engine, a raw query on either.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <vector>

#include <cstdlib>
#include <fstream>
#include <sstream>
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

// Runs a query on a separate raw connection and returns the first column of the first row
// ("<error>" when it fails): an SQLite file, or a PostgreSQL URI.
inline std::string query(const std::string& path, const char* sql) {
  if (is_postgres(path)) {
    PGconn* conn = PQconnectdb(path.c_str());
    PGresult* r = PQexec(conn, sql);
    std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "<error>";
    PQclear(r);
    PQfinish(conn);
    return out;
  }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string out = "<error>";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// Runs a statement on a separate raw connection (a test tampering with the stored data); true
// when it succeeded.
inline bool exec(const std::string& path, const char* sql) {
  if (is_postgres(path)) {
    PGconn* conn = PQconnectdb(path.c_str());
    PGresult* r = PQexec(conn, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    PQfinish(conn);
    return ok;
  }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

// Every row of a query, columns joined by '.', rows by '|' ("<error>" when it fails): what tests
// compare whole tables with, on either engine (no engine's own aggregate functions needed).
inline std::string rows(const std::string& path, const char* sql) {
  std::string out;
  if (is_postgres(path)) {
    PGconn* conn = PQconnectdb(path.c_str());
    PGresult* r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) out = "<error>";
    for (int i = 0; out != "<error>" && i < PQntuples(r); ++i)
      for (int c = 0; c < PQnfields(r); ++c)
        out += std::string(c ? "." : i ? "|" : "") + (PQgetisnull(r, i, c) ? "NULL" : PQgetvalue(r, i, c));
    PQclear(r);
    PQfinish(conn);
    return out;
  }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) out = "<error>";
  for (int i = 0; out != "<error>" && sqlite3_step(stmt) == SQLITE_ROW; ++i)
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const auto* v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
      out += std::string(c ? "." : i ? "|" : "") + (v ? v : "NULL");
    }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
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
  static int counter = 0;
  const std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" + name[0];
  const std::string sql = "CREATE SCHEMA " + schema;
  if (query(base, (sql + "; SELECT 1").c_str()) == "<error>") ADD_FAILURE() << "cannot create schema " << schema << " in " << base;
  return std::string(base) + (std::string(base).find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

}  // namespace crm::test
