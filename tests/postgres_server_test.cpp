// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL server goes away under a working client (issue 15 §3): restarted, or stopped and
// started later. The call that meets the loss fails with CRM_EIO and says what happened; later
// calls on the same handle connect again by themselves; nothing committed is lost. These tests
// restart the shared test server, so ctest runs them alone (RUN_SERIAL).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "crmpolicy/database.hpp"
#include "store_fixture.hpp"

namespace crm {
namespace {

// Runs the cluster's pg_ctl (scripts/with-postgres.sh provides it).
void server(const char* action) {
  const char* ctl = std::getenv("CRMPOLICY_TEST_POSTGRES_CTL");
  ASSERT_TRUE(ctl && *ctl) << "CRMPOLICY_TEST_POSTGRES_CTL is not set: run the tests under scripts/with-postgres.sh";
  ASSERT_EQ(std::system((std::string(ctl) + " " + action + " >/dev/null").c_str()), 0) << "pg_ctl " << action;
}

std::string demand(int i) {
  return R"({"id":"R-)" + std::to_string(i) + R"(","received_at":)" + std::to_string(1735700000 + i) +
         R"(,"channel":"phone","title":"设备故障","owner":"o"})";
}

class ServerGoesAway : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(uri_);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    db_ = std::make_unique<Database>(std::move(*opened));
    ASSERT_TRUE(db_->put_policy(test::sample_policy()).ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(db_->record_demand(demand(i)).ok());
  }
  // Every demand recorded so far is there, read through a new connection, with its running
  // targets (two per demand; an acknowledgement ends one).
  void expect_recorded(int count, int acknowledged) {
    EXPECT_EQ(test::query(uri_, "SELECT count(*) FROM demand"), std::to_string(count));
    EXPECT_EQ(test::query(uri_, "SELECT count(*) FROM open_target"), std::to_string(2 * count - acknowledged));
  }

  test::TempDir dir_;
  const std::string uri_ = test::fresh_database("postgres", dir_);
  std::unique_ptr<Database> db_;
};

TEST_F(ServerGoesAway, ARestartFailsOneCallWithEioAndTheHandleConnectsAgain) {
  server("restart");
  auto lost = db_->record_demand(demand(20));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), StatusCode::io_error);
  EXPECT_NE(lost.status().message().find("the connection to the server is lost; the next call on this handle connects again"),
            std::string::npos)
      << lost.status().message();
  // The same handle goes on: its prepared statements are prepared again on the new connection.
  auto again = db_->record_demand(demand(20));
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_TRUE(db_->append_event("R-3", R"({"type":"acknowledged","at":1735700600,"actor":"o"})").ok());
  auto view = db_->demand("R-3", 1735701000);
  ASSERT_TRUE(view.ok()) << view.status().to_string();
  EXPECT_EQ(nlohmann::json::parse(*view)["events"].size(), 2u);
  expect_recorded(21, 1);
}

TEST_F(ServerGoesAway, WhileTheServerIsDownEveryCallSaysSoAndNothingChanges) {
  server("stop");
  for (int attempt = 0; attempt < 2; ++attempt) {
    const Status s = db_->append_event("R-1", R"({"type":"acknowledged","at":1735700600,"actor":"o"})");
    EXPECT_EQ(s.code(), StatusCode::io_error) << s.to_string();
    EXPECT_NE(s.message().find(attempt == 0 ? "the connection to the server is lost"
                                            : "connecting again failed (the next call tries again)"),
              std::string::npos)
        << s.message();
  }
  server("start");
  const Status s = db_->append_event("R-1", R"({"type":"acknowledged","at":1735700600,"actor":"o"})");
  EXPECT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(test::query(uri_, "SELECT count(*) FROM event"), "1");
  expect_recorded(20, 1);
}

// A restart in the middle of an import: the batches committed before it stay whole, the one in
// flight is rolled back whole, and the import can simply be run again (recording is idempotent).
TEST_F(ServerGoesAway, AnImportCutByARestartKeepsWholeBatchesAndRunsAgain) {
  constexpr int kLines = 40000, kBatch = 500;
  std::string text;
  for (int i = 20; i < 20 + kLines; ++i) text += demand(i) + "\n";
  const std::string path = dir_.file("restart.ndjson");
  std::ofstream(path) << text;
  // The restart comes once the first batch has committed (not after a fixed delay, which a fast
  // or a slow machine could put after the import's end or before its start).
  std::thread restart([this] {
    while (test::query(uri_, "SELECT count(*) FROM demand") == std::to_string(20))
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server("restart");
  });
  auto cut = db_->import(path, R"({"batch_size":500})");
  restart.join();
  ASSERT_FALSE(cut.ok()) << "the import ended before the restart: " << *cut;
  EXPECT_EQ(cut.status().code(), StatusCode::io_error) << cut.status().to_string();
  const int kept = std::stoi(test::query(uri_, "SELECT count(*) FROM demand")) - 20;
  EXPECT_EQ(kept % kBatch, 0) << kept << " demands kept: a batch in part";
  EXPECT_LT(kept, kLines);
  auto rerun = db_->import(path, R"({"batch_size":500})");
  ASSERT_TRUE(rerun.ok()) << rerun.status().to_string();
  EXPECT_EQ(nlohmann::json::parse(*rerun)["demands"], kLines - kept);
  expect_recorded(20 + kLines, 0);
}

}  // namespace
}  // namespace crm
