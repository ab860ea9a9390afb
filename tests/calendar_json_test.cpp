// SPDX-License-Identifier: Apache-2.0
// Bad calendar JSON gets a clear error naming the field and the value, and builds nothing.
#include <gtest/gtest.h>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/crmpolicy.h"

namespace crm {
namespace {

struct BadInput {
  const char* name;
  const char* json;
  StatusCode code;
  std::vector<const char*> message_parts;  // each must appear in the message
};
void PrintTo(const BadInput& value, std::ostream* os) { *os << value.name; }


const BadInput kBad[] = {
    {"malformed", R"({"time_zone": "UTC", "hours": {)", StatusCode::invalid_argument, {"malformed JSON"}},
    {"not_an_object", R"(["UTC"])", StatusCode::invalid_argument, {"a calendar is a JSON object"}},
    {"unknown_key", R"({"time_zone":"UTC","hours":{},"holiday":[]})", StatusCode::invalid_argument,
     {"/holiday", "unknown key"}},
    {"duplicate_key", R"({"time_zone":"UTC","hours":{"mon":"09:00-10:00","mon":""}})", StatusCode::invalid_argument,
     {"duplicate key \"mon\""}},
    {"missing_time_zone", R"({"hours":{}})", StatusCode::invalid_argument, {"/time_zone", "missing"}},
    {"time_zone_not_string", R"({"time_zone":8,"hours":{}})", StatusCode::invalid_argument, {"/time_zone", "got 8"}},
    {"unknown_time_zone", R"({"time_zone":"Mars/Olympus_Mons","hours":{}})", StatusCode::not_found,
     {"Mars/Olympus_Mons"}},
    {"path_traversal_zone", R"({"time_zone":"../../etc/passwd","hours":{}})", StatusCode::invalid_argument,
     {"../../etc/passwd"}},
    {"bad_fixed_offset", R"({"time_zone":"+25:00","hours":{}})", StatusCode::invalid_argument, {"+25:00"}},
    {"missing_hours", R"({"time_zone":"UTC"})", StatusCode::invalid_argument, {"/hours", "missing"}},
    {"unknown_weekday", R"({"time_zone":"UTC","hours":{"monday":"09:00-17:00"}})", StatusCode::invalid_argument,
     {"/hours/monday", "unknown weekday"}},
    {"spans_not_string", R"({"time_zone":"UTC","hours":{"mon":["09:00-17:00"]}})", StatusCode::invalid_argument,
     {"/hours/mon", "expected a string"}},
    {"time_24_01", R"({"time_zone":"UTC","hours":{"mon":"09:00-24:01"}})", StatusCode::invalid_argument,
     {"/hours/mon", "24:01", "the latest time is 24:00"}},
    {"minutes_60", R"({"time_zone":"UTC","hours":{"tue":"09:60-12:00"}})", StatusCode::invalid_argument,
     {"/hours/tue", "09:60", "minutes"}},
    {"overlapping_spans", R"({"time_zone":"UTC","hours":{"wed":"09:00-12:00,11:00-13:00"}})",
     StatusCode::invalid_argument, {"/hours/wed", "11:00-13:00", "overlaps"}},
    {"unsorted_spans", R"({"time_zone":"UTC","hours":{"thu":"13:00-18:00,09:00-12:00"}})",
     StatusCode::invalid_argument, {"/hours/thu", "09:00-12:00", "in order"}},
    {"empty_span", R"({"time_zone":"UTC","hours":{"fri":"09:00-09:00"}})", StatusCode::invalid_argument,
     {"/hours/fri", "end after it starts"}},
    {"start_at_24", R"({"time_zone":"UTC","hours":{"fri":"24:00-24:00"}})", StatusCode::invalid_argument,
     {"/hours/fri", "cannot start at 24:00"}},
    {"garbage_span", R"({"time_zone":"UTC","hours":{"sat":"9-5"}})", StatusCode::invalid_argument,
     {"/hours/sat", "HH:MM"}},
    {"holidays_not_array", R"({"time_zone":"UTC","hours":{},"holidays":"2025-10-01"})", StatusCode::invalid_argument,
     {"/holidays", "array"}},
    {"impossible_date", R"({"time_zone":"UTC","hours":{},"holidays":["2025-10-01","2025-02-30"]})",
     StatusCode::invalid_argument, {"/holidays/1", "2025-02-30", "not a valid date"}},
    {"date_format", R"({"time_zone":"UTC","hours":{},"holidays":["2025/10/01"]})", StatusCode::invalid_argument,
     {"/holidays/0", "2025/10/01"}},
    {"date_out_of_range", R"({"time_zone":"UTC","hours":{},"holidays":["2200-01-01"]})",
     StatusCode::invalid_argument, {"/holidays/0", "2200-01-01", "outside"}},
    {"duplicate_holiday", R"({"time_zone":"UTC","hours":{},"holidays":["2025-10-01","2025-10-01"]})",
     StatusCode::invalid_argument, {"/holidays/1", "twice"}},
    {"workday_bad_date", R"({"time_zone":"UTC","hours":{},"workdays":{"2025-13-01":"09:00-18:00"}})",
     StatusCode::invalid_argument, {"/workdays/2025-13-01", "not a valid date"}},
    {"workday_bad_spans", R"({"time_zone":"UTC","hours":{},"workdays":{"2025-09-28":"09:00-25:00"}})",
     StatusCode::invalid_argument, {"/workdays/2025-09-28", "25:00"}},
    {"holiday_and_workday", R"({"time_zone":"UTC","hours":{},"holidays":["2025-09-28"],
                                "workdays":{"2025-09-28":"09:00-18:00"}})",
     StatusCode::invalid_argument, {"/workdays/2025-09-28", "also listed in /holidays"}},
    {"unknown_base", R"({"time_zone":"UTC","hours":{},"base":"us"})", StatusCode::invalid_argument,
     {"/base", "\"us\""}},
    {"invalid_utf8", "{\"time_zone\":\"UTC\",\"hours\":{},\"base\":\"\xff\"}", StatusCode::invalid_argument,
     {"malformed JSON"}},
};

class BadCalendarJson : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadCalendarJson, RejectedWithFieldAndValue) {
  const BadInput& c = GetParam();
  auto cal = Calendar::from_json(c.json);
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), c.code) << cal.status().to_string();
  for (const char* part : c.message_parts)
    EXPECT_NE(cal.status().message().find(part), std::string::npos)
        << "message \"" << cal.status().message() << "\" lacks \"" << part << "\"";
}

TEST_P(BadCalendarJson, CApiLeavesOutputUntouched) {
  const BadInput& c = GetParam();
  crm_calendar* sentinel = reinterpret_cast<crm_calendar*>(0x1);
  crm_calendar* out = sentinel;
  EXPECT_EQ(crm_calendar_from_json(c.json, &out), static_cast<crm_status>(c.code));
  EXPECT_EQ(out, sentinel);
  EXPECT_NE(std::string(crm_last_error()), "");
}

INSTANTIATE_TEST_SUITE_P(Validation, BadCalendarJson, ::testing::ValuesIn(kBad),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(CalendarJson, AcceptsTheDocumentedForm) {
  auto cal = Calendar::from_json(R"({"time_zone": "Asia/Shanghai",
     "hours": {"mon": "09:00-12:00,13:30-18:00", "tue": " 09:00-12:00 , 13:30-18:00 ", "sat": "", "sun": ""},
     "holidays": ["2025-10-01", "2025-10-02"],
     "workdays": {"2025-09-28": "09:00-12:00,13:30-18:00"},
     "base": "cn"})");
  ASSERT_TRUE(cal.ok()) << cal.status().to_string();
  const CalendarSpec& spec = cal->spec();
  EXPECT_EQ(spec.time_zone, "Asia/Shanghai");
  EXPECT_EQ(spec.weekly_hours[0], (DaySpans{{9 * 3600, 12 * 3600}, {13 * 3600 + 1800, 18 * 3600}}));
  EXPECT_EQ(spec.weekly_hours[1], spec.weekly_hours[0]);
  EXPECT_TRUE(spec.weekly_hours[2].empty());  // a weekday left out has no working hours
  EXPECT_EQ(spec.holidays, (std::vector<int32_t>{20251001, 20251002}));
  EXPECT_EQ(spec.workdays.count(20250928), 1u);
  EXPECT_EQ(spec.base, "cn");
}

TEST(CalendarJson, TouchingSpansMergeAndRoundTheClockWorks) {
  auto cal = Calendar::from_json(R"({"time_zone":"+08:00","hours":{"mon":"00:00-12:00,12:00-24:00"}})");
  ASSERT_TRUE(cal.ok()) << cal.status().to_string();
  EXPECT_EQ(cal->spec().weekly_hours[0], (DaySpans{{0, 86400}}));
}

TEST(CalendarSpecBuild, ValidatesSpecsBuiltInCode) {
  CalendarSpec spec;
  spec.time_zone = "UTC";
  spec.weekly_hours[0] = {{10 * 3600, 9 * 3600}};
  EXPECT_EQ(Calendar::build(spec).status().code(), StatusCode::invalid_argument);
  spec.weekly_hours[0] = {{9 * 3600, 12 * 3600}, {12 * 3600, 13 * 3600}};
  EXPECT_NE(Calendar::build(spec).status().message().find("touches"), std::string::npos);
  spec.weekly_hours[0] = {{9 * 3600, 12 * 3600}};
  spec.holidays = {20250230};
  EXPECT_NE(Calendar::build(spec).status().message().find("20250230"), std::string::npos);
  spec.holidays = {22000101};
  EXPECT_EQ(Calendar::build(spec).status().code(), StatusCode::out_of_range);
  spec.holidays = {20251001};
  spec.workdays[20251001] = {{0, 3600}};
  EXPECT_EQ(Calendar::build(spec).status().code(), StatusCode::invalid_argument);
  spec.workdays.clear();
  EXPECT_TRUE(Calendar::build(spec).ok());
}

}  // namespace
}  // namespace crm

#include "core/civil_date.hpp"

namespace crm {
namespace {

TEST(CivilDates, FormattingRoundTripsEveryDayOfTheRange) {
  for (int32_t day = detail::kFirstDay - 400; day < detail::kEndDay + 400; ++day) {
    const std::string iso = detail::format_iso_date(day);
    ASSERT_EQ(detail::parse_iso_date(iso), day) << iso;
  }
  EXPECT_EQ(detail::format_iso_date(0), "1970-01-01");
  EXPECT_EQ(detail::format_iso_date(20362), "2025-10-01");
  EXPECT_EQ(detail::format_local_iso(1759219200, 8 * 3600), "2025-09-30T16:00:00+08:00");
  EXPECT_EQ(detail::format_local_iso(1741499400, -5 * 3600), "2025-03-09T00:50:00-05:00");
  EXPECT_EQ(detail::format_local_iso(0, -(3 * 3600 + 1800)), "1969-12-31T20:30:00-03:30");
}

}  // namespace
}  // namespace crm
