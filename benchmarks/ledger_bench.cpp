// SPDX-License-Identifier: Apache-2.0
// The ledger in a file database with synchronous=FULL: ingesting demands with three events each
// through NDJSON import (one transaction per 10,000 lines), and the work list and next wake-up
// over one million open demands.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "bench_data.hpp"
#include "crmpolicy/database.hpp"

namespace {

std::string temp_path(const char* name) {
  return "/tmp/crmpolicy-bench-" + std::to_string(getpid()) + "-" + name;
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

// `count` demands received `spacing` seconds apart (with jitter) from `start`, each with `events`
// events: acknowledged half an hour later, started, resolved a day later.
std::string write_ndjson(int64_t count, int events, uint64_t seed, int64_t start = 1735660800, int64_t spacing = 20) {
  const char* texts[] = {"生产线设备停机，请尽快维修", "希望系统升级，增加新功能", "价格能否再优惠一些", "咨询一下培训安排",
                         "想了解产品的性能参数", "Plant OUTAGE since 3am"};
  const char* channels[] = {"phone", "email", "visit", "complaint", "online", "survey"};
  const char* owners[] = {"li", "wang", "zhang", "liu", "chen", "yang", "zhao", "huang"};
  std::mt19937_64 rng(seed);
  const std::string path = temp_path(("ingest-" + std::to_string(count) + "-" + std::to_string(events) + ".ndjson").c_str());
  std::ofstream out(path);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t t = start + i * spacing + static_cast<int64_t>(rng() % static_cast<uint64_t>(spacing));
    const std::string id = "D" + std::to_string(seed) + "-" + std::to_string(i);
    out << R"({"id":")" << id << R"(","received_at":)" << t << R"(,"channel":")" << channels[rng() % 6]
        << R"(","title":")" << texts[rng() % 6] << R"(","owner":")" << owners[rng() % 8]
        << R"(","department":"service","customer":{"id":"C)" << rng() % 5000 << "\"}}\n";
    const char* types[] = {"acknowledged", "started", "resolved"};
    for (int e = 0; e < events; ++e)
      out << R"({"type":")" << types[e] << R"(","demand":")" << id << R"(","at":)" << t + 1800 + e * 43200
          << R"(,"actor":"li"})" << "\n";
  }
  return path;
}

void BM_ImportDemandsWithThreeEvents(benchmark::State& state) {
  const int64_t count = state.range(0);
  const std::string ndjson = write_ndjson(count, 3, 1);
  const std::string db_path = temp_path("ingest.db");
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db_path);
    auto db = crm::Database::open(db_path);
    if (!db.ok() || !db->put_policy(sample_policy_json()).ok()) state.SkipWithError("setup failed");
    state.ResumeTiming();
    auto report = db->import(ndjson, R"({"batch_size":10000})");
    if (!report.ok()) state.SkipWithError(report.status().to_string().c_str());
  }
  state.SetItemsProcessed(state.iterations() * count);  // demands (each with 3 events)
  remove_db(db_path);
  std::remove(ndjson.c_str());
}
BENCHMARK(BM_ImportDemandsWithThreeEvents)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same import into PostgreSQL (CRMPOLICY_BENCH_POSTGRES: a libpq URI of a database the bench
// may create schemas in, e.g. under scripts/with-postgres.sh: CRMPOLICY_BENCH_POSTGRES=$CRMPOLICY_TEST_POSTGRES).
void BM_ImportDemandsWithThreeEventsPostgres(benchmark::State& state) {
  const char* base = std::getenv("CRMPOLICY_BENCH_POSTGRES");
  if (!base || !*base) {
    state.SkipWithError("set CRMPOLICY_BENCH_POSTGRES to a PostgreSQL URI");
    return;
  }
  const int64_t count = state.range(0);
  const std::string ndjson = write_ndjson(count, 3, 1);
  static int round = 0;  // a new schema for every run, repetitions included
  for (auto _ : state) {
    state.PauseTiming();
    const std::string schema = "bench" + std::to_string(getpid()) + "_" + std::to_string(++round);
    PGconn* conn = PQconnectdb(base);
    PQclear(PQexec(conn, ("CREATE SCHEMA " + schema).c_str()));
    PQfinish(conn);
    auto db = crm::Database::open(std::string(base) + "&options=-csearch_path%3D" + schema);
    if (!db.ok() || !db->put_policy(sample_policy_json()).ok()) state.SkipWithError("setup failed");
    state.ResumeTiming();
    auto report = db->import(ndjson, R"({"batch_size":10000})");
    if (!report.ok()) state.SkipWithError(report.status().to_string().c_str());
  }
  state.SetItemsProcessed(state.iterations() * count);
  std::remove(ndjson.c_str());
}
BENCHMARK(BM_ImportDemandsWithThreeEventsPostgres)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr int64_t kAt = 1751328000;  // 2025-07-01 08:00+08

// One million open demands received over the 30 days before kAt, each acknowledged half an hour
// after it came in (so first responses are met and resolutions run): built once, then queried.
crm::Database& million_open() {
  static crm::Database* db = [] {
    const std::string db_path = temp_path("million.db");
    remove_db(db_path);
    auto opened = crm::Database::open(db_path, {false, 5000});
    if (!opened.ok() || !opened->put_policy(sample_policy_json()).ok()) std::abort();
    const std::string ndjson = write_ndjson(1000000, 1, 2, kAt - 30 * 86400, 3);
    auto report = opened->import(ndjson, R"({"batch_size":50000})");
    std::remove(ndjson.c_str());
    if (!report.ok()) std::abort();
    std::atexit([] { remove_db(temp_path("million.db")); });
    return new crm::Database(std::move(*opened));
  }();
  return *db;
}

// The work list at kAt: every resolution target at risk or breached (urgent ones older than three
// working days, important ones older than ten) plus those due within the next day.
void BM_WorklistOverAMillionOpenDemands(benchmark::State& state) {
  crm::Database& db = million_open();
  const std::string query = state.range(0) ? R"({"at":1751328000,"due_before":1751414400,"owner":"li"})"
                                           : R"({"at":1751328000,"due_before":1751414400})";
  size_t bytes = 0, items = 0;
  for (auto _ : state) {
    auto list = db.worklist(query);
    if (!list.ok()) state.SkipWithError(list.status().to_string().c_str());
    bytes = list->size();
    items = static_cast<size_t>(std::count(list->begin(), list->end(), '{')) - 1;
    benchmark::DoNotOptimize(list);
  }
  state.counters["output_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_WorklistOverAMillionOpenDemands)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_NextWakeupOverAMillionOpenDemands(benchmark::State& state) {
  crm::Database& db = million_open();
  const int64_t now = kAt;
  for (auto _ : state) {
    auto t = db.next_wakeup(now);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_NextWakeupOverAMillionOpenDemands);

}  // namespace
