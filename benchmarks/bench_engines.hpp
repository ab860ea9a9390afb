// SPDX-License-Identifier: Apache-2.0
// The engines a store benchmark runs on, as its last argument: 0 SQLite (a file under /tmp, with
// synchronous=FULL unless said otherwise), 1 PostgreSQL (a new schema of the database that
// CRMPOLICY_BENCH_POSTGRES names; scripts/bench-engines.sh starts a private cluster and sets it).
// The same workload on both, in one run, so that their ratio means something.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include "crmpolicy/database.hpp"

namespace bench {

inline const char* engine_name(int64_t engine) { return engine ? "postgres" : "sqlite"; }

// Where `name` lives on `engine`, emptied; nullopt (and *why set) when PostgreSQL is not given.
inline std::optional<std::string> fresh_database(int64_t engine, const std::string& name, std::string* why) {
  // A new file or schema for every call, repetitions included, and unlike those of earlier runs
  // (process ids come round again).
  static int round = 0;
  static const std::string run = std::to_string(std::random_device{}() % 1000000000u);
  const std::string unique = name + "_" + std::to_string(getpid()) + "_" + run + "_" + std::to_string(++round);
  if (engine == 0) {
    const std::string path = "/tmp/crmpolicy-bench-" + unique + ".db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    return path;
  }
  const char* base = std::getenv("CRMPOLICY_BENCH_POSTGRES");
  if (!base || !*base) {
    *why = "set CRMPOLICY_BENCH_POSTGRES to a PostgreSQL URI (scripts/bench-engines.sh does)";
    return std::nullopt;
  }
  PGconn* conn = PQconnectdb(base);
  PGresult* r = PQexec(conn, ("CREATE SCHEMA bench_" + unique).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) *why = std::string("cannot create a schema: ") + PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (!ok) return std::nullopt;
  const std::string uri = base;
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3Dbench_" + unique;
}

// Removes an SQLite database's files (a PostgreSQL schema stays with its cluster).
inline void remove_database(const std::string& where) {
  if (where.rfind("postgres", 0) == 0) return;
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((where + suffix).c_str());
}

}  // namespace bench
