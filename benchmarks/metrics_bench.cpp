// SPDX-License-Identifier: Apache-2.0
// The report engine: timeliness by month x department over 10 million targets, against the same
// figures from SQLite GROUP BY over the same rows with a covering index.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/civil_date.hpp"
#include "metrics/aggregate.hpp"

namespace {

using namespace crm::detail;

constexpr size_t kTargets = 10'000'000, kDemands = 4'000'000, kDepartments = 20;

const FactTable& facts() {
  static const FactTable f = [] {
    FactTable t;
    t.target_names = {"first_response", "detailed_plan", "contact", "resolution"};
    std::mt19937_64 rng(7);
    const int32_t day0 = *day_number(2016, 1, 1);
    for (size_t k = 0; k < kDimensionCount; ++k) t.dims[k].assign(kDemands, 0);
    for (size_t d = 0; d < kDepartments; ++d) t.dictionaries[0].code("department-" + std::to_string(d));
    t.id_end.assign(kDemands, 0);
    t.goal_sets = {1};
    t.goal_set.assign(kDemands, 0);
    for (size_t i = 0; i < kDemands; ++i) t.dims[0][i] = static_cast<uint32_t>(rng() % kDepartments);
    t.target_demand.resize(kTargets);
    t.target_due_day.resize(kTargets);
    t.target_name.resize(kTargets);
    t.target_status.resize(kTargets);
    t.target_provisional.assign(kTargets, 0);  // official calendar days throughout
    for (size_t i = 0; i < kTargets; ++i) {
      // Targets in demand order (as the loader emits them), due over ten years.
      t.target_demand[i] = static_cast<uint32_t>(i * kDemands / kTargets);
      t.target_due_day[i] = day0 + static_cast<int32_t>(i * 3650 / kTargets);
      t.target_name[i] = static_cast<uint8_t>(rng() % 4);
      const uint64_t r = rng() % 100;
      t.target_status[i] = static_cast<uint8_t>(r < 90 ? 2 : r < 95 ? 3 : r < 98 ? 4 : 0);  // met, late, breached, pending
    }
    return t;
  }();
  return f;
}

void BM_TimelinessByMonthAndDepartment(benchmark::State& state) {
  const FactTable& f = facts();
  const int32_t day0 = *day_number(2016, 1, 1);
  const Grouping g{PeriodTable(PeriodKind::month, day0, day0 + 3650), std::vector<int64_t>(120, 0), {Dimension::department}, {}};
  const std::vector<GoalSpec> goals = {{GoalMetric::timeliness, 255}};
  int64_t decided = 0;
  for (auto _ : state) {
    Aggregation a(f, g, goals);
    a.add_targets();
    decided = 0;
    for (size_t c = 0; c < a.cells().size(); ++c) decided += a.counters(c)[a.goal_counter(0) + 1];
    benchmark::DoNotOptimize(decided);
  }
  state.counters["targets"] = static_cast<double>(kTargets);
}
BENCHMARK(BM_TimelinessByMonthAndDepartment)->Unit(benchmark::kMillisecond)->MinTime(2);

// The same rows in SQLite: (month, department, status), month precomputed (in SQLite's favour).
sqlite3* sqlite_rows() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    sqlite3_open(":memory:", &d);
    sqlite3_exec(d, "CREATE TABLE target (month INTEGER, department INTEGER, status INTEGER)", nullptr, nullptr, nullptr);
    sqlite3_exec(d, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(d, "INSERT INTO target VALUES (?1, ?2, ?3)", -1, &insert, nullptr);
    const FactTable& f = facts();
    const int32_t day0 = *day_number(2016, 1, 1);
    const PeriodTable months(PeriodKind::month, day0, day0 + 3650);
    for (size_t i = 0; i < kTargets; ++i) {
      sqlite3_bind_int(insert, 1, months.index(f.target_due_day[i]));
      sqlite3_bind_int(insert, 2, static_cast<int>(f.dims[0][f.target_demand[i]]));
      sqlite3_bind_int(insert, 3, f.target_status[i]);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(d, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_exec(d, "CREATE INDEX target_cover ON target (month, department, status)", nullptr, nullptr, nullptr);
    return d;
  }();
  return db;
}

// The same rows for pandas (benchmarks/peers/peers.py): with CRMPOLICY_BENCH_EXPORT_TARGETS set,
// they are written there as three uint8 columns one after another (month, department, status).
[[maybe_unused]] const bool kExported = [] {
  const char* path = std::getenv("CRMPOLICY_BENCH_EXPORT_TARGETS");
  if (!path) return false;
  const FactTable& f = facts();
  const int32_t day0 = *day_number(2016, 1, 1);
  const PeriodTable months(PeriodKind::month, day0, day0 + 3650);
  std::vector<uint8_t> out(3 * kTargets);
  for (size_t i = 0; i < kTargets; ++i) {
    out[i] = static_cast<uint8_t>(months.index(f.target_due_day[i]));
    out[kTargets + i] = static_cast<uint8_t>(f.dims[0][f.target_demand[i]]);
    out[2 * kTargets + i] = f.target_status[i];
  }
  std::FILE* file = std::fopen(path, "wb");
  if (!file || std::fwrite(out.data(), 1, out.size(), file) != out.size() || std::fclose(file) != 0) std::abort();
  return true;
}();

void BM_SqliteGroupBy(benchmark::State& state) {
  sqlite3* db = sqlite_rows();
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT month, department, sum(status = 2), sum(status IN (2, 3, 4)) FROM target "
                     "GROUP BY month, department",
                     -1, &q, nullptr);
  int64_t decided = 0;
  for (auto _ : state) {
    decided = 0;
    while (sqlite3_step(q) == SQLITE_ROW) decided += sqlite3_column_int64(q, 3);
    sqlite3_reset(q);
    benchmark::DoNotOptimize(decided);
  }
  sqlite3_finalize(q);
  state.counters["targets"] = static_cast<double>(kTargets);
}
BENCHMARK(BM_SqliteGroupBy)->Unit(benchmark::kMillisecond)->MinTime(2);

}  // namespace
