// SPDX-License-Identifier: Apache-2.0
// Hostile-input costs are linear (issue 12): the time per key of an object from 1,000 to
// 1,000,000 keys, parsed alone (the limit on keys lifted to reach a million) and as a demand's
// labels evaluated through the C API (up to the 100,000-key limit); a document nested 10^6 deep
// is refused after reading 64 levels, whatever its length.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_data.hpp"
#include "core/json_util.hpp"
#include "crmpolicy/crmpolicy.h"

namespace {

std::string object_of(int64_t keys) {
  std::string out = "{";
  for (int64_t i = 0; i < keys; ++i) out += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
  return out + "}";
}

void BM_Parse_ObjectKeys(benchmark::State& state) {
  const std::string text = object_of(state.range(0));
  crm::detail::JsonLimits limits;
  limits.max_items = limits.max_values = 2000000;
  for (auto _ : state) {
    auto parsed = crm::detail::parse_json_strict(text, "bench", limits);
    if (!parsed.ok()) state.SkipWithError(parsed.status().message().c_str());
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Parse_ObjectKeys)->RangeMultiplier(10)->Range(1000, 1000000)->Unit(benchmark::kMillisecond);

void BM_Evaluate_DemandLabels(benchmark::State& state) {
  crm_policy* policy = nullptr;
  if (crm_policy_from_json(sample_policy_json().c_str(), &policy) != CRM_OK) state.SkipWithError(crm_last_error());
  const std::string demand = R"({"id":"D1","received_at":1745000000,"channel":"phone","text":"设备停机","labels":)" +
                             object_of(state.range(0)) + "}";
  for (auto _ : state) {
    char* out = nullptr;
    if (crm_policy_evaluate(policy, demand.c_str(), &out) != CRM_OK) state.SkipWithError(crm_last_error());
    crm_free(out);
  }
  crm_policy_free(policy);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Evaluate_DemandLabels)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);

void BM_Refuse_DeepNesting(benchmark::State& state) {
  const auto depth = static_cast<size_t>(state.range(0));
  const std::string text = std::string(depth, '[') + std::string(depth, ']');
  for (auto _ : state) {
    crm_calendar* cal = nullptr;
    if (crm_calendar_from_json(text.c_str(), &cal) != CRM_EINVAL) state.SkipWithError("not refused");
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Refuse_DeepNesting)->RangeMultiplier(100)->Range(100, 1000000)->Unit(benchmark::kMicrosecond);

}  // namespace
