// SPDX-License-Identifier: Apache-2.0
// The demand ledger: hand-checked SLA statuses (pause across a holiday, reopen, reclassify),
// the lifecycle state machine, retries, duplicates, the work list, imports and snapshots.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "crmpolicy/database.hpp"
#include "store_fixture.hpp"
#include "test_time.hpp"

namespace crm {
namespace {

using nlohmann::json;
using test::shanghai;

// The seed policy's cn-office calendar: Mon-Fri 09:00-12:00, 13:30-18:00 Asia/Shanghai, with the
// statutory holidays; National Day 2025 is 10-01..10-08, 2025-10-11 (Sat) a make-up working day.
// Every ledger test runs on both engines (issue 15 §2).
class Ledger : public test::EngineTest {
 protected:
  json record(const std::string& demand) {
    auto r = db_->record_demand(demand);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? json::parse(*r) : json();
  }
  void event(const std::string& id, const std::string& e) {
    const Status s = db_->append_event(id, e);
    EXPECT_TRUE(s.ok()) << e << ": " << s.to_string();
  }
  json view(const std::string& id, int64_t at) {
    auto r = db_->demand(id, at);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? json::parse(*r) : json();
  }
  static json target(const json& v, const std::string& name) {
    for (const json& t : v["targets"])
      if (t["name"] == name) return t;
    ADD_FAILURE() << "no target " << name;
    return json();
  }
  static std::string ev(const char* type, int64_t at, const std::string& extra = "") {
    return std::string(R"({"type":")") + type + R"(","at":)" + std::to_string(at) + R"(,"actor":"li")" +
           (extra.empty() ? "" : "," + extra) + "}";
  }

};
INSTANTIATE_TEST_SUITE_P(Engines, Ledger, ::testing::ValuesIn(test::engines()), test::engine_name);

// An important demand (feature upgrade) received Mon 2025-09-29 16:00: detailed_plan is due at the
// end of the 2nd working day: Tue 09-30 is the 1st, National Day follows, Thu 10-09 the 2nd.
const std::string kUpgrade =
    R"({"id":"D-1","received_at":)" + std::to_string(shanghai(2025, 9, 29, 16)) +
    R"(,"channel":"visit","title":"定制开发需求","text":"客户要求升级","owner":"li","department":"sales","customer":{"id":"C-1"}})";

TEST_P(Ledger, PauseAcrossTheNationalDayHolidayMovesTheDueTimeByThePausedWorkingTime) {
  json r = record(kUpgrade);
  EXPECT_EQ(r["classification"]["urgency"], "important");
  EXPECT_EQ(target(r, "detailed_plan")["due_at"], shanghai(2025, 10, 9, 18));
  EXPECT_EQ(target(r, "detailed_plan")["remaining_seconds"], 17 * 3600);  // Mon 2h + Tue 7.5h + Thu 7.5h

  // Paused Tue 10:00 to Thu 10-09 10:00: 6.5 + 1 = 7.5 working hours (the holiday counts nothing).
  event("D-1", ev("paused", shanghai(2025, 9, 30, 10), R"("reason":"waiting for drawings")"));
  json during = view("D-1", shanghai(2025, 10, 5, 12));
  EXPECT_EQ(during["state"], "paused");
  EXPECT_EQ(target(during, "detailed_plan")["status"], "pending");
  EXPECT_EQ(target(during, "detailed_plan")["paused"], true);
  EXPECT_EQ(target(during, "detailed_plan")["remaining_seconds"], 14 * 3600);  // frozen at the pause
  event("D-1", ev("resumed", shanghai(2025, 10, 9, 10)));
  json v = view("D-1", shanghai(2025, 10, 9, 10));
  // 10-09 18:00 + 7.5 working hours = Fri 10-10 18:00.
  EXPECT_EQ(target(v, "detailed_plan")["due_at"], shanghai(2025, 10, 10, 18));
  EXPECT_EQ(target(v, "detailed_plan")["remaining_seconds"], 14 * 3600);
  // Warn at 80% of 17h = 13.6h counted: moved from 10-09 14:36 to 10-10 14:36.
  EXPECT_EQ(target(v, "detailed_plan")["warn_at"], shanghai(2025, 10, 10, 14, 36));

  EXPECT_EQ(target(view("D-1", shanghai(2025, 10, 10, 15)), "detailed_plan")["status"], "at_risk");
  EXPECT_EQ(target(view("D-1", shanghai(2025, 10, 10, 18)), "detailed_plan")["status"], "breached");
  event("D-1", ev("plan_sent", shanghai(2025, 10, 10, 17, 59)));
  json met = view("D-1", shanghai(2025, 10, 13, 9));
  EXPECT_EQ(target(met, "detailed_plan")["status"], "met");
  EXPECT_EQ(target(met, "detailed_plan")["met_at"], shanghai(2025, 10, 10, 17, 59));
  // The same plan one minute after the moved due time would have been late.
  EXPECT_EQ(target(view("D-1", shanghai(2025, 10, 10, 17, 59)), "detailed_plan")["status"], "met");
}

TEST_P(Ledger, MetLateAndBreached) {
  // A general demand Mon 2025-03-03 10:00: contact by the end of the 3rd working day (Thu 18:00).
  record(R"({"id":"G","received_at":)" + std::to_string(shanghai(2025, 3, 3, 10)) + R"(,"channel":"email","title":"x"})");
  EXPECT_EQ(target(view("G", shanghai(2025, 3, 6, 18)), "contact")["status"], "breached");
  EXPECT_EQ(target(view("G", shanghai(2025, 3, 7, 10)), "contact")["overrun_seconds"], 3600);
  event("G", ev("acknowledged", shanghai(2025, 3, 7, 10)));
  json v = view("G", shanghai(2025, 3, 7, 11));
  EXPECT_EQ(target(v, "contact")["status"], "met_late");
  EXPECT_EQ(target(v, "contact")["overrun_seconds"], 3600);
  // Resolution: close of business 30 natural days later (Wed 04-02), counted in elapsed time.
  EXPECT_EQ(target(v, "resolution")["due_at"], shanghai(2025, 4, 2, 18));
  EXPECT_EQ(target(v, "resolution")["clock"], "elapsed_time");
}

TEST_P(Ledger, ReopenStartsANewResolutionTargetFromTheReopenTime) {
  record(R"({"id":"G","received_at":)" + std::to_string(shanghai(2025, 3, 3, 10)) + R"(,"channel":"email","title":"x"})");
  event("G", ev("acknowledged", shanghai(2025, 3, 4, 9, 30)));
  event("G", ev("resolved", shanghai(2025, 3, 10, 15)));
  event("G", ev("feedback", shanghai(2025, 3, 11, 9), R"("satisfaction":2,"comment":"still broken")"));
  event("G", ev("reopened", shanghai(2025, 3, 12, 10), R"("reason":"fault came back")"));
  json v = view("G", shanghai(2025, 3, 12, 11));
  EXPECT_EQ(v["state"], "in_progress");
  EXPECT_EQ(target(v, "contact")["status"], "met");  // not a post-resolution target: untouched
  json resolution = target(v, "resolution");
  EXPECT_EQ(resolution["start"], shanghai(2025, 3, 12, 10));
  EXPECT_EQ(resolution["due_at"], shanghai(2025, 4, 11, 18));  // close of business, Fri 04-11
  EXPECT_EQ(resolution["status"], "pending");
  ASSERT_EQ(v["history"].size(), 1u);
  EXPECT_EQ(v["history"][0]["name"], "resolution");
  EXPECT_EQ(v["history"][0]["status"], "met");
  EXPECT_EQ(v["history"][0]["ended_by"], "reopened");
  // The resolution before the reopen is not enough for the new target.
  event("G", ev("resolved", shanghai(2025, 3, 13, 10)));
  EXPECT_EQ(target(view("G", shanghai(2025, 3, 13, 11)), "resolution")["met_at"], shanghai(2025, 3, 13, 10));
}

TEST_P(Ledger, ReclassifyRecomputesFromReceivedAndKeepsTheOldTargetsInTheHistory) {
  // General, received Mon 2025-03-03 10:00; made urgent at 11:00: first_response (2 working
  // hours from received) is due 12:00, the urgent resolution at the end of the 3rd working day.
  record(R"({"id":"G","received_at":)" + std::to_string(shanghai(2025, 3, 3, 10)) + R"(,"channel":"email","title":"x"})");
  event("G", ev("reclassified", shanghai(2025, 3, 3, 11), R"("urgency":"urgent","reason":"line stopped")"));
  json v = view("G", shanghai(2025, 3, 3, 11, 30));
  EXPECT_EQ(v["classification"]["urgency"], "urgent");
  EXPECT_EQ(target(v, "first_response")["due_at"], shanghai(2025, 3, 3, 12));
  EXPECT_EQ(target(v, "first_response")["status"], "at_risk");  // warn at 50%: 11:00
  EXPECT_EQ(target(v, "resolution")["due_at"], shanghai(2025, 3, 6, 18));
  ASSERT_EQ(v["history"].size(), 2u);  // contact and the 30-day resolution
  EXPECT_EQ(v["history"][0]["name"], "contact");
  EXPECT_EQ(v["history"][0]["ended_by"], "reclassified");
  EXPECT_EQ(v["history"][0]["ended_at"], shanghai(2025, 3, 3, 11));
}

// Routing (issue 17 §3): a demand that names no department is given one by the sample policy's
// routes; a reclassification routes a routed demand again, never a manual or reassigned one.
TEST_P(Ledger, RoutedDemandsFollowTheirClassificationUntilSomeoneAssignsThem) {
  const int64_t t0 = shanghai(2025, 3, 3, 10);
  record(R"({"id":"R","received_at":)" + std::to_string(t0) + R"(,"channel":"email","title":"价格能否再优惠一些"})");
  record(R"({"id":"M","received_at":)" + std::to_string(t0) + R"(,"channel":"email","title":"价格能否再优惠一些","department":"质量管理部"})");
  EXPECT_EQ(view("R", t0)["department"], "销售部");
  EXPECT_EQ(view("M", t0)["department"], "质量管理部");
  const auto listed = [&](const std::string& department) {
    auto list = db_->worklist(R"({"at":)" + std::to_string(t0) + R"(,"due_before":)" + std::to_string(shanghai(2025, 12, 31)) +
                              R"(,"department":")" + department + R"("})");
    EXPECT_TRUE(list.ok()) << list.status().to_string();
    std::set<std::string> ids;
    const json answer = json::parse(*list);
    for (const json& item : answer["items"]) ids.insert(item["demand"].get<std::string>());
    return ids;
  };
  EXPECT_EQ(listed("销售部"), std::set<std::string>{"R"});

  event("R", ev("reclassified", t0 + 600, R"("category":"service","reason":"it is a repair")"));
  event("M", ev("reclassified", t0 + 600, R"("category":"service","reason":"it is a repair")"));
  EXPECT_EQ(view("R", t0 + 600)["department"], "售后服务部");
  EXPECT_EQ(view("R", t0)["department"], "销售部");  // as it was before
  EXPECT_EQ(view("M", t0 + 600)["department"], "质量管理部");
  EXPECT_EQ(listed("售后服务部"), std::set<std::string>{"R"});
  EXPECT_TRUE(listed("销售部").empty());

  event("R", ev("reassigned", t0 + 1200, R"("department":"客户服务部","owner":"zhao")"));
  event("R", ev("reclassified", t0 + 1800, R"("category":"price","reason":"a price question after all")"));
  const json v = view("R", t0 + 1800);
  EXPECT_EQ(v["department"], "客户服务部");
  EXPECT_EQ(v["owner"], "zhao");
  EXPECT_EQ(listed("客户服务部"), std::set<std::string>{"R"});
}

// Progress updates (issue 17 §4): while an important demand is open the customer is told of
// progress at least every 5 working days; each round starts when the last one was met, a late
// round counts as met late, and resolving the demand stops the round that runs.
TEST_P(Ledger, ProgressUpdatesRecurWhileTheDemandIsOpenAndEachRoundCounts) {
  record(kUpgrade);  // important, received Mon 2025-09-29 16:00
  json v = view("D-1", shanghai(2025, 9, 29, 16));
  json round = target(v, "progress_update");
  // 5th working day after the receipt date: 09-30, (National Day), 10-09, 10-10, Sat 10-11 (make-up), 10-13.
  EXPECT_EQ(round["due_at"], shanghai(2025, 10, 13, 18));
  EXPECT_EQ(round["recurring"], true);

  event("D-1", ev("plan_sent", shanghai(2025, 10, 9, 10)));  // the detailed plan tells progress too
  v = view("D-1", shanghai(2025, 10, 9, 10));
  round = target(v, "progress_update");
  EXPECT_EQ(round["start"], shanghai(2025, 10, 9, 10));
  EXPECT_EQ(round["due_at"], shanghai(2025, 10, 15, 18));  // 10-10, 10-11, 10-13, 10-14, 10-15
  ASSERT_EQ(v["history"].size(), 1u);
  EXPECT_EQ(v["history"][0]["status"], "met");
  EXPECT_EQ(v["history"][0]["earlier_round"], true);

  EXPECT_EQ(target(view("D-1", shanghai(2025, 10, 16, 10)), "progress_update")["status"], "breached");
  event("D-1", ev("progress", shanghai(2025, 10, 17, 10)));
  event("D-1", ev("resolved", shanghai(2025, 10, 20, 10)));
  v = view("D-1", shanghai(2025, 10, 21, 10));
  round = target(v, "progress_update");
  EXPECT_EQ(round["start"], shanghai(2025, 10, 17, 10));
  EXPECT_EQ(round["due_at"], shanghai(2025, 10, 24, 18));
  EXPECT_EQ(round["status"], "cancelled");  // resolved before it was due: nothing more to tell
  EXPECT_EQ(round["ended_by"], "resolved");
  std::vector<std::string> rounds;
  for (const json& h : v["history"])
    if (h["name"] == "progress_update") rounds.push_back(h["status"].get<std::string>());
  EXPECT_EQ(rounds, (std::vector<std::string>{"met", "met_late"}));

  // Progress is told while a demand is open; reopening starts a new round from the reopening.
  EXPECT_EQ(db_->append_event("D-1", ev("progress", shanghai(2025, 10, 21, 10))).code(), StatusCode::invalid_state);
  event("D-1", ev("reopened", shanghai(2025, 10, 22, 10), R"("reason":"问题复现")"));
  round = target(view("D-1", shanghai(2025, 10, 22, 10)), "progress_update");
  EXPECT_EQ(round["start"], shanghai(2025, 10, 22, 10));
  EXPECT_EQ(round["status"], "pending");

  // Demands of other urgencies have no progress target.
  record(R"({"id":"G","received_at":)" + std::to_string(shanghai(2025, 3, 3, 10)) + R"(,"channel":"email","title":"x"})");
  const json general = view("G", shanghai(2025, 3, 3, 10));
  for (const json& t : general["targets"]) EXPECT_NE(t["name"], "progress_update");
}

// The sample policy escalates first_response: at warn the owner, at due the owner and the
// department head, 2 working hours after due the customer service manager, again every 4 working
// hours, at most twice more; complaint_reply (24 elapsed hours) tells the department head at due.
TEST_P(Ledger, EscalationStepsFallOnWorkingTimeAcrossNationalDayAndStopWhenTheTargetIsMet) {
  // Urgent (the line stopped), a complaint, received Tue 2025-09-30 17:00, the last working hour before National Day.
  record(R"({"id":"U","received_at":)" + std::to_string(shanghai(2025, 9, 30, 17)) +
         R"(,"channel":"complaint","title":"生产线设备停机，请尽快维修","owner":"li","department":"售后服务部"})");
  json v = view("U", shanghai(2025, 9, 30, 17));
  ASSERT_EQ(v["classification"]["urgency"], "urgent");
  json first = target(v, "first_response");
  // 2 working hours: 17:00-18:00, then Thu 10-09 09:00-10:00; half of them end at 18:00 on 09-30.
  EXPECT_EQ(first["due_at"], shanghai(2025, 10, 9, 10));
  EXPECT_EQ(first["warn_at"], shanghai(2025, 9, 30, 18));
  const auto instants = [](const json& t) {
    std::vector<std::tuple<int64_t, int64_t, int64_t, bool>> out;  // step, round, at, happened
    for (const json& e : t["escalations"])
      out.emplace_back(e["step"].get<int64_t>(), e["round"].get<int64_t>(), e["at"].get<int64_t>(), e["happened"].get<bool>());
    return out;
  };
  using I = std::tuple<int64_t, int64_t, int64_t, bool>;
  // The warning at 18:00 is after hours: the owner hears of it at the first working minute after
  // the holiday. Due + 2 working hours is 12:00, lunch: 13:30. Then +4 working hours 17:30, and
  // 17:30 + 4 = Fri 10-10 14:00 (0.5 h Thursday, 3 h Friday morning, 0.5 h after lunch).
  EXPECT_EQ(instants(first), (std::vector<I>{{0, 0, shanghai(2025, 10, 9, 9), false},
                                             {1, 0, shanghai(2025, 10, 9, 10), false},
                                             {2, 0, shanghai(2025, 10, 9, 13, 30), false},
                                             {2, 1, shanghai(2025, 10, 9, 17, 30), false},
                                             {2, 2, shanghai(2025, 10, 10, 14), false}}));
  const json due = first["escalations"][1];
  EXPECT_EQ(due["on"], "due");
  EXPECT_EQ(due["at_local"], "2025-10-09T10:00:00+08:00");
  EXPECT_EQ(due["recipients"], json::parse(R"([{"owner":"li"},{"department":"售后服务部","role":"head"}])"));
  EXPECT_EQ(first["escalations"][2]["recipients"], json::parse(R"([{"role":"customer_service_manager"}])"));
  // The complaint's 24 hours end on 10-01, a holiday: its department head is told on 10-09 09:00.
  const json complaint = target(v, "complaint_reply");
  EXPECT_EQ(complaint["due_at"], shanghai(2025, 10, 1, 17));
  EXPECT_EQ(instants(complaint), (std::vector<I>{{0, 0, shanghai(2025, 10, 9, 9), false}}));

  // Acknowledged Thu 10-09 14:00: the repeats after it do not happen.
  event("U", ev("acknowledged", shanghai(2025, 10, 9, 14)));
  v = view("U", shanghai(2025, 10, 12, 10));
  EXPECT_EQ(instants(target(v, "first_response")), (std::vector<I>{{0, 0, shanghai(2025, 10, 9, 9), true},
                                                                   {1, 0, shanghai(2025, 10, 9, 10), true},
                                                                   {2, 0, shanghai(2025, 10, 9, 13, 30), true}}));
  // Targets without steps say nothing of escalation.
  EXPECT_FALSE(target(v, "resolution").contains("escalations"));

  // While the demand is paused no step falls; resuming moves them with the due time. Urgent,
  // received Mon 2025-03-03 09:00: due 11:00, warn 10:00; paused 09:30-10:00.
  record(R"({"id":"P","received_at":)" + std::to_string(shanghai(2025, 3, 3, 9)) +
         R"(,"channel":"phone","title":"生产线设备停机，请尽快维修","owner":"li","department":"售后服务部"})");
  event("P", ev("paused", shanghai(2025, 3, 3, 9, 30), R"("reason":"等待客户提供日志")"));
  EXPECT_FALSE(target(view("P", shanghai(2025, 3, 3, 9, 45)), "first_response").contains("escalations"));
  event("P", ev("resumed", shanghai(2025, 3, 3, 10)));
  // Due 11:30, warn 10:30; due + 2 working hours: 11:30-12:00 and 13:30-15:00; + 4: 15:00-18:00
  // and Tue 09:00-10:00; + 4: 10:00-12:00 and 13:30-15:30.
  EXPECT_EQ(instants(target(view("P", shanghai(2025, 3, 3, 12)), "first_response")),
            (std::vector<I>{{0, 0, shanghai(2025, 3, 3, 10, 30), true},
                            {1, 0, shanghai(2025, 3, 3, 11, 30), true},
                            {2, 0, shanghai(2025, 3, 3, 15), false},
                            {2, 1, shanghai(2025, 3, 4, 10), false},
                            {2, 2, shanghai(2025, 3, 4, 15, 30), false}}));
}

TEST_P(Ledger, TheStateMachineRefusesImpossibleOrdersAndWritesNothing) {
  record(kUpgrade);
  const int64_t t = shanghai(2025, 9, 30, 10);
  const auto refused = [&](const std::string& e, const char* why) {
    const Status s = db_->append_event("D-1", e);
    EXPECT_EQ(s.code(), StatusCode::invalid_state) << e;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.message();
  };
  refused(ev("feedback", t, R"("satisfaction":5)"), "feedback follows resolved");
  refused(ev("resumed", t), "resumed needs an earlier paused");
  refused(ev("acknowledged", shanghai(2025, 9, 29, 15)), "before the demand was received");
  refused(ev("closed", t), "needs a reason");
  refused(ev("reopened", t), "only a resolved or closed demand");
  event("D-1", ev("resolved", t));
  event("D-1", ev("closed", t + 60));
  refused(ev("note", t + 120), "only a reopened event can follow closed");
  // A late event that would land before the resolution but after... still must fit the lifecycle.
  refused(ev("paused", t + 30, R"("reason":"x")"), "no running clock to pause");
  EXPECT_EQ(view("D-1", t + 3600)["events"].size(), 3u);  // received, resolved, closed

  EXPECT_EQ(db_->append_event("nope", ev("note", t)).code(), StatusCode::not_found);
  EXPECT_EQ(db_->append_event("D-1", R"({"type":"feedback","at":1,"actor":"a","satisfaction":9})").code(),
            StatusCode::invalid_argument);
  EXPECT_EQ(db_->append_event("D-1", R"({"type":"note","at":1,"actor":"a","owner":"x"})").code(),
            StatusCode::invalid_argument);
}

TEST_P(Ledger, LateEventsTakeTheirPlaceByTime) {
  record(kUpgrade);
  event("D-1", ev("started", shanghai(2025, 9, 30, 11)));
  event("D-1", ev("plan_sent", shanghai(2025, 9, 30, 10)));  // recorded later, happened earlier
  json v = view("D-1", shanghai(2025, 9, 30, 12));
  EXPECT_EQ(target(v, "detailed_plan")["met_at"], shanghai(2025, 9, 30, 10));
  EXPECT_EQ(v["events"][1]["type"], "plan_sent");
  EXPECT_EQ(v["events"][1]["n"], 2);
}

TEST_P(Ledger, RetriesAreIdempotentAndConflictsRefused) {
  EXPECT_FALSE(record(kUpgrade)["retry"].get<bool>());
  EXPECT_TRUE(record(kUpgrade)["retry"].get<bool>());
  std::string changed = kUpgrade;
  changed.replace(changed.find("li"), 2, "wang");
  EXPECT_EQ(db_->record_demand(changed).status().code(), StatusCode::conflict);
}

TEST_P(Ledger, SimilarOpenDemandsOfTheSameCustomerAreReportedAndMergedOnesCountOnce) {
  record(kUpgrade);
  json second = record(R"({"id":"D-2","received_at":)" + std::to_string(shanghai(2025, 9, 29, 17)) +
                       R"(,"title":"定制开发的需求","text":"客户要求升级","customer":{"id":"C-1"}})");
  ASSERT_EQ(second["duplicates"].size(), 1u);
  EXPECT_EQ(second["duplicates"][0]["id"], "D-1");
  EXPECT_GE(second["duplicates"][0]["score"].get<double>(), 0.8);
  json other_customer = record(R"({"id":"D-3","received_at":)" + std::to_string(shanghai(2025, 9, 29, 17)) +
                               R"(,"title":"定制开发需求","text":"客户要求升级","customer":{"id":"C-2"}})");
  EXPECT_TRUE(other_customer["duplicates"].empty());

  event("D-2", ev("merged_into", shanghai(2025, 9, 30, 9), R"("into":"D-1")"));
  json merged = view("D-2", shanghai(2025, 9, 30, 10));
  EXPECT_EQ(merged["state"], "merged");
  EXPECT_EQ(merged["merged_into"], "D-1");
  for (const json& t : merged["targets"]) EXPECT_EQ(t["status"], "cancelled");
  EXPECT_EQ(db_->append_event("D-3", ev("merged_into", shanghai(2025, 9, 30, 9), R"("into":"D-2")")).code(),
            StatusCode::invalid_state);
  json again = record(R"({"id":"D-4","received_at":)" + std::to_string(shanghai(2025, 9, 30, 17)) +
                      R"(,"title":"定制开发的需求","text":"客户要求升级","customer":{"id":"C-1"}})");
  ASSERT_EQ(again["duplicates"].size(), 1u);  // D-2 is no longer open
}

// open_demand_customer is keyed by blocks of 65,536 sequence numbers (schema 13): the search for a
// customer's similar open demands visits every block from the oldest open demand's to the newest's.
TEST_P(Ledger, SimilarDemandsAreFoundAcrossBlocksOfSequenceNumbers) {
  record(kUpgrade);  // seq 1, block 0
  // The next demands get sequence numbers past 200,000 (blocks 3 and up).
  ASSERT_TRUE(test::exec(where(), test::is_postgres(where())
                                     ? "SELECT setval(pg_get_serial_sequence('demand', 'seq'), 200000)"
                                     : "INSERT INTO demand (seq, id, policy, received_at, customer, channel, owner, department, "
                                       "urgency, category, nature, actor, document) SELECT 200000, 'gap', policy, received_at, "
                                       "'nobody', channel, owner, department, urgency, category, nature, actor, document "
                                       "FROM demand WHERE id = 'D-1'"));
  const std::string similar = R"(,"title":"定制开发的需求","text":"客户要求升级","customer":{"id":"C-1"}})";
  json second = record(R"({"id":"D-2","received_at":)" + std::to_string(shanghai(2025, 9, 29, 17)) + similar);
  ASSERT_EQ(second["duplicates"].size(), 1u);
  EXPECT_EQ(second["duplicates"][0]["id"], "D-1");
  json third = record(R"({"id":"D-3","received_at":)" + std::to_string(shanghai(2025, 9, 29, 18)) + similar);
  ASSERT_EQ(third["duplicates"].size(), 2u);
  EXPECT_EQ(third["duplicates"][0]["id"], "D-2");  // the same words score higher
  EXPECT_EQ(third["duplicates"][1]["id"], "D-1");
  EXPECT_EQ(test::query(where(), "SELECT count(*) FROM open_demand WHERE demand >= 200000"), "2");
}

TEST_P(Ledger, WorklistWakeupAndWeeklyProgress) {
  record(kUpgrade);
  record(R"({"id":"G","received_at":)" + std::to_string(shanghai(2025, 10, 9, 10)) +
         R"(,"channel":"email","title":"x","owner":"wang","department":"service"})");
  // At Fri 10-10 09:00: D-1's plan (due 10-09 18:00) is breached; G's contact (due 10-13 18:00,
  // as 10-11 is a make-up working day... Sat 10-11 counts: 10-10, 10-11, 10-13) is pending.
  const int64_t at = shanghai(2025, 10, 10, 9);
  auto list = db_->worklist(R"({"at":)" + std::to_string(at) + "}");
  ASSERT_TRUE(list.ok()) << list.status().to_string();
  json w = json::parse(*list);
  ASSERT_EQ(w["count"], 1);
  EXPECT_EQ(w["items"][0]["demand"], "D-1");
  EXPECT_EQ(w["items"][0]["target"], "detailed_plan");
  EXPECT_EQ(w["items"][0]["status"], "breached");
  EXPECT_EQ(w["items"][0]["overrun_seconds"], 0);  // no working time between 18:00 and 09:00

  json all = json::parse(*db_->worklist(R"({"at":)" + std::to_string(at) + R"(,"due_before":)" +
                                        std::to_string(shanghai(2025, 12, 31)) + R"(,"owner":"wang"})"));
  ASSERT_EQ(all["count"], 2);
  EXPECT_EQ(all["items"][0]["target"], "contact");
  EXPECT_EQ(all["items"][0]["due_at"], shanghai(2025, 10, 13, 18));

  auto wake = db_->next_wakeup(at);
  ASSERT_TRUE(wake.ok());
  // The earliest warning ahead: D-1's progress update, 80% of its 39.5 working hours in, Sat
  // 10-11 (a make-up working day) 17:36 — before G's contact warning.
  EXPECT_EQ(*wake, shanghai(2025, 10, 11, 17, 36));
  EXPECT_EQ(*wake, target(view("D-1", at), "progress_update")["warn_at"].get<int64_t>());
  EXPECT_LT(*wake, target(view("G", at), "contact")["warn_at"].get<int64_t>());
  EXPECT_EQ(db_->next_wakeup(shanghai(2199, 1, 1)).status().code(), StatusCode::not_found);

  auto progress = db_->weekly_progress(R"({"at":)" + std::to_string(at) + "}");
  ASSERT_TRUE(progress.ok()) << progress.status().to_string();
  json p = json::parse(*progress);
  EXPECT_EQ(p["week"], "2025-W41");
  EXPECT_EQ(p["from"], shanghai(2025, 10, 6));
  EXPECT_EQ(p["total"]["open"], 2);
  EXPECT_EQ(p["total"]["breached"], 1);
}

// Walks the paged work list to its end: the items of all pages, in order.
json all_pages(Database& db, const std::string& query_head, int page_size, int* pages = nullptr) {
  json items = json::array();
  std::string after;
  for (int page = 0;; ++page) {
    const std::string q = query_head + R"(,"page_size":)" + std::to_string(page_size) +
                          (after.empty() ? "" : R"(,"after":")" + after + "\"") + "}";
    auto r = db.worklist(q);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().to_string();
    if (!r.ok()) return items;
    const json w = json::parse(*r);
    EXPECT_LE(w["items"].size(), static_cast<size_t>(page_size));
    EXPECT_EQ(w["count"], w["items"].size());
    for (const json& it : w["items"]) items.push_back(it);
    if (w["next"].is_null()) {
      if (pages) *pages = page + 1;
      return items;
    }
    EXPECT_EQ(w["items"].size(), static_cast<size_t>(page_size));  // only the last page is short
    after = w["next"];
  }
}

// Pages of the work list, on both engines: in the whole list's order (due time, then demand id and
// target in byte order, whatever the database's collation), none lost or repeated, paused demands
// in their place; a cursor works with the query it came from and nothing else is one.
TEST_P(Ledger, WorklistPagesWalkTheWholeListInOrder) {
  // Same received time, same policy: ties on due time, broken by ids that sort differently in byte
  // order and in a language's (upper case, Chinese, digits).
  for (const char* id : {"b-1", "B-2", "a", "中文-1", "Z", "10", "9", "a b", "éclair"}) {
    record(R"({"id":")" + std::string(id) + R"(","received_at":)" + std::to_string(shanghai(2025, 10, 9, 10)) +
           R"(,"channel":"email","title":"x","owner":"wang","department":"service"})");
  }
  record(kUpgrade);
  event("Z", ev("paused", shanghai(2025, 10, 9, 11), R"("reason":"waiting for the customer")"));
  const int64_t at = shanghai(2025, 10, 10, 9);
  const std::string head = R"({"at":)" + std::to_string(at) + R"(,"due_before":)" + std::to_string(shanghai(2025, 12, 31));
  const json whole = json::parse(*db_->worklist(head + "}"));
  ASSERT_GE(whole["items"].size(), 10u);
  for (size_t i = 1; i < whole["items"].size(); ++i) {
    const json &a = whole["items"][i - 1], &b = whole["items"][i];
    const auto key = [](const json& it) {
      return std::make_tuple(it["due_at"].get<int64_t>(), it["demand"].get<std::string>(), it["target"].get<std::string>());
    };
    EXPECT_LT(key(a), key(b)) << i;  // std::string's < is byte order
  }
  bool paused_listed = false;
  for (const json& it : whole["items"]) paused_listed |= it.contains("paused");
  EXPECT_TRUE(paused_listed);
  for (const int size : {1, 2, 3, 7, 1000}) {
    int pages = 0;
    EXPECT_EQ(all_pages(*db_, head, size, &pages), whole["items"]) << "page_size " << size;
    EXPECT_EQ(pages, size >= static_cast<int>(whole["items"].size()) ? 1
                                                                    : (static_cast<int>(whole["items"].size()) + size - 1) / size);
  }
  // Filters page too.
  const json wang = json::parse(*db_->worklist(head + R"(,"owner":"wang"})"));
  EXPECT_EQ(all_pages(*db_, head + R"(,"owner":"wang")", 2), wang["items"]);

  const auto refused = [&](const std::string& q, const char* field) {
    auto r = db_->worklist(q);
    EXPECT_EQ(r.status().code(), StatusCode::invalid_argument) << q;
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status().message();
  };
  refused(head + R"(,"page_size":0})", "/page_size");
  refused(head + R"(,"page_size":10001})", "/page_size");
  refused(head + R"(,"after":"1.61.62"})", "/after");
  refused(head + R"(,"page_size":2,"limit":3})", "/limit");
  for (const char* bad : {"", "x", "1.6", "1.6g.62", "1.616.6", ".61.62", "99999999999999999999.61.62"})
    refused(head + R"(,"page_size":2,"after":")" + bad + "\"}", "/after");
  refused(head + R"(,"page_size":2,"after":7})", "/after");
}

TEST_P(Ledger, StringsAreBoundNeverSpliced) {
  const std::string evil = R"(x'); DROP TABLE demand; --)";
  record(R"({"id":")" + evil + R"(","received_at":)" + std::to_string(shanghai(2025, 3, 3, 10)) +
         R"(,"title":"\"; DELETE FROM event; --","owner":"o' OR '1'='1"})");
  json v = view(evil, shanghai(2025, 3, 3, 11));
  EXPECT_EQ(v["id"], evil);
  EXPECT_EQ(v["owner"], "o' OR '1'='1");
  event(evil, ev("note", shanghai(2025, 3, 3, 10, 30), R"("comment":"'); DELETE FROM demand; --")"));
  EXPECT_EQ(view(evil, shanghai(2025, 3, 3, 11))["events"].size(), 2u);
}

TEST(LedgerFile, TheLedgerIsAppendOnlyEvenForRawSql) {
  test::TempDir dir;
  const std::string path = dir.file("crm.db");
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    ASSERT_TRUE(db->record_demand(kUpgrade).ok());
  }
  EXPECT_EQ(test::query(path, "UPDATE demand SET owner = 'x'"), "<error>");
  EXPECT_EQ(test::query(path, "DELETE FROM demand"), "<error>");
  EXPECT_EQ(test::query(path, "SELECT owner FROM demand"), "li");
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

class LedgerImport : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto opened = Database::open(db_path_);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    db_ = std::make_unique<Database>(std::move(*opened));
    ASSERT_TRUE(db_->put_policy(test::sample_policy()).ok());
  }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_.file(name.c_str());
    std::ofstream(path) << text;
    return path;
  }
  static std::string demand_line(int i) {
    return R"({"id":"I-)" + std::to_string(i) + R"(","received_at":)" + std::to_string(test::shanghai(2025, 3, 3, 10) + i) +
           R"(,"channel":"phone","title":"t","owner":"o"})";
  }
  int64_t count(const char* table) { return std::stoll(test::query(db_path_, (std::string("SELECT count(*) FROM ") + table).c_str())); }
  void expect_exact_texts(Database& db, const std::string& where, const std::string& others);

  test::TempDir dir_;
  const std::string db_path_ = test::fresh_database(GetParam(), dir_);
  std::unique_ptr<Database> db_;
};
INSTANTIATE_TEST_SUITE_P(Engines, LedgerImport, ::testing::ValuesIn(test::engines()), test::engine_name);

TEST_P(LedgerImport, ABadLineRollsBackItsWholeBatchAndStops) {
  std::string text;
  for (int i = 1; i <= 5; ++i) text += demand_line(i) + "\n";
  text += R"({"type":"acknowledged","demand":"I-1","at":1741000000,"actor":"o"})" "\n";
  text += demand_line(6) + "\n";
  text += R"({"type":"feedback","demand":"I-6","at":1741000000,"actor":"o","satisfaction":4})" "\n";  // before resolved
  text += demand_line(7) + "\n";
  Status failure;
  auto report = db_->import(write("a.ndjson", text), R"({"batch_size":4})", &failure);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(failure.code(), StatusCode::invalid_state);
  const json r = json::parse(*report);
  EXPECT_EQ(r["committed_lines"], 4);  // the first batch; lines 5-8 rolled back together
  EXPECT_EQ(r["failed_batch"]["first_line"], 5);
  ASSERT_EQ(r["rejected"].size(), 1u);
  EXPECT_EQ(r["rejected"][0]["line"], 8);
  EXPECT_EQ(r["rejected"][0]["code"], "invalid state");
  EXPECT_EQ(count("demand"), 4);
  EXPECT_EQ(count("event"), 0);
}

TEST_P(LedgerImport, SkipInvalidCommitsEverythingElseAndListsTheSkippedLines) {
  std::string text = demand_line(1) + "\n" + "{not json\n" + demand_line(2) + "\n\n" +
                     R"({"type":"resolved","demand":"I-2","at":1741000000,"actor":"o"})" "\n" +
                     R"({"type":"resolved","demand":"I-404","at":1741000000,"actor":"o"})" "\n";
  Status failure;
  auto report = db_->import(write("b.ndjson", text), R"({"skip_invalid":true,"batch_size":2})", &failure);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(failure.ok());
  const json r = json::parse(*report);
  EXPECT_EQ(r["demands"], 2);
  EXPECT_EQ(r["events"], 1);
  ASSERT_EQ(r["rejected"].size(), 2u);
  EXPECT_EQ(r["rejected"][0]["line"], 2);
  EXPECT_EQ(r["rejected"][1]["line"], 6);
  EXPECT_EQ(r["rejected"][1]["code"], "not found");
  EXPECT_EQ(json::parse(*db_->demand("I-2", 1741000000))["state"], "resolved");
  EXPECT_EQ(db_->import(dir_.file("missing.ndjson"), "{}").status().code(), StatusCode::not_found);
  EXPECT_EQ(db_->import(write("c.ndjson", ""), R"({"batch_size":0})").status().code(), StatusCode::invalid_argument);
}

// A typed record as the NDJSON line the library writes for it (the same keys in the same order).
std::string record_json(const DemandRecord& r) {
  std::string out = "{\"id\":" + json(r.id).dump() + ",\"received_at\":" + std::to_string(r.received_at);
  const auto field = [&](const char* key, const std::string& v) {
    if (!v.empty()) out += ",\"" + std::string(key) + "\":" + json(v).dump();
  };
  field("channel", r.channel), field("urgency", r.urgency), field("title", r.title), field("text", r.text);
  field("department", r.department), field("owner", r.owner);
  if (!r.customer_id.empty()) out += ",\"customer\":{\"id\":" + json(r.customer_id).dump() + "}";
  return out + "}";
}
std::string record_json(const EventRecord& r) {
  json j = {{"type", r.type}, {"demand", r.demand}, {"at", r.at}, {"actor", r.actor}};
  if (!r.reason.empty()) j["reason"] = r.reason;
  if (r.satisfaction) j["satisfaction"] = r.satisfaction;
  if (!r.owner.empty()) j["owner"] = r.owner;
  if (!r.urgency.empty()) j["urgency"] = r.urgency;
  if (!r.comment.empty()) j["comment"] = r.comment;
  return j.dump();
}

// Typed records (issue 16): random ledgers imported as records and as NDJSON give the same views.
TEST_P(LedgerImport, TypedRecordsRecordWhatTheSameNdjsonRecords) {
  std::mt19937_64 rng(17);
  const char* channels[] = {"phone", "email", "visit", "complaint", ""};
  const char* titles[] = {"生产线设备停机，请尽快维修", "希望系统升级，增加新功能", "价格能否再优惠一些", "咨询\t培训\n安排"};
  std::vector<DemandRecord> demands;
  std::vector<EventRecord> events;
  std::string ndjson;
  for (int i = 0; i < 60; ++i) {
    DemandRecord d;
    d.id = "R-" + std::to_string(i);
    d.received_at = test::shanghai(2025, 9, 26, 9) + i * 3600;
    d.channel = channels[rng() % 5];
    d.title = titles[rng() % 4];
    if (rng() % 3 == 0) d.urgency = "important";
    if (rng() % 2) d.owner = "o" + std::to_string(rng() % 4);
    if (rng() % 2) d.customer_id = "C" + std::to_string(rng() % 7);
    demands.push_back(d);
    // A lifecycle prefix: acknowledged, paused and resumed, reassigned, reclassified, resolved, feedback, closed.
    int64_t t = d.received_at + 1800;
    const auto add = [&](const char* type) {
      EventRecord e;
      e.demand = d.id, e.type = type, e.at = t, e.actor = "li";
      t += 7200 + static_cast<int64_t>(rng() % 86400);
      events.push_back(e);
      return &events.back();
    };
    const int steps = static_cast<int>(rng() % 8);
    if (steps > 0) add("acknowledged")->comment = rng() % 2 ? "已联系客户" : "";
    if (steps > 1) add("paused")->reason = "等待客户", add("resumed");
    if (steps > 2) add("reassigned")->owner = "wang";
    if (steps > 3) add("reclassified")->urgency = "urgent", events.back().reason = "停机";
    if (steps > 4) add("resolved");
    if (steps > 5) add("feedback")->satisfaction = 1 + static_cast<int>(rng() % 5);
    if (steps > 6) add("closed");
  }
  // Half the demands carry their events (the demand left implied), the others' events come loose
  // at the end; the NDJSON has them in the same order.
  std::vector<EventRecord> loose;
  for (DemandRecord& d : demands) {
    ndjson += record_json(d) + "\n";
    const bool nested = d.id.back() % 2 == 0;
    for (const EventRecord& e : events)
      if (e.demand == d.id && nested) {
        ndjson += record_json(e) + "\n";
        d.events.push_back(e);
        d.events.back().demand.clear();
      }
  }
  for (const EventRecord& e : events)
    if (e.demand.back() % 2 != 0) ndjson += record_json(e) + "\n", loose.push_back(e);

  Status failure;
  auto from_json = db_->import(write("r.ndjson", ndjson), R"({"batch_size":50})", &failure);
  ASSERT_TRUE(from_json.ok() && failure.ok()) << from_json.status().to_string() << failure.to_string();
  test::TempDir other_dir;
  auto other = Database::open(test::fresh_database(GetParam(), other_dir, "records.db"));
  ASSERT_TRUE(other.ok()) << other.status().to_string();
  ASSERT_TRUE(other->put_policy(test::sample_policy()).ok());
  auto from_records = other->import_records(demands, loose, R"({"batch_size":50})", &failure);
  ASSERT_TRUE(from_records.ok() && failure.ok()) << from_records.status().to_string() << failure.to_string();
  const json a = json::parse(*from_json), b = json::parse(*from_records);
  EXPECT_EQ(b["records"], a["lines"]);
  EXPECT_EQ(b["committed_records"], a["committed_lines"]);
  EXPECT_EQ(b["demands"], 60);
  EXPECT_EQ(b["events"], a["events"]);
  EXPECT_EQ(b["batches"], a["batches"]);
  for (const DemandRecord& d : demands)
    for (const int64_t at : {d.received_at, test::shanghai(2025, 12, 1, 9)}) {
      auto x = db_->demand(d.id, at), y = other->demand(d.id, at);
      ASSERT_TRUE(x.ok() && y.ok());
      EXPECT_EQ(*y, *x) << d.id;
    }
}

TEST_P(LedgerImport, TypedRecordsAreRefusedAsTheirJsonWouldBeAndNumberedInTheReport) {
  DemandRecord good;
  good.id = "R-1", good.received_at = test::shanghai(2025, 3, 3, 10), good.channel = "phone", good.title = "t";
  DemandRecord fax = good;
  fax.id = "R-2", fax.channel = "fax";
  DemandRecord bad_text = good;
  bad_text.id = "R-3", bad_text.title = "\xff\xfe";
  DemandRecord no_id = good;
  no_id.id.clear();
  EventRecord ack;
  ack.demand = "R-1", ack.type = "acknowledged", ack.at = good.received_at + 60, ack.actor = "li";
  EventRecord loud = ack;
  loud.type = "feedback", loud.satisfaction = 9;
  EventRecord stray = ack;
  stray.demand = "R-404";
  EventRecord typo = ack;
  typo.type = "acknowleged";
  EventRecord extra = ack;
  extra.into = "R-9";  // acknowledged takes no "into"
  EventRecord elsewhere = ack;
  elsewhere.demand = "R-9";
  DemandRecord nested = good;
  nested.id = "R-5", nested.events = {ack, elsewhere};  // records 5, 6, 7
  nested.events[0].demand.clear();
  Status failure;
  auto report = db_->import_records({good, fax, bad_text, no_id, nested}, {ack, loud, stray, typo, extra},
                                    R"({"skip_invalid":true})", &failure);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_TRUE(failure.ok());
  const json r = json::parse(*report);
  EXPECT_EQ(r["records"], 12);
  EXPECT_EQ(r["demands"], 2);
  EXPECT_EQ(r["events"], 2);
  std::vector<std::pair<int64_t, std::string>> rejected;
  for (const json& x : r["rejected"]) rejected.emplace_back(x["record"].get<int64_t>(), x["error"].get<std::string>());
  ASSERT_EQ(rejected.size(), 8u) << r.dump();
  // R-5's own acknowledgement is record 6; its second event names another demand.
  EXPECT_EQ(rejected[3].first, 7);
  EXPECT_NE(rejected[3].second.find("an event of demand \"R-5\" names demand \"R-9\""), std::string::npos);
  rejected.erase(rejected.begin() + 3);
  for (size_t i = 3; i < rejected.size(); ++i) rejected[i].first -= 3;  // the loose events follow R-5's three records
  // The same demand and event as NDJSON lines are refused with the same words.
  const auto ndjson_error = [&](const std::string& line) {
    Status f;
    auto rep = db_->import(write("x.ndjson", line + "\n"), R"({"skip_invalid":true})", &f);
    return rep.ok() ? json::parse(*rep)["rejected"][0]["error"].get<std::string>() : rep.status().message();
  };
  EXPECT_EQ(rejected[0].first, 2);
  EXPECT_EQ(rejected[0].second, ndjson_error(record_json(fax)));
  EXPECT_NE(rejected[0].second.find("/channel"), std::string::npos);
  EXPECT_EQ(rejected[1], (std::pair<int64_t, std::string>{3, "/title: not valid UTF-8"}));
  EXPECT_EQ(rejected[2].first, 4);
  EXPECT_NE(rejected[2].second.find("/id"), std::string::npos);
  EXPECT_EQ(rejected[3].first, 6);
  EXPECT_EQ(rejected[3].second, ndjson_error(record_json(loud)));
  EXPECT_EQ(rejected[4].first, 7);
  EXPECT_NE(rejected[4].second.find("R-404"), std::string::npos);
  EXPECT_EQ(rejected[5].first, 8);
  EXPECT_NE(rejected[5].second.find("unknown event type"), std::string::npos);
  EXPECT_EQ(rejected[6].first, 9);
  EXPECT_NE(rejected[6].second.find("/into"), std::string::npos);
  // Nothing to import is an empty report; options are checked as for NDJSON.
  auto empty = db_->import_records({}, {}, "{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(json::parse(*empty)["records"], 0);
  EXPECT_EQ(db_->import_records({}, {}, R"({"batch_size":0})").status().code(), StatusCode::invalid_argument);
}

// Rows travel in bulk (COPY on PostgreSQL, or single inserts for a few): tabs, newlines, carriage
// returns, backslashes and Chinese text in documents and in the values taken from them come back
// exactly, alone and among enough other rows to go by COPY.
TEST_P(LedgerImport, TextsWithControlCharactersAndBackslashesComeBackExactly) {
  for (const int others : {0, 12}) {
    SCOPED_TRACE(others);
    const std::string where = test::fresh_database(GetParam(), dir_, ("x" + std::to_string(others)).c_str());
    auto db = Database::open(where);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    std::string text;
    for (int i = 0; i < others; ++i)
      text += demand_line(i) + "\n" + R"({"type":"acknowledged","demand":"I-)" + std::to_string(i) +
              R"(","at":1741000100,"actor":"o"})" "\n";
    expect_exact_texts(*db, where, text);
  }
}

void LedgerImport::expect_exact_texts(Database& db, const std::string& where, const std::string& others) {
  const std::string line = "{\"id\":\"T\\\\1\",\t\"received_at\":1741000000,\"title\":\"a\\tb\\nc \\\\N 客户\",\r"
                           "\"channel\":\"phone\",\"owner\":\"o\\\\p\\\\N\"}";
  const std::string ack = R"({"type":"acknowledged","demand":"T\\1","at":1741000100,"actor":"li\\x\\N"})";
  const std::string note = R"({"type":"note","demand":"T\\1","at":1741000200,"actor":"o","comment":"\\N\t备注\n"})";
  Status failure;
  auto report = db.import(write("t.ndjson", others + line + "\n" + ack + "\n" + note + "\n"), "{}", &failure);
  ASSERT_TRUE(report.ok() && failure.ok()) << *report;
  EXPECT_EQ(test::query(where, "SELECT document FROM demand WHERE received_at = 1741000000"), line);
  EXPECT_EQ(test::query(where, "SELECT id FROM demand WHERE received_at = 1741000000"), "T\\1");
  EXPECT_EQ(test::query(where, "SELECT owner FROM open_target WHERE id = 'T\\1'"), "o\\p\\N");
  const json v = json::parse(*db.demand("T\\1", 1741000300));
  ASSERT_EQ(v["events"].size(), 3u);
  EXPECT_EQ(v["events"][1]["actor"], "li\\x\\N");
  EXPECT_EQ(v["events"][2]["comment"], "\\N\t备注\n");
}

// How lines are grouped (chunks read ahead, batches committed) never changes what is stored:
// events of demands from earlier chunks and batches, a demand repeated within a chunk and
// across chunks, a bad line skipped.
TEST_P(LedgerImport, BatchAndChunkBoundariesDoNotChangeWhatIsStored) {
  std::string text;
  for (int i = 1; i <= 1600; ++i) {
    text += demand_line(i) + "\n";
    if (i % 7 == 0) text += demand_line(i / 2) + "\n";  // a retry of an earlier line
    if (i % 5 == 0)
      text += R"({"type":"acknowledged","demand":"I-)" + std::to_string(i / 3 + 1) + R"(","at":1741100000,"actor":"o"})" "\n";
    if (i == 1100) text += "{\"id\":\"I-bad\"}\n";  // no received_at
  }
  const std::string path = write("many.ndjson", text);
  std::string expected;
  for (const char* batch : {"1", "700", "10000"}) {
    const std::string other = test::fresh_database(GetParam(), dir_, (std::string("b") + batch).c_str());
    auto opened = Database::open(other);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    ASSERT_TRUE(opened->put_policy(test::sample_policy()).ok());
    auto report = opened->import(path, std::string(R"({"skip_invalid":true,"batch_size":)") + batch + "}");
    ASSERT_TRUE(report.ok()) << report.status().to_string();
    const json r = json::parse(*report);
    EXPECT_EQ(r["demands"], 1600) << batch;
    EXPECT_EQ(r["events"], 320) << batch;
    ASSERT_EQ(r["rejected"].size(), 1u) << batch;
    const std::string stored =
        test::rows(other, "SELECT d.id, d.document, e.n, e.type, e.at FROM demand d LEFT JOIN event e ON e.demand = d.seq "
                          "ORDER BY d.id, e.n") +
        "/" + test::rows(other, "SELECT o.id, o.target, o.due_at FROM open_target o ORDER BY o.id, o.target") + "/" +
        test::rows(other, "SELECT d.id, o.owner FROM open_demand o JOIN demand d ON d.seq = o.demand ORDER BY d.id");
    if (expected.empty()) expected = stored;
    EXPECT_EQ(stored, expected) << "batch_size " << batch;
  }
}

// The file is read in blocks of 1 MiB: lines across block ends, CRLF line ends, blank lines (also
// "\r" alone) and a last line without its "\n" read as line by line, and line numbers stay right.
TEST_P(LedgerImport, LinesAcrossReadBlocksAndLineEndsReadAsWritten) {
  std::string text;
  int64_t lines = 0, bad_line = 0;
  const std::string padding(150, 'x');
  for (int i = 1; i <= 9000; ++i) {
    std::string line = demand_line(i);
    line.insert(line.size() - 1, R"(,"text":")" + padding + std::to_string(i) + "\"");
    text += line + (i % 2 ? "\r\n" : "\n");
    ++lines;
    if (i % 1000 == 0) text += (i % 2000 ? "\r\n" : "\n"), ++lines;  // blank lines are counted too
    if (i == 7000) text += "{broken\r\n", bad_line = ++lines;    // past the first MiB
  }
  text += demand_line(9001);  // no "\n"
  ++lines;
  ASSERT_GT(text.size(), size_t{2} << 20);
  auto report = db_->import(write("blocks.ndjson", text), R"({"skip_invalid":true})");
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  const json r = json::parse(*report);
  EXPECT_EQ(r["lines"], lines);
  EXPECT_EQ(r["demands"], 9001);
  ASSERT_EQ(r["rejected"].size(), 1u);
  EXPECT_EQ(r["rejected"][0]["line"], bad_line);
  EXPECT_EQ(count("demand"), 9001);
  // The stored documents are the lines without their ends ("\r\n" after the odd ones).
  EXPECT_EQ(test::query(db_path_, "SELECT document FROM demand WHERE id = 'I-9001'"), demand_line(9001));
  for (int i : {1, 4567, 7000, 7001}) {
    std::string line = demand_line(i);
    line.insert(line.size() - 1, R"(,"text":")" + padding + std::to_string(i) + "\"");
    const std::string sql = "SELECT document FROM demand WHERE id = 'I-" + std::to_string(i) + "'";
    EXPECT_EQ(test::query(db_path_, sql.c_str()), line) << i;
  }
}

// Hosts retry (issue 14 §3): an event under the sender's id is recorded once.
TEST_P(LedgerImport, EventIdsMakeRetriesNoOpsAndOtherContentAConflict) {
  ASSERT_TRUE(db_->import(write("e.ndjson", demand_line(1) + "\n"), "{}").ok());
  const std::string ack = R"({"id":"ack-1","type":"acknowledged","at":1741000000,"actor":"o"})";
  for (int i = 0; i < 3; ++i) {
    const Status s = db_->append_event("I-1", ack);
    EXPECT_TRUE(s.ok()) << s.to_string();
  }
  EXPECT_EQ(count("event"), 1);
  const std::string before = test::rows(db_path_, "SELECT demand, n, type, at, ref FROM event ORDER BY demand, n");
  const Status other = db_->append_event("I-1", R"({"id":"ack-1","type":"acknowledged","at":1741000100,"actor":"o"})");
  EXPECT_EQ(other.code(), StatusCode::conflict);
  EXPECT_NE(other.message().find("/id: event \"ack-1\" of demand \"I-1\" is already recorded with different content"),
            std::string::npos)
      << other.message();
  EXPECT_EQ(test::rows(db_path_, "SELECT demand, n, type, at, ref FROM event ORDER BY demand, n"), before);
  // Without an id every append is a new event, as before.
  ASSERT_TRUE(db_->append_event("I-1", R"({"type":"note","at":1741000200,"actor":"o"})").ok());
  ASSERT_TRUE(db_->append_event("I-1", R"({"type":"note","at":1741000200,"actor":"o"})").ok());
  EXPECT_EQ(count("event"), 3);
  EXPECT_EQ(db_->append_event("I-1", R"({"id":"","type":"note","at":1741000300,"actor":"o"})").code(), StatusCode::invalid_argument);
}

TEST_P(LedgerImport, ImportingTheSameFileTwiceChangesNothing) {
  std::string text;
  for (int i = 1; i <= 6; ++i) text += demand_line(i) + "\n";
  text += R"({"id":"e1","type":"acknowledged","demand":"I-1","at":1741000000,"actor":"o"})" "\n";
  text += R"({"id":"e2","type":"paused","demand":"I-2","at":1741000000,"actor":"o","reason":"wait"})" "\n";
  text += R"({"id":"e3","type":"resolved","demand":"I-3","at":1741000000,"actor":"o"})" "\n";
  text += R"({"id":"e4","type":"feedback","demand":"I-3","at":1741000100,"actor":"o","satisfaction":5})" "\n";
  text += R"({"id":"e5","type":"resolved","demand":"I-404","at":1741000000,"actor":"o"})" "\n";  // skipped: unknown demand
  const std::string file = write("twice.ndjson", text);
  const auto tables = [&] {
    const std::string& db = db_path_;
    return test::rows(db, "SELECT id, received_at FROM demand ORDER BY seq") + "#" +
           test::rows(db, "SELECT demand, n, type, at, ref FROM event ORDER BY demand, n") + "#" +
           test::rows(db, "SELECT demand, target, due_at FROM open_target ORDER BY demand, target") + "#" +
           test::query(db, "SELECT count(*) FROM open_demand");
  };
  for (const char* options : {R"({"skip_invalid":true})", R"({"skip_invalid":true,"batch_size":3})"}) {
    auto first = db_->import(file, options);
    ASSERT_TRUE(first.ok());
    const std::string after_first = tables();
    auto second = db_->import(file, options);
    ASSERT_TRUE(second.ok());
    const json r = json::parse(*second);
    EXPECT_EQ(r["demands"], 0) << *second;
    EXPECT_EQ(r["events"], 0) << *second;
    EXPECT_EQ(tables(), after_first) << options;
    EXPECT_EQ(after_first.find("<error>"), std::string::npos) << after_first;
  }
  EXPECT_EQ(count("event"), 4);
  // Without skip_invalid the unknown demand stops the batch; the retried lines before it are no-ops.
  Status failure;
  auto strict = db_->import(file, "{}", &failure);
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(failure.code(), StatusCode::not_found);
  EXPECT_EQ(count("event"), 4);
  EXPECT_EQ(count("demand"), 6);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_P(LedgerImport, SnapshotsRoundTripByteForByteAndRefuseDamagedFiles) {
  std::string text;
  for (int i = 1; i <= 50; ++i) text += demand_line(i) + "\n";
  text += R"({"type":"paused","demand":"I-3","at":1741000000,"actor":"o","reason":"wait"})" "\n";
  text += R"({"type":"resolved","demand":"I-4","at":1741000000,"actor":"o","comment":"多语言 ok"})" "\n";
  text += R"({"type":"feedback","demand":"I-4","at":1741000100,"actor":"o","satisfaction":5})" "\n";
  text += R"({"type":"reclassified","demand":"I-5","at":1741000000,"actor":"o","urgency":"urgent","reason":"r"})" "\n";
  text += R"({"id":"n-1","type":"note","demand":"I-6","at":1741000000,"actor":"o"})" "\n";
  ASSERT_TRUE(db_->import(write("d.ndjson", text), "{}").ok());
  const std::string first = dir_.file("one.snapshot");
  ASSERT_TRUE(db_->export_snapshot(first).ok());

  const std::string copy = test::fresh_database(GetParam(), dir_, "copy.db");
  auto fresh = Database::open(copy);
  ASSERT_TRUE(fresh.ok());
  const Status imported = fresh->import_snapshot(first);
  ASSERT_TRUE(imported.ok()) << imported.to_string();
  const std::string second = dir_.file("two.snapshot");
  ASSERT_TRUE(fresh->export_snapshot(second).ok());
  EXPECT_EQ(slurp(first), slurp(second));
  EXPECT_EQ(*fresh->demand("I-4", 1741000200), *db_->demand("I-4", 1741000200));
  EXPECT_EQ(*fresh->worklist(R"({"at":1745000000})"), *db_->worklist(R"({"at":1745000000})"));
  EXPECT_TRUE(fresh->import_snapshot(first).ok());  // the same data again: nothing changes
  // Event ids travel with the snapshot: a retry after the restore is still a no-op.
  ASSERT_TRUE(fresh->append_event("I-6", R"({"id":"n-1","type":"note","at":1741000000,"actor":"o"})").ok());
  EXPECT_EQ(test::query(copy, "SELECT count(*) FROM event WHERE ref = 'n-1'"), "1");

  const std::string bytes = slurp(first);
  const std::string empty_path = test::fresh_database(GetParam(), dir_, "empty.db");
  auto empty = Database::open(empty_path);
  ASSERT_TRUE(empty.ok());
  std::string corrupted = bytes;
  corrupted[corrupted.size() / 2] ^= 1;
  const std::pair<std::string, const char*> damaged[] = {
      {bytes.substr(0, bytes.size() - 10), "truncated"},
      {corrupted, "checksum"},
      {"SQLite format 3\n" + bytes, "not a crmpolicy snapshot"},
  };
  for (const auto& [content, why] : damaged) {
    const Status s = empty->import_snapshot(write("bad.snapshot", content));
    EXPECT_EQ(s.code(), StatusCode::invalid_argument);
    EXPECT_NE(s.message().find(why), std::string::npos) << s.message();
  }
  EXPECT_EQ(test::query(empty_path, "SELECT count(*) FROM policy"), "0");
}

// Archives keep loading as the schema grows (class versions): one written by crmpolicy 0.1.0
// (tests/data/make-snapshot-0.1.0.c against 59b85d6) restores, and re-exports at today's versions.
TEST_P(LedgerImport, ASnapshotWrittenBy010StillRestores) {
  auto fresh = Database::open(dir_.file("from-0.1.0.db"));
  ASSERT_TRUE(fresh.ok());
  const Status s = fresh->import_snapshot(CRMPOLICY_TEST_DATA_DIR "/snapshot-0.1.0.snapshot");
  ASSERT_TRUE(s.ok()) << s.to_string();
  auto v = fresh->demand("V1-1", 1759500000);
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  const json view = json::parse(*v);
  EXPECT_EQ(view["state"], "resolved");
  EXPECT_EQ(view["classification"]["urgency"], "urgent");  // 设备停机了 under that version's rules
  EXPECT_EQ(view["policy"]["version"], "2025.1");
  EXPECT_EQ(test::query(dir_.file("from-0.1.0.db"), "SELECT count(*) FROM event"), "3");
  const std::string again = dir_.file("again.snapshot");
  ASSERT_TRUE(fresh->export_snapshot(again).ok());
  auto copy = Database::open(":memory:");
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE(copy->import_snapshot(again).ok());
  EXPECT_EQ(*copy->demand("V1-1", 1759500000), *v);
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// The derived rows the work list and wake-up read must agree with replaying each demand's
// ledger: random demands, random event sequences (refused events simply refused), then the work
// list and the next wake-up compared with what the demand views say.
class LedgerConsistency : public ::testing::TestWithParam<uint64_t> {};

TEST_P(LedgerConsistency, WorklistAndWakeupAgreeWithTheReplayedViews) {
  auto opened = Database::open(":memory:");
  ASSERT_TRUE(opened.ok());
  Database& db = *opened;
  ASSERT_TRUE(db.put_policy(test::sample_policy()).ok());
  std::mt19937_64 rng(GetParam());
  const char* titles[] = {"设备停机", "希望系统升级", "价格优惠", "咨询培训", "x"};
  const char* channels[] = {"phone", "email", "complaint", "visit"};
  const char* types[] = {"acknowledged", "plan_sent", "started", "paused", "resumed", "resolved", "feedback",
                         "closed", "reopened", "reclassified", "reassigned", "merged_into", "note", "progress"};
  const int64_t base = test::shanghai(2025, 9, 22, 9);
  int64_t last = base;
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) {
    const std::string id = "R" + std::to_string(i);
    const int64_t received = base + static_cast<int64_t>(rng() % (20 * 86400));
    const std::string owner = std::string(1, static_cast<char>('a' + rng() % 3));
    ASSERT_TRUE(db.record_demand(R"({"id":")" + id + R"(","received_at":)" + std::to_string(received) +
                                 R"(,"channel":")" + channels[rng() % 4] + R"(","title":")" + titles[rng() % 5] +
                                 R"(","owner":")" + owner + R"("})")
                    .ok());
    ids.push_back(id);
    int64_t t = received;
    for (int e = 0; e < 6; ++e) {
      t += static_cast<int64_t>(rng() % (3 * 86400));
      const std::string type = types[rng() % std::size(types)];
      std::string extra = R"("reason":"r")";
      if (type == "feedback") extra = R"("satisfaction":3)";
      if (type == "reclassified") extra = R"("urgency":"urgent","reason":"r")";
      if (type == "reassigned") extra = R"("owner":"b")";
      if (type == "merged_into") extra = R"("into":")" + ids[rng() % ids.size()] + "\"";
      if (type == "acknowledged" || type == "plan_sent" || type == "started" || type == "resumed" ||
          type == "resolved" || type == "note" || type == "progress")
        extra.clear();
      const Status s = db.append_event(id, R"({"type":")" + type + R"(","at":)" + std::to_string(t) +
                                               R"(,"actor":"x")" + (extra.empty() ? "" : "," + extra) + "}");
      ASSERT_TRUE(s.ok() || s.code() == StatusCode::invalid_state || s.code() == StatusCode::invalid_argument)
          << s.to_string();
      if (s.ok()) last = std::max(last, t);
    }
  }
  for (const int64_t at : {last + 1, last + 3 * 86400, last + 40 * 86400}) {
    const int64_t due_before = at + 2 * 86400;
    std::set<std::tuple<std::string, std::string, std::string, int64_t, int64_t, int64_t>> expected, listed;
    int64_t wake = std::numeric_limits<int64_t>::max();
    for (const std::string& id : ids) {
      const json v = json::parse(*db.demand(id, at));
      if (v["state"] == "closed" || v["state"] == "merged") continue;
      for (const json& t : v["targets"]) {
        const std::string status = t["status"];
        if (status == "met" || status == "met_late" || status == "cancelled") continue;
        if (t.contains("ended_at")) continue;  // stopped (a progress round the resolution ended): nothing to do
        if (!t.contains("paused")) {
          for (const char* key : {"warn_at", "due_at"})
            if (t[key].get<int64_t>() > at) wake = std::min(wake, t[key].get<int64_t>());
          if (t.contains("escalations"))
            for (const json& step : t["escalations"])
              if (step["at"].get<int64_t>() > at) wake = std::min(wake, step["at"].get<int64_t>());
        }
        if (status == "pending" && t["due_at"].get<int64_t>() >= due_before) continue;
        expected.insert(std::make_tuple(id, t["name"].get<std::string>(), status, t["due_at"].get<int64_t>(),
                                        t["remaining_seconds"].get<int64_t>(), t["overrun_seconds"].get<int64_t>()));
      }
    }
    const json w = json::parse(*db.worklist(R"({"at":)" + std::to_string(at) + R"(,"due_before":)" +
                                            std::to_string(due_before) + "}"));
    for (const json& it : w["items"])
      listed.insert(std::make_tuple(it["demand"].get<std::string>(), it["target"].get<std::string>(),
                                    it["status"].get<std::string>(), it["due_at"].get<int64_t>(),
                                    it["remaining_seconds"].get<int64_t>(), it["overrun_seconds"].get<int64_t>()));
    EXPECT_EQ(listed, expected) << "at " << at;
    EXPECT_GT(expected.size(), 0u);
    // The same list in pages (paused demands among them), in the same order.
    const std::string head = R"({"at":)" + std::to_string(at) + R"(,"due_before":)" + std::to_string(due_before);
    for (const int size : {1, 5}) EXPECT_EQ(all_pages(db, head, size), w["items"]) << "at " << at << ", page_size " << size;
    auto next = db.next_wakeup(at);
    if (wake == std::numeric_limits<int64_t>::max()) EXPECT_EQ(next.status().code(), StatusCode::not_found);
    else EXPECT_EQ(*next, wake) << "at " << at;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, LedgerConsistency, ::testing::Values(42, 7, 2025, 31337, 1123, 9, 77, 500));

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// keep_elapsed, restart and continue, on a UTC office calendar (Mon-Fri 09:00-17:00).
TEST(LedgerClockRules, KeepElapsedRestartAndContinue) {
  auto opened = Database::open(":memory:");
  ASSERT_TRUE(opened.ok());
  Database& db = *opened;
  const std::string day = R"("09:00-17:00")";
  const Status stored = db.put_policy(R"({"name":"rules","version":"1",
    "calendars":{"office":{"time_zone":"UTC","hours":{"mon":)" + day + R"(,"tue":)" + day + R"(,"wed":)" + day +
                                       R"(,"thu":)" + day + R"(,"fri":)" + day + R"(}}},
    "defaults":{"urgency":"general","category":"other","nature":"functional"},
    "targets":[
      {"name":"reply","when":{"field":"urgency","eq":"urgent"},"within":{"working_hours":4},"met_by":"acknowledged","on_reclassify":"keep_elapsed"},
      {"name":"reply","within":{"working_hours":8},"met_by":"acknowledged","on_reclassify":"keep_elapsed"},
      {"name":"fix","within":{"working_hours":16},"met_by":"resolved","on_reopen":"continue"},
      {"name":"close_by","within":{"working_hours":40},"met_by":"closed","on_reclassify":"restart"}]})");
  ASSERT_TRUE(stored.ok()) << stored.to_string();
  const int64_t monday = test::utc(2025, 3, 3);
  const auto h = [&](int64_t day_offset, int64_t hour, int64_t minute = 0) {
    return monday + day_offset * 86400 + hour * 3600 + minute * 60;
  };
  ASSERT_TRUE(db.record_demand(R"({"id":"K","received_at":)" + std::to_string(h(0, 9)) + "}").ok());
  const auto target = [&](const json& v, const char* name) {
    for (const json& t : v["targets"])
      if (t["name"] == name) return t;
    return json();
  };
  json v = json::parse(*db.demand("K", h(0, 9)));
  EXPECT_EQ(target(v, "reply")["due_at"], h(0, 17));
  EXPECT_EQ(target(v, "fix")["due_at"], h(1, 17));

  // Made urgent at 11:00 after 2 of the 8 working hours: 2 of the urgent 4 are left (13:00), the
  // warning (80% of 4h = 3.2h) at 12:12; fix is recomputed from receipt (unchanged); close_by
  // restarts: 40 working hours from Monday 11:00 is the next Monday 11:00.
  ASSERT_TRUE(db.append_event("K", R"({"type":"reclassified","at":)" + std::to_string(h(0, 11)) +
                                       R"(,"actor":"a","urgency":"urgent","reason":"line down"})")
                  .ok());
  v = json::parse(*db.demand("K", h(0, 11)));
  EXPECT_EQ(target(v, "reply")["due_at"], h(0, 13));
  EXPECT_EQ(target(v, "reply")["warn_at"], h(0, 12, 12));
  EXPECT_EQ(target(v, "fix")["due_at"], h(1, 17));
  EXPECT_EQ(target(v, "close_by")["due_at"], h(7, 11));
  EXPECT_EQ(v["history"].size(), 3u);

  // Resolved Tuesday 10:00 after 9 of fix's 16 hours; reopened Wednesday 09:00: fix continues with
  // the 7 hours left, due Wednesday 16:00.
  ASSERT_TRUE(db.append_event("K", R"({"type":"resolved","at":)" + std::to_string(h(1, 10)) + R"(,"actor":"a"})").ok());
  ASSERT_TRUE(db.append_event("K", R"({"type":"reopened","at":)" + std::to_string(h(2, 9)) + R"(,"actor":"a"})").ok());
  v = json::parse(*db.demand("K", h(2, 9)));
  EXPECT_EQ(target(v, "fix")["start"], h(2, 9));
  EXPECT_EQ(target(v, "fix")["due_at"], h(2, 16));
  EXPECT_EQ(target(v, "fix")["status"], "pending");
  // Both post-resolution targets were replaced: fix (met) and close_by (restarted by default).
  ASSERT_EQ(v["history"].size(), 5u);
  EXPECT_EQ(v["history"][3]["name"], "fix");
  EXPECT_EQ(v["history"][3]["status"], "met");
  EXPECT_EQ(v["history"][3]["ended_by"], "reopened");
  EXPECT_EQ(v["history"][4]["name"], "close_by");
  EXPECT_EQ(target(v, "close_by")["due_at"], h(8, 17));  // 40 working hours from Wednesday 09:00: Tuesday 17:00
}

}  // namespace
}  // namespace crm

#include "ledger/event.hpp"
#include "mutations.hpp"

namespace crm {
namespace {

bool same_event(const detail::Event& a, const detail::Event& b) {
  return a.type == b.type && a.at == b.at && a.actor == b.actor && a.demand == b.demand && a.id == b.id &&
         detail::event_payload_json(a) == detail::event_payload_json(b);  // comment and every type's fields
}

// The direct event reader (no DOM) and the DOM reader agree on every input: whatever the direct
// one reads, the DOM one reads the same; the DOM one accepts the commonest events only as the
// direct one does, and richer ones (a reason, a score) the direct one leaves to it.
TEST(EventJson, TheDirectReaderAgreesWithTheDomReaderOnEveryInput) {
  const std::vector<std::string> seeds = {
      R"({"type":"acknowledged","at":1745000000,"actor":"li","demand":"D-1","id":"e-1","comment":"已联系客户"})",
      R"({"type":"resolved","at":1745000000,"actor":"li"})",
      R"({"type":"closed","at":1745000000,"actor":"li","reason":"done"})",
      R"({"type":"reopened","at":1745000000,"actor":"li"})",
      R"({"type":"paused","at":1745000000,"actor":"li","reason":"wait"})",
      R"({"type":"feedback","at":1745000000,"actor":"li","satisfaction":4})",
      R"({"type":"received","at":1745000000,"actor":"li"})",
      R"({"type":"note","at":1745000000,"actor":"li","comment":""})",
      R"({"type":"note","at":1745000000,"actor":""})",
      R"({"type":"note","at":1745000000,"actor":"a\u0007b"})",
      R"({"type":"note","at":1745000000})",
      R"({"type":"note","actor":"x"})",
      R"({"type":"note","at":1.5,"actor":"x"})",
      R"({"type":"note","at":18446744073709551615,"actor":"x"})",
      R"({"type":"note","at":1,"actor":"x","at":2})",
      R"({"type":null,"at":1,"actor":"x"})",
      R"({"type":"note","at":1,"actor":"x","demand":null})",
      R"({"type":"note","at":1,"actor":"x","extra":1})",
      R"({"type":"note","at":1,"actor":"x","comment":{"a":1}})",
      R"([{"type":"note","at":1,"actor":"x"}])",
      R"({"type":"started","at":1,"actor":"x"} 1)",
      "",
  };
  std::mt19937 rng(1616);
  const std::string alphabet = "{}[]\":,0123456789.-eE tfnul\\abcdr中";
  size_t accepted = 0, checked = 0;
  const auto check = [&](const std::string& text) {
    const std::optional<detail::Event> direct = detail::read_event_directly(text);
    auto parsed = detail::parse_json_strict(text, "event JSON");
    std::optional<Result<detail::Event>> dom;
    if (parsed.ok()) dom = detail::event_from_json(*parsed);
    if (direct) {
      ASSERT_TRUE(dom && dom->ok()) << text;
      EXPECT_TRUE(same_event(*direct, **dom)) << text;
      ++accepted;
    } else if (dom && dom->ok()) {
      // The DOM read it: then it has what the direct reader leaves alone (a field of its type's).
      const detail::EventType t = (*dom)->type;
      const bool plain_type = t == detail::EventType::acknowledged || t == detail::EventType::plan_sent ||
                              t == detail::EventType::started || t == detail::EventType::resumed ||
                              t == detail::EventType::resolved || t == detail::EventType::note ||
                              t == detail::EventType::closed || t == detail::EventType::reopened;
      EXPECT_TRUE(!plain_type || !(*dom)->reason.empty()) << text;
    }
    ++checked;
  };
  for (const std::string& seed : seeds) {
    check(seed);
    test::each_mutation(seed, 300, alphabet, rng, check);
  }
  EXPECT_GT(accepted, 100u);
  EXPECT_EQ(checked, seeds.size() * 301);
}

}  // namespace
}  // namespace crm
