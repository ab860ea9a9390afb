// SPDX-License-Identifier: Apache-2.0
// Policy documents: every condition form, first-wins order, manual decisions, every duration kind,
// warnings, explanations, validation errors with their JSON paths, determinism.
#include <gtest/gtest.h>

#include "crmpolicy/policy.hpp"
#include "store_fixture.hpp"
#include "test_time.hpp"

namespace crm {
namespace {

using test::shanghai;

// A policy around one rules/targets fragment, on the Shanghai office calendar.
std::string policy_with(const std::string& rules, const std::string& targets = "[]", const std::string& extra = "") {
  return R"({"name":"t","version":"1","calendars":{"office":{"time_zone":"Asia/Shanghai","base":"cn",
    "hours":{"mon":"09:00-12:00,13:30-18:00","tue":"09:00-12:00,13:30-18:00","wed":"09:00-12:00,13:30-18:00",
             "thu":"09:00-12:00,13:30-18:00","fri":"09:00-12:00,13:30-18:00"}},
    "always":{"time_zone":"UTC","hours":{"mon":"00:00-24:00","tue":"00:00-24:00","wed":"00:00-24:00",
             "thu":"00:00-24:00","fri":"00:00-24:00","sat":"00:00-24:00","sun":"00:00-24:00"}}},
    "default_calendar":"office","rules":)" +
         rules + R"(,"defaults":{"urgency":"general","category":"other","nature":"functional"},"targets":)" + targets +
         extra + "}";
}

Policy load(const std::string& json) {
  auto p = Policy::from_json(json);
  EXPECT_TRUE(p.ok()) << p.status().to_string();
  return std::move(*p);
}

Evaluation run(const Policy& p, const std::string& demand_fields, int64_t received = shanghai(2025, 6, 3, 10, 0)) {
  auto d = demand_from_json("{\"received_at\":" + std::to_string(received) +
                            (demand_fields.empty() ? "" : "," + demand_fields) + "}");
  EXPECT_TRUE(d.ok()) << d.status().to_string();
  auto e = p.evaluate(*d, true);
  EXPECT_TRUE(e.ok()) << e.status().to_string();
  return std::move(*e);
}

// Which urgency a single rule {"when": <condition>, "set": {"urgency":"urgent"}} gives a demand.
std::string urgency_for(const std::string& condition, const std::string& demand_fields) {
  const Policy p = load(policy_with(R"([{"name":"r","when":)" + condition + R"(,"set":{"urgency":"urgent"}}])"));
  return run(p, demand_fields).urgency.value;
}

TEST(PolicyConditions, FieldTests) {
  EXPECT_EQ(urgency_for(R"({"field":"channel","eq":"complaint"})", R"("channel":"complaint")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"field":"channel","eq":"complaint"})", R"("channel":"phone")"), "general");
  EXPECT_EQ(urgency_for(R"({"field":"channel","ne":"complaint"})", R"("channel":"phone")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"field":"customer.tier","in":["key","vip"]})", R"("customer":{"tier":"vip"})"), "urgent");
  EXPECT_EQ(urgency_for(R"({"field":"customer.tier","in":["key","vip"]})", R"("customer":{"tier":"std"})"), "general");
  EXPECT_EQ(urgency_for(R"({"field":"department","not_in":["sales"]})", R"("department":"service")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"field":"customer.size","eq":"large"})", R"("customer":{"size":"large"})"), "urgent");
  EXPECT_EQ(urgency_for(R"({"field":"labels.region","eq":"north"})", R"("labels":{"region":"north"})"), "urgent");
}

TEST(PolicyConditions, NumericComparisons) {
  const auto spend = [](const char* op, double limit, double value) {
    return urgency_for(std::string(R"({"field":"customer.annual_spend",")") + op + "\":" + std::to_string(limit) + "}",
                       "\"customer\":{\"annual_spend\":" + std::to_string(value) + "}");
  };
  EXPECT_EQ(spend("gte", 1000000, 1000000), "urgent");
  EXPECT_EQ(spend("gte", 1000000, 999999.5), "general");
  EXPECT_EQ(spend("gt", 1000000, 1000000), "general");
  EXPECT_EQ(spend("lt", 10, 9), "urgent");
  EXPECT_EQ(spend("lte", 10, 10), "urgent");
  EXPECT_EQ(spend("eq", 10, 10), "urgent");
  // A missing number satisfies no comparison.
  EXPECT_EQ(urgency_for(R"({"field":"customer.annual_spend","lt":1})", ""), "general");
  EXPECT_EQ(urgency_for(R"({"field":"received_at","gte":1748916000})", ""), "urgent");
}

TEST(PolicyConditions, KeywordsMatchUtf8SubstringsAndFoldAsciiCase) {
  EXPECT_EQ(urgency_for(R"({"text_any":["停机"]})", R"("text":"设备停机了")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["停机"]})", R"("title":"设备停机了")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["停机"]})", R"("text":"设备停了")"), "general");
  EXPECT_EQ(urgency_for(R"({"text_any":["Outage"]})", R"("text":"total OUTAGE now")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_all":["价格","折扣"]})", R"("text":"价格和折扣")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_all":["价格","折扣"]})", R"("text":"价格")"), "general");
  // Title and text are searched separately: no match across the boundary.
  EXPECT_EQ(urgency_for(R"({"text_any":["ab"]})", R"("title":"xa","text":"bx")"), "general");
  // Overlapping keywords are all found (Aho-Corasick outputs through failure links).
  EXPECT_EQ(urgency_for(R"({"text_all":["she","he","hers"],"match":"substring"})", R"("text":"ushers")"), "urgent");
}

// Issue 14 §4: texts and keywords compare after Traditional->Simplified (OpenCC), full-width ->
// half-width and case folding; Latin keywords match whole words unless asked for substrings.
TEST(PolicyConditions, KeywordsReadTraditionalChineseFullWidthFormsAndWholeWords) {
  // The seed's own text is traditional: 設備停機了 is 设备停机了.
  EXPECT_EQ(urgency_for(R"({"text_any":["停机"]})", R"("text":"設備停機了")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["停機"]})", R"("text":"设备停机了")"), "urgent");  // a traditional keyword
  EXPECT_EQ(urgency_for(R"({"text_any":["价格"]})", R"("title":"請問價格")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["软件"]})", R"("text":"軟體故障")"), "general");  // t2s is by character: 軟體 is 软体
  // Full-width letters, digits and punctuation are ASCII; the ideographic space is a space.
  EXPECT_EQ(urgency_for(R"({"text_any":["outage"]})", R"("text":"ＴＯＴＡＬ　ＯＵＴＡＧＥ")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["ＭＥＳ"]})", R"("text":"mes 系统")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["5g"]})", R"("text":"５Ｇ模块")"), "urgent");
  // Whole words for Latin ends; Chinese neighbours are boundaries.
  EXPECT_EQ(urgency_for(R"({"text_any":["down"]})", R"("text":"please download the manual")"), "general");
  EXPECT_EQ(urgency_for(R"({"text_any":["down"]})", R"("text":"line is down!")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["down"]})", R"("text":"系统down了")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["down"]})", R"("text":"shutdown")"), "general");
  EXPECT_EQ(urgency_for(R"({"text_any":["MES系统"]})", R"("text":"新MES系统上线")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["MES系统"]})", R"("text":"AMES系统")"), "general");
  EXPECT_EQ(urgency_for(R"({"text_any":["down"],"match":"substring"})", R"("text":"please download")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"text_any":["down"],"match":"word"})", R"("text":"please download")"), "general");
  // Within one policy a word keyword and the same keyword as a substring are two keywords.
  const Policy p = load(policy_with(R"([
    {"name":"word","when":{"text_any":["down"]},"set":{"urgency":"urgent"}},
    {"name":"part","when":{"text_any":["down"],"match":"substring"},"set":{"category":"service"}}])"));
  const Evaluation e = run(p, R"("text":"download")");
  EXPECT_EQ(e.urgency.value, "general");
  EXPECT_EQ(e.category.value, "service");
  // text_none folds too: 不緊急 is 不紧急.
  EXPECT_EQ(urgency_for(R"({"all":[{"text_any":["紧急"]},{"text_none":["不紧急"]}]})", R"("text":"此事不緊急")"), "general");
}

TEST(PolicyConditions, Combinations) {
  const char* both = R"({"all":[{"field":"channel","eq":"phone"},{"text_any":["急"]}]})";
  EXPECT_EQ(urgency_for(both, R"("channel":"phone","text":"很急")"), "urgent");
  EXPECT_EQ(urgency_for(both, R"("channel":"email","text":"很急")"), "general");
  const char* either = R"({"any":[{"field":"channel","eq":"phone"},{"text_any":["急"]}]})";
  EXPECT_EQ(urgency_for(either, R"("channel":"email","text":"很急")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"not":{"field":"channel","eq":"phone"}})", R"("channel":"email")"), "urgent");
  EXPECT_EQ(urgency_for(R"({"not":{"field":"channel","eq":"phone"}})", R"("channel":"phone")"), "general");
}

TEST(PolicyRules, FirstRuleToSetAnAttributeWinsAndDefaultsFillTheRest) {
  const Policy p = load(policy_with(R"([
    {"name":"a","when":{"text_any":["x"]},"set":{"urgency":"important"}},
    {"name":"b","when":{"text_any":["x"]},"set":{"urgency":"urgent","category":"price","labels":{"k":"v"}}},
    {"name":"c","set":{"labels":{"k":"w","z":"1"}}}])"));
  const Evaluation e = run(p, R"("text":"x")");
  EXPECT_EQ(e.urgency.value, "important");
  EXPECT_EQ(e.urgency.decision, Decision::rule);
  EXPECT_EQ(e.urgency.rule, "a");
  EXPECT_EQ(e.category.value, "price");
  EXPECT_EQ(e.category.rule, "b");
  EXPECT_EQ(e.nature.value, "functional");
  EXPECT_EQ(e.nature.decision, Decision::default_value);
  EXPECT_EQ(e.labels.at("k").value, "v");
  EXPECT_EQ(e.labels.at("z").rule, "c");
}

TEST(PolicyRules, ManualDecisionsAreKeptAndReported) {
  const Policy p = load(policy_with(R"([{"name":"a","set":{"urgency":"urgent","labels":{"k":"rule"}}}])"));
  const Evaluation e = run(p, R"("urgency":"general","labels":{"k":"manual"})");
  EXPECT_EQ(e.urgency.value, "general");
  EXPECT_EQ(e.urgency.decision, Decision::manual);
  EXPECT_EQ(e.labels.at("k").value, "manual");
  EXPECT_EQ(e.labels.at("k").decision, Decision::manual);
  EXPECT_NE(to_json(e).find(R"("urgency":{"value":"general","decision":"manual"})"), std::string::npos);
}

TEST(PolicyRules, LaterRulesSeeEarlierDecisions) {
  const Policy p = load(policy_with(R"([
    {"name":"a","when":{"text_any":["x"]},"set":{"urgency":"urgent"}},
    {"name":"b","when":{"field":"urgency","eq":"urgent"},"set":{"category":"service"}}])"));
  EXPECT_EQ(run(p, R"("text":"x")").category.value, "service");
  EXPECT_EQ(run(p, R"("text":"y")").category.value, "other");
}

// Due time of a single target with the given `within` for a demand received at `received`.
Evaluation one_target(const std::string& within, int64_t received, const std::string& extra = "") {
  const Policy p = load(policy_with("[]", R"([{"name":"t","within":)" + within + R"(,"met_by":"acknowledged")" +
                                              extra + "}]"));
  return run(p, "", received);
}

// Routing (issue 17 §3): routes see the final classification; the first route to set the
// department or the owner wins, a manual assignment wins over any route, defaults fill the rest.
const std::string kRoutes = R"(,"routes":[
    {"name":"complaints","when":{"field":"channel","eq":"complaint"},"assign":{"department":"客户服务部"}},
    {"name":"price","when":{"field":"category","eq":"price"},"assign":{"department":"销售部","owner":"chen"}},
    {"name":"outage","when":{"text_any":["停机"]},"assign":{"owner":"wang"}},
    {"name":"service","when":{"field":"category","eq":"service"},"assign":{"department":"售后服务部","owner":"li"}}])";

TEST(PolicyRouting, FirstRouteToAssignWinsOnTheFinalClassificationAndSaysWhichFired) {
  const Policy p = load(policy_with(R"([{"name":"money","when":{"text_any":["报价"]},"set":{"category":"price"}}])", "[]", kRoutes));
  // Classified price by a rule, then routed by the price route: the route sees the rule's decision.
  const Evaluation e = run(p, R"("title":"请提供报价")");
  EXPECT_EQ(e.department.value, "销售部");
  EXPECT_EQ(e.department.decision, Decision::rule);
  EXPECT_EQ(e.department.rule, "price");
  EXPECT_EQ(e.owner.value, "chen");
  EXPECT_EQ(e.owner.rule, "price");
  EXPECT_NE(to_json(e).find(R"("assignment":{"department":{"value":"销售部","decision":"rule","rule":"price"},)"
                            R"("owner":{"value":"chen","decision":"rule","rule":"price"}})"),
            std::string::npos) << to_json(e);
  // Each attribute is decided on its own: the complaint route sets the department, a later one the owner.
  const Evaluation c = run(p, R"("channel":"complaint","category":"service","title":"设备停机")");
  EXPECT_EQ(c.department.value, "客户服务部");
  EXPECT_EQ(c.department.rule, "complaints");
  EXPECT_EQ(c.owner.value, "wang");
  EXPECT_EQ(c.owner.rule, "outage");
  // Nothing matches: no default in the policy, so nobody (and says so).
  const Evaluation n = run(p, R"("title":"其他")");
  EXPECT_EQ(n.department.value, "");
  EXPECT_EQ(n.department.decision, Decision::default_value);
  EXPECT_EQ(n.owner.decision, Decision::default_value);
}

TEST(PolicyRouting, AManualAssignmentWinsAndDefaultsFillTheRest) {
  std::string text = policy_with("[]", "[]", kRoutes);
  const std::string defaults = R"("defaults":{"urgency":"general","category":"other","nature":"functional")";
  text.replace(text.find(defaults), defaults.size(), defaults + R"(,"department":"客户服务部","owner":"desk")");
  const Policy p = load(text);
  const Evaluation manual = run(p, R"("category":"price","department":"质量管理部")");
  EXPECT_EQ(manual.department.value, "质量管理部");
  EXPECT_EQ(manual.department.decision, Decision::manual);
  EXPECT_EQ(manual.owner.value, "chen");  // the owner is still routed
  const Evaluation fallback = run(p, R"("category":"other")");
  EXPECT_EQ(fallback.department.value, "客户服务部");
  EXPECT_EQ(fallback.department.decision, Decision::default_value);
  EXPECT_EQ(fallback.owner.value, "desk");
  // A policy without routes leaves a demand's own assignment as it was.
  const Evaluation plain = run(load(policy_with("[]")), R"("owner":"zhao","department":"sales")");
  EXPECT_EQ(plain.owner.value, "zhao");
  EXPECT_EQ(plain.owner.decision, Decision::manual);
  EXPECT_EQ(plain.department.value, "sales");
}

TEST(PolicyRouting, TheSamplePolicyRoutesProductServicePriceAndOtherNeedsToDepartments) {
  const Policy p = load(test::sample_policy());
  EXPECT_EQ(run(p, R"("channel":"phone","title":"希望系统升级，增加新功能")").department.value, "产品研发部");
  EXPECT_EQ(run(p, R"("channel":"phone","title":"生产线设备停机")").department.value, "售后服务部");
  EXPECT_EQ(run(p, R"("channel":"email","title":"价格能否再优惠一些")").department.value, "销售部");
  EXPECT_EQ(run(p, R"("channel":"email","title":"随便聊聊")").department.value, "客户服务部");
  EXPECT_EQ(run(p, R"("channel":"complaint","title":"价格太高")").department.value, "客户服务部");
  EXPECT_EQ(run(p, R"("channel":"email","title":"价格能否再优惠一些","department":"质量管理部")").department.value,
            "质量管理部");
}

// A route may hand a demand to the customer's own account owner (issue 17 §3): it assigns only
// when the customer has one, so a later route still catches the rest, and it shadows nothing.
TEST(PolicyRouting, AnAccountOwnerRouteAssignsTheCustomersOwnerWhenThereIsOne) {
  const Policy p = load(policy_with("[]", "[]", R"(,"routes":[
    {"name":"account","when":{"field":"channel","eq":"visit"},"assign":{"owner":{"from":"customer.owner"}}},
    {"name":"duty","assign":{"owner":"duty"}},
    {"name":"named","when":{"field":"customer.owner","eq":"liu"},"assign":{"department":"大客户部"}}])"));
  for (const std::string& warning : p.warnings()) EXPECT_EQ(warning.find("/routes/"), std::string::npos) << warning;
  const Evaluation own = run(p, R"("channel":"visit","customer":{"id":"C-1","owner":"liu"})");
  EXPECT_EQ(own.owner.value, "liu");
  EXPECT_EQ(own.owner.decision, Decision::rule);
  EXPECT_EQ(own.owner.rule, "account");
  EXPECT_EQ(own.department.value, "大客户部");  // customer.owner is a field conditions test too
  EXPECT_EQ(own.department.rule, "named");
  const Evaluation none = run(p, R"("channel":"visit","customer":{"id":"C-2"})");
  EXPECT_EQ(none.owner.value, "duty");
  EXPECT_EQ(none.owner.rule, "duty");
  EXPECT_EQ(run(p, R"("channel":"phone","customer":{"id":"C-1","owner":"liu"})").owner.value, "duty");
  const Evaluation manual = run(p, R"("channel":"visit","owner":"zhao","customer":{"owner":"liu"})");
  EXPECT_EQ(manual.owner.value, "zhao");
  EXPECT_EQ(manual.owner.decision, Decision::manual);

  // Only the customer's owner can be taken, and only as {"from": ...}.
  for (const char* assign : {R"({"owner":{"from":"customer.tier"}})", R"({"owner":{"from":"customer.owner","x":1}})",
                             R"({"department":{"from":"customer.owner"}})", R"({"owner":{}})"}) {
    auto bad = Policy::from_json(policy_with("[]", "[]", std::string(R"(,"routes":[{"name":"r","assign":)") + assign + "}]"));
    ASSERT_FALSE(bad.ok()) << assign;
    EXPECT_EQ(bad.status().code(), StatusCode::invalid_argument);
    EXPECT_NE(bad.status().message().find("/routes/0/assign/"), std::string::npos) << bad.status().message();
  }
  auto bad = Policy::from_json(policy_with("[]", "[]", R"(,"routes":[{"name":"r","assign":{"owner":{"from":"customer.tier"}}}])"));
  EXPECT_EQ(bad.status().message(),
            R"(/routes/0/assign/owner: expected an owner's name or {"from": "customer.owner"} (got {"from":"customer.tier"}))");
}

// The sample policy gives a key customer's demands to the customer's account owner.
TEST(PolicyRouting, TheSamplePolicyGivesKeyCustomersDemandsToTheirAccountOwner) {
  const Policy p = load(test::sample_policy());
  const Evaluation key = run(p, R"("channel":"phone","title":"价格能否再优惠一些","customer":{"owner":"liu","key":true})");
  EXPECT_EQ(key.owner.value, "liu");
  EXPECT_EQ(key.owner.rule, "account-owner");
  EXPECT_EQ(key.department.value, "销售部");
  EXPECT_EQ(run(p, R"("channel":"phone","title":"价格能否再优惠一些","customer":{"owner":"liu"})").owner.value, "");
}

TEST(PolicyDurations, EveryKind) {
  const int64_t tue = shanghai(2025, 6, 3, 11, 30);
  EXPECT_EQ(one_target(R"({"hours":2})", tue).targets[0].due_at, tue + 7200);
  EXPECT_EQ(one_target(R"({"minutes":90})", tue).targets[0].due_at, tue + 5400);
  EXPECT_EQ(one_target(R"({"working_hours":2})", tue).targets[0].due_at, shanghai(2025, 6, 3, 15, 0));
  EXPECT_EQ(one_target(R"({"working_minutes":45})", tue).targets[0].due_at, shanghai(2025, 6, 3, 13, 45));
  EXPECT_EQ(one_target(R"({"working_days":1})", tue).targets[0].due_at, shanghai(2025, 6, 4, 18, 0));
  EXPECT_EQ(one_target(R"({"days":4})", tue).targets[0].due_at, shanghai(2025, 6, 9, 18, 0));  // Sat -> Mon
  EXPECT_EQ(one_target(R"({"next_working_day_at":"10:00"})", tue).targets[0].due_at, shanghai(2025, 6, 4, 10, 0));
  // On a 24x7 calendar in UTC, working hours are clock hours.
  EXPECT_EQ(one_target(R"({"working_hours":30})", tue, R"(,"calendar":"always")").targets[0].due_at, tue + 30 * 3600);
}

TEST(PolicyDurations, CutoffCountsLateAndNonWorkingDayDemandsFromTheNextWorkingDay) {
  const char* within = R"({"working_days":1,"cutoff":"17:00"})";
  EXPECT_EQ(one_target(within, shanghai(2025, 6, 3, 16, 59)).targets[0].due_at, shanghai(2025, 6, 4, 18, 0));
  const Evaluation late = one_target(within, shanghai(2025, 6, 3, 17, 0));
  EXPECT_EQ(late.targets[0].start, shanghai(2025, 6, 4, 9, 0));
  EXPECT_EQ(late.targets[0].due_at, shanghai(2025, 6, 5, 18, 0));
  // Saturday: as if received on Monday, so due Tuesday (without the cut-off: Monday).
  EXPECT_EQ(one_target(within, shanghai(2025, 6, 7, 10, 0)).targets[0].due_at, shanghai(2025, 6, 10, 18, 0));
  EXPECT_EQ(one_target(R"({"working_days":1})", shanghai(2025, 6, 7, 10, 0)).targets[0].due_at,
            shanghai(2025, 6, 9, 18, 0));
}

TEST(PolicyTargets, WarnTimeIsAShareOfWorkingTimeAndAlwaysWorking) {
  // 2 working hours from 11:30 with lunch: due 15:00; 80% = 96 minutes -> 14:36.
  Evaluation e = one_target(R"({"working_hours":2})", shanghai(2025, 6, 3, 11, 30));
  EXPECT_EQ(e.targets[0].warn_at, shanghai(2025, 6, 3, 14, 36));
  // 24 clock hours from Friday 20:00: only Monday's hours... none before Saturday 20:00, so warn = due.
  e = one_target(R"({"hours":24})", shanghai(2025, 6, 6, 20, 0));
  EXPECT_EQ(e.targets[0].working_seconds, 0);
  EXPECT_EQ(e.targets[0].warn_at, e.targets[0].due_at);
  // 72 clock hours from Friday 20:00 reach Monday 20:00: 7.5 working hours; half of them, 3h45m,
  // have passed on Monday at 14:15 (09:00-12:00, then 45 minutes after lunch).
  e = one_target(R"({"hours":72})", shanghai(2025, 6, 6, 20, 0), R"(,"warn_at":0.5)");
  EXPECT_EQ(e.targets[0].working_seconds, 7 * 3600 + 1800);
  EXPECT_EQ(e.targets[0].warn_at, shanghai(2025, 6, 9, 14, 15));
}

TEST(PolicyTargets, FirstApplicableTargetOfEachNameWins) {
  const Policy p = load(policy_with(R"([{"name":"r","when":{"text_any":["急"]},"set":{"urgency":"urgent"}}])",
                                    R"([{"name":"resolution","when":{"field":"urgency","eq":"urgent"},
                                         "within":{"working_days":1},"met_by":"resolved"},
                                        {"name":"resolution","within":{"days":30},"met_by":"resolved"}])"));
  EXPECT_EQ(run(p, R"("text":"急")").targets.size(), 1u);
  EXPECT_EQ(run(p, R"("text":"急")").targets[0].within, R"({"working_days":1})");
  EXPECT_EQ(run(p, R"("text":"慢")").targets[0].within, R"({"days":30})");
}

TEST(PolicyExplain, TraceShowsHolidaysWeekendsAndCountedSpans) {
  // 48 working hours from 2025-09-30 16:00 land on 2025-10-16, 16 days later: the trace says why
  // (2 hours on Sep 30, the holiday week, 7.5 hours a day on Oct 9, 10, 11 (make-up), 13, 14, 15).
  const Evaluation e = one_target(R"({"working_hours":48})", shanghai(2025, 9, 30, 16, 0));
  EXPECT_EQ(e.targets[0].due_at, shanghai(2025, 10, 16, 10, 0));
  const auto& trace = e.targets[0].trace;
  ASSERT_GE(trace.size(), 4u);
  EXPECT_EQ(trace[0].from, "2025-09-30");
  EXPECT_EQ(trace[0].counted, (std::vector<std::string>{"16:00-18:00"}));
  EXPECT_EQ(trace[1].from, "2025-10-01");
  EXPECT_EQ(trace[1].to, "2025-10-08");
  EXPECT_EQ(trace[1].day, "holiday");
  EXPECT_EQ(trace[1].name, "国庆节、中秋节");
  EXPECT_EQ(trace[4].from, "2025-10-11");
  EXPECT_EQ(trace[4].day, "makeup_workday");
  EXPECT_EQ(trace[5].day, "weekly_off");  // Sunday 2025-10-12
  EXPECT_EQ(trace.back().counted, (std::vector<std::string>{"09:00-10:00"}));
  int64_t total = 0;
  for (const auto& d : trace) total += d.seconds;
  EXPECT_EQ(total, 48 * 3600);
  const std::string json = to_json(e);
  EXPECT_NE(json.find(R"({"from":"2025-10-01","to":"2025-10-08","day":"holiday","name":"国庆节、中秋节","counted":[],"seconds":0})"),
            std::string::npos)
      << json;
}

TEST(PolicyEvaluation, DeterministicBytes) {
  const Policy p = load(policy_with(R"([{"name":"r","when":{"text_any":["急"]},"set":{"urgency":"urgent"}}])",
                                    R"([{"name":"t","within":{"working_days":2},"met_by":"resolved"}])"));
  const std::string a = to_json(run(p, R"("id":"D1","text":"急")"));
  const std::string b = to_json(run(p, R"("id":"D1","text":"急")"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.rfind(R"({"policy":{"name":"t","version":"1"},"demand":{"id":"D1",)", 0), 0u) << a;
}

TEST(PolicyEvaluation, OutOfRangeReceiptIsAnError) {
  const Policy p = load(policy_with("[]", R"([{"name":"t","within":{"days":1},"met_by":"resolved"}])"));
  auto d = demand_from_json(R"({"received_at":-999999999})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(p.evaluate(*d).status().code(), StatusCode::out_of_range);
}

TEST(PolicyWarnings, RulesThatCanNeverFire) {
  const Policy p = load(policy_with(R"([
    {"name":"broad","when":{"field":"channel","in":["phone","email"]},"set":{"urgency":"important"}},
    {"name":"narrow","when":{"all":[{"field":"channel","eq":"phone"},{"text_any":["急"]}]},"set":{"urgency":"urgent"}},
    {"name":"fine","when":{"field":"channel","eq":"visit"},"set":{"urgency":"urgent"}},
    {"name":"catch-all","set":{"category":"service"}},
    {"name":"dead","when":{"text_any":["价格"]},"set":{"category":"price","nature":"non_functional"}},
    {"name":"big","when":{"field":"customer.annual_spend","gte":100},"set":{"labels":{"a":"b"}}},
    {"name":"bigger","when":{"field":"customer.annual_spend","gt":500},"set":{"labels":{"a":"c"}}}])"));
  std::vector<std::string> w;  // the rules' warnings, after the calendar's data horizon
  for (const std::string& warning : p.warnings())
    if (warning.find("/calendars/") != 0) w.push_back(warning);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_NE(w[0].find("\"narrow\" can never set urgency"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("\"broad\""), std::string::npos);
  EXPECT_NE(w[1].find("\"dead\" can never set category"), std::string::npos) << w[1];
  EXPECT_NE(w[2].find("\"bigger\" can never set labels.a"), std::string::npos) << w[2];
}

// Routes are checked like rules: one that can never assign an attribute an earlier, broader
// route assigns is a warning; one that still assigns the other attribute is not, for that one.
TEST(PolicyWarnings, RoutesThatCanNeverAssignAreNamed) {
  const Policy p = load(policy_with("[]", "[]", R"(,"routes":[
    {"name":"complaints","when":{"field":"channel","eq":"complaint"},"assign":{"department":"客户服务部"}},
    {"name":"angry","when":{"all":[{"field":"channel","eq":"complaint"},{"text_any":["投诉"]}]},
     "assign":{"department":"质量部","owner":"zhou"}},
    {"name":"everyone","assign":{"owner":"duty"}},
    {"name":"late","when":{"field":"channel","eq":"phone"},"assign":{"owner":"li"}}])"));
  std::vector<std::string> w;
  for (const std::string& warning : p.warnings())
    if (warning.find("/calendars/") != 0) w.push_back(warning);
  ASSERT_EQ(w.size(), 2u) << (w.empty() ? "" : w[0]);
  EXPECT_EQ(w[0], "/routes/1: route \"angry\" can never set department: the earlier route \"complaints\" sets it "
                  "whenever this one applies (same or broader condition)");
  EXPECT_NE(w[1].find("/routes/3: route \"late\" can never set owner: the earlier route \"everyone\""), std::string::npos) << w[1];
}

// Dominated rules see substring keywords (issue 14 §4): 停机了 behind 停机, download behind a
// substring down, not behind a word down; traditional keywords fold first.
TEST(PolicyWarnings, SubstringKeywordsDominate) {
  const auto warnings = [](const std::string& rules) {
    std::vector<std::string> w;
    const Policy p = load(policy_with(rules));
    for (const std::string& warning : p.warnings())
      if (warning.find("/calendars/") != 0) w.push_back(warning);
    return w;
  };
  auto w = warnings(R"([{"name":"a","when":{"text_any":["停机","宕机"]},"set":{"urgency":"urgent"}},
                        {"name":"b","when":{"text_any":["设备停机了","停機"]},"set":{"urgency":"important"}}])");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("\"b\" can never set urgency"), std::string::npos) << w[0];
  EXPECT_TRUE(warnings(R"([{"name":"a","when":{"text_any":["down"]},"set":{"urgency":"urgent"}},
                           {"name":"b","when":{"text_any":["download"]},"set":{"urgency":"important"}}])").empty());
  EXPECT_EQ(warnings(R"([{"name":"a","when":{"text_any":["down"],"match":"substring"},"set":{"urgency":"urgent"}},
                         {"name":"b","when":{"text_any":["download"]},"set":{"urgency":"important"}}])").size(), 1u);
  EXPECT_EQ(warnings(R"([{"name":"a","when":{"text_any":["down"]},"set":{"urgency":"urgent"}},
                         {"name":"b","when":{"text_any":["line down now"]},"set":{"urgency":"important"}}])").size(), 1u);
  // text_all: every keyword of the earlier rule found inside the later one's.
  EXPECT_EQ(warnings(R"([{"name":"a","when":{"text_all":["价格","折扣"]},"set":{"category":"price"}},
                         {"name":"b","when":{"text_all":["价格表","折扣率"]},"set":{"category":"other"}}])").size(), 1u);
  // A matched text is not dominated by a broader one that fires on fewer texts.
  EXPECT_TRUE(warnings(R"([{"name":"a","when":{"text_any":["设备停机了"]},"set":{"urgency":"urgent"}},
                           {"name":"b","when":{"text_any":["停机"]},"set":{"urgency":"important"}}])").empty());
}

struct BadPolicy {
  const char* name;
  std::string json;
  std::vector<const char*> parts;
};
void PrintTo(const BadPolicy& b, std::ostream* os) { *os << b.name; }

const std::string kTarget = R"({"name":"t","within":{"working_days":1},"met_by":"resolved"})";
std::string esc(const std::string& steps) {
  return R"([{"name":"t","within":{"working_hours":2},"met_by":"acknowledged","escalation":)" + steps + "}]";
}
std::vector<BadPolicy> bad_policies() {
  return {
      {"unknown_root_key", policy_with("[]", "[]", R"(,"rulez":[])"), {"/rulez", "unknown key"}},
      {"bad_match", policy_with(R"([{"name":"r","when":{"text_any":["x"],"match":"fuzzy"},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/match", "expected word or substring", "fuzzy"}},
      {"key_beside_keywords", policy_with(R"([{"name":"r","when":{"text_all":["x"],"field":"id"},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/field", "unknown key beside \"text_all\""}},
      {"missing_version", R"({"name":"t","calendars":{}})", {"/version", "missing"}},
      {"unknown_locale", policy_with("[]", "[]", R"(,"locale":"zh")"), {"/locale", "en", "zh-CN"}},
      {"bad_calendar", R"({"name":"t","version":"1","calendars":{"x":{"time_zone":"UTC","hours":{"mon":"9-5"}}}})",
       {"/calendars/x/hours/mon", "HH:MM"}},
      {"unknown_zone", R"({"name":"t","version":"1","calendars":{"x":{"time_zone":"Moon/Base","hours":{}}}})",
       {"/calendars/x", "Moon/Base"}},
      {"two_calendars_no_default",
       R"({"name":"t","version":"1","calendars":{"a":{"time_zone":"UTC","hours":{}},"b":{"time_zone":"UTC","hours":{}}}})",
       {"/default_calendar", "missing"}},
      {"unknown_field", policy_with(R"([{"name":"r","when":{"field":"customer.vip","eq":"x"},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/field", "customer.vip"}},
      {"unknown_enum", policy_with(R"([{"name":"r","when":{"field":"channel","eq":"fax"},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/eq", "fax", "visit"}},
      {"unknown_enum_in_list",
       policy_with(R"([{"name":"r","when":{"field":"urgency","in":["urgent","asap"]},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/in/1", "asap"}},
      {"numeric_on_text", policy_with(R"([{"name":"r","when":{"field":"owner","gt":3},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/gt", "numeric field"}},
      {"unknown_operator", policy_with(R"([{"name":"r","when":{"field":"owner","like":"a"},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/like", "unknown operator"}},
      {"empty_all", policy_with(R"([{"name":"r","when":{"all":[]},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/all", "non-empty"}},
      {"empty_keyword", policy_with(R"([{"name":"r","when":{"text_any":[""]},"set":{"urgency":"urgent"}}])"),
       {"/rules/0/when/text_any/0", "non-empty"}},
      {"bad_set_value", policy_with(R"([{"name":"r","set":{"urgency":"asap"}}])"), {"/rules/0/set/urgency", "asap"}},
      {"routes_not_array", policy_with("[]", "[]", R"(,"routes":{})"), {"/routes", "expected an array of routes"}},
      {"escalation_not_array", policy_with("[]", esc("{}")), {"/targets/0/escalation", "1 to 16 escalation steps"}},
      {"escalation_bad_on", policy_with("[]", esc(R"([{"on":"late","notify":["owner"]}])")),
       {"/targets/0/escalation/0/on", "expected warn or due", "late"}},
      {"escalation_without_notify", policy_with("[]", esc(R"([{"on":"due"}])")), {"/targets/0/escalation/0/notify", "1 to 16 recipients"}},
      {"escalation_bad_recipient", policy_with("[]", esc(R"([{"on":"due","notify":["boss"]}])")),
       {"/targets/0/escalation/0/notify/0", "department:<role>", "boss"}},
      {"escalation_empty_role", policy_with("[]", esc(R"([{"on":"due","notify":["role:"]}])")),
       {"/targets/0/escalation/0/notify/0", "role:<name>"}},
      {"escalation_every_without_repeat", policy_with("[]", esc(R"([{"on":"due","every":{"hours":1},"notify":["owner"]}])")),
       {"/targets/0/escalation/0/repeat", "missing", "1 to 100"}},
      {"escalation_unbounded_repeat",
       policy_with("[]", esc(R"([{"on":"due","every":{"hours":1},"repeat":1000,"notify":["owner"]}])")),
       {"/targets/0/escalation/0/repeat", "1 to 100"}},
      {"escalation_repeat_without_every", policy_with("[]", esc(R"([{"on":"due","repeat":2,"notify":["owner"]}])")),
       {"/targets/0/escalation/0/repeat", "only with every"}},
      {"escalation_bad_after", policy_with("[]", esc(R"([{"on":"due","after":{"fortnights":1},"notify":["owner"]}])")),
       {"/targets/0/escalation/0/after"}},
      {"escalation_unknown_key", policy_with("[]", esc(R"([{"on":"due","notify":["owner"],"cc":"x"}])")),
       {"/targets/0/escalation/0/cc", "unknown key"}},
      {"route_without_assign", policy_with("[]", "[]", R"(,"routes":[{"name":"r"}])"), {"/routes/0/assign", "department, owner"}},
      {"route_unknown_assign", policy_with("[]", "[]", R"(,"routes":[{"name":"r","assign":{"team":"x"}}])"),
       {"/routes/0/assign/team", "unknown key", "department or owner"}},
      {"route_empty_owner", policy_with("[]", "[]", R"(,"routes":[{"name":"r","assign":{"owner":""}}])"),
       {"/routes/0/assign/owner", "non-empty name"}},
      {"route_bad_condition", policy_with("[]", "[]", R"(,"routes":[{"name":"r","when":{"field":"channel","eq":"fax"},"assign":{"owner":"a"}}])"),
       {"/routes/0/when/eq", "fax"}},
      {"duplicate_route", policy_with("[]", "[]", R"(,"routes":[{"name":"r","assign":{"owner":"a"}},{"name":"r","assign":{"owner":"b"}}])"),
       {"/routes/1/name", "unique"}},
      {"duplicate_rule", policy_with(R"([{"name":"r","set":{"urgency":"urgent"}},{"name":"r","set":{"nature":"functional"}}])"),
       {"/rules/1/name", "unique"}},
      {"missing_defaults", R"({"name":"t","version":"1","calendars":{"x":{"time_zone":"UTC","hours":{}}}})",
       {"/defaults", "missing"}},
      {"negative_duration", policy_with("[]", R"([{"name":"t","within":{"working_days":-1},"met_by":"resolved"}])"),
       {"/targets/0/within/working_days", "positive"}},
      {"zero_duration", policy_with("[]", R"([{"name":"t","within":{"hours":0},"met_by":"resolved"}])"),
       {"/targets/0/within/hours", "positive"}},
      {"fractional_duration", policy_with("[]", R"([{"name":"t","within":{"hours":1.5},"met_by":"resolved"}])"),
       {"/targets/0/within/hours", "whole number"}},
      {"two_durations", policy_with("[]", R"([{"name":"t","within":{"hours":1,"days":1},"met_by":"resolved"}])"),
       {"/targets/0/within", "exactly one"}},
      {"empty_within", policy_with("[]", R"([{"name":"t","within":{},"met_by":"resolved"}])"),
       {"/targets/0/within", "expected one of"}},
      {"cutoff_on_hours", policy_with("[]", R"([{"name":"t","within":{"hours":1,"cutoff":"17:00"},"met_by":"resolved"}])"),
       {"/targets/0/within/cutoff", "working_days only"}},
      {"bad_cutoff", policy_with("[]", R"([{"name":"t","within":{"working_days":1,"cutoff":"5pm"},"met_by":"resolved"}])"),
       {"/targets/0/within/cutoff", "5pm"}},
      {"unknown_calendar", policy_with("[]", R"([{"name":"t","within":{"days":1},"calendar":"mars","met_by":"resolved"}])"),
       {"/targets/0/calendar", "mars"}},
      {"unknown_event", policy_with("[]", R"([{"name":"t","within":{"days":1},"met_by":"emailed"}])"),
       {"/targets/0/met_by", "emailed", "no such ledger event"}},
      {"bad_warn_at", policy_with("[]", R"([{"name":"t","within":{"days":1},"met_by":"resolved","warn_at":1.2}])"),
       {"/targets/0/warn_at", "1.2"}},
      {"third_target_path", policy_with("[]", "[" + kTarget + "," + kTarget + R"(,{"name":"t","within":5,"met_by":"resolved"}])"),
       {"/targets/2/within", "got 5"}},
      {"unknown_metric", policy_with("[]", "[]", R"(,"goals":[{"metric":"happiness","min":0.9}])"),
       {"/goals/0/metric", "happiness"}},
      {"goal_out_of_range", policy_with("[]", "[]", R"(,"goals":[{"metric":"timeliness","min":95}])"),
       {"/goals/0/min", "between 0 and 1"}},
      {"goal_unknown_target", policy_with("[]", "[]", R"(,"goals":[{"metric":"timeliness","min":0.9,"target":"x"}])"),
       {"/goals/0/target", "no target"}},
      {"malformed", "{\"name\":", {"malformed JSON"}},
  };
}

class BadPolicies : public ::testing::TestWithParam<BadPolicy> {};

TEST_P(BadPolicies, RejectedWithPathAndValue) {
  auto p = Policy::from_json(GetParam().json);
  ASSERT_FALSE(p.ok());
  for (const char* part : GetParam().parts)
    EXPECT_NE(p.status().message().find(part), std::string::npos)
        << "message \"" << p.status().message() << "\" lacks \"" << part << "\"";
}

INSTANTIATE_TEST_SUITE_P(Validation, BadPolicies, ::testing::ValuesIn(bad_policies()),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

struct BadDemand {
  const char* name;
  const char* json;
  const char* path;
};
void PrintTo(const BadDemand& b, std::ostream* os) { *os << b.name; }

const BadDemand kBadDemands[] = {
    {"missing_received_at", R"({"id":"x"})", "/received_at"},
    {"received_at_string", R"({"received_at":"2025-06-03"})", "/received_at"},
    {"received_at_fraction", R"({"received_at":1.5})", "/received_at"},
    {"unknown_channel", R"({"received_at":0,"channel":"fax"})", "/channel"},
    {"unknown_urgency", R"({"received_at":0,"urgency":"asap"})", "/urgency"},
    {"title_not_string", R"({"received_at":0,"title":7})", "/title"},
    {"unknown_key", R"({"received_at":0,"priority":"high"})", "/priority"},
    {"customer_not_object", R"({"received_at":0,"customer":"acme"})", "/customer"},
    {"customer_unknown_key", R"({"received_at":0,"customer":{"vip":true}})", "/customer/vip"},
    {"bad_size", R"({"received_at":0,"customer":{"size":"huge"}})", "/customer/size"},
    {"negative_spend", R"({"received_at":0,"customer":{"annual_spend":-1}})", "/customer/annual_spend"},
    {"label_not_string", R"({"received_at":0,"labels":{"a":1}})", "/labels/a"},
    {"explain_not_bool", R"({"received_at":0,"explain":"yes"})", "/explain"},
    {"invalid_utf8", "{\"received_at\":0,\"title\":\"\xc3\x28\"}", "malformed JSON"},
    {"not_an_object", "[1]", "a demand is a JSON object"},
};

class BadDemands : public ::testing::TestWithParam<BadDemand> {};

TEST_P(BadDemands, RejectedNamingTheField) {
  auto d = demand_from_json(GetParam().json);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(d.status().message().find(GetParam().path), std::string::npos) << d.status().message();
}

INSTANTIATE_TEST_SUITE_P(Validation, BadDemands, ::testing::ValuesIn(kBadDemands),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace crm

#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"

namespace crm {
namespace {

TEST(JsonWriter, EscapesAndRepairsStrings) {
  std::string out;
  detail::JsonWriter w(out);
  w.begin_object().key("a\"b").value("line\nbreak\\ \x01").key("utf8").value("停机").key("bad").value("x\xff\xc3(y");
  w.key("n").value(int64_t{-42}).key("list").begin_array().value("1").raw("{\"k\":2}").end_array().end_object();
  EXPECT_EQ(out, "{\"a\\\"b\":\"line\\nbreak\\\\ \\u0001\",\"utf8\":\"停机\",\"bad\":\"x\xEF\xBF\xBD\xEF\xBF\xBD(y\","
                 "\"n\":-42,\"list\":[\"1\",{\"k\":2}]}");
  EXPECT_TRUE(nlohmann::json::accept(out));
}

TEST(PolicyEvaluation, ResultIsValidJsonEvenWithBadBytesFromCxx) {
  const Policy p = load(policy_with("[]"));
  Demand d;
  d.id = "bad\xc0id";
  d.received_at = shanghai(2025, 6, 3, 10, 0);
  auto e = p.evaluate(d);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(nlohmann::json::accept(to_json(*e)));
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

TEST(PolicyConditions, TextNoneExcludesTexts) {
  const Policy p = *Policy::from_json(R"({"name":"x","version":"1",
      "calendars":{"utc":{"time_zone":"UTC","hours":{"mon":"09:00-17:00"}}},
      "rules":[{"name":"calm","when":{"text_none":["急","停机"]},"set":{"urgency":"general"}},
               {"name":"rest","set":{"urgency":"urgent"}}],
      "defaults":{"urgency":"general","category":"other","nature":"functional"},
      "targets":[{"name":"t","within":{"hours":1},"met_by":"acknowledged"}]})");
  Demand d;
  d.received_at = 1745000000;
  d.text = "咨询培训";
  EXPECT_EQ(p.evaluate(d)->urgency.rule, "calm");
  d.text = "设备停机";
  EXPECT_EQ(p.evaluate(d)->urgency.rule, "rest");
  EXPECT_EQ(Policy::from_json(R"({"name":"x","version":"1","calendars":{"utc":{"time_zone":"UTC","hours":{"mon":"09:00-17:00"}}},
      "rules":[{"name":"r","when":{"text_none":[]},"set":{"urgency":"urgent"}}],
      "defaults":{"urgency":"general","category":"other","nature":"functional"}})").status().message().find("/rules/0/when/text_none"),
            0u);
}

}  // namespace
}  // namespace crm

#include <random>

#include "demand_equal.hpp"
#include "mutations.hpp"
#include "policy/demand_json.hpp"

namespace crm {
namespace {

// The direct reader (no DOM) and the DOM reader agree on every input, for demands to evaluate and
// demands the ledger stores: whatever the direct one
// returns, the DOM one returns too, and the DOM one accepts nothing the direct one refuses. Hand-
// made variants first (each rule of the format broken once), then random mutations of them.
TEST(DemandJson, TheDirectReaderAgreesWithTheDomReaderOnEveryInput) {
  const std::vector<std::string> seeds = {
      R"({"id":"D-1","received_at":1735700000,"channel":"phone","title":"客户需求","text":"生产线设备停机，请尽快维修","department":"service","owner":"wang","customer":{"id":"C-1","tier":"small","annual_spend":1000.5,"key":true,"size":"large","industry":"制造"},"labels":{"region":"华东","b":"x"},"explain":true})",
      R"({"received_at":1735700000})",
      R"({"received_at":1735700000,"id":null,"customer":null,"labels":null,"category":"price","nature":"functional","urgency":"urgent"})",
      R"({"received_at":1735700000,"customer":{"id":null,"annual_spend":null,"key":null}})",
      R"({"received_at":1735700000,"explain":null})",
      R"({"received_at":null})",
      R"({"received_at":1.5})",
      R"({"received_at":"1735700000"})",
      R"({"received_at":18446744073709551615})",
      R"({"received_at":1,"received_at":2})",
      R"({"received_at":1,"channel":"fax"})",
      R"({"received_at":1,"id":"a\u0001b"})",
      R"({"received_at":1,"customer":{"annual_spend":-1}})",
      R"({"received_at":1,"customer":{"annual_spend":18446744073709551615}})",
      R"({"received_at":1,"customer":{"id":"x","id":"y"}})",
      R"({"received_at":1,"customer":{"vip":true}})",
      R"({"received_at":1,"labels":{"a":""}})",
      R"({"received_at":1,"labels":{"":"x"}})",
      R"({"received_at":1,"labels":{"a":"x","a":"y"}})",
      R"({"received_at":1,"labels":{"a":null}})",
      R"({"received_at":1,"labels":{"a":{"b":1}}})",
      R"({"received_at":1,"policy":"p"})",
      R"({"received_at":1,"policy":"p","policy_version":"2025.1","actor":"li","id":"S-1","text":"x"})",
      R"({"received_at":1,"policy":null})",
      R"({"received_at":1,"actor":""})",
      R"({"received_at":1,"policy_version":"a\nb"})",
      R"({"received_at":1,"unknown":1})",
      R"({"received_at":1,"text":["a"]})",
      R"([{"received_at":1}])",
      R"({"received_at":1} {"received_at":2})",
      "{\"received_at\":1,\"title\":\"\xff\"}",
      "",
      "null",
  };
  std::mt19937 rng(16);
  const std::string alphabet = "{}[]\":,0123456789.-eE tfnul\\abc中";
  size_t checked = 0, accepted = 0;
  const auto check = [&](const std::string& text) {
    for (const bool stored : {false, true}) {  // a demand to evaluate, and one the ledger stores
      detail::DemandExtras direct_extras, extras;
      const std::optional<Demand> direct = detail::read_demand_directly(text, stored, direct_extras);
      auto parsed = detail::parse_json_strict(text, "demand JSON");
      std::optional<Result<Demand>> dom;
      if (parsed.ok()) dom = detail::demand_from_json_value(*parsed, stored, extras);
      const bool dom_ok = dom && dom->ok();
      ASSERT_EQ(direct.has_value(), dom_ok) << (stored ? "stored: " : "") << text;
      if (direct) {
        EXPECT_TRUE(test::same_demand(*direct, **dom)) << text;
        EXPECT_EQ(direct_extras.explain, extras.explain) << text;
        EXPECT_EQ(direct_extras.policy, extras.policy) << text;
        EXPECT_EQ(direct_extras.policy_version, extras.policy_version) << text;
        EXPECT_EQ(direct_extras.actor, extras.actor) << text;
        ++accepted;
      }
    }
    ++checked;
  };
  for (const std::string& seed : seeds) {
    check(seed);
    test::each_mutation(seed, 300, alphabet, rng, check);
  }
  EXPECT_GT(accepted, 100u);  // the mutations kept enough documents valid to compare the readers' demands
  EXPECT_EQ(checked, seeds.size() * 301);
}

}  // namespace
}  // namespace crm
