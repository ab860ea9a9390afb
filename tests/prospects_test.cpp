// SPDX-License-Identifier: Apache-2.0
// Prospects: stages only through events, follow-up plans and cadences on the working calendar,
// stale warnings, the funnel, and conversion into a customer that keeps the prospect's history.
#include "customer_fixture.hpp"

namespace crm::test {
namespace {

using nlohmann::json;

class Prospects : public CustomerStore {
 protected:
  static json prospect(const std::string& id, int64_t created, const std::string& need = "general", const std::string& owner = "li.na") {
    return {{"id", id},
            {"company", "意向公司 " + id},
            {"industry", "manufacturing"},
            {"size", "medium"},
            {"need", need},
            {"source", "inbound"},
            {"channel", "trade_show"},
            {"owners", {{"first_contact", "sun.li"}, {"follow_up", owner}, {"project", "zhao.lei"}}},
            {"department", "east"},
            {"created_at", created},
            {"contacts", {{{"name", "刘洋"}, {"phone", "13712345678"}}}}};
  }
  Status event(const json& e, const char* actor = kLiNa) { return db().add_prospect_event(actor, e.dump()); }
  void ok(const json& e) {
    const Status s = event(e);
    ASSERT_TRUE(s.ok()) << e.dump() << ": " << s.to_string();
  }
  static json stage(const std::string& id, const char* to, int64_t at) { return {{"prospect", id}, {"type", "stage"}, {"to", to}, {"at", at}}; }
  static json follow_up(const std::string& id, int64_t at) {
    return {{"prospect", id}, {"type", "follow_up"}, {"at", at}, {"content", "电话沟通需求"}, {"method", "call"}};
  }
};
INSTANTIATE_TEST_SUITE_P(Engines, Prospects, ::testing::ValuesIn(engines()), engine_name);

TEST_P(Prospects, StagesMoveForwardOnlyThroughEvents) {
  ASSERT_TRUE(db().put_prospect(kLiNa, prospect("P1", shanghai(2025, 3, 3, 10)).dump()).ok());
  ok(stage("P1", "evaluation", shanghai(2025, 3, 10)));  // skipping deep_communication is allowed
  EXPECT_EQ(event(stage("P1", "deep_communication", shanghai(2025, 3, 11))).code(), StatusCode::invalid_state);
  EXPECT_EQ(event(stage("P1", "implementation", shanghai(2025, 3, 11))).code(), StatusCode::invalid_state);
  EXPECT_EQ(event(stage("P1", "negotiation", shanghai(2025, 3, 9))).code(), StatusCode::invalid_state);  // before the last event
  ok(stage("P1", "negotiation", shanghai(2025, 3, 12)));
  ok(stage("P1", "contract_signed", shanghai(2025, 3, 20)));
  EXPECT_EQ(event(stage("P1", "lost", shanghai(2025, 3, 21))).code(), StatusCode::invalid_state);
  ok(stage("P1", "implementation", shanghai(2025, 3, 21)));
  json p = ask(kLiNa, {{"query", "prospect"}, {"id", "P1"}, {"at", shanghai(2025, 3, 15)}});
  EXPECT_EQ(p["stage"], "negotiation");  // as it stood then
  EXPECT_EQ(p["reached"]["deep_communication"], shanghai(2025, 3, 10));
  // Re-putting the record does not touch the stage; a bad stage name is named.
  ASSERT_TRUE(db().put_prospect(kLiNa, prospect("P1", shanghai(2025, 3, 3, 10)).dump()).ok());
  EXPECT_EQ(ask(kLiNa, {{"query", "prospect"}, {"id", "P1"}})["stage"], "implementation");
  EXPECT_NE(event(stage("P1", "dreaming", shanghai(2025, 4, 1))).message().find("/to"), std::string::npos);
  // Nothing is recorded on a lost prospect.
  ASSERT_TRUE(db().put_prospect(kLiNa, prospect("P2", shanghai(2025, 3, 3, 10)).dump()).ok());
  ok(stage("P2", "lost", shanghai(2025, 3, 5)));
  EXPECT_EQ(event(follow_up("P2", shanghai(2025, 3, 6))).code(), StatusCode::invalid_state);
}

TEST_P(Prospects, PlanItemsFallDueInWorkingDaysAcrossTheNationalDay) {
  ASSERT_TRUE(db().put_prospect(kLiNa, prospect("P1", shanghai(2025, 9, 29, 9)).dump()).ok());
  ok({{"prospect", "P1"}, {"type", "plan"}, {"item", "demo"}, {"content", "产品演示"}, {"method", "visit"},
      {"at", shanghai(2025, 9, 30, 10)}, {"due_in", {{"working_days", 2}}}});
  // Two working days after 09-30 (its own date never counts) skip the holiday 10-01..10-08:
  // 10-09 is the first, and the item is due when 10-10 closes.
  json p = ask(kLiNa, {{"query", "prospect"}, {"id", "P1"}, {"at", shanghai(2025, 10, 1)}});
  const int64_t due = p["plan"][0]["due_at"];
  EXPECT_EQ(due, shanghai(2025, 10, 10, 18));
  EXPECT_EQ(p["plan"][0]["done"], false);
  json list = ask(kLiNa, {{"query", "prospect_due"}, {"at", due + 1}});
  bool listed = false;
  for (const json& i : list["items"]) listed = listed || (i["kind"] == "plan_item" && i["item"] == "demo" && i["overdue"] == true);
  EXPECT_TRUE(listed) << list.dump();
  // Following it up fulfils the item; doing so twice is refused.
  json done = follow_up("P1", due + 2);
  done["item"] = "demo";
  ok(done);
  EXPECT_EQ(event(done).code(), StatusCode::invalid_state);
  EXPECT_EQ(ask(kLiNa, {{"query", "prospect"}, {"id", "P1"}})["plan"][0]["done"], true);
  done["item"] = "nothing";
  EXPECT_EQ(event(done).code(), StatusCode::not_found);
}

TEST_P(Prospects, FollowUpCadenceByStageAndClassAndStaleWarnings) {
  // Created Mon 2025-03-03 10:00. initial_contact: every 5 working days -> due Mon 03-10 10:00.
  ASSERT_TRUE(db().put_prospect(kLiNa, prospect("GEN", shanghai(2025, 3, 3, 10)).dump()).ok());
  // A special need is followed every 5 working days too, but negotiation every 3 (first rule).
  ASSERT_TRUE(db().put_prospect(kLiNa, prospect("NEG", shanghai(2025, 3, 3, 10), "special").dump()).ok());
  ok(stage("NEG", "negotiation", shanghai(2025, 3, 4, 10)));
  const auto items = [&](int64_t at) {
    std::map<std::string, std::vector<std::pair<std::string, int64_t>>> out;
    const json answer = ask(kLiNa, {{"query", "prospect_due"}, {"at", at}});
    for (const json& i : answer["items"])
      out[i["id"]].emplace_back(i["kind"], i["due_at"]);
    return out;
  };
  auto due = items(shanghai(2025, 3, 7, 19));
  ASSERT_EQ(due["NEG"].size(), 1u);  // 3 working days after Tue 03-04: when Fri 03-07 closes
  EXPECT_EQ(due["NEG"][0].second, shanghai(2025, 3, 7, 18));
  EXPECT_EQ(due.count("GEN"), 0u);
  due = items(shanghai(2025, 3, 10, 19));
  EXPECT_EQ(due["GEN"][0].second, shanghai(2025, 3, 10, 18));
  // Stale: no follow-up for 15 working days since creation (03-03 -> close of 03-24).
  due = items(shanghai(2025, 3, 24, 19));
  bool stale = false;
  for (const auto& [kind, at] : due["GEN"]) stale = stale || (kind == "stale" && at == shanghai(2025, 3, 24, 18));
  EXPECT_TRUE(stale);
  ok(follow_up("GEN", shanghai(2025, 3, 24, 20)));
  EXPECT_EQ(items(shanghai(2025, 3, 25, 9)).count("GEN"), 0u);
}

TEST_P(Prospects, FunnelCountsConversionsTimesInStageAndSuccess) {
  // March cohort of four: A signs, B is lost in evaluation, C stalls in deep_communication, D signs.
  for (const char* id : {"A", "B", "C", "D"}) ASSERT_TRUE(db().put_prospect(kLiNa, prospect(id, shanghai(2025, 3, 3, 10)).dump()).ok());
  ok(stage("A", "deep_communication", shanghai(2025, 3, 5, 10)));
  ok(stage("A", "evaluation", shanghai(2025, 3, 9, 10)));
  ok(stage("A", "negotiation", shanghai(2025, 3, 15, 10)));
  ok(stage("A", "contract_signed", shanghai(2025, 3, 25, 10)));
  ok(stage("B", "deep_communication", shanghai(2025, 3, 7, 10)));
  ok(stage("B", "evaluation", shanghai(2025, 3, 11, 10)));
  ok(follow_up("B", shanghai(2025, 3, 20)));
  ok(stage("B", "lost", shanghai(2025, 3, 21, 10)));
  ok(stage("C", "deep_communication", shanghai(2025, 3, 4, 10)));
  ok(stage("D", "contract_signed", shanghai(2025, 4, 3, 10)));
  for (const char* id : {"A", "A", "C", "D", "D"}) ok(follow_up(id, shanghai(2025, 4, 10)));
  json scored = follow_up("C", shanghai(2025, 4, 11));
  scored["quality"] = 4;
  ok(scored);
  scored["quality"] = 1;
  ok(scored);
  json f = ask(kLiNa, {{"query", "funnel"}, {"at", shanghai(2025, 6, 30)}, {"period", "quarter"}});
  ASSERT_EQ(f["rows"].size(), 2u);
  const json& q1 = f["rows"][0];
  EXPECT_EQ(q1["period"], "2025-Q1");
  EXPECT_EQ(f["rows"][1]["period"], "total");
  EXPECT_EQ(q1["prospects"], 4);
  EXPECT_EQ(q1["reached"]["deep_communication"], 4);  // D jumped over it
  EXPECT_EQ(q1["reached"]["evaluation"], 3);
  EXPECT_EQ(q1["reached"]["contract_signed"], 2);
  EXPECT_DOUBLE_EQ(q1["conversion"]["deep_communication>evaluation"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(q1["conversion"]["evaluation>negotiation"].get<double>(), 0.6667);
  EXPECT_EQ(q1["lost"], 1);
  EXPECT_DOUBLE_EQ(q1["success_rate"].get<double>(), 0.6667);
  // Days in initial_contact: A 2, B 4, C 1, D 31 -> median 3.
  EXPECT_DOUBLE_EQ(q1["median_days_in_stage"]["initial_contact"].get<double>(), 3);
  // Evaluation: A 6, B 10 (lost) -> 8; negotiation: A 10.
  EXPECT_DOUBLE_EQ(q1["median_days_in_stage"]["evaluation"].get<double>(), 8);
  EXPECT_DOUBLE_EQ(q1["median_days_in_stage"]["negotiation"].get<double>(), 10);
  EXPECT_DOUBLE_EQ(q1["follow_ups_per_prospect"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(q1["follow_up_quality"].get<double>(), 2.5);  // only the two scored follow-ups
  json by = ask(kLiNa, {{"query", "funnel"}, {"at", shanghai(2025, 6, 30)}, {"by", "owner"}});
  EXPECT_EQ(by["rows"][0]["owner"], "li.na");
  EXPECT_EQ(by["rows"][0]["period"], "2025-03");
}

TEST_P(Prospects, ConversionCreatesTheCustomerAndKeepsTheHistory) {
  ASSERT_TRUE(db().put_prospect(kLiNa, prospect("P1", shanghai(2025, 3, 3, 10)).dump()).ok());
  ok(follow_up("P1", shanghai(2025, 3, 4, 10)));
  json convert = {{"prospect", "P1"}, {"type", "convert"}, {"customer", "C-P1"}, {"at", shanghai(2025, 3, 30)}};
  EXPECT_EQ(event(convert).code(), StatusCode::invalid_state);  // no contract yet
  ok(stage("P1", "contract_signed", shanghai(2025, 3, 28)));
  // The project owner (zhao.lei) becomes the customer's owner: li.na cannot create a customer
  // she would not reach, so her manager converts.
  EXPECT_EQ(event(convert, kLiNa).code(), StatusCode::permission_denied);
  EXPECT_EQ(count("customer"), "0");
  ASSERT_TRUE(event(convert, kEastManager).ok());
  json c = ask(kEastManager, {{"query", "customer"}, {"id", "C-P1"}, {"at", shanghai(2025, 4, 1)}});
  EXPECT_EQ(c["customer"]["converted_from"], "P1");
  EXPECT_EQ(c["customer"]["owner"], "zhao.lei");
  EXPECT_EQ(c["customer"]["contacts"][0]["phone"], "13712345678");
  EXPECT_EQ(c["customer"]["since"], shanghai(2025, 3, 30));
  json history = ask(kEastManager, {{"query", "history"}, {"kind", "customer"}, {"id", "C-P1"}})["entries"];
  std::vector<std::string> operations;
  for (const json& e : history) operations.push_back(e["operation"].get<std::string>() + ":" + e["record"].get<std::string>());
  EXPECT_EQ(operations, std::vector<std::string>({"put_prospect:P1", "prospect_event:P1", "prospect_event:P1",
                                                  "convert:C-P1", "convert:C-P1", "prospect_event:P1"}));
  EXPECT_EQ(history[3]["outcome"], "denied");  // li.na's attempt
  EXPECT_EQ(history[4]["outcome"], "ok");
  // The prospect is closed to further events; converting twice is refused.
  EXPECT_EQ(event(follow_up("P1", shanghai(2025, 4, 2)), kEastManager).code(), StatusCode::invalid_state);
  EXPECT_EQ(ask(kEastManager, {{"query", "prospects"}})["prospects"][0]["customer"], "C-P1");
}

}  // namespace
}  // namespace crm::test
