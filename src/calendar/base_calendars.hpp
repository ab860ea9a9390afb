// SPDX-License-Identifier: Apache-2.0
// Built-in statutory calendars that a calendar JSON can name as its "base".
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/status.hpp"

namespace crm::detail {

// BaseDay::notice of a day the law gives in a year no notice covers yet (a provisional day).
inline constexpr size_t kByLaw = std::numeric_limits<size_t>::max();

struct BaseDay {
  int32_t day;   // day number (days since 1970-01-01)
  bool working;  // true: make-up working day; false: day off
  std::string name;
  size_t notice;  // index into BaseCalendar::notices, or kByLaw
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
  int32_t official_until = -1;  // day number of the last day the notices cover (Dec 31 of the newest notice's year)
  std::string source;           // the file it was read from, or "built-in"
  std::string text;             // the data as read (a database pins it: store/calendar_data.cpp)
};

// Parses the data/calendars/*.txt format; errors name the line.
Result<BaseCalendar> parse_base_calendar(std::string_view text);

// Adds, for every year after the newest notice's up to 2199, the days off the law gives
// (calendar/cn_statutory.hpp), as kByLaw days, and sets official_until.
void complete_by_law(BaseCalendar& calendar);

// "cn 2025-11-04": the base's name and the date of its newest notice.
std::string base_data_version(const BaseCalendar& calendar);
// Whether `a` covers later notices than `b` (by the newest notice's year, then its date).
bool newer_data(const BaseCalendar& a, const BaseCalendar& b);

// Parses `text` and completes it by law; errors name the line.
Result<std::shared_ptr<const BaseCalendar>> base_calendar_from_text(std::string_view text, std::string source);

// The data file a base calendar is read from: $CRMPOLICY_DATA_DIR/calendars/<name>.txt when the
// variable is set, else <installed datadir>/crmpolicy/calendars/<name>.txt.
std::string base_calendar_path(std::string_view name);

// The base calendar of that name ("cn"), completed by law; nullptr for an unknown name. Read from
// base_calendar_path() when that file exists (again whenever the file changes), else the
// compiled-in copy. A file that is malformed, or whose notices end before the compiled-in ones,
// is invalid_argument naming the file (and line). Thread-safe; a calendar keeps the data it
// was built with.
Result<std::shared_ptr<const BaseCalendar>> find_base_calendar(std::string_view name);

}  // namespace crm::detail
