// SPDX-License-Identifier: Apache-2.0
// crm::Calendar: exact working-time arithmetic in the local time of one time zone.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/export.h"
#include "crmpolicy/status.hpp"

namespace crm {

namespace detail {
class CalendarImpl;
struct CalendarAccess;
}

// A working span of one local day, in seconds after local midnight: [begin, end), end <= 86400.
struct TimeSpan {
  int32_t begin = 0;
  int32_t end = 0;
  friend bool operator==(const TimeSpan& a, const TimeSpan& b) { return a.begin == b.begin && a.end == b.end; }
};

using DaySpans = std::vector<TimeSpan>;  // sorted, non-overlapping, non-touching

// Everything a calendar is made of; the JSON form maps onto it field by field.
// Civil dates are int32 YYYYMMDD.
struct CalendarSpec {
  std::string time_zone;                  // IANA name ("Asia/Shanghai") or fixed offset ("+08:00")
  std::array<DaySpans, 7> weekly_hours;   // index 0 = Monday ... 6 = Sunday
  std::vector<int32_t> holidays;          // dates with no work
  std::map<int32_t, DaySpans> workdays;   // dates worked with these spans, whatever their weekday
  std::string base;                       // "" or "cn" (mainland China statutory calendar)
};

// A date whose hours are not the weekly pattern's, and why.
struct CalendarDay {
  int32_t date = 0;          // YYYYMMDD
  std::string kind;          // holiday, makeup_workday (the base calendar's), company_holiday, company_workday
  std::string name;          // the base calendar's name for it (元旦, 春节, 春节（补假）), or ""
  bool provisional = false;  // after data_until(): a statutory day by law, not yet by a notice
};

// Immutable and cheap to copy (shared state); safe to use from many threads at once.
// Instants are UTC epoch seconds. Supported local dates: 1970-01-01 to 2199-12-31.
class CRM_CXX_API Calendar {
 public:
  static Result<Calendar> build(const CalendarSpec& spec);
  // Parses the calendar JSON (README "Calendar JSON"); errors name the JSON path and value.
  static Result<Calendar> from_json(std::string_view json);

  Result<bool> is_working_time(int64_t t) const;
  Result<bool> is_working_day(int32_t yyyymmdd) const;
  Result<int64_t> next_working_instant(int64_t t) const;
  Result<int64_t> add_working_time(int64_t start, int64_t seconds) const;
  Result<int64_t> add_working_days(int64_t start, int32_t days) const;
  Result<int64_t> add_calendar_days(int64_t start, int32_t days) const;
  Result<int64_t> working_time_between(int64_t a, int64_t b) const;

  // The same answers without a Status, for loops over millions of deadlines: true and `out` set,
  // or false and `out` untouched where the call above fails (which then says why).
  bool try_add_working_time(int64_t start, int64_t seconds, int64_t& out) const noexcept;
  bool try_add_working_days(int64_t start, int32_t days, int64_t& out) const noexcept;

  // Seconds east of UTC in force at t (for rendering local times).
  int32_t utc_offset_at(int64_t t) const noexcept;

  const CalendarSpec& spec() const noexcept;
  // The instants the supported range maps to: [min_time(), max_time()].
  int64_t min_time() const noexcept;
  int64_t max_time() const noexcept;

  // The last date (YYYYMMDD) its base calendar's official data (the State Council's notices)
  // covers; 0 for a calendar without a base, which is never provisional. Later dates are
  // provisional: their statutory holidays come from the law, their make-up working days are
  // not known yet (README "The built-in China calendar").
  int32_t data_until() const noexcept;
  // The base data it was built with: "cn 2025-11-04 (built-in)", "cn 2026-11-20
  // (/usr/share/crmpolicy/calendars/cn.txt)" (the date of the newest notice), or "" without a base.
  std::string data_version() const;
  // The dates from..to (YYYYMMDD, inclusive; at most 1,000 days) that differ from the weekly hours.
  Result<std::vector<CalendarDay>> special_days(int32_t from_yyyymmdd, int32_t to_yyyymmdd) const;

 private:
  friend struct detail::CalendarAccess;
  explicit Calendar(std::shared_ptr<const detail::CalendarImpl> impl);
  std::shared_ptr<const detail::CalendarImpl> impl_;
};

}  // namespace crm
