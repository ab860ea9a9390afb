// SPDX-License-Identifier: Apache-2.0
// The sample policies against hand-checked demands: classification and every due time.
// Local times are Asia/Shanghai (demand-management) or America/New_York (support-desk-24x7).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crmpolicy/policy.hpp"
#include "test_time.hpp"

namespace crm {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const Policy& sample(int which) {
  static const Policy cn = *Policy::from_json(read(CRMPOLICY_DATA_DIR "/policies/demand-management.json"));
  static const Policy us = *Policy::from_json(read(CRMPOLICY_DATA_DIR "/policies/support-desk-24x7.json"));
  return which == 0 ? cn : us;
}

struct Case {
  const char* name;
  int policy;  // 0: demand-management (Shanghai), 1: support-desk-24x7 (New York)
  int64_t received;
  const char* fields;  // extra demand JSON fields
  const char* urgency;
  const char* category;
  const char* nature;
  std::vector<std::pair<const char*, const char*>> due;  // target -> due_local
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

using test::shanghai;
constexpr int64_t new_york_edt(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi) {
  return test::utc(y, mo, d, h, mi) + 4 * 3600;
}
constexpr int64_t new_york_est(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi) {
  return test::utc(y, mo, d, h, mi) + 5 * 3600;
}

const Case kCases[] = {
    // --- demand-management: urgent faults, first response within 2 working hours ---
    {"fault_before_national_day", 0, shanghai(2025, 9, 30, 16, 0), R"("title":"设备停机了")", "urgent", "service",
     "functional", {{"first_response", "2025-09-30T18:00:00+08:00"}, {"resolution", "2025-10-11T18:00:00+08:00"}}},
    {"fault_across_national_day", 0, shanghai(2025, 9, 30, 17, 0), R"("text":"系统宕机")", "urgent", "service",
     "functional", {{"first_response", "2025-10-09T10:00:00+08:00"}, {"resolution", "2025-10-11T18:00:00+08:00"}}},
    {"fault_into_makeup_saturday", 0, shanghai(2025, 10, 10, 17, 0), R"("text":"软件无法使用")", "urgent", "service",
     "functional", {{"first_response", "2025-10-11T10:00:00+08:00"}, {"resolution", "2025-10-14T18:00:00+08:00"}}},
    {"fault_across_lunch", 0, shanghai(2025, 6, 3, 11, 30), R"("title":"产品故障")", "urgent", "service", "functional",
     {{"first_response", "2025-06-03T15:00:00+08:00"}, {"resolution", "2025-06-06T18:00:00+08:00"}}},
    {"ascii_keyword_any_case", 0, shanghai(2025, 6, 3, 11, 0), R"("title":"Plant OUTAGE")", "urgent", "service",
     "functional", {{"first_response", "2025-06-03T14:30:00+08:00"}, {"resolution", "2025-06-06T18:00:00+08:00"}}},
    {"fault_on_makeup_sunday", 0, shanghai(2025, 9, 28, 10, 15), R"("text":"停机")", "urgent", "service", "functional",
     {{"first_response", "2025-09-28T13:45:00+08:00"}, {"resolution", "2025-10-09T18:00:00+08:00"}}},
    {"fault_at_opening", 0, shanghai(2025, 6, 9, 9, 0), R"("text":"停机")", "urgent", "service", "functional",
     {{"first_response", "2025-06-09T11:00:00+08:00"}, {"resolution", "2025-06-12T18:00:00+08:00"}}},
    {"fault_at_lunch", 0, shanghai(2025, 6, 9, 12, 30), R"("text":"停机")", "urgent", "service", "functional",
     {{"first_response", "2025-06-09T15:30:00+08:00"}, {"resolution", "2025-06-12T18:00:00+08:00"}}},
    {"fault_before_spring_festival", 0, shanghai(2026, 2, 13, 15, 0), R"("text":"系统崩溃")", "urgent", "service",
     "functional", {{"first_response", "2026-02-13T17:00:00+08:00"}, {"resolution", "2026-02-25T18:00:00+08:00"}}},
    {"fault_into_spring_festival_makeup", 0, shanghai(2026, 2, 13, 17, 30), R"("text":"系统崩溃")", "urgent",
     "service", "functional",
     {{"first_response", "2026-02-14T10:30:00+08:00"}, {"resolution", "2026-02-25T18:00:00+08:00"}}},
    // --- important demands: detailed plan within 2 working days, 17:00 cut-off; progress told
    // within 5 working days after the receipt date (no cut-off) ---
    {"upgrade_before_cutoff", 0, shanghai(2025, 9, 30, 10, 0), R"("text":"希望系统升级，增加新功能")", "important",
     "product", "functional",
     {{"detailed_plan", "2025-10-10T18:00:00+08:00"}, {"progress_update", "2025-10-14T18:00:00+08:00"}, {"resolution", "2025-10-21T18:00:00+08:00"}}},
    {"upgrade_after_cutoff", 0, shanghai(2025, 9, 30, 17, 30), R"("text":"功能升级")", "important", "product",
     "functional", {{"detailed_plan", "2025-10-11T18:00:00+08:00"}, {"progress_update", "2025-10-14T18:00:00+08:00"}, {"resolution", "2025-10-21T18:00:00+08:00"}}},
    {"custom_work_on_saturday", 0, shanghai(2025, 9, 27, 10, 0), R"("text":"定制开发需求")", "important", "product",
     "functional", {{"detailed_plan", "2025-09-30T18:00:00+08:00"}, {"progress_update", "2025-10-10T18:00:00+08:00"}, {"resolution", "2025-10-16T18:00:00+08:00"}}},
    {"upgrade_on_new_years_eve", 0, shanghai(2025, 12, 31, 16, 0), R"("text":"功能升级")", "important", "product",
     "functional", {{"detailed_plan", "2026-01-05T18:00:00+08:00"}, {"progress_update", "2026-01-08T18:00:00+08:00"}, {"resolution", "2026-01-15T18:00:00+08:00"}}},
    {"complaint_friday_night", 0, shanghai(2025, 6, 6, 20, 0), R"("channel":"complaint","text":"服务态度差")",
     "important", "service", "non_functional",
     {{"detailed_plan", "2025-06-11T18:00:00+08:00"}, {"progress_update", "2025-06-13T18:00:00+08:00"},
      {"complaint_reply", "2025-06-07T20:00:00+08:00"},
      {"resolution", "2025-06-20T18:00:00+08:00"}}},
    {"complaint_on_national_day", 0, shanghai(2025, 10, 3, 10, 0), R"("channel":"complaint","text":"投诉维修太慢")",
     "important", "service", "functional",
     {{"detailed_plan", "2025-10-11T18:00:00+08:00"}, {"progress_update", "2025-10-14T18:00:00+08:00"},
      {"complaint_reply", "2025-10-04T10:00:00+08:00"},
      {"resolution", "2025-10-21T18:00:00+08:00"}}},
    {"key_customer_by_tier", 0, shanghai(2025, 6, 3, 10, 0), R"("text":"咨询一下培训安排","customer":{"tier":"large"})",
     "important", "service", "functional",
     {{"detailed_plan", "2025-06-05T18:00:00+08:00"}, {"progress_update", "2025-06-10T18:00:00+08:00"}, {"resolution", "2025-06-17T18:00:00+08:00"}}},
    {"key_customer_by_flag", 0, shanghai(2025, 6, 3, 10, 0), R"("text":"咨询一下培训安排","customer":{"tier":"small","key":true})",
     "important", "service", "functional",
     {{"detailed_plan", "2025-06-05T18:00:00+08:00"}, {"progress_update", "2025-06-10T18:00:00+08:00"}, {"resolution", "2025-06-17T18:00:00+08:00"}}},
    {"medium_tier_is_not_key", 0, shanghai(2025, 6, 3, 10, 0), R"("text":"咨询一下培训安排","customer":{"tier":"medium"})",
     "general", "service", "functional",
     {{"contact", "2025-06-06T18:00:00+08:00"}, {"resolution", "2025-07-03T18:00:00+08:00"}}},
    {"key_customer_by_spend", 0, shanghai(2025, 6, 3, 10, 0),
     R"("text":"报价单","customer":{"tier":"small","annual_spend":2000000})", "important", "price", "non_functional",
     {{"detailed_plan", "2025-06-05T18:00:00+08:00"}, {"progress_update", "2025-06-10T18:00:00+08:00"}, {"resolution", "2025-06-17T18:00:00+08:00"}}},
    // --- general demands: contact within 3 working days, phone call back by 10:00 ---
    {"spend_just_below_key", 0, shanghai(2025, 6, 3, 10, 0),
     R"("channel":"email","text":"价格能否优惠","customer":{"annual_spend":999999.99})", "general", "price",
     "non_functional", {{"contact", "2025-06-06T18:00:00+08:00"}, {"resolution", "2025-07-03T18:00:00+08:00"}}},
    {"phone_enquiry", 0, shanghai(2025, 6, 3, 10, 0), R"("channel":"phone","text":"想了解产品")", "general", "product",
     "functional",
     {{"contact", "2025-06-06T18:00:00+08:00"},
      {"callback", "2025-06-04T10:00:00+08:00"},
      {"resolution", "2025-07-03T18:00:00+08:00"}}},
    {"phone_friday_evening", 0, shanghai(2025, 6, 6, 19, 0), R"("channel":"phone","text":"咨询")", "general",
     "service", "functional",
     {{"contact", "2025-06-11T18:00:00+08:00"},
      {"callback", "2025-06-09T10:00:00+08:00"},
      {"resolution", "2025-07-07T18:00:00+08:00"}}},
    {"phone_before_national_day", 0, shanghai(2025, 9, 30, 11, 0), R"("channel":"phone","text":"询问报价")", "general",
     "price", "non_functional",
     {{"contact", "2025-10-11T18:00:00+08:00"},
      {"callback", "2025-10-09T10:00:00+08:00"},
      {"resolution", "2025-10-30T18:00:00+08:00"}}},
    {"phone_before_makeup_saturday", 0, shanghai(2025, 10, 10, 15, 0), R"("channel":"phone","text":"你好")", "general",
     "other", "functional",
     {{"contact", "2025-10-14T18:00:00+08:00"},
      {"callback", "2025-10-11T10:00:00+08:00"},
      {"resolution", "2025-11-10T18:00:00+08:00"}}},
    {"email_new_years_eve", 0, shanghai(2025, 12, 31, 17, 0), R"("channel":"email","text":"你好")", "general", "other",
     "functional", {{"contact", "2026-01-06T18:00:00+08:00"}, {"resolution", "2026-01-30T18:00:00+08:00"}}},
    // --- manual decisions win over rules ---
    {"manual_urgency", 0, shanghai(2025, 6, 3, 10, 0), R"("urgency":"general","text":"设备停机")", "general",
     "service", "functional", {{"contact", "2025-06-06T18:00:00+08:00"}, {"resolution", "2025-07-03T18:00:00+08:00"}}},
    {"manual_category", 0, shanghai(2025, 6, 3, 10, 0), R"("category":"price","text":"故障")", "urgent", "price",
     "functional", {{"first_response", "2025-06-03T12:00:00+08:00"}, {"resolution", "2025-06-06T18:00:00+08:00"}}},
    // --- support-desk-24x7 (New York) ---
    {"outage_on_independence_day", 1, new_york_edt(2025, 7, 4, 3, 0), R"("text":"Site is down")", "urgent", "service",
     "functional",
     {{"first_response", "2025-07-04T03:30:00-04:00"}, {"resolution", "2025-07-05T03:00:00-04:00"}}},
    {"outage_across_dst_start", 1, new_york_est(2025, 3, 8, 23, 50), R"("text":"total outage")", "urgent",
     "service", "functional",
     {{"first_response", "2025-03-09T00:20:00-05:00"}, {"resolution", "2025-03-10T00:50:00-04:00"}}},
    {"enterprise_before_holiday", 1, new_york_edt(2025, 7, 3, 17, 0),
     R"("text":"Question about reports","customer":{"tier":"enterprise"})", "important", "other", "functional",
     {{"first_response", "2025-07-07T11:00:00-04:00"}, {"resolution", "2025-07-11T18:00:00-04:00"}}},
    {"billing_before_thanksgiving", 1, new_york_est(2025, 11, 26, 12, 0), R"("text":"Billing: invoice is wrong")",
     "general", "price", "non_functional",
     {{"first_response", "2025-11-28T10:00:00-05:00"}, {"resolution", "2025-12-04T18:00:00-05:00"}}},
    {"feature_request_all_words", 1, new_york_edt(2025, 6, 2, 9, 0), R"("title":"Feature REQUEST: dark mode")",
     "general", "product", "functional",
     {{"first_response", "2025-06-03T10:00:00-04:00"}, {"resolution", "2025-06-09T18:00:00-04:00"}}},
    {"feature_without_request", 1, new_york_edt(2025, 6, 2, 9, 0), R"("title":"feature flags are great")", "general",
     "other", "functional",
     {{"first_response", "2025-06-03T10:00:00-04:00"}, {"resolution", "2025-06-09T18:00:00-04:00"}}},
};

class SamplePolicies : public ::testing::TestWithParam<Case> {};

TEST_P(SamplePolicies, ClassificationAndDueTimes) {
  const Case& c = GetParam();
  const std::string json = "{\"id\":\"" + std::string(c.name) + "\",\"received_at\":" + std::to_string(c.received) +
                           "," + c.fields + "}";
  auto demand = demand_from_json(json);
  ASSERT_TRUE(demand.ok()) << demand.status().to_string();
  auto e = sample(c.policy).evaluate(*demand);
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(e->urgency.value, c.urgency);
  EXPECT_EQ(e->category.value, c.category);
  EXPECT_EQ(e->nature.value, c.nature);
  std::vector<std::pair<std::string, std::string>> got, want;
  const std::string result = to_json(*e);
  for (const auto& t : e->targets) {
    const auto at = result.find("\"due_at\":" + std::to_string(t.due_at) + ",\"due_local\":\"");
    ASSERT_NE(at, std::string::npos);
    const auto begin = result.find("due_local\":\"", at) + 12;
    got.emplace_back(t.name, result.substr(begin, result.find('"', begin) - begin));
    // Warnings fall inside working time, never after the due time.
    EXPECT_LE(t.warn_at, t.due_at) << t.name;
    if (t.working_seconds > 0) {
      EXPECT_TRUE(*sample(c.policy).calendar(t.calendar)->is_working_time(t.warn_at - 1)) << t.name;
    }
  }
  for (const auto& [name, due] : c.due) want.emplace_back(name, due);
  EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(HandChecked, SamplePolicies, ::testing::ValuesIn(kCases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(SamplePolicyFiles, LoadWithoutWarningsButTheDataHorizon) {
  ASSERT_EQ(sample(0).warnings().size(), 1u);
  EXPECT_EQ(sample(0).warnings()[0],
            "/calendars/cn-office: the official data of base \"cn\" ends 2026-12-31; later deadlines are provisional "
            "(statutory holidays by law, make-up working days not yet known)");
  EXPECT_TRUE(sample(1).warnings().empty());
  EXPECT_EQ(sample(0).version(), "2025.1");
  EXPECT_EQ(sample(1).default_calendar(), "business");
}

}  // namespace
}  // namespace crm

// Past the last notice (README "The built-in China calendar"): 2027's Spring Festival by law, and
// every target that rests on it says it is provisional.
namespace crm {
namespace {

TEST(ProvisionalDeadlines, SpringFestival2027ByLawAndFlagged) {
  Demand d;
  d.id = "P-1";
  d.received_at = test::shanghai(2027, 2, 5, 16, 0);  // 除夕, a Friday
  d.channel = "email";
  d.text = "咨询培训安排";
  auto e = sample(0).evaluate(d, true);
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  ASSERT_EQ(e->urgency.value, "general");
  const TargetResult* contact = nullptr;
  for (const TargetResult& t : e->targets)
    if (t.name == "contact") contact = &t;
  ASSERT_NE(contact, nullptr);
  // 02-05..02-08 春节, 02-09 and 02-10 in lieu of the weekend's 02-06 and 02-07: 02-11, 02-12, 02-15.
  EXPECT_EQ(contact->due_at, test::shanghai(2027, 2, 15, 18, 0));
  EXPECT_TRUE(contact->provisional);
  bool named = false;
  for (const TraceDay& day : contact->trace) {
    EXPECT_TRUE(day.provisional) << day.from;
    named |= day.name == "春节" && day.from == "2027-02-05" && day.to == "2027-02-08";
  }
  EXPECT_TRUE(named);
  const std::string json = to_json(*e);
  EXPECT_NE(json.find(R"("due_local":"2027-02-15T18:00:00+08:00","warn_at")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("working_seconds":81000,"provisional":true,"explain")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("name":"春节（补假）")"), std::string::npos) << json;

  d.received_at = test::shanghai(2026, 12, 1, 10, 0);  // due inside the notices (30 days: 2026-12-31): no flag
  auto official = sample(0).evaluate(d, true);
  ASSERT_TRUE(official.ok());
  for (const TargetResult& t : official->targets) EXPECT_FALSE(t.provisional) << t.name;
  EXPECT_EQ(to_json(*official).find("provisional"), std::string::npos);
  d.received_at = test::shanghai(2026, 12, 10, 10, 0);  // contact in December, resolution in January
  auto straddling = sample(0).evaluate(d);
  ASSERT_TRUE(straddling.ok());
  for (const TargetResult& t : straddling->targets) EXPECT_EQ(t.provisional, t.name == "resolution") << t.name;
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// "Not urgent" is not urgent (issue 14 §4): the seed policy's urgent rule excludes texts that say so.
TEST(SamplePolicyTexts, NotUrgentIsNotUrgent) {
  Demand d;
  d.id = "T-1";
  d.received_at = test::shanghai(2025, 6, 3, 10, 0);
  d.channel = "email";
  for (const char* text : {"这个报错不紧急，下个月升级时处理即可", "系统偶尔报错，不急", "无需紧急处理的小故障"}) {
    d.text = text;
    auto e = sample(0).evaluate(d);
    ASSERT_TRUE(e.ok());
    EXPECT_NE(e->urgency.value, "urgent") << text;
  }
  d.text = "设备停机了，请紧急处理";
  EXPECT_EQ(sample(0).evaluate(d)->urgency.value, "urgent");
  EXPECT_EQ(sample(0).evaluate(d)->urgency.rule, "sudden-fault");
}

}  // namespace
}  // namespace crm
