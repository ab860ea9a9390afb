// SPDX-License-Identifier: Apache-2.0
// Shared by the customer and prospect tests: a store with the sample policy and actors.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "crmpolicy/database.hpp"
#include "store_fixture.hpp"
#include "test_time.hpp"

namespace crm::test {

inline const char* kAdmin = R"({"id": "admin", "role": "admin"})";
inline const char* kLiNa = R"({"id": "li.na", "role": "sales", "department": "east"})";
inline const char* kWangFang = R"({"id": "wang.fang", "role": "sales", "department": "north"})";
inline const char* kEastService = R"({"id": "zhou.min", "role": "service", "department": "east"})";
inline const char* kEastManager = R"({"id": "chen.jie", "role": "manager", "department": "east"})";
inline const char* kAuditor = R"({"id": "qian.li", "role": "auditor"})";

// Every customer, prospect and access test runs on both engines (issue 15 §2).
class CustomerStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto opened = Database::open(path_);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    db_.emplace(std::move(*opened));
    ASSERT_TRUE(db_->put_policy(sample_policy()).ok());
  }
  Database& db() { return *db_; }
  const std::string& path() const { return path_; }

  // A customer of li.na in the east department, with one contact.
  static nlohmann::json customer(const std::string& id, const std::string& owner = "li.na", const std::string& department = "east") {
    return {{"id", id},
            {"company", "华东机械有限公司 " + id},
            {"owner", owner},
            {"department", department},
            {"industry", "manufacturing"},
            {"address", "上海市浦东新区张江路88号"},
            {"contacts", {{{"name", "王强"}, {"phone", "13812345678"}, {"email", "wang@huadong.example"}}}}};
  }
  void put(const char* actor, const nlohmann::json& doc) {
    const Status s = db().put_customer(actor, doc.dump());
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
  void activity(const nlohmann::json& doc) {
    const Status s = db().add_activity(kAdmin, doc.dump());
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
  nlohmann::json ask(const char* actor, const nlohmann::json& query) {
    auto answer = db().customer_query(actor, query.dump());
    EXPECT_TRUE(answer.ok()) << answer.status().to_string();
    return answer.ok() ? nlohmann::json::parse(*answer) : nlohmann::json();
  }
  std::string count(const char* table) { return query(path_, (std::string("SELECT count(*) FROM ") + table).c_str()); }

  TempDir dir_;
  std::string path_ = fresh_database(GetParam(), dir_);
  std::optional<Database> db_;
};

}  // namespace crm::test
