// SPDX-License-Identifier: Apache-2.0
// Differential and property tests: the week-table calendar against the day-walking reference,
// over random instants across three years and durations of 1-72 working hours / 0-10 days.
#include <gtest/gtest.h>

#include <random>

#include "calendar/time_of_day.hpp"
#include "crmpolicy/calendar.hpp"
#include "reference_calendar.hpp"
#include "test_time.hpp"

namespace crm {
namespace {

using test::kHour;
using test::utc;

struct Scenario {
  const char* name;
  const char* json;
  int64_t from;  // random instants are drawn from [from, to)
  int64_t to;
};
void PrintTo(const Scenario& value, std::ostream* os) { *os << value.name; }


const Scenario kScenarios[] = {
    {"shanghai_cn_lunch_break",
     R"({"time_zone":"Asia/Shanghai","base":"cn",
         "hours":{"mon":"09:00-12:00,13:30-18:00","tue":"09:00-12:00,13:30-18:00","wed":"09:00-12:00,13:30-18:00",
                  "thu":"09:00-12:00,13:30-18:00","fri":"09:00-12:00,13:30-18:00"},
         "holidays":["2025-12-31"],"workdays":{"2025-02-08":"09:00-12:00"}})",
     utc(2024, 1, 1), utc(2027, 1, 1)},
    {"new_york_dst_edges",
     R"({"time_zone":"America/New_York",
         "hours":{"mon":"08:30-17:00","tue":"08:30-17:00","wed":"08:30-17:00","thu":"08:30-17:00",
                  "fri":"08:30-17:00","sat":"00:30-02:30","sun":"00:00-01:30,01:45-02:30,02:45-03:15,22:00-24:00"},
         "holidays":["2025-07-04","2025-11-27","2025-12-25"],"workdays":{"2025-11-02":"00:00-24:00"}})",
     utc(2024, 1, 1), utc(2027, 1, 1)},
    {"round_the_clock_new_york",
     R"({"time_zone":"America/New_York","hours":{"mon":"00:00-24:00","tue":"00:00-24:00","wed":"00:00-24:00",
         "thu":"00:00-24:00","fri":"00:00-24:00","sat":"00:00-24:00","sun":"00:00-24:00"}})",
     utc(2024, 1, 1), utc(2027, 1, 1)},
    {"sydney_six_day_week",
     R"({"time_zone":"Australia/Sydney",
         "hours":{"mon":"07:00-11:00,11:30-15:30","tue":"07:00-15:30","wed":"07:00-15:30","thu":"07:00-15:30",
                  "fri":"07:00-15:30","sat":"01:30-02:30,08:00-12:00","sun":"02:00-03:00"},
         "holidays":["2025-01-27","2025-04-25"]})",
     utc(2024, 1, 1), utc(2027, 1, 1)},
    {"fixed_offset_cn_base",
     R"({"time_zone":"+05:30","base":"cn","hours":{"mon":"10:00-19:00","tue":"10:00-19:00","wed":"10:00-19:00",
         "thu":"10:00-19:00","fri":"10:00-19:00","sat":"10:00-14:00"}})",
     utc(2014, 12, 1), utc(2018, 1, 1)},
};

class Differential : public ::testing::TestWithParam<Scenario> {};

TEST_P(Differential, AgreesWithReferenceAndHoldsProperties) {
  const Scenario& sc = GetParam();
  auto built = Calendar::from_json(sc.json);
  ASSERT_TRUE(built.ok()) << built.status().to_string();
  const Calendar& cal = *built;
  const test::ReferenceCalendar ref(cal.spec());

  std::mt19937_64 rng(0xC0FFEE ^ std::hash<std::string>{}(sc.name));
  std::uniform_int_distribution<int64_t> instant(sc.from, sc.to - 1);
  std::uniform_int_distribution<int64_t> duration(1, 72 * kHour);
  std::uniform_int_distribution<int32_t> days(0, 10);
  std::uniform_int_distribution<int64_t> gap(0, 10 * 86400);
  std::bernoulli_distribution on_the_minute(0.5);

  // x5 scenarios: over 100,000 random cases, each checked several ways; a quarter of them under
  // AddressSanitizer (the day-walking reference is then the test's cost: over a minute in CI).
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kCases = 5250;
#else
  constexpr int kCases = 21000;
#endif
  int failures = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    int64_t t = instant(rng);
    if (on_the_minute(rng)) t -= t % 900;  // land on span edges often
    const int64_t s = on_the_minute(rng) ? duration(rng) / 900 * 900 + 900 : duration(rng);
    const int32_t n = days(rng);
    SCOPED_TRACE("t=" + std::to_string(t) + " s=" + std::to_string(s) + " n=" + std::to_string(n));

    const auto added = cal.add_working_time(t, s);
    ASSERT_TRUE(added.ok()) << added.status().to_string();
    const auto expected = ref.add_working_time(t, s);
    if (*added != *expected) ++failures;
    EXPECT_EQ(*added, *expected);
    EXPECT_EQ(*cal.working_time_between(t, *added), s);               // round trip
    EXPECT_GE(*cal.add_working_time(t, s + 1), *added + 1);           // strictly monotone in s
    EXPECT_TRUE(*cal.is_working_time(*added - 1));                    // the last second worked

    const int64_t wd = *cal.add_working_days(t, n);
    EXPECT_EQ(wd, *ref.add_working_days(t, n));
    if (n >= 1) {
      EXPECT_GT(*cal.add_working_days(t, n + 1), wd);  // every further day is later
    }
    EXPECT_EQ(*cal.add_calendar_days(t, n), *ref.add_calendar_days(t, n));

    const int64_t u = t + gap(rng);
    EXPECT_EQ(*cal.working_time_between(t, u), ref.working_time_between(t, u));
    EXPECT_EQ(*cal.working_time_between(u, t), -*cal.working_time_between(t, u));
    EXPECT_EQ(*cal.is_working_time(t), ref.is_working_time(t));
    EXPECT_EQ(*cal.next_working_instant(t), *ref.next_working_instant(t));
    if (HasFailure()) ++failures;
  }
}

INSTANTIATE_TEST_SUITE_P(Calendars, Differential, ::testing::ValuesIn(kScenarios),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

// Random calendars: random spans per weekday, random holidays and workdays, random zones.
TEST(DifferentialRandomCalendars, AgreeWithReference) {
  std::mt19937_64 rng(20261123);
  const char* zones[] = {"Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe",
                         "America/Sao_Paulo", "+08:00", "-03:30"};
  const auto random_spans = [&](std::mt19937_64& g) {
    DaySpans spans;
    int32_t at = 0;
    const int count = static_cast<int>(g() % 4);
    for (int i = 0; i < count && at < 86400 - 1800; ++i) {
      const int32_t begin = at + static_cast<int32_t>(g() % 16 + 1) * 900;
      const int32_t end = begin + static_cast<int32_t>(g() % 24 + 1) * 900;
      if (end > 86400) break;
      spans.push_back({begin, end});
      at = end;
    }
    return spans;
  };
  for (int c = 0; c < 40; ++c) {
    CalendarSpec spec;
    spec.time_zone = zones[rng() % std::size(zones)];
    for (auto& day : spec.weekly_hours) day = random_spans(rng);
    spec.weekly_hours[0] = {{9 * 3600, 17 * 3600}};  // never an empty calendar
    if (rng() % 2) spec.base = "cn";
    for (int h = 0; h < 5; ++h) spec.holidays.push_back(20250100 + static_cast<int32_t>(h * 2 + 1 + rng() % 2));
    spec.workdays[20250301] = random_spans(rng);
    spec.workdays[20251102] = {{0, 86400}};
    auto built = Calendar::build(spec);
    ASSERT_TRUE(built.ok()) << built.status().to_string();
    const test::ReferenceCalendar ref(spec);
    std::uniform_int_distribution<int64_t> instant(utc(2024, 12, 1), utc(2026, 1, 1));
    for (int i = 0; i < 300; ++i) {
      const int64_t t = instant(rng) / 900 * 900 + (rng() % 2 ? 0 : static_cast<int64_t>(rng() % 900));
      const int64_t s = static_cast<int64_t>(rng() % (40 * 3600)) + 1;
      const int32_t n = static_cast<int32_t>(rng() % 8);
      SCOPED_TRACE("zone=" + spec.time_zone + " t=" + std::to_string(t) + " s=" + std::to_string(s));
      ASSERT_EQ(*built->add_working_time(t, s), *ref.add_working_time(t, s));
      ASSERT_EQ(*built->add_working_days(t, n), *ref.add_working_days(t, n));
      ASSERT_EQ(*built->add_calendar_days(t, n), *ref.add_calendar_days(t, n));
      ASSERT_EQ(*built->working_time_between(t, t + s * 3), ref.working_time_between(t, t + s * 3));
      ASSERT_EQ(*built->next_working_instant(t), *ref.next_working_instant(t));
    }
    // Far: months of work across days of unequal length, where the day table's estimate of the
    // landing day is off by many days and its search has to gallop.
    for (int i = 0; i < 20; ++i) {
      const int64_t t = instant(rng);
      const int64_t s = static_cast<int64_t>(rng() % (1500 * 3600)) + 1;
      const int32_t n = static_cast<int32_t>(rng() % 400);
      SCOPED_TRACE("far: zone=" + spec.time_zone + " t=" + std::to_string(t) + " s=" + std::to_string(s));
      ASSERT_EQ(*built->add_working_time(t, s), *ref.add_working_time(t, s));
      ASSERT_EQ(*built->add_working_days(t, n), *ref.add_working_days(t, n));
      ASSERT_EQ(*built->add_calendar_days(t, n), *ref.add_calendar_days(t, n));
    }
  }
}

}  // namespace
}  // namespace crm
