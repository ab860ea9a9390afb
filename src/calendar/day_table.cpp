// SPDX-License-Identifier: Apache-2.0
#include "calendar/day_table.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/civil_date.hpp"

namespace crm::detail {

namespace {

const DaySpans kNoWork;

UtcSpan span(int64_t begin, int64_t end, int64_t before) {
  return {static_cast<int32_t>(begin), static_cast<int32_t>(end - begin), static_cast<int32_t>(before),
          static_cast<int32_t>(before + end - begin)};
}

}  // namespace

DayTable::DayTable(const TimeZone& tz, const std::array<DaySpans, 7>& weekly, const std::vector<SpecialDay>& specials) {
  const size_t day_total = static_cast<size_t>(kEndDay - kFirstDay);
  // Reserve the worst case once: growing by reallocation maps and faults in fresh pages again and
  // again, which costs more than the whole computation. Untouched reserve is free.
  days_.reserve(day_total + 1);
  working_.reserve(day_total + 1);

  // A shape for spans under one UTC offset all day: local offsets are UTC offsets from midnight.
  const auto plain_shape = [&](const DaySpans& local) {
    DayShape shape;
    shape.first_span = static_cast<uint32_t>(spans_.size());
    for (const TimeSpan& s : local) {
      spans_.push_back(span(s.begin, s.end, shape.total));
      shape.total += s.end - s.begin;
    }
    shape.span_count = static_cast<uint32_t>(spans_.size()) - shape.first_span;
    shapes_.push_back(shape);
    return static_cast<uint32_t>(shapes_.size() - 1);
  };
  plain_shape(kNoWork);
  int64_t weekly_work = 0, weekly_days = 0;
  for (const DaySpans& day : weekly) {
    plain_shape(day);
    weekly_work += shapes_.back().total;
    weekly_days += shapes_.back().total > 0;
  }
  if (weekly_work > 0) {
    const auto ordinary = static_cast<uint64_t>(weekly_work / weekly_days);
    per_ordinary_work_ = ((uint64_t{1} << 32) + ordinary - 1) / ordinary;
  }
  // Special dates come in a few kinds (holiday, make-up day, a company's own hours): one shape each.
  std::unordered_map<const DaySpans*, uint32_t> special_shapes;

  const auto& transitions = tz.transitions();
  size_t next_transition = 0, next_special = 0, hint = 0;
  int64_t start = tz.to_utc(int64_t{kFirstDay} * kSecondsPerDay, hint);
  int64_t work = 0;
  int32_t working_days = 0;
  for (int32_t d = kFirstDay; d < kEndDay; ++d) {
    while (next_transition < transitions.size() && transitions[next_transition] <= start) ++next_transition;
    // With no transition up to a day later, the next local midnight is exactly a day later.
    const bool transition_near =
        next_transition < transitions.size() && transitions[next_transition] <= start + kSecondsPerDay;
    size_t inner_hint = hint;
    const int64_t next = transition_near ? tz.to_utc(int64_t{d + 1} * kSecondsPerDay, hint) : start + kSecondsPerDay;
    const int weekday = weekday_of(d);
    const DaySpans* spans = &weekly[static_cast<size_t>(weekday)];
    const bool special = next_special < specials.size() && specials[next_special].first == d;
    if (special) spans = specials[next_special++].second;

    uint32_t shape_index;
    if (transition_near && transitions[next_transition] < next) {
      // A day of its own: map every local span edge to UTC (DST gaps and overlaps resolved there).
      DayShape shape;
      shape.first_span = static_cast<uint32_t>(spans_.size());
      const int64_t midnight = int64_t{d} * kSecondsPerDay;
      for (const TimeSpan& s : *spans) {
        const int64_t b = tz.to_utc(midnight + s.begin, inner_hint) - start;
        const int64_t e = tz.to_utc(midnight + s.end, inner_hint) - start;
        if (e <= b) continue;  // the whole span fell into a DST gap
        spans_.push_back(span(b, e, shape.total));
        shape.total += e - b;
      }
      shape.span_count = static_cast<uint32_t>(spans_.size()) - shape.first_span;
      shapes_.push_back(shape);
      shape_index = static_cast<uint32_t>(shapes_.size() - 1);
    } else if (!special) {
      shape_index = 1 + static_cast<uint32_t>(weekday);
    } else if (const auto it = special_shapes.find(spans); it != special_shapes.end()) {
      shape_index = it->second;
    } else {
      shape_index = spans->empty() ? 0 : plain_shape(*spans);
      special_shapes.emplace(spans, shape_index);
    }

    // Field by field into place: a struct built on the stack and copied as a whole costs a
    // store-forwarding stall per entry, most of the build's time.
    Day& day = days_.emplace_back();
    day.start = start;
    day.working_before = working_days;
    day.shape = shape_index;
    const DayShape& shape = shapes_[shape_index];
    if (shape.total > 0) {
      WorkingDay& wd = working_.emplace_back();
      wd.start = start;
      wd.work_before = work;
      wd.close = spans_[shape.first_span + shape.span_count - 1].end();
      wd.shape = shape_index;
      work += shape.total;
      ++working_days;
    }
    start = next;
  }
  days_.push_back({start, working_days, 0});
  working_.push_back({start, work, 0, 0});
  day_count_ = days_.size() - 1;
  first_start_ = days_[0].start;
  working_day_count_ = working_.size() - 1;
  total_work_ = work;
  pad_spans();
}

// Gives every shape the same number of spans, the last ones empty: the loops over a day's spans
// then run the same number of times whatever the day, which the CPU predicts, and an empty span
// adds no work and holds no instant.
void DayTable::pad_spans() {
  uint32_t most = 1;
  for (const DayShape& shape : shapes_) most = std::max(most, shape.span_count);
  std::vector<UtcSpan> padded;
  padded.reserve(shapes_.size() * most);
  for (DayShape& shape : shapes_) {
    const auto first = spans_.begin() + shape.first_span;
    padded.insert(padded.end(), first, first + shape.span_count);
    const int64_t end = shape.span_count > 0 ? padded.back().end() : 0;
    padded.resize(padded.size() + (most - shape.span_count), span(end, end, shape.total));
    shape.first_span = static_cast<uint32_t>(padded.size() - most);
    shape.span_count = most;
  }
  spans_ = std::move(padded);
  spans_per_day_ = most;
}

size_t DayTable::last_working_day_by(int64_t limit, size_t from, size_t estimate) const {
  const auto done_by = [&](size_t i) { return working_[i].work_before <= limit; };
  size_t lo = from, hi = working_day_count();  // done_by(lo), !done_by(hi)
  size_t step = 1;
  if (estimate > lo && estimate < hi && !done_by(estimate)) {  // too far: gallop back
    hi = estimate;
    while (hi - lo > step && !done_by(hi - step)) {
      hi -= step;
      step *= 2;
    }
    if (hi - lo > step) lo = hi - step;
  } else {
    if (estimate > lo && estimate < hi) lo = estimate;
    while (lo + step < hi && done_by(lo + step)) {
      lo += step;
      step *= 2;
    }
    if (lo + step < hi) hi = lo + step;
  }
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (done_by(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

bool DayTable::is_working_time(int64_t t) const {
  const Day& day = days_[day_of(t)];
  const UtcSpan* spans = spans_of<0>(day.shape);
  const int64_t offset = t - day.start;
  bool inside = false;
  for (uint32_t i = 0; i < spans_per_day_; ++i) inside |= spans[i].begin <= offset && offset < spans[i].end();
  return inside;
}

}  // namespace crm::detail
