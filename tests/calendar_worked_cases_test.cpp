// SPDX-License-Identifier: Apache-2.0
// The worked cases of the foundation issue, through the C++ API and through the C API.
#include <gtest/gtest.h>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/crmpolicy.h"
#include "test_time.hpp"

namespace crm {
namespace {

using test::kHour;
using test::shanghai;

constexpr const char* kShanghaiCn = R"({
  "time_zone": "Asia/Shanghai",
  "hours": {"mon": "09:00-12:00,13:30-18:00", "tue": "09:00-12:00,13:30-18:00",
            "wed": "09:00-12:00,13:30-18:00", "thu": "09:00-12:00,13:30-18:00",
            "fri": "09:00-12:00,13:30-18:00", "sat": "", "sun": ""},
  "base": "cn"})";

enum class Op { working_time, working_days };
struct WorkedCase {
  const char* name;
  int64_t start;
  Op op;
  int64_t amount;
  int64_t expected;
};
void PrintTo(const WorkedCase& value, std::ostream* os) { *os << value.name; }


const WorkedCase kCases[] = {
    {"holiday_week_skipped", shanghai(2025, 9, 30, 16, 0), Op::working_time, 4 * kHour, shanghai(2025, 10, 9, 11, 0)},
    {"days_across_holiday", shanghai(2025, 9, 30, 10, 0), Op::working_days, 2, shanghai(2025, 10, 10, 18, 0)},
    {"saturday_makeup_day", shanghai(2025, 10, 10, 17, 0), Op::working_time, 2 * kHour, shanghai(2025, 10, 11, 10, 0)},
    {"sunday_makeup_day", shanghai(2025, 9, 27, 10, 0), Op::working_days, 1, shanghai(2025, 9, 28, 18, 0)},
    {"lunch_break", shanghai(2025, 6, 3, 11, 30), Op::working_time, 1 * kHour, shanghai(2025, 6, 3, 14, 0)},
    {"ends_on_span_end", shanghai(2025, 6, 3, 11, 0), Op::working_time, 1 * kHour, shanghai(2025, 6, 3, 12, 0)},
};

class WorkedCases : public ::testing::TestWithParam<WorkedCase> {};

TEST_P(WorkedCases, CxxApi) {
  const WorkedCase& c = GetParam();
  auto cal = Calendar::from_json(kShanghaiCn);
  ASSERT_TRUE(cal.ok()) << cal.status().to_string();
  auto got = c.op == Op::working_time ? cal->add_working_time(c.start, c.amount)
                                      : cal->add_working_days(c.start, static_cast<int32_t>(c.amount));
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(*got, c.expected);
}

TEST_P(WorkedCases, CApi) {
  const WorkedCase& c = GetParam();
  crm_calendar* cal = nullptr;
  ASSERT_EQ(crm_calendar_from_json(kShanghaiCn, &cal), CRM_OK) << crm_last_error();
  int64_t got = 0;
  const crm_status st = c.op == Op::working_time
                            ? crm_calendar_add_working_time(cal, c.start, c.amount, &got)
                            : crm_calendar_add_working_days(cal, c.start, static_cast<int32_t>(c.amount), &got);
  EXPECT_EQ(st, CRM_OK) << crm_last_error();
  EXPECT_EQ(got, c.expected);
  if (c.op == Op::working_time) {  // and the clock runs back to the same amount
    int64_t between = 0;
    ASSERT_EQ(crm_calendar_working_time_between(cal, c.start, got, &between), CRM_OK);
    EXPECT_EQ(between, c.amount);
  }
  crm_calendar_free(cal);
}

INSTANTIATE_TEST_SUITE_P(Foundation, WorkedCases, ::testing::ValuesIn(kCases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

class ShanghaiCalendar : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = Calendar::from_json(kShanghaiCn);
    ASSERT_TRUE(built.ok()) << built.status().to_string();
    cal = std::make_unique<Calendar>(std::move(*built));
  }
  std::unique_ptr<Calendar> cal;
};

TEST_F(ShanghaiCalendar, ZeroWorkingTimeIsNextWorkingInstant) {
  EXPECT_EQ(*cal->add_working_time(shanghai(2025, 6, 3, 12, 30), 0), shanghai(2025, 6, 3, 13, 30));
  EXPECT_EQ(*cal->add_working_time(shanghai(2025, 6, 3, 10, 0), 0), shanghai(2025, 6, 3, 10, 0));
  EXPECT_EQ(*cal->next_working_instant(shanghai(2025, 9, 30, 18, 0)), shanghai(2025, 10, 9, 9, 0));
}

TEST_F(ShanghaiCalendar, StartOutsideSpansBeginsAtNextOpening) {
  EXPECT_EQ(*cal->add_working_time(shanghai(2025, 6, 3, 7, 0), kHour), shanghai(2025, 6, 3, 10, 0));
  EXPECT_EQ(*cal->add_working_time(shanghai(2025, 6, 3, 12, 0), kHour), shanghai(2025, 6, 3, 14, 30));
  EXPECT_EQ(*cal->add_working_time(shanghai(2025, 6, 6, 18, 0), kHour), shanghai(2025, 6, 9, 10, 0));
}

TEST_F(ShanghaiCalendar, NegativeDurationsAreInvalid) {
  auto r = cal->add_working_time(shanghai(2025, 6, 3, 9, 0), -1);
  EXPECT_EQ(r.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(r.status().message().find("-1"), std::string::npos);
  EXPECT_EQ(cal->add_working_days(shanghai(2025, 6, 3, 9, 0), -1).status().code(), StatusCode::invalid_argument);
}

TEST_F(ShanghaiCalendar, WorkingDaysNeverCountTheStartDate) {
  // Saturday 2025-06-07 + 1 working day -> Monday close; Monday 08:00 + 1 -> Tuesday close.
  EXPECT_EQ(*cal->add_working_days(shanghai(2025, 6, 7, 10, 0), 1), shanghai(2025, 6, 9, 18, 0));
  EXPECT_EQ(*cal->add_working_days(shanghai(2025, 6, 9, 8, 0), 1), shanghai(2025, 6, 10, 18, 0));
}

TEST_F(ShanghaiCalendar, ZeroWorkingDays) {
  EXPECT_EQ(*cal->add_working_days(shanghai(2025, 6, 9, 17, 59), 0), shanghai(2025, 6, 9, 18, 0));
  EXPECT_EQ(*cal->add_working_days(shanghai(2025, 6, 9, 18, 0), 0), shanghai(2025, 6, 10, 18, 0));
  EXPECT_EQ(*cal->add_working_days(shanghai(2025, 6, 7, 10, 0), 0), shanghai(2025, 6, 9, 18, 0));
  EXPECT_EQ(*cal->add_working_days(shanghai(2025, 9, 30, 19, 0), 0), shanghai(2025, 10, 9, 18, 0));
}

TEST_F(ShanghaiCalendar, CalendarDaysRollToNextWorkingDay) {
  EXPECT_EQ(*cal->add_calendar_days(shanghai(2025, 6, 3, 10, 0), 2), shanghai(2025, 6, 5, 18, 0));
  EXPECT_EQ(*cal->add_calendar_days(shanghai(2025, 6, 3, 10, 0), 4), shanghai(2025, 6, 9, 18, 0));  // Sat -> Mon
  EXPECT_EQ(*cal->add_calendar_days(shanghai(2025, 9, 29, 10, 0), 3), shanghai(2025, 10, 9, 18, 0));
  EXPECT_EQ(*cal->add_calendar_days(shanghai(2025, 9, 29, 20, 0), 0), shanghai(2025, 9, 29, 18, 0));
}

TEST_F(ShanghaiCalendar, WorkingTimeBetweenIsSignedAndHalfOpen) {
  const int64_t a = shanghai(2025, 6, 3, 9, 0), b = shanghai(2025, 6, 4, 9, 0);
  EXPECT_EQ(*cal->working_time_between(a, b), 7 * kHour + 30 * 60);
  EXPECT_EQ(*cal->working_time_between(b, a), -(7 * kHour + 30 * 60));
  EXPECT_EQ(*cal->working_time_between(a, a), 0);
  EXPECT_EQ(*cal->working_time_between(shanghai(2025, 9, 30, 0, 0), shanghai(2025, 10, 9, 0, 0)),
            7 * kHour + 30 * 60);
}

TEST_F(ShanghaiCalendar, IsWorkingTimeIsHalfOpen) {
  EXPECT_TRUE(*cal->is_working_time(shanghai(2025, 6, 3, 9, 0)));
  EXPECT_TRUE(*cal->is_working_time(shanghai(2025, 6, 3, 11, 59, 59)));
  EXPECT_FALSE(*cal->is_working_time(shanghai(2025, 6, 3, 12, 0)));
  EXPECT_FALSE(*cal->is_working_time(shanghai(2025, 10, 3, 10, 0)));
  EXPECT_TRUE(*cal->is_working_time(shanghai(2025, 10, 11, 10, 0)));
}

TEST_F(ShanghaiCalendar, RangeEdges) {
  const int64_t first = shanghai(1970, 1, 1);
  const int64_t end = shanghai(2200, 1, 1);
  EXPECT_EQ(cal->min_time(), first);
  EXPECT_EQ(cal->max_time(), end);
  EXPECT_TRUE(cal->is_working_time(first).ok());
  EXPECT_EQ(cal->is_working_time(first - 1).status().code(), StatusCode::out_of_range);
  EXPECT_EQ(cal->is_working_time(end + 1).status().code(), StatusCode::out_of_range);
  // 1970-01-01 was a Thursday: work starts at 09:00.
  EXPECT_EQ(*cal->next_working_instant(first), shanghai(1970, 1, 1, 9, 0));
  // 2199-12-31 is a Tuesday: its close is the last deadline there is.
  EXPECT_EQ(*cal->add_working_days(shanghai(2199, 12, 30, 10, 0), 1), shanghai(2199, 12, 31, 18, 0));
  EXPECT_EQ(cal->add_working_days(shanghai(2199, 12, 31, 10, 0), 1).status().code(), StatusCode::out_of_range);
  EXPECT_EQ(cal->add_working_time(shanghai(2199, 12, 31, 17, 0), kHour).value(), shanghai(2199, 12, 31, 18, 0));
  EXPECT_EQ(cal->add_working_time(shanghai(2199, 12, 31, 17, 0), kHour + 1).status().code(),
            StatusCode::out_of_range);
  EXPECT_EQ(cal->add_working_time(shanghai(2025, 1, 1), INT64_MAX).status().code(), StatusCode::out_of_range);
  EXPECT_EQ(cal->next_working_instant(shanghai(2199, 12, 31, 18, 0)).status().code(), StatusCode::out_of_range);
  EXPECT_EQ(cal->add_calendar_days(shanghai(2199, 12, 30, 10, 0), 2).status().code(), StatusCode::out_of_range);
  EXPECT_EQ(cal->add_working_days(shanghai(2025, 1, 1), INT32_MAX).status().code(), StatusCode::out_of_range);
}

}  // namespace
}  // namespace crm
