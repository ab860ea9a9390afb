// SPDX-License-Identifier: Apache-2.0
// The precomputed form of a calendar: working-time arithmetic in a few array reads, no day walking.
//
// One entry per local date from 1970-01-01 to 2199-12-31 (84,006) holds the UTC instant of its
// local midnight, how many working days come before it and its shape: its working spans as UTC
// offsets from that midnight. A second array lists the working days alone, with the working
// seconds before each, so "the n-th working day" is an index and "where do W working seconds end"
// is an estimate (W over an ordinary day's work) checked against one or two neighbours. Days of
// one UTC offset throughout share their weekday's shape, or their special date's (every 春节 day
// shares the holiday shape); only days holding a DST transition get shapes of their own.
// About 2.8 MB per calendar; a cn calendar builds in well under a millisecond.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "calendar/time_zone.hpp"
#include "core/civil_date.hpp"
#include "crmpolicy/calendar.hpp"

namespace crm::detail {

struct UtcSpan {
  int64_t begin;   // offset from the day's local midnight, in UTC seconds
  int64_t end;     // offset from the day's local midnight, in UTC seconds
  int64_t before;  // working seconds of the day before `begin`
};

struct DayShape {
  int64_t total = 0;  // working seconds in the day
  uint32_t first_span = 0;
  uint32_t span_count = 0;
};

// A date that does not follow the weekly pattern, and its spans (empty: no work).
using SpecialDay = std::pair<int32_t, const DaySpans*>;

class DayTable {
 public:
  struct Day {
    int64_t start;          // UTC instant of the local midnight (a DST gap at midnight: its end)
    int32_t working_before; // working days before this one = index of the first working day from it
    uint32_t shape;
  };
  struct WorkingDay {
    int64_t start;        // as Day::start
    int64_t work_before;  // working seconds before this day, from the table's start
    int32_t close;        // close of business (its last span's end), from `start`
    uint32_t shape;
  };

  // `specials` ascending by day, one entry per day.
  DayTable(const TimeZone& tz, const std::array<DaySpans, 7>& weekly, const std::vector<SpecialDay>& specials);

  size_t day_count() const { return days_.size() - 1; }
  size_t working_day_count() const { return working_.size() - 1; }
  int64_t total_work() const { return working_.back().work_before; }
  const Day& day(size_t d) const { return days_[d]; }
  // i in [0, working_day_count()]; the last is a sentinel holding the totals.
  const WorkingDay& working_day(size_t i) const { return working_[i]; }
  bool is_working_day(size_t d) const { return days_[d + 1].working_before != days_[d].working_before; }

  // The local date (index) of an instant in [first day's start, sentinel's start].
  size_t day_of(int64_t t) const {
    int64_t k = (t - days_[0].start) / kSecondsPerDay;
    const int64_t last = static_cast<int64_t>(day_count()) - 1;
    if (k < 0) k = 0;
    if (k > last) k = last;
    size_t d = static_cast<size_t>(k);
    while (d > 0 && days_[d].start > t) --d;  // offsets drift by hours, so this is off by a day at most
    while (d + 1 < day_count() && days_[d + 1].start <= t) ++d;
    return d;
  }

  // Working seconds from the table's start to t.
  int64_t work_before(int64_t t) const {
    const Day& day = days_[day_of(t)];
    const DayShape& sh = shapes_[day.shape];
    const UtcSpan* spans = spans_.data() + sh.first_span;
    const int64_t offset = t - day.start;
    const int64_t before = working_[static_cast<size_t>(day.working_before)].work_before;
    size_t next = 0;  // spans ended by t; counted, not searched: days have one to a few spans
    for (uint32_t i = 0; i < sh.span_count; ++i) next += static_cast<size_t>(spans[i].end <= offset);
    if (next == sh.span_count) return before + sh.total;
    const int64_t into = offset - spans[next].begin;
    return before + spans[next].before + (into > 0 ? into : 0);
  }

  bool is_working_time(int64_t t) const;

  // Smallest instant by which `work` working seconds have elapsed (0 < work <= total_work()),
  // searching from working day `from` on: a deadline that lands on a span's end stays there.
  int64_t instant_closing(int64_t work, size_t from) const { return instant_of_work(work, from, true); }
  // Smallest instant at which work resumes after `work` seconds (work < total_work()).
  int64_t instant_opening(int64_t work, size_t from) const { return instant_of_work(work, from, false); }

  // Close of business of working day i (0-based, i < working_day_count()).
  int64_t close_of(size_t i) const { return working_[i].start + working_[i].close; }

 private:
  int64_t instant_of_work(int64_t work, size_t from, bool closing) const {
    const auto before = [&](size_t i) {
      const int64_t done = working_[i].work_before;
      return closing ? done < work : done <= work;
    };
    const int64_t ahead = work - working_[from].work_before - (closing ? 1 : 0);
    const size_t estimate = from + static_cast<size_t>(ahead / ordinary_work_);
    const size_t i = last_working_day_where(from, estimate, before);
    const WorkingDay& wd = working_[i];
    const DayShape& sh = shapes_[wd.shape];
    const UtcSpan* spans = spans_.data() + sh.first_span;
    const int64_t rel = work - wd.work_before;
    size_t j = 0;  // spans wholly used up before `work`
    for (uint32_t k = 0; k + 1 < sh.span_count; ++k) {
      const int64_t after = spans[k].before + (spans[k].end - spans[k].begin);
      j += static_cast<size_t>(closing ? after < rel : after <= rel);
    }
    return wd.start + spans[j].begin + (rel - spans[j].before);
  }

  // The last working day i >= from with pred(i), given pred(from) and pred monotone (true, then
  // false; false at the sentinel). The estimate is right, or a day off, unless the calendar's days
  // differ in length; galloping from it touches a couple of entries instead of bisecting 60,000.
  template <class Pred>
  size_t last_working_day_where(size_t from, size_t estimate, Pred pred) const {
    size_t lo = from, hi = working_day_count();  // pred(lo), !pred(hi)
    size_t step = 1;
    if (estimate > lo && estimate < hi && !pred(estimate)) {  // too far: gallop back
      hi = estimate;
      while (hi - lo > step && !pred(hi - step)) {
        hi -= step;
        step *= 2;
      }
      if (hi - lo > step) lo = hi - step;
    } else {
      if (estimate > lo && estimate < hi) lo = estimate;
      while (lo + step < hi && pred(lo + step)) {
        lo += step;
        step *= 2;
      }
      if (lo + step < hi) hi = lo + step;
    }
    while (hi - lo > 1) {
      const size_t mid = lo + (hi - lo) / 2;
      if (pred(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  std::vector<Day> days_;             // one per local date, plus a sentinel at 2200-01-01
  std::vector<WorkingDay> working_;   // one per working day, plus a sentinel holding the totals
  std::vector<DayShape> shapes_;      // 0: no work; 1-7: Monday..Sunday of the weekly pattern
  std::vector<UtcSpan> spans_;
  int64_t ordinary_work_ = 1;         // the weekly pattern's work per working day, at least 1
};

}  // namespace crm::detail
