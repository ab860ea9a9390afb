// SPDX-License-Identifier: Apache-2.0
// The ledger on both engines (bench_engines.hpp), SQLite with synchronous=FULL: ingesting demands
// with three events each through NDJSON import (one transaction per 10,000 lines), and the work
// list, next wake-up and monthly report over one million open demands.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "bench_data.hpp"
#include "bench_engines.hpp"
#include "crmpolicy/database.hpp"

namespace {

std::string temp_path(const char* name) {
  return "/tmp/crmpolicy-bench-" + std::to_string(getpid()) + "-" + name;
}

// `count` demands received `spacing` seconds apart (with jitter) from `start`, each with `events`
// events: acknowledged half an hour later, started, resolved a day later.
std::vector<crm::DemandRecord> make_records(int64_t count, int events, uint64_t seed, int64_t start = 1735660800,
                                            int64_t spacing = 20) {
  const char* texts[] = {"生产线设备停机，请尽快维修", "希望系统升级，增加新功能", "价格能否再优惠一些", "咨询一下培训安排",
                         "想了解产品的性能参数", "Plant OUTAGE since 3am"};
  const char* channels[] = {"phone", "email", "visit", "complaint", "online", "survey"};
  const char* owners[] = {"li", "wang", "zhang", "liu", "chen", "yang", "zhao", "huang"};
  const char* types[] = {"acknowledged", "started", "resolved"};
  std::mt19937_64 rng(seed);
  std::vector<crm::DemandRecord> demands;
  for (int64_t i = 0; i < count; ++i) {
    crm::DemandRecord d;
    d.received_at = start + i * spacing + static_cast<int64_t>(rng() % static_cast<uint64_t>(spacing));
    d.id = "D" + std::to_string(seed) + "-" + std::to_string(i);
    d.channel = channels[rng() % 6];
    d.title = texts[rng() % 6];
    d.owner = owners[rng() % 8];
    d.department = "service";
    d.customer_id = "C" + std::to_string(rng() % 5000);
    for (int e = 0; e < events; ++e) {
      crm::EventRecord x;
      x.type = types[e], x.at = d.received_at + 1800 + e * 43200, x.actor = "li";
      d.events.push_back(std::move(x));
    }
    demands.push_back(std::move(d));
  }
  return demands;
}

// The same as an NDJSON file: each demand, then its events.
std::string write_ndjson(int64_t count, int events, uint64_t seed, int64_t start = 1735660800, int64_t spacing = 20) {
  const std::string path = temp_path(("ingest-" + std::to_string(count) + "-" + std::to_string(events) + ".ndjson").c_str());
  std::ofstream out(path);
  for (const crm::DemandRecord& d : make_records(count, events, seed, start, spacing)) {
    out << R"({"id":")" << d.id << R"(","received_at":)" << d.received_at << R"(,"channel":")" << d.channel
        << R"(","title":")" << d.title << R"(","owner":")" << d.owner << R"(","department":")" << d.department
        << R"(","customer":{"id":")" << d.customer_id << "\"}}\n";
    for (const crm::EventRecord& e : d.events)
      out << R"({"type":")" << e.type << R"(","demand":")" << d.id << R"(","at":)" << e.at << R"(,"actor":")" << e.actor
          << "\"}\n";
  }
  return path;
}

// Times `import(db)` on a fresh database of `engine` holding the sample policy, `count` demands an iteration.
template <typename Import>
void time_import(benchmark::State& state, int64_t count, int64_t engine, const Import& import) {
  for (auto _ : state) {
    state.PauseTiming();
    std::string why;
    const auto where = bench::fresh_database(engine, "ingest", &why);
    if (!where) {
      state.SkipWithError(why.c_str());
      break;
    }
    auto db = crm::Database::open(*where);
    const crm::Status setup = db.ok() ? db->put_policy(sample_policy_json()) : db.status();
    if (!setup.ok()) {
      // Skipping ends the timing: resuming it afterwards would abort the benchmark library.
      state.SkipWithError(("setup failed: " + setup.to_string()).c_str());
      bench::remove_database(*where);
      break;
    }
    state.ResumeTiming();
    auto report = import(*db);
    if (!report.ok()) {
      state.SkipWithError(report.status().to_string().c_str());
      bench::remove_database(*where);
      break;
    }
    state.PauseTiming();
    bench::remove_database(*where);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * count);  // demands (each with 3 events)
}

void BM_ImportDemandsWithThreeEvents(benchmark::State& state) {
  const int64_t count = state.range(0);
  const std::string ndjson = write_ndjson(count, 3, 1);
  time_import(state, count, state.range(1), [&](crm::Database& db) { return db.import(ndjson, R"({"batch_size":10000})"); });
  std::remove(ndjson.c_str());
}
BENCHMARK(BM_ImportDemandsWithThreeEvents)
    ->ArgNames({"demands", "postgres"})->Args({100000, 0})->Args({100000, 1})->Args({1000000, 0})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// The typed batch call on the same demands as BM_ImportDemandsWithThreeEvents, each carrying
// its three events; 10,000 records a transaction, the same 2,500 demands a batch as there.
void BM_ImportRecordsWithThreeEvents(benchmark::State& state) {
  const int64_t count = state.range(0);
  const std::vector<crm::DemandRecord> demands = make_records(count, 3, 1);
  time_import(state, count, 0, [&](crm::Database& db) { return db.import_records(demands, {}, R"({"batch_size":10000})"); });
}
BENCHMARK(BM_ImportRecordsWithThreeEvents)->ArgName("demands")->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr int64_t kAt = 1751328000;  // 2025-07-01 08:00+08

// One million open demands received over the 30 days before kAt, each acknowledged half an hour
// after it came in (so first responses are met and resolutions run): built once per engine, then
// queried. Null (and the benchmark skipped, saying why) when the engine is not available.
crm::Database* million_open(benchmark::State& state, int64_t engine) {
  static crm::Database* built[2] = {nullptr, nullptr};
  if (built[engine]) return built[engine];
  std::string why;
  const auto where = bench::fresh_database(engine, "million", &why);
  if (!where) {
    state.SkipWithError(why.c_str());
    return nullptr;
  }
  auto opened = crm::Database::open(*where, {false, 5000, ""});
  if (!opened.ok() || !opened->put_policy(sample_policy_json()).ok()) std::abort();
  const std::string ndjson = write_ndjson(1000000, 1, 2, kAt - 30 * 86400, 3);
  auto report = opened->import(ndjson, R"({"batch_size":50000})");
  std::remove(ndjson.c_str());
  if (!report.ok()) std::abort();
  static std::string paths[2];
  paths[engine] = *where;
  std::atexit([] {
    for (const std::string& p : paths) if (!p.empty()) bench::remove_database(p);
  });
  return built[engine] = new crm::Database(std::move(*opened));
}

// The work list at kAt: every resolution target at risk or breached (urgent ones older than three
// working days, important ones older than ten) plus those due within the next day.
void BM_WorklistOverAMillionOpenDemands(benchmark::State& state) {
  crm::Database* db = million_open(state, state.range(1));
  if (!db) return;
  const std::string query = state.range(0) ? R"({"at":1751328000,"due_before":1751414400,"owner":"li"})"
                                           : R"({"at":1751328000,"due_before":1751414400})";
  size_t bytes = 0, items = 0;
  for (auto _ : state) {
    auto list = db->worklist(query);
    if (!list.ok()) state.SkipWithError(list.status().to_string().c_str());
    bytes = list->size();
    items = static_cast<size_t>(std::count(list->begin(), list->end(), '{')) - 1;
    benchmark::DoNotOptimize(list);
  }
  state.counters["output_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_WorklistOverAMillionOpenDemands)
    ->ArgNames({"owner", "postgres"})->Args({0, 0})->Args({0, 1})->Args({1, 0})->Args({1, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// The same list in pages of 1,000 through the cursor: the first page, and a page 200,000 items in
// (its cursor taken once, before timing). Each page costs what its items do, wherever it is.
void BM_WorklistPageOverAMillionOpenDemands(benchmark::State& state) {
  crm::Database* db = million_open(state, state.range(1));
  if (!db) return;
  const std::string head = R"({"at":1751328000,"due_before":1751414400,"page_size":1000)";
  std::string query = head + "}";
  if (state.range(0)) {  // walk to item 200,000 once, with large pages
    std::string after;
    for (int skipped = 0; skipped < 200000; skipped += 10000) {
      auto page = db->worklist(R"({"at":1751328000,"due_before":1751414400,"page_size":10000)" +
                               (after.empty() ? std::string() : R"(,"after":")" + after + "\"") + "}");
      if (!page.ok()) return state.SkipWithError(page.status().to_string().c_str());
      const size_t at = page->rfind("\"next\":\"");
      if (at == std::string::npos) return state.SkipWithError("the list ended before item 200,000");
      after = page->substr(at + 8, page->find('"', at + 8) - at - 8);
    }
    query = head + R"(,"after":")" + after + "\"}";
  }
  size_t items = 0;
  for (auto _ : state) {
    auto page = db->worklist(query);
    if (!page.ok()) return state.SkipWithError(page.status().to_string().c_str());
    items = static_cast<size_t>(std::count(page->begin(), page->end(), '{')) - 1;
    benchmark::DoNotOptimize(page);
  }
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_WorklistPageOverAMillionOpenDemands)
    ->ArgNames({"later", "postgres"})->Args({0, 0})->Args({0, 1})->Args({1, 0})->Args({1, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// A page of 1,000 of the change feed over the same million demands: the first page of its log
// (recorded and acknowledged, in writing order), and a page of time-driven changes (targets at
// risk or breached) at kAt, the cursor walked once, before timing, past the log and up to a day
// before. A page reads an index range, whatever lies before or after it.
void BM_ChangeFeedPageOverAMillionOpenDemands(benchmark::State& state) {
  crm::Database* db = million_open(state, state.range(1));
  if (!db) return;
  const auto cursor_of = [](const std::string& page) {
    const size_t at = page.rfind("\"cursor\":\"");
    return page.substr(at + 10, page.find('"', at + 10) - at - 10);
  };
  std::string query = R"({"until":1751328000,"limit":1000})";
  if (state.range(0)) {
    std::string cursor;
    for (bool more = true; more;) {
      auto page = db->changes(R"({"until":1751241600,"limit":10000)" +
                              (cursor.empty() ? std::string() : R"(,"cursor":")" + cursor + "\"") + "}");
      if (!page.ok()) return state.SkipWithError(page.status().to_string().c_str());
      cursor = cursor_of(*page);
      more = page->find("\"more\":true") != std::string::npos;
    }
    query = R"({"until":1751328000,"limit":1000,"cursor":")" + cursor + "\"}";
  }
  size_t count = 0;
  for (auto _ : state) {
    auto page = db->changes(query);
    if (!page.ok()) return state.SkipWithError(page.status().to_string().c_str());
    count = static_cast<size_t>(std::count(page->begin(), page->end(), '{')) - 1;
    benchmark::DoNotOptimize(page);
  }
  state.counters["objects"] = static_cast<double>(count);
}
BENCHMARK(BM_ChangeFeedPageOverAMillionOpenDemands)
    ->ArgNames({"timed", "postgres"})->Args({0, 0})->Args({0, 1})->Args({1, 0})->Args({1, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_NextWakeupOverAMillionOpenDemands(benchmark::State& state) {
  crm::Database* db = million_open(state, state.range(0));
  if (!db) return;
  for (auto _ : state) {
    auto t = db->next_wakeup(kAt);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_NextWakeupOverAMillionOpenDemands)->ArgName("postgres")->Arg(0)->Arg(1)->UseRealTime();

// The monthly report by department over the same million demands (June and July 2025, to kAt).
void BM_MonthlyReportOverAMillionDemands(benchmark::State& state) {
  crm::Database* db = million_open(state, state.range(0));
  if (!db) return;
  const std::string query = R"({"period":"month","by":["department"],"from":1748707200,"to":1751328000,"at":1751328000})";
  size_t bytes = 0;
  for (auto _ : state) {
    auto report = db->report(query);
    if (!report.ok()) state.SkipWithError(report.status().to_string().c_str());
    bytes = report->size();
    benchmark::DoNotOptimize(report);
  }
  state.counters["output_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_MonthlyReportOverAMillionDemands)->ArgName("postgres")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)
    ->UseRealTime()->Iterations(1);

}  // namespace
