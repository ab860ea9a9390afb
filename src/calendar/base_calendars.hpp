// Built-in statutory calendars that a calendar JSON can name as its "base".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/status.hpp"

namespace crm::detail {

struct BaseDay {
  int32_t day;   // day number (days since 1970-01-01)
  bool working;  // true: make-up working day; false: day off
  std::string name;
  size_t notice;  // index into BaseCalendar::notices
};

struct BaseNotice {
  int32_t year;
  std::string number;  // document number, e.g. 国办发明电〔2024〕12号
  int32_t issued;      // day number
  std::string title;
};

struct BaseCalendar {
  std::vector<BaseNotice> notices;
  std::vector<BaseDay> days;  // ascending by day, one record per day (later notices already applied)
};

// Parses the data/calendars/*.txt format; errors name the line.
Result<BaseCalendar> parse_base_calendar(std::string_view text);

// The built-in calendar of that name ("cn"), parsed once; nullptr for an unknown name.
// Status is internal when the compiled-in data is broken (caught by the test suite).
Result<const BaseCalendar*> find_base_calendar(std::string_view name);

}  // namespace crm::detail
