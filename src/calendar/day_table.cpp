// SPDX-License-Identifier: Apache-2.0
#include "calendar/day_table.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/civil_date.hpp"

namespace crm::detail {

namespace {

const DaySpans kNoWork;

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
      spans_.push_back({s.begin, s.end, shape.total});
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
  if (weekly_days > 0) ordinary_work_ = std::max<int64_t>(1, weekly_work / weekly_days);
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
        spans_.push_back({b, e, shape.total});
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

    days_.push_back({start, working_days, shape_index});
    const DayShape& shape = shapes_[shape_index];
    if (shape.total > 0) {
      const UtcSpan& last = spans_[shape.first_span + shape.span_count - 1];
      working_.push_back({start, work, static_cast<int32_t>(last.end), shape_index});
      work += shape.total;
      ++working_days;
    }
    start = next;
  }
  days_.push_back({start, working_days, 0});
  working_.push_back({start, work, 0, 0});
}

bool DayTable::is_working_time(int64_t t) const {
  const Day& day = days_[day_of(t)];
  const DayShape& sh = shapes_[day.shape];
  const UtcSpan* spans = spans_.data() + sh.first_span;
  const int64_t offset = t - day.start;
  bool inside = false;
  for (uint32_t i = 0; i < sh.span_count; ++i) inside |= spans[i].begin <= offset && offset < spans[i].end;
  return inside;
}

}  // namespace crm::detail
