// SPDX-License-Identifier: Apache-2.0
// Civil (proleptic Gregorian) dates as day numbers: days since 1970-01-01. Local to calendars.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm::detail {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kSecondsPerWeek = 7 * kSecondsPerDay;

// The supported range of local dates: 1970-01-01 .. 2199-12-31.
constexpr int32_t kFirstDay = 0;          // 1970-01-01
constexpr int32_t kEndDay = 84006;        // 2200-01-01, exclusive
constexpr int32_t kFirstYear = 1970;
constexpr int32_t kLastYear = 2199;

// Day number of a valid Y-M-D, or nullopt when the date does not exist (2025-02-30).
std::optional<int32_t> day_number(int32_t year, int32_t month, int32_t day);
// Day number of YYYYMMDD, or nullopt.
std::optional<int32_t> day_number_from_yyyymmdd(int32_t yyyymmdd);
// Strict "YYYY-MM-DD" parsing, or nullopt.
std::optional<int32_t> parse_iso_date(std::string_view text);
// Year, month (1-12) and day of month of a day number.
void civil_from_days(int64_t days, int64_t& y, int64_t& m, int64_t& d);
// "YYYY-MM-DD" for a day number (for messages).
std::string format_iso_date(int32_t day);
// ISO-8601 local time with its offset: "2025-10-09T11:00:00+08:00".
std::string format_local_iso(int64_t utc, int32_t offset_seconds);
// The same into a caller's buffer, without allocating (result writers): the text's length.
size_t format_local_iso(char (&out)[32], int64_t utc, int32_t offset_seconds);
// ISO-8601 week of a day number: "2026-W53".
std::string format_iso_week(int32_t day);
// "HH:MM" of seconds after midnight (24:00 allowed).
std::string format_hhmm(int64_t seconds_after_midnight);

// 0 = Monday ... 6 = Sunday.
constexpr int weekday_of(int32_t day) {
  // 1970-01-01 was a Thursday (3).
  const int32_t r = (day + 3) % 7;
  return r < 0 ? r + 7 : r;
}
constexpr int32_t floor_div(int64_t a, int64_t b) {
  return static_cast<int32_t>(a >= 0 ? a / b : -((-a + b - 1) / b));
}

}  // namespace crm::detail
