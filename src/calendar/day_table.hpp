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

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "calendar/time_zone.hpp"
#include "core/civil_date.hpp"
#include "crmpolicy/calendar.hpp"

namespace crm::detail {

// A working span of a day, in seconds from the day's start (a day lasts at most 25 hours).
struct UtcSpan {
  int32_t begin;   // offset from the day's local midnight, in UTC seconds
  int32_t length;
  int32_t before;  // working seconds of the day before `begin`
  int32_t after;   // ... and after its end: before + length
  int32_t end() const { return begin + length; }
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

  // Memory held, in bytes (issue 16 bounds it at 4 MB per calendar).
  size_t bytes() const {
    return days_.capacity() * sizeof(Day) + working_.capacity() * sizeof(WorkingDay) +
           shapes_.capacity() * sizeof(DayShape) + spans_.capacity() * sizeof(UtcSpan);
  }
  size_t day_count() const { return day_count_; }
  size_t working_day_count() const { return working_day_count_; }
  int64_t total_work() const { return total_work_; }
  const Day& day(size_t d) const { return days_[d]; }
  bool is_working_day(size_t d) const { return days_[d + 1].working_before != days_[d].working_before; }

  // The local date (index) of an instant in [first day's start, sentinel's start].
  size_t day_of(int64_t t) const {
    // Unsigned: t is not before the first day, and dividing so is a multiplication and a shift.
    const size_t d0 = static_cast<size_t>(static_cast<uint64_t>(t - first_start_) / uint64_t{kSecondsPerDay});
    size_t d = std::min(d0, day_count_ - 1);
    while (d > 0 && days_[d].start > t) --d;  // offsets drift by hours, so this is off by a day at most
    while (d + 1 < day_count() && days_[d + 1].start <= t) ++d;
    return d;
  }

  // Working seconds from the table's start to t.
  int64_t work_before(int64_t t) const {
    const Day& day = days_[day_of(t)];
    return work_before(day, t);
  }

  // The instant `seconds` working seconds after t: the smallest by which they have elapsed (a
  // deadline on a span's end stays there), or for 0 the next instant at which work goes on.
  // False when that is past the table's end.
  [[gnu::always_inline]] bool add_work(int64_t t, int64_t seconds, int64_t& out) const {
    switch (spans_per_day_) {  // days of one or two spans (a lunch break) get loops the compiler unrolls
      case 1: return add_work<1>(t, seconds, out);
      case 2: return add_work<2>(t, seconds, out);
      default: return add_work<0>(t, seconds, out);
    }
  }

  bool is_working_time(int64_t t) const;

  // Close of business of working day i (0-based, i < working_day_count()).
  int64_t close_of(size_t i) const { return working_[i].start + working_[i].close; }

 private:
  // Spans per day: N, or spans_per_day_ for N = 0.
  template <uint32_t N>
  uint32_t span_count() const { return N ? N : spans_per_day_; }
  template <uint32_t N>
  const UtcSpan* spans_of(uint32_t shape) const { return spans_.data() + size_t{shape} * span_count<N>(); }

  template <uint32_t N = 0>
  int64_t work_before(const Day& day, int64_t t) const {
    const UtcSpan* spans = spans_of<N>(day.shape);
    const int64_t offset = t - day.start;
    int64_t done = working_[static_cast<size_t>(day.working_before)].work_before;
    for (uint32_t i = 0; i < span_count<N>(); ++i) {  // branch-free: each span's part before t
      const int64_t into = offset - spans[i].begin;
      done += std::min(std::max(into, int64_t{0}), int64_t{spans[i].length});
    }
    return done;
  }

  template <uint32_t N>
  bool add_work(int64_t t, int64_t seconds, int64_t& out) const {
    const Day& day = days_[day_of(t)];
    const int64_t work = work_before<N>(day, t) + seconds;
    const auto from = static_cast<size_t>(day.working_before);
    if (seconds > 0) {
      if (work > total_work_) return false;
      out = instant_of_work<N, true>(work, from);
    } else {
      if (work >= total_work_) return false;
      out = instant_of_work<N, false>(work, from);
    }
    return true;
  }

  // The instant `work` working seconds reach (closing: where they are used up; else where work
  // goes on after them), searched from working day `from` on.
  template <uint32_t N, bool closing>
  int64_t instant_of_work(int64_t work, size_t from) const {
    // The working day sought is the last one starting with at most `limit` seconds done.
    const int64_t limit = closing ? work - 1 : work;
    // A multiplication, not a division: dividing costs more than all the rest of a call, and the
    // estimate need not be exact (it is checked); it is, for days of the ordinary length.
    const auto ahead = static_cast<uint64_t>(limit - working_[from].work_before);
    size_t i = from + static_cast<size_t>((ahead * per_ordinary_work_) >> 32);
    if (i >= working_day_count() || working_[i].work_before > limit || working_[i + 1].work_before <= limit)
      i = last_working_day_by(limit, from, i);
    const WorkingDay& wd = working_[i];
    const UtcSpan* spans = spans_of<N>(wd.shape);
    const int64_t rel = work - wd.work_before;
    size_t j = 0;  // spans wholly used up before `work` (never the last real one, nor an empty one)
    for (uint32_t k = 0; k < span_count<N>(); ++k)
      j += static_cast<size_t>(spans[k].after <= limit - wd.work_before);
    return wd.start + spans[j].begin + (rel - spans[j].before);
  }

  // The last working day i >= from starting with at most `limit` seconds done, given that `from`
  // does and the sentinel does not, when the estimate was wrong: the calendar's days differ in
  // length. Galloping from the estimate touches a few entries instead of bisecting 60,000.
  size_t last_working_day_by(int64_t limit, size_t from, size_t estimate) const;

  void pad_spans();

  std::vector<Day> days_;             // one per local date, plus a sentinel at 2200-01-01
  std::vector<WorkingDay> working_;   // one per working day, plus a sentinel holding the totals
  std::vector<DayShape> shapes_;      // 0: no work; 1-7: Monday..Sunday of the weekly pattern
  std::vector<UtcSpan> spans_;
  // Kept apart from the vectors' sizes: they are read on every call, and a size is a division.
  size_t day_count_ = 0, working_day_count_ = 0;
  int64_t first_start_ = 0;  // days_[0].start
  int64_t total_work_ = 0;
  uint32_t spans_per_day_ = 1;        // every shape's, the last ones empty (pad_spans)
  uint64_t per_ordinary_work_ = 0;    // 2^32 / the weekly pattern's work per working day, rounded up
};

}  // namespace crm::detail
