// SPDX-License-Identifier: Apache-2.0
// Issue 18 §1 (README "Security"): the demand ledger under the acting user's role. The calls
// without an actor act as the system; the _as calls check demand.read / demand.write and the
// role's scope (own, department, all) on both engines. A denial is permission_denied, is audited,
// and writes nothing else.
#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "customer_fixture.hpp"

namespace crm::test {
namespace {

using nlohmann::json;

constexpr int64_t kMonday = 1741572000;  // 2025-03-10 10:00 Shanghai

class LedgerAccess : public CustomerStore {
 protected:
  // Three demands recorded by the system: li.na's and zhou.min's in east, wang.fang's in north.
  void SetUp() override {
    CustomerStore::SetUp();
    record("E-1", "li.na", "east", 0);
    record("E-2", "zhou.min", "east", 1);
    record("N-1", "wang.fang", "north", 2);
  }
  static json demand(const std::string& id, const std::string& owner, const std::string& department, int i) {
    return {{"id", id}, {"received_at", kMonday + i * 600}, {"channel", "phone"}, {"title", "生产线设备停机，请尽快维修"},
            {"owner", owner}, {"department", department}};
  }
  void record(const std::string& id, const std::string& owner, const std::string& department, int i) {
    auto r = db().record_demand(demand(id, owner, department, i).dump());
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  // The ids of the work list's items.
  std::vector<std::string> listed(const char* actor, const json& query = {{"at", kMonday + 30 * 86400}}) {
    auto list = db().worklist_as(actor, query.dump());
    EXPECT_TRUE(list.ok()) << list.status().to_string();
    std::vector<std::string> ids;
    if (!list.ok()) return ids;
    const json items = json::parse(*list).at("items");
    for (const json& item : items)
      if (ids.empty() || ids.back() != item.at("demand")) ids.push_back(item.at("demand"));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }
  std::string denials() { return query(path(), "SELECT count(*) FROM audit WHERE kind = 'demand' AND outcome = 'denied'"); }
};

INSTANTIATE_TEST_SUITE_P(Engines, LedgerAccess, ::testing::ValuesIn(engines()), engine_name);

TEST_P(LedgerAccess, OwnScopeReadsAndWritesOnlyTheUsersDemands) {
  using ids = std::vector<std::string>;
  EXPECT_EQ(listed(kLiNa), ids{"E-1"});
  EXPECT_TRUE(db().demand_as(kLiNa, "E-1", kMonday + 3600).ok());

  auto other = db().demand_as(kLiNa, "E-2", kMonday + 3600);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::permission_denied);
  EXPECT_NE(other.status().message().find("E-2"), std::string::npos) << other.status().message();
  EXPECT_EQ(denials(), "1");
  EXPECT_EQ(query(path(), "SELECT record FROM audit WHERE kind = 'demand' AND outcome = 'denied'"), "E-2");

  // Events: on its own demand, as itself; another's demand, or another actor, refused.
  EXPECT_TRUE(db().append_event_as(kLiNa, "E-1", json{{"type", "acknowledged"}, {"at", kMonday + 60}, {"actor", "li.na"}}.dump()).ok());
  EXPECT_EQ(db().append_event_as(kLiNa, "E-2", json{{"type", "acknowledged"}, {"at", kMonday + 660}, {"actor", "li.na"}}.dump()).code(),
            StatusCode::permission_denied);
  EXPECT_EQ(db().append_event_as(kLiNa, "E-1", json{{"type", "note"}, {"at", kMonday + 120}, {"actor", "boss"}}.dump()).code(),
            StatusCode::permission_denied);
  // Recording: a demand the user would own, yes; one routed to someone else, no.
  EXPECT_TRUE(db().record_demand_as(kLiNa, demand("E-3", "li.na", "east", 3).dump()).ok());
  EXPECT_EQ(db().record_demand_as(kLiNa, demand("N-2", "wang.fang", "north", 4).dump()).status().code(), StatusCode::permission_denied);
  EXPECT_EQ(rows(path(), "SELECT id, owner FROM demand ORDER BY id"), "E-1.li.na|E-2.zhou.min|E-3.li.na|N-1.wang.fang");
  EXPECT_EQ(count("event"), "1");
  EXPECT_EQ(query(path(), "SELECT count(*) FROM demand WHERE id = 'N-2'"), "0");
  EXPECT_EQ(denials(), "4");

  // A query naming another owner is refused, not answered empty.
  EXPECT_EQ(db().worklist_as(kLiNa, json{{"at", kMonday}, {"owner", "wang.fang"}}.dump()).status().code(), StatusCode::permission_denied);
  EXPECT_EQ(listed(kLiNa, {{"at", kMonday + 30 * 86400}, {"owner", "li.na"}}), (ids{"E-1", "E-3"}));
}

TEST_P(LedgerAccess, DepartmentAndAllScopesAndThePermissions) {
  using ids = std::vector<std::string>;
  EXPECT_EQ(listed(kEastManager), (ids{"E-1", "E-2"}));
  EXPECT_EQ(listed(kAdmin), (ids{"E-1", "E-2", "N-1"}));
  EXPECT_EQ(listed(kAuditor), (ids{"E-1", "E-2", "N-1"}));
  EXPECT_EQ(db().worklist_as(kEastManager, json{{"at", kMonday}, {"department", "north"}}.dump()).status().code(),
            StatusCode::permission_denied);
  EXPECT_TRUE(db().demand_as(kEastManager, "E-2", kMonday + 3600).ok());
  EXPECT_EQ(db().demand_as(kEastManager, "N-1", kMonday + 3600).status().code(), StatusCode::permission_denied);
  // The auditor reads every demand but writes none: demand.write is missing.
  EXPECT_TRUE(db().demand_as(kAuditor, "N-1", kMonday + 3600).ok());
  const Status refused = db().append_event_as(kAuditor, "N-1", json{{"type", "note"}, {"at", kMonday + 4000}, {"actor", "qian.li"}}.dump());
  EXPECT_EQ(refused.code(), StatusCode::permission_denied);
  EXPECT_NE(refused.message().find("demand.write"), std::string::npos) << refused.message();
  // A role the policy does not have, or no department for a department role.
  EXPECT_EQ(db().worklist_as(R"({"id": "x", "role": "intern"})", R"({"at": 1741572000})").status().code(), StatusCode::permission_denied);
  EXPECT_EQ(db().worklist_as(R"({"id": "x", "role": "manager"})", R"({"at": 1741572000})").status().code(), StatusCode::permission_denied);
  EXPECT_EQ(count("event"), "0");
}

TEST_P(LedgerAccess, TheWeeklyCheckAndReportsCountOnlyTheDemandsInScope) {
  // One of east's demands acknowledged: its first response met. And a general one of east whose
  // targets are all met (contact, resolution): open, with no running target to tell its department.
  ASSERT_TRUE(db().append_event("E-2", json{{"type", "acknowledged"}, {"at", kMonday + 700}, {"actor", "zhou.min"}}.dump()).ok());
  json general = demand("E-4", "zhou.min", "east", 4);
  general["title"] = "咨询价格";
  general["channel"] = "email";
  ASSERT_TRUE(db().record_demand(general.dump()).ok());
  ASSERT_TRUE(db().append_event("E-4", json{{"type", "acknowledged"}, {"at", kMonday + 3000}, {"actor", "zhou.min"}}.dump()).ok());
  ASSERT_TRUE(db().append_event("E-4", json{{"type", "resolved"}, {"at", kMonday + 3600}, {"actor", "zhou.min"}}.dump()).ok());
  ASSERT_EQ(query(path(), "SELECT count(*) FROM open_target t JOIN demand d ON d.seq = t.demand WHERE d.id = 'E-4'"), "0");
  ASSERT_EQ(query(path(), "SELECT count(*) FROM open_demand o JOIN demand d ON d.seq = o.demand WHERE d.id = 'E-4'"), "1");
  const json week = {{"at", kMonday + 86400}};
  auto mine = db().weekly_progress_as(kLiNa, week.dump());
  ASSERT_TRUE(mine.ok()) << mine.status().to_string();
  const json owners = json::parse(*mine).at("owners");
  ASSERT_EQ(owners.size(), 1u) << *mine;
  EXPECT_EQ(owners[0]["owner"], "li.na");
  auto east = db().weekly_progress_as(kEastManager, week.dump());
  ASSERT_TRUE(east.ok()) << east.status().to_string();
  EXPECT_EQ(json::parse(*east).at("total").at("open"), 3) << *east;
  auto all = db().weekly_progress_as(kAdmin, week.dump());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, *db().weekly_progress(week.dump()));

  // A report for li.na is the system's report filtered to li.na; naming another owner is refused.
  const json report = {{"at", kMonday + 40 * 86400}, {"period", "month"}, {"by", "owner"}};
  json filtered = report;
  filtered["filter"] = {{"owner", "li.na"}};
  auto as_user = db().report_as(kLiNa, report.dump());
  ASSERT_TRUE(as_user.ok()) << as_user.status().to_string();
  EXPECT_EQ(*as_user, *db().report(filtered.dump()));
  EXPECT_EQ(json::parse(*as_user).dump().find("wang.fang"), std::string::npos);
  json other = report;
  other["filter"] = {{"owner", {"li.na", "wang.fang"}}};
  EXPECT_EQ(db().report_as(kLiNa, other.dump()).status().code(), StatusCode::permission_denied);
  json departments = report;
  departments["filter"] = {{"department", "east"}};
  auto manager = db().report_as(kEastManager, departments.dump());
  ASSERT_TRUE(manager.ok()) << manager.status().to_string();
  EXPECT_EQ(*manager, *db().report(departments.dump()));
}

TEST_P(LedgerAccess, ImportsNeedWriteAccessToEveryDemand) {
  const std::string file = dir_.file("in.ndjson");
  {
    std::ofstream out(file);
    out << demand("I-1", "wang.fang", "north", 5).dump() << "\n";
  }
  auto refused = db().import_as(kLiNa, file, "{}");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::permission_denied);
  EXPECT_NE(refused.status().message().find("scope all"), std::string::npos) << refused.status().message();
  EXPECT_EQ(db().import_as(kAuditor, file, "{}").status().code(), StatusCode::permission_denied);
  EXPECT_EQ(query(path(), "SELECT count(*) FROM demand WHERE id = 'I-1'"), "0");
  auto done = db().import_as(kAdmin, file, "{}");
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  EXPECT_EQ(query(path(), "SELECT count(*) FROM demand WHERE id = 'I-1'"), "1");
  DemandRecord r;
  r.id = "I-2";
  r.received_at = kMonday;
  r.title = "咨询价格";
  EXPECT_EQ(db().import_records_as(kEastManager, {r}, {}, "{}").status().code(), StatusCode::permission_denied);
  EXPECT_TRUE(db().import_records_as(kAdmin, {r}, {}, "{}").ok());
  EXPECT_EQ(denials(), "3");
}

}  // namespace
}  // namespace crm::test
