// SPDX-License-Identifier: Apache-2.0
#include "calendar/week_table.hpp"

#include <algorithm>
#include <map>

#include "core/civil_date.hpp"

namespace crm::detail {

namespace {

constexpr int32_t kFirstMonday = -3;  // 1969-12-29
const DaySpans kNoWork;

// The searches within a week count instead of stopping early: with at most a few dozen sorted
// entries, a branch-free count beats a loop whose exit the CPU cannot predict.
size_t spans_ending_by(const UtcSpan* spans, uint32_t count, int64_t offset) {
  size_t n = 0;
  for (uint32_t i = 0; i < count; ++i) n += static_cast<size_t>(spans[i].end <= offset);
  return n;
}

}  // namespace

WeekTable::WeekTable(const TimeZone& tz, const std::array<DaySpans, 7>& weekly,
                     const std::vector<SpecialDay>& specials) {
  const size_t weeks = static_cast<size_t>((kEndDay - 1 - kFirstMonday) / 7 + 1);
  weeks_.reserve(weeks + 1);
  // Reserve the worst case once: growing these by reallocation maps and faults in fresh pages
  // again and again, which cost more than the whole computation. Untouched reserve is free.
  const auto& all_transitions = tz.transitions();
  const size_t transitions_in_range = static_cast<size_t>(
      std::upper_bound(all_transitions.begin(), all_transitions.end(), int64_t{kEndDay + 8} * kSecondsPerDay) -
      std::lower_bound(all_transitions.begin(), all_transitions.end(), int64_t{kFirstMonday - 1} * kSecondsPerDay));
  size_t max_spans_per_day = 0;
  for (const auto& day : weekly) max_spans_per_day = std::max(max_spans_per_day, day.size());
  for (const auto& special : specials) max_spans_per_day = std::max(max_spans_per_day, special.second->size());
  const size_t max_shapes = std::min(weeks, specials.size() + transitions_in_range + 2) + 1;
  shapes_.reserve(max_shapes);
  spans_.reserve(max_shapes * 7 * max_spans_per_day);

  // Shape 0: the weekly pattern in a week of seven 24-hour days.
  {
    WeekShape regular;
    for (int i = 0; i < 7; ++i) {
      const int64_t midnight = int64_t{i} * kSecondsPerDay;
      regular.day_start[static_cast<size_t>(i)] = midnight;
      regular.days_before[static_cast<size_t>(i) + 1] = regular.days_before[static_cast<size_t>(i)];
      for (const TimeSpan& s : weekly[static_cast<size_t>(i)]) {
        spans_.push_back({midnight + s.begin, midnight + s.end, regular.total});
        regular.total += s.end - s.begin;
        regular.close[static_cast<size_t>(i)] = midnight + s.end;
      }
      if (!weekly[static_cast<size_t>(i)].empty()) ++regular.days_before[static_cast<size_t>(i) + 1];
    }
    regular.day_start[7] = kWeek;
    regular.span_count = static_cast<uint32_t>(spans_.size());
    shapes_.push_back(regular);
  }

  const auto& transitions = tz.transitions();
  size_t next_transition = 0;
  size_t next_special = 0;
  size_t hint = 0;
  int64_t start = tz.to_utc(int64_t{kFirstMonday} * kSecondsPerDay, hint);
  WeekEntry entry{start, 0, 0, 0};
  // Weeks of one UTC offset throughout whose days have the same hours share one shape: the
  // holiday weeks of two centuries come in a few dozen patterns.
  std::map<std::array<const DaySpans*, 7>, uint32_t> shared;

  for (size_t k = 0; k < weeks; ++k) {
    const int32_t monday = kFirstMonday + static_cast<int32_t>(k) * 7;
    while (next_transition < transitions.size() && transitions[next_transition] <= start) ++next_transition;
    // With no transition up to a week later, the next local Monday is exactly a week later.
    const bool transition_near = next_transition < transitions.size() && transitions[next_transition] <= start + kWeek;
    size_t inner_hint = hint;
    const int64_t next = transition_near ? tz.to_utc(int64_t{monday + 7} * kSecondsPerDay, hint) : start + kWeek;
    const bool has_transition = transition_near && transitions[next_transition] < next;
    const size_t specials_begin = next_special;
    while (next_special < specials.size() && specials[next_special].first < monday + 7) ++next_special;
    const bool has_special = next_special != specials_begin;
    const bool in_range = monday >= kFirstDay && monday + 7 <= kEndDay;

    uint32_t shape_index = 0;
    std::array<const DaySpans*, 7> pattern{};
    const bool shareable = has_special && !has_transition && in_range && next - start == kWeek;
    if (shareable) {
      for (size_t i = 0, special = specials_begin; i < 7; ++i) {
        const int32_t day = monday + static_cast<int32_t>(i);
        pattern[i] = special < next_special && specials[special].first == day ? specials[special++].second : &weekly[i];
      }
      if (const auto it = shared.find(pattern); it != shared.end()) shape_index = it->second;
    }
    if (shape_index == 0 && (has_transition || has_special || !in_range || next - start != kWeek)) {
      // A week of its own: map every local span edge to UTC (DST gaps and overlaps resolved there).
      WeekShape shape;
      shape.first_span = static_cast<uint32_t>(spans_.size());
      size_t special = specials_begin;
      for (int i = 0; i < 7; ++i) {
        const auto idx = static_cast<size_t>(i);
        const int32_t day = monday + i;
        const int64_t midnight = int64_t{day} * kSecondsPerDay;
        shape.day_start[idx] = tz.to_utc(midnight, inner_hint) - start;
        const DaySpans* spans = &weekly[idx];
        if (day < kFirstDay || day >= kEndDay) spans = &kNoWork;
        if (special < next_special && specials[special].first == day) spans = specials[special++].second;
        shape.days_before[idx + 1] = shape.days_before[idx];
        bool working = false;
        for (const TimeSpan& s : *spans) {
          const int64_t b = tz.to_utc(midnight + s.begin, inner_hint) - start;
          const int64_t e = tz.to_utc(midnight + s.end, inner_hint) - start;
          if (e <= b) continue;  // the whole span fell into a DST gap
          spans_.push_back({b, e, shape.total});
          shape.total += e - b;
          shape.close[idx] = e;
          working = true;
        }
        if (working) ++shape.days_before[idx + 1];
      }
      shape.day_start[7] = next - start;
      shape.span_count = static_cast<uint32_t>(spans_.size()) - shape.first_span;
      shape_index = static_cast<uint32_t>(shapes_.size());
      shapes_.push_back(shape);
      if (shareable) shared.emplace(pattern, shape_index);
    }
    entry.shape = shape_index;
    weeks_.push_back(entry);
    const WeekShape& shape = shapes_[shape_index];
    entry = {next, entry.work_before + shape.total, entry.days_before + shape.days_before[7], 0};
    start = next;
  }
  weeks_.push_back(entry);
}

WeekTable::Position WeekTable::locate(int64_t t) const {
  const WeekEntry& week = weeks_[week_of(t)];
  const WeekShape& sh = shapes_[week.shape];
  const UtcSpan* spans = spans_.data() + sh.first_span;
  const int64_t offset = t - week.start;
  return {week, sh, spans, spans_ending_by(spans, sh.span_count, offset), offset};
}

int64_t WeekTable::work_before(int64_t t) const {
  const Position p = locate(t);
  if (p.next == p.shape.span_count) return p.week.work_before + p.shape.total;
  return p.week.work_before + p.spans[p.next].before + std::max<int64_t>(0, p.offset - p.spans[p.next].begin);
}

bool WeekTable::is_working_time(int64_t t) const {
  const Position p = locate(t);
  return p.next < p.shape.span_count && p.spans[p.next].begin <= p.offset;
}

// The last week k >= from_week with pred(k) true, given pred(from_week) is true and pred is
// monotone (true, then false). Ordinary weeks all hold the same work, so `estimate` (where the
// target would be if every week were ordinary) is usually right or one week off; galloping from
// there touches a couple of entries instead of bisecting twelve thousand weeks.
template <class Pred>
size_t WeekTable::last_week_where(size_t from_week, size_t estimate, Pred pred) const {
  const size_t weeks = weeks_.size() - 1;
  size_t lo = from_week;
  if (estimate > from_week && estimate < weeks && pred(estimate)) lo = estimate;
  size_t step = 1, hi = lo + 1;
  while (hi < weeks && pred(hi)) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > weeks) hi = weeks;
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (pred(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

int64_t WeekTable::instant_of_work(int64_t work, size_t from_week, bool closing) const {
  const auto before = [&](int64_t done) { return closing ? done < work : done <= work; };
  const int64_t ordinary = shapes_[0].total;
  const size_t estimate =
      ordinary > 0 ? from_week + static_cast<size_t>((work - weeks_[from_week].work_before - 1) / ordinary) : from_week;
  const size_t k = last_week_where(from_week, estimate, [&](size_t w) { return before(weeks_[w].work_before); });
  const WeekShape& sh = shape(k);
  const UtcSpan* spans = spans_.data() + sh.first_span;
  const int64_t rel = work - weeks_[k].work_before;
  size_t i = 0;  // spans wholly used up before `work`
  for (uint32_t j = 0; j < sh.span_count; ++j) {
    const int64_t after = spans[j].before + (spans[j].end - spans[j].begin);
    i += static_cast<size_t>(closing ? after < rel : after <= rel);
  }
  return weeks_[k].start + spans[i].begin + (rel - spans[i].before);
}

size_t WeekTable::day_in_week(size_t week, int64_t t) const {
  const int64_t off = t - weeks_[week].start;
  if (weeks_[week].shape == 0) return static_cast<size_t>(std::min<int64_t>(off / kSecondsPerDay, 6));
  const WeekShape& sh = shape(week);
  size_t i = 0;
  for (size_t d = 1; d < 7; ++d) i += static_cast<size_t>(sh.day_start[d] <= off);
  return i;
}

int64_t WeekTable::close_of_working_day(int32_t n, size_t from_week) const {
  const int32_t ordinary = shapes_[0].days_before[7];
  const size_t estimate =
      ordinary > 0 ? from_week + static_cast<size_t>((n - weeks_[from_week].days_before - 1) / ordinary) : from_week;
  const size_t k = last_week_where(from_week, estimate, [&](size_t w) { return weeks_[w].days_before < n; });
  const WeekShape& sh = shape(k);
  const int32_t rel = n - weeks_[k].days_before;
  size_t j = 0;  // the day on which the count reaches rel
  for (size_t d = 1; d < 7; ++d) j += static_cast<size_t>(sh.days_before[d] < rel);
  return weeks_[k].start + sh.close[j];
}

}  // namespace crm::detail
