// SPDX-License-Identifier: Apache-2.0
// The thread-safety claims of README "Errors, ownership and threads", run under ThreadSanitizer in
// CI (.ci/run): one calendar and one policy shared by threads give each thread the answers one
// thread alone gets; a handle per thread on one file records every demand once.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "crmpolicy/database.hpp"
#include "store_fixture.hpp"

namespace crm::test {
namespace {

constexpr int kThreads = 4;

const char* const kShanghai = R"({"time_zone": "Asia/Shanghai", "base": "cn",
  "hours": {"mon": "09:00-12:00,13:30-18:00", "tue": "09:00-12:00,13:30-18:00", "wed": "09:00-12:00,13:30-18:00",
            "thu": "09:00-12:00,13:30-18:00", "fri": "09:00-12:00,13:30-18:00"}})";

// Runs `work(thread)` on kThreads threads at once.
template <class Work>
void on_threads(Work&& work) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&, t] { work(t); });
  for (std::thread& thread : threads) thread.join();
}

TEST(Threads, OneCalendarServesManyThreads) {
  auto calendar = Calendar::from_json(kShanghai);
  ASSERT_TRUE(calendar.ok()) << calendar.status().to_string();
  const int64_t start = 1759280400;  // 2025-10-01 09:00 Shanghai: National Day, then a make-up Saturday
  std::vector<int64_t> alone;
  for (int i = 0; i < 2000; ++i) alone.push_back(*calendar->add_working_time(start + i * 977, 3600 * (1 + i % 40)));
  std::atomic<int> wrong{0};
  on_threads([&](int t) {
    for (int i = t; i < 2000; i += 1) {
      const auto due = calendar->add_working_time(start + i * 977, 3600 * (1 + i % 40));
      if (!due.ok() || *due != alone[static_cast<size_t>(i)]) ++wrong;
    }
  });
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Threads, OnePolicyEvaluatesOnManyThreads) {
  auto policy = Policy::from_json(sample_policy());
  ASSERT_TRUE(policy.ok()) << policy.status().to_string();
  const auto demand_of = [](int i) {
    Demand d;
    d.id = "T-" + std::to_string(i);
    d.received_at = 1759280400 + i * 3607;
    d.channel = i % 3 == 0 ? "complaint" : i % 3 == 1 ? "phone" : "email";
    d.title = i % 2 ? "生产线设备停机，请尽快维修" : "咨询价格";
    return d;
  };
  std::vector<std::string> alone;
  for (int i = 0; i < 500; ++i) alone.push_back(to_json(*policy->evaluate(demand_of(i))));
  std::atomic<int> wrong{0};
  on_threads([&](int) {
    for (int i = 0; i < 500; ++i) {
      const auto e = policy->evaluate(demand_of(i));
      if (!e.ok() || to_json(*e) != alone[static_cast<size_t>(i)]) ++wrong;
    }
  });
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Threads, AHandlePerThreadOnOneFileRecordsEveryDemandOnce) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE(db->put_policy(sample_policy()).ok());
  }
  constexpr int kEach = 40;
  std::atomic<int> failed{0};
  on_threads([&](int t) {
    auto db = Database::open(path);  // each thread its own handle
    if (!db.ok()) {
      ++failed;
      return;
    }
    for (int i = 0; i < kEach; ++i) {
      const std::string id = "D-" + std::to_string(t) + "-" + std::to_string(i);
      const std::string demand = R"({"id":")" + id + R"(","received_at":)" + std::to_string(1759280400 + i * 60) +
                                 R"(,"channel":"phone","title":"设备停机"})";
      if (!db->record_demand(demand).ok()) ++failed;
      if (!db->append_event(id, R"({"type":"acknowledged","at":)" + std::to_string(1759280400 + i * 60 + 30) + R"(,"actor":"a"})").ok())
        ++failed;
      if (i % 10 == 0 && !db->worklist(R"({"at":1759380400})").ok()) ++failed;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(query(path, "SELECT count(*) FROM demand"), std::to_string(kThreads * kEach));
  EXPECT_EQ(query(path, "SELECT count(*) FROM event"), std::to_string(kThreads * kEach));
}

// The SQLite engine inserts an import's rows on a second thread (store/sqlite_engine.cpp): under
// ThreadSanitizer, handles importing at once, each into its own file, every row there once.
TEST(Threads, ImportsInsertTheirRowsOnASecondThreadAndLoseNone) {
  TempDir dir;
  constexpr int kDemands = 3000;  // 6,000 lines: the ledger rows of a batch fill several hand-offs
  std::string ndjson;
  for (int i = 0; i < kDemands; ++i) {
    const std::string id = "D-" + std::to_string(i);
    const std::string at = std::to_string(1759280400 + i * 60);
    ndjson += R"({"id":")" + id + R"(","received_at":)" + at + R"(,"channel":"phone","title":"设备停机 )" +
              std::to_string(i) + "\"}\n";
    ndjson += R"({"type":"acknowledged","demand":")" + id + R"(","at":)" + at + R"(,"actor":"a"})" + "\n";
  }
  const std::string lines = dir.file("demands.ndjson");
  std::ofstream(lines, std::ios::binary) << ndjson;
  std::atomic<int> failed{0};
  on_threads([&](int t) {
    const std::string path = dir.file(("crm-" + std::to_string(t) + ".db").c_str());
    auto db = Database::open(path);
    if (!db.ok() || !db->put_policy(sample_policy()).ok() || !db->import(lines, "{}").ok()) ++failed;
  });
  ASSERT_EQ(failed.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    const std::string path = dir.file(("crm-" + std::to_string(t) + ".db").c_str());
    EXPECT_EQ(query(path, "SELECT count(*) || ' ' || count(DISTINCT id) FROM demand"),
              std::to_string(kDemands) + " " + std::to_string(kDemands));
    EXPECT_EQ(query(path, "SELECT count(*) FROM event"), std::to_string(kDemands));
    EXPECT_EQ(query(path, "SELECT count(*) FROM demand_fact"), std::to_string(kDemands));
  }
}

}  // namespace
}  // namespace crm::test
