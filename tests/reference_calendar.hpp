// SPDX-License-Identifier: Apache-2.0
// A deliberately simple calendar, the oracle the fast one is checked against: it walks local days
// one at a time and converts time zones with the C library (glibc reads the same tz database
// through an independent implementation). Slow, obvious, and sharing no code with the week table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crmpolicy/calendar.hpp"

namespace crm::test {

class ReferenceCalendar {
 public:
  explicit ReferenceCalendar(CalendarSpec spec);

  bool is_working_time(int64_t t) const;
  std::optional<int64_t> next_working_instant(int64_t t) const;
  std::optional<int64_t> add_working_time(int64_t start, int64_t seconds) const;
  std::optional<int64_t> add_working_days(int64_t start, int32_t days) const;
  std::optional<int64_t> add_calendar_days(int64_t start, int32_t days) const;
  int64_t working_time_between(int64_t a, int64_t b) const;

  // Working spans of a local day (days since 1970-01-01) as UTC instants.
  std::vector<std::pair<int64_t, int64_t>> utc_spans(int64_t day) const;
  int64_t local_day_of(int64_t t) const;
  int64_t to_utc(int64_t local) const;
  int32_t offset_at(int64_t t) const;

 private:
  const DaySpans& local_spans(int64_t day) const;
  void select_zone() const;

  CalendarSpec spec_;
  std::string tz_env_;
};

}  // namespace crm::test
