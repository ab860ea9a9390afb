// SPDX-License-Identifier: Apache-2.0
// The database the query fuzzers ask: the sample policy, three demands, two customers (one with
// contacts and a purchase) and a prospect, in memory, built once per process.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "crmpolicy/database.hpp"

namespace crm::fuzz {

inline const char* const kAdmin = R"({"id": "admin", "role": "admin"})";

inline Database& small_database() {
  static Database* db = [] {
    std::ifstream in(CRMPOLICY_DATA_DIR "/policies/demand-management.json");
    std::stringstream policy;
    policy << in.rdbuf();
    auto opened = Database::open(":memory:");
    if (!opened.ok() || !opened->put_policy(policy.str()).ok()) __builtin_trap();
    for (int i = 0; i < 3; ++i)
      if (!opened->record_demand(R"({"id":"F-)" + std::to_string(i) + R"(","received_at":)" +
                                 std::to_string(1740963600 + i * 1800) + R"(,"channel":"phone","title":"生产线设备停机，请尽快维修"})")
               .ok())
        __builtin_trap();
    const char* customers = R"([{"id":"C-1","company":"华东机械","owner":"li.na","department":"east",
      "contacts":[{"name":"王强","phone":"13812345678","email":"wang@example.com"}],"address":"上海市浦东新区张江路88号"},
      {"id":"C-2","company":"北方物流","owner":"wang.fang","department":"north"}])";
    if (!opened->put_customer(kAdmin, customers).ok()) __builtin_trap();
    if (!opened->add_activity(kAdmin, R"({"customer":"C-1","type":"purchase","at":1740963600,"amount":120000})").ok()) __builtin_trap();
    if (!opened->put_prospect(kAdmin, R"({"id":"P-1","company":"意向公司","industry":"manufacturing","size":"medium",
      "need":"general","source":"inbound","owners":{"first_contact":"li.na","follow_up":"li.na","project":"li.na"},
      "department":"east","created_at":1740963600})").ok())
      __builtin_trap();
    return new Database(std::move(*opened));
  }();
  return *db;
}

}  // namespace crm::fuzz
