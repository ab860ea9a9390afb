// SPDX-License-Identifier: Apache-2.0
// What a crm::Calendar shares between its copies: its spec, time zone, the provenance of every
// special date, and the day table.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "calendar/base_calendars.hpp"
#include "core/civil_date.hpp"
#include "calendar/time_zone.hpp"
#include "calendar/day_table.hpp"
#include "crmpolicy/calendar.hpp"

namespace crm::detail {

// Why a date has the hours it has.
enum class DayKind : uint8_t {
  working,       // the weekly hours
  weekly_off,    // a weekday without hours (a weekend)
  base_holiday,  // a statutory holiday of the base calendar
  base_workday,  // a statutory make-up working day (Monday hours)
  own_holiday,   // listed in the calendar's holidays
  own_workday,   // listed in the calendar's workdays
  out_of_range,  // before 1970-01-01 or after 2199-12-31
};
const char* day_kind_name(DayKind kind);

struct DayInfo {
  DayKind kind;
  const DaySpans* spans;    // local spans of the date (empty: no work)
  const std::string* name;  // the base calendar's name for the day (元旦, 春节, ...), or nullptr
};

class CalendarImpl {
 public:
  // `base` may be null; `spec` has been validated.
  CalendarImpl(CalendarSpec spec, TimeZone tz, std::shared_ptr<const BaseCalendar> base);

  DayInfo day(int32_t day) const;
  // UTC instant of a local time on a date (seconds after local midnight; gaps and overlaps resolved).
  int64_t local_to_utc(int32_t day, int64_t seconds_after_midnight) const;
  // Local date (days since 1970-01-01) of an instant within the supported range.
  int32_t local_day(int64_t t) const;

  CalendarSpec spec;
  TimeZone tz;
  std::string base_version;  // e.g. "cn 2025-11-04" (date of the newest notice), or empty
  std::shared_ptr<const BaseCalendar> base;  // the data the calendar was built with, or null
  // Last local day of official data (notices); days after it are provisional. kEndDay without a base.
  int32_t official_until = kEndDay;
  bool provisional(int32_t day) const { return day > official_until; }

 private:
  struct Special {
    int32_t day;
    DayKind kind;
    const DaySpans* spans;
    const std::string* name;
  };
  std::vector<Special> specials_;  // ascending by day, one per day
  std::vector<Special> build_specials() const;

 public:
  DayTable table;
  int64_t min_time;  // local 1970-01-01 00:00 in UTC
  int64_t max_time;  // local 2200-01-01 00:00 in UTC
};

// Lets library code reach a Calendar's internals without widening the public API.
struct CalendarAccess {
  static const CalendarImpl& impl(const Calendar& calendar) { return *calendar.impl_; }
  static Calendar make(std::shared_ptr<const CalendarImpl> impl) { return Calendar(std::move(impl)); }
};

// Calendar::build on the given base data instead of the current one (a database's pinned data);
// `base` is used only when the spec names a base.
Result<Calendar> build_calendar(const CalendarSpec& spec, std::shared_ptr<const BaseCalendar> base);

// Whether a result at instant t (a due time) rests on provisional days: its local date is after
// the calendar's official data.
inline bool provisional_at(const Calendar& calendar, int64_t t) {
  const CalendarImpl& impl = CalendarAccess::impl(calendar);
  if (!impl.base) return false;
  return t >= impl.max_time || impl.provisional(impl.local_day(std::max(t, impl.min_time)));
}

}  // namespace crm::detail
