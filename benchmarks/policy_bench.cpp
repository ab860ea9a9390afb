// SPDX-License-Identifier: Apache-2.0
// Evaluating demands against the sample demand-management policy (8 rules, ~40 keywords, 8
// targets of which 2-3 apply): the C++ API (struct in, struct out) and the C API (JSON in, JSON
// out). Demands vary in text, channel and customer and arrive at random instants over 2024-2026.
#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "bench_data.hpp"
#include "crmpolicy/crmpolicy.h"
#include "crmpolicy/policy.hpp"

namespace {

// The same texts in simplified characters, or as Taiwan and Hong Kong customers write them (they
// go through OpenCC's Traditional-to-Simplified conversion before matching).
std::vector<crm::Demand> demands(bool traditional = false) {
  const char* simplified[] = {"生产线设备停机，请尽快维修", "希望系统升级，增加新功能", "价格能否再优惠一些",
                              "咨询一下培训安排",           "服务态度差，投诉",           "想了解产品的性能参数",
                              "Plant OUTAGE since 3am",     "你好"};
  const char* traditional_texts[] = {"生產線設備停機，請盡快維修", "希望系統升級，增加新功能", "價格能否再優惠一些",
                                     "諮詢一下培訓安排",           "服務態度差，投訴",           "想瞭解產品的性能參數",
                                     "Plant OUTAGE since 3am",     "你好"};
  const char* const* texts = traditional ? traditional_texts : simplified;
  const char* channels[] = {"phone", "email", "visit", "complaint", "online", "survey"};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> instant(1704067200, 1798761600);  // 2024-01-01 .. 2027-01-01
  std::vector<crm::Demand> out;
  for (int i = 0; i < 1024; ++i) {
    crm::Demand d;
    d.id = "D-" + std::to_string(i);
    d.received_at = instant(rng);
    d.channel = channels[rng() % 6];
    d.title = "客户需求";
    d.text = texts[rng() % 8];
    d.department = "service";
    d.owner = "wang";
    d.customer.id = "C-" + std::to_string(rng() % 100);
    d.customer.tier = rng() % 4 ? "small" : "large";
    d.customer.annual_spend = static_cast<double>(rng() % 3000000);
    out.push_back(std::move(d));
  }
  return out;
}

void evaluate_each(benchmark::State& state, bool traditional) {
  const auto policy = crm::Policy::from_json(sample_policy_json());
  const auto input = demands(traditional);
  size_t i = 0;
  for (auto _ : state) {
    auto e = policy->evaluate(input[i]);
    benchmark::DoNotOptimize(e);
    i = (i + 1) & 1023;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Policy_Evaluate(benchmark::State& state) { evaluate_each(state, false); }
BENCHMARK(BM_Policy_Evaluate);

void BM_Policy_EvaluateTraditional(benchmark::State& state) { evaluate_each(state, true); }
BENCHMARK(BM_Policy_EvaluateTraditional);

void BM_CApi_PolicyEvaluateJson(benchmark::State& state) {
  crm_policy* policy = nullptr;
  if (crm_policy_from_json(sample_policy_json().c_str(), &policy) != CRM_OK) std::abort();
  std::vector<std::string> json;
  for (const crm::Demand& d : demands())
    json.push_back("{\"id\":\"" + d.id + "\",\"received_at\":" + std::to_string(d.received_at) + ",\"channel\":\"" +
                   d.channel + "\",\"title\":\"" + d.title + "\",\"text\":\"" + d.text +
                   "\",\"department\":\"service\",\"owner\":\"wang\",\"customer\":{\"id\":\"" + d.customer.id +
                   "\",\"tier\":\"" + d.customer.tier + "\",\"annual_spend\":" +
                   std::to_string(static_cast<int64_t>(*d.customer.annual_spend)) + "}}");
  size_t i = 0;
  for (auto _ : state) {
    char* out = nullptr;
    benchmark::DoNotOptimize(crm_policy_evaluate(policy, json[i].c_str(), &out));
    crm_free(out);
    i = (i + 1) & 1023;
  }
  state.SetItemsProcessed(state.iterations());
  crm_policy_free(policy);
}
BENCHMARK(BM_CApi_PolicyEvaluateJson);

void BM_Policy_Load(benchmark::State& state) {
  const std::string json = sample_policy_json();
  for (auto _ : state) benchmark::DoNotOptimize(crm::Policy::from_json(json));
}
BENCHMARK(BM_Policy_Load)->Unit(benchmark::kMicrosecond);

}  // namespace
