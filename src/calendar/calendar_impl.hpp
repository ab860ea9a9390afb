// What a crm::Calendar shares between its copies: the spec it was built from and its week table.
#pragma once

#include "calendar/week_table.hpp"
#include "crmpolicy/calendar.hpp"

namespace crm::detail {

class CalendarImpl {
 public:
  CalendarImpl(const CalendarSpec& spec, const TimeZone& tz, const std::vector<SpecialDay>& specials);

  CalendarSpec spec;
  WeekTable table;
  int64_t min_time;  // local 1970-01-01 00:00 in UTC
  int64_t max_time;  // local 2200-01-01 00:00 in UTC
};

}  // namespace crm::detail
