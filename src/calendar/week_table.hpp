// SPDX-License-Identifier: Apache-2.0
// The precomputed form of a calendar: O(1) / O(log n) working-time arithmetic, no day walking.
//
// Time is cut into local weeks (Monday 00:00 to Monday 00:00) from 1969-12-29 to the week holding
// 2199-12-31. Per week we keep its UTC start, the working seconds and working days before it, and
// a shape: its working spans as UTC offsets from the week's start. A week whose offset from UTC is
// constant and that holds no special date looks exactly like the weekly pattern, so all such weeks
// share shape 0; only weeks with a holiday, a make-up day, a DST transition or a range edge get a
// shape of their own, and weeks of one offset whose days have the same hours share theirs: a cn
// calendar over 1970-2199, holidays by law included, builds in about 0.15 ms.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "calendar/time_zone.hpp"
#include "crmpolicy/calendar.hpp"

namespace crm::detail {

struct UtcSpan {
  int64_t begin;   // offset from the week's start
  int64_t end;     // offset from the week's start
  int64_t before;  // working seconds in the week before `begin`
};

struct WeekShape {
  std::array<int64_t, 8> day_start{};     // offset of each local midnight; [7] = the week's length
  std::array<int64_t, 7> close{};         // close of business of each day (last span's end)
  std::array<int32_t, 8> days_before{};   // working days among days [0, i)
  uint32_t first_span = 0;
  uint32_t span_count = 0;
  int64_t total = 0;  // working seconds in the week

  bool is_working_day(size_t i) const { return days_before[i + 1] != days_before[i]; }
};

// A date that does not follow the weekly pattern, and its spans (empty: no work).
using SpecialDay = std::pair<int32_t, const DaySpans*>;

// Everything one query needs about a week, in one cache line's worth of neighbours.
struct WeekEntry {
  int64_t start;        // UTC instant of the local Monday 00:00
  int64_t work_before;  // working seconds from the table's start to `start`
  int32_t days_before;  // working days from the table's start to `start`
  uint32_t shape;       // index into the shapes; 0 = the weekly pattern
};

class WeekTable {
 public:
  // `specials` ascending by day, one entry per day. Days outside the supported range have no work.
  WeekTable(const TimeZone& tz, const std::array<DaySpans, 7>& weekly, const std::vector<SpecialDay>& specials);


  // All of these take t in [first instant, last instant] of the table.
  size_t week_of(int64_t t) const {
    const size_t weeks = weeks_.size() - 1;
    int64_t k = (t - weeks_[0].start) / kWeek;
    if (k < 0) k = 0;
    if (k >= static_cast<int64_t>(weeks)) k = static_cast<int64_t>(weeks) - 1;
    size_t w = static_cast<size_t>(k);
    while (w > 0 && weeks_[w].start > t) --w;  // DST moves week starts by hours, never a week
    while (w + 1 < weeks && weeks_[w + 1].start <= t) ++w;
    return w;
  }
  const WeekShape& shape(size_t week) const { return shapes_[weeks_[week].shape]; }
  int64_t week_start(size_t week) const { return weeks_[week].start; }

  // Working seconds from the table's first week to t.
  int64_t work_before(int64_t t) const;
  int64_t total_work() const { return weeks_.back().work_before; }
  int32_t total_working_days() const { return weeks_.back().days_before; }

  // Smallest instant by which `work` working seconds have elapsed (work > 0, <= total_work()):
  // a deadline that lands on a span's end stays there.
  int64_t instant_closing(int64_t work, size_t from_week) const { return instant_of_work(work, from_week, true); }
  // Smallest instant at which work resumes after `work` seconds (work < total_work()).
  int64_t instant_opening(int64_t work, size_t from_week) const { return instant_of_work(work, from_week, false); }

  bool is_working_time(int64_t t) const;

  // Local day index (0 = Monday) within the week of t.
  size_t day_in_week(size_t week, int64_t t) const;
  // Working days among all days before day i of week.
  int32_t working_days_before(size_t week, size_t i) const { return weeks_[week].days_before + shape(week).days_before[i]; }
  // Close of business of the n-th working day (1-based, counted from the table's start).
  int64_t close_of_working_day(int32_t n, size_t from_week) const;

  static constexpr int64_t kWeek = 7 * 86400;

 private:
  // Where an instant falls: its week, that week's spans, and the first span ending after it.
  struct Position {
    const WeekEntry& week;
    const WeekShape& shape;
    const UtcSpan* spans;
    size_t next;
    int64_t offset;  // from the week's start
  };
  Position locate(int64_t t) const;

  template <class Pred>
  size_t last_week_where(size_t from_week, size_t estimate, Pred pred) const;
  int64_t instant_of_work(int64_t work, size_t from_week, bool closing) const;

  std::vector<WeekEntry> weeks_;  // one per week, plus a sentinel holding the totals
  std::vector<WeekShape> shapes_;
  std::vector<UtcSpan> spans_;
};

}  // namespace crm::detail
