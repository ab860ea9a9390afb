// SPDX-License-Identifier: Apache-2.0
// Hot paths of the calendar, through the C API as an ERP would call them: random starts across
// three years (2024-2026), 1-72 working hours or 1-10 working days. The day-walking reference
// implementation of the tests runs the same workload for comparison.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/crmpolicy.h"
#include "peer_inputs.hpp"
#include "reference_calendar.hpp"
#include "test_time.hpp"

namespace {

constexpr const char* kShanghaiCn = R"({"time_zone":"Asia/Shanghai","base":"cn",
  "hours":{"mon":"09:00-12:00,13:30-18:00","tue":"09:00-12:00,13:30-18:00","wed":"09:00-12:00,13:30-18:00",
           "thu":"09:00-12:00,13:30-18:00","fri":"09:00-12:00,13:30-18:00"}})";

constexpr const char* kNewYork = R"({"time_zone":"America/New_York",
  "hours":{"mon":"08:30-17:00","tue":"08:30-17:00","wed":"08:30-17:00","thu":"08:30-17:00","fri":"08:30-17:00"},
  "holidays":["2025-07-04","2025-11-27","2025-12-25"]})";

struct Workload {
  std::vector<int64_t> starts, ends, seconds;
  std::vector<int32_t> days;
};

const Workload& workload() {
  static const Workload w = [] {
    Workload out;
    std::mt19937_64 rng(12345);
    std::uniform_int_distribution<int64_t> instant(crm::test::utc(2024, 1, 1), crm::test::utc(2027, 1, 1));
    std::uniform_int_distribution<int64_t> hours(3600, 72 * 3600);
    std::uniform_int_distribution<int32_t> days(1, 10);
    std::uniform_int_distribution<int64_t> gap(0, 14 * 86400);
    for (int i = 0; i < 8192; ++i) {
      out.starts.push_back(instant(rng));
      out.seconds.push_back(hours(rng));
      out.days.push_back(days(rng));
      out.ends.push_back(out.starts.back() + gap(rng));
    }
    return out;
  }();
  return w;
}

crm_calendar* calendar(const char* json) {
  crm_calendar* cal = nullptr;
  if (crm_calendar_from_json(json, &cal) != CRM_OK) std::abort();
  return cal;
}

// Calls `call` on inputs 0, 1, ... (cycling through a power-of-two count of them).
template <class Inputs, class Call>
void run_on(benchmark::State& state, const char* json, const Inputs& inputs, size_t count, Call call) {
  crm_calendar* cal = calendar(json);
  size_t i = 0;
  for (auto _ : state) {
    int64_t out = 0;
    const crm_status st = call(cal, inputs, i, &out);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(out);
    i = (i + 1) & (count - 1);
  }
  state.SetItemsProcessed(state.iterations());
  crm_calendar_free(cal);
}

template <class Call>
void run(benchmark::State& state, const char* json, Call call) {
  run_on(state, json, workload(), 8192, call);
}

void BM_CApi_AddWorkingTime(benchmark::State& state) {
  run(state, state.range(0) ? kNewYork : kShanghaiCn, [](crm_calendar* cal, const Workload& w, size_t i, int64_t* out) {
    return crm_calendar_add_working_time(cal, w.starts[i], w.seconds[i], out);
  });
}
BENCHMARK(BM_CApi_AddWorkingTime)->ArgName("new_york")->Arg(0)->Arg(1);

void BM_CApi_AddWorkingDays(benchmark::State& state) {
  run(state, state.range(0) ? kNewYork : kShanghaiCn, [](crm_calendar* cal, const Workload& w, size_t i, int64_t* out) {
    return crm_calendar_add_working_days(cal, w.starts[i], w.days[i], out);
  });
}
BENCHMARK(BM_CApi_AddWorkingDays)->ArgName("new_york")->Arg(0)->Arg(1);

void BM_CApi_WorkingTimeBetween(benchmark::State& state) {
  run(state, state.range(0) ? kNewYork : kShanghaiCn, [](crm_calendar* cal, const Workload& w, size_t i, int64_t* out) {
    return crm_calendar_working_time_between(cal, w.starts[i], w.ends[i], out);
  });
}
BENCHMARK(BM_CApi_WorkingTimeBetween)->ArgName("new_york")->Arg(0)->Arg(1);

void BM_CApi_AddCalendarDays(benchmark::State& state) {
  run(state, kShanghaiCn, [](crm_calendar* cal, const Workload& w, size_t i, int64_t* out) {
    return crm_calendar_add_calendar_days(cal, w.starts[i], w.days[i], out);
  });
}
BENCHMARK(BM_CApi_AddCalendarDays);

// The inputs benchmarks/peers/ gives numpy, pandas and QuantLib (scripts/bench-peers.sh): the
// Shanghai cn calendar with its lunch break, whole working days and whole working hours.
template <class Call>
void run_peer_inputs(benchmark::State& state, Call call) {
  run_on(state, kShanghaiCn, crm::bench::peer_inputs(), crm::bench::kPeerInputs, call);
}

void BM_Peer_AddWorkingDays(benchmark::State& state) {
  run_peer_inputs(state, [](crm_calendar* cal, const crm::bench::PeerInputs& in, size_t i, int64_t* out) {
    return crm_calendar_add_working_days(cal, in.starts[i], in.days[i], out);
  });
}
BENCHMARK(BM_Peer_AddWorkingDays);

void BM_Peer_AddWorkingHours(benchmark::State& state) {
  run_peer_inputs(state, [](crm_calendar* cal, const crm::bench::PeerInputs& in, size_t i, int64_t* out) {
    return crm_calendar_add_working_time(cal, in.starts[i], in.hours[i] * 3600, out);
  });
}
BENCHMARK(BM_Peer_AddWorkingHours);

// The same add_working_time workload on the deliberately simple day-walking reference.
void BM_Reference_AddWorkingTime(benchmark::State& state) {
  auto cal = crm::Calendar::from_json(kShanghaiCn);
  const crm::test::ReferenceCalendar ref(cal->spec());
  const Workload& w = workload();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ref.add_working_time(w.starts[i], w.seconds[i]));
    i = (i + 1) & 8191;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Reference_AddWorkingTime);

void BM_Reference_AddWorkingDays(benchmark::State& state) {
  auto cal = crm::Calendar::from_json(kShanghaiCn);
  const crm::test::ReferenceCalendar ref(cal->spec());
  const Workload& w = workload();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ref.add_working_days(w.starts[i], w.days[i]));
    i = (i + 1) & 8191;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Reference_AddWorkingDays);

// Building a calendar from JSON, time zone file and cn base included.
void BM_CApi_CalendarFromJson(benchmark::State& state) {
  const char* json = state.range(0) ? kNewYork : kShanghaiCn;
  for (auto _ : state) {
    crm_calendar* cal = nullptr;
    benchmark::DoNotOptimize(crm_calendar_from_json(json, &cal));
    crm_calendar_free(cal);
  }
}
BENCHMARK(BM_CApi_CalendarFromJson)->ArgName("new_york")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
