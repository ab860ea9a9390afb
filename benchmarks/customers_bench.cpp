// SPDX-License-Identifier: Apache-2.0
// The customer lists over 100,000 customers and 1,000,000 activities, and the prospect funnel and
// due list over 100,000 prospects, each as one call of the public API on a database written
// through the API (batched), on both engines (bench_engines.hpp). The issue's bar: each under one
// second.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "bench_data.hpp"
#include "bench_engines.hpp"
#include "crmpolicy/database.hpp"

namespace {

using nlohmann::json;

constexpr int kCustomers = 100000;
constexpr int kActivities = 1000000;
constexpr int kProspects = 100000;
constexpr int64_t kStart = 1704038400;  // 2024-01-01 00:00 +08:00
constexpr int64_t kAt = 1767196800;     // 2026-01-01 00:00 +08:00
const char* kAdmin = R"({"id": "bench", "role": "admin"})";

void check(const crm::Status& s) {
  if (!s.ok()) {
    std::cerr << s.to_string() << "\n";
    std::abort();
  }
}

// Built once per engine; null (and *why set) when the engine is not available.
crm::Database* database(int64_t engine, std::string* why) {
  static crm::Database* built[2] = {nullptr, nullptr};
  if (built[engine]) return built[engine];
  const auto where = bench::fresh_database(engine, "customers", why);
  if (!where) return nullptr;
  built[engine] = [&] {
    auto opened = crm::Database::open(*where, {false, 5000, ""});
    check(opened.status());
    auto* d = new crm::Database(std::move(*opened));
    check(d->put_policy(sample_policy_json()));
    std::mt19937_64 rng(7);
    const auto t0 = std::chrono::steady_clock::now();
    for (int base = 0; base < kCustomers; base += 10000) {
      json batch = json::array();
      for (int i = base; i < base + 10000; ++i)
        batch.push_back({{"id", "C" + std::to_string(i)}, {"company", "公司" + std::to_string(i)}, {"owner", "owner" + std::to_string(i % 50)},
                         {"department", "dept" + std::to_string(i % 5)}, {"since", kStart - 86400 * (i % 700)},
                         {"contacts", {{{"name", "联系人"}, {"phone", "13800000000"}, {"email", "c@example.com"}}}}});
      check(d->put_customer(kAdmin, batch.dump()));
    }
    const auto t1 = std::chrono::steady_clock::now();
    static const char* kKinds[] = {"visit", "call", "email", "event"};
    for (int base = 0; base < kActivities; base += 20000) {
      json batch = json::array();
      for (int i = base; i < base + 20000; ++i) {
        const std::string customer = "C" + std::to_string(rng() % kCustomers);
        const int64_t at = kStart + static_cast<int64_t>(rng() % static_cast<uint64_t>(kAt - kStart));
        const uint64_t r = rng() % 100;
        if (r < 25) batch.push_back({{"customer", customer}, {"type", "purchase"}, {"at", at}, {"amount", static_cast<double>(rng() % 500000)}});
        else if (r < 30) batch.push_back({{"customer", customer}, {"type", "survey"}, {"at", at}, {"score", 1 + rng() % 5}});
        else if (r < 31) batch.push_back({{"customer", customer}, {"type", "contract"}, {"at", at}, {"amount", 1000}, {"ends_at", at + 365 * 86400}});
        else batch.push_back({{"customer", customer}, {"type", "interaction"}, {"kind", kKinds[r % 4]}, {"at", at}, {"needs_collected", r % 3 == 0}});
      }
      check(d->add_activity(kAdmin, batch.dump()));
    }
    const auto t2 = std::chrono::steady_clock::now();
    static const char* kStages[] = {"deep_communication", "evaluation", "negotiation", "contract_signed"};
    for (int base = 0; base < kProspects; base += 10000) {
      json prospects = json::array(), events = json::array();
      for (int i = base; i < base + 10000; ++i) {
        const std::string id = "P" + std::to_string(i);
        int64_t at = kStart + static_cast<int64_t>(rng() % (600 * 86400));
        prospects.push_back({{"id", id}, {"company", "意向" + std::to_string(i)}, {"industry", "manufacturing"}, {"size", "medium"},
                             {"need", rng() % 4 ? "general" : "special"}, {"source", "inbound"}, {"department", "dept" + std::to_string(i % 5)},
                             {"owners", {{"first_contact", "owner1"}, {"follow_up", "owner" + std::to_string(i % 50)}}}, {"created_at", at}});
        const uint64_t depth = rng() % 5;
        for (uint64_t k = 0; k < depth; ++k) {
          at += 86400 * static_cast<int64_t>(1 + rng() % 20);
          events.push_back({{"prospect", id}, {"type", "follow_up"}, {"at", at}, {"content", "跟进"}});
          events.push_back({{"prospect", id}, {"type", "stage"}, {"to", kStages[k]}, {"at", at}});
        }
        if (depth < 4 && rng() % 3 == 0) events.push_back({{"prospect", id}, {"type", "stage"}, {"to", "lost"}, {"at", at + 86400}});
      }
      check(d->put_prospect(kAdmin, prospects.dump()));
      check(d->add_prospect_event(kAdmin, events.dump()));
    }
    const auto t3 = std::chrono::steady_clock::now();
    const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::cerr << bench::engine_name(engine) << " setup through the API: " << kCustomers << " customers in " << seconds(t0, t1) << " s, " << kActivities
              << " activities in " << seconds(t1, t2) << " s, " << kProspects << " prospects with events in " << seconds(t2, t3)
              << " s\n";
    return d;
  }();
  static std::string paths[2];
  paths[engine] = *where;
  std::atexit([] {
    for (const std::string& p : paths) if (!p.empty()) bench::remove_database(p);
  });
  return built[engine];
}

void run_query(benchmark::State& state, const char* query) {
  std::string why;
  crm::Database* db = database(state.range(0), &why);
  if (!db) {
    state.SkipWithError(why.c_str());
    return;
  }
  const std::string q = std::string(R"({"at": )") + std::to_string(kAt) + ", " + query + "}";
  size_t bytes = 0;
  for (auto _ : state) {
    auto answer = db->customer_query(kAdmin, q);
    check(answer.status());
    bytes = answer->size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["answer_bytes"] = static_cast<double>(bytes);
}

void BM_CollectionDue(benchmark::State& state) { run_query(state, R"("query": "collection_due")"); }
void BM_ChurnList(benchmark::State& state) { run_query(state, R"("query": "churn")"); }
void BM_TierSummary(benchmark::State& state) { run_query(state, R"("query": "tiers")"); }
void BM_Funnel(benchmark::State& state) { run_query(state, R"("query": "funnel", "period": "month", "by": "owner")"); }
void BM_ProspectDue(benchmark::State& state) { run_query(state, R"("query": "prospect_due")"); }

BENCHMARK(BM_CollectionDue)->ArgName("postgres")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ChurnList)->ArgName("postgres")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_TierSummary)->ArgName("postgres")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Funnel)->ArgName("postgres")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ProspectDue)->ArgName("postgres")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
