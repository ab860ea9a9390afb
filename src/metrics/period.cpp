// SPDX-License-Identifier: Apache-2.0
#include "metrics/period.hpp"

#include <cstdio>

#include "core/civil_date.hpp"

namespace crm::detail {

namespace {

constexpr const char* kNames[] = {"day", "week", "month", "quarter", "half_year", "year"};
constexpr int32_t kMonthsPer[] = {0, 0, 1, 3, 6, 12};  // months in a period of each kind

// Months since 0000-01 of a date.
int32_t month_ordinal(int32_t day) {
  int64_t y, m, d;
  civil_from_days(day, y, m, d);
  return static_cast<int32_t>(y * 12 + m - 1);
}

// Periods made of months are counted from 0000-01; weeks from the Monday before 1970-01-01.
int32_t floor_div32(int32_t a, int32_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

std::optional<PeriodKind> parse_period_kind(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (name == kNames[i]) return static_cast<PeriodKind>(i);
  return std::nullopt;
}

const char* period_kind_name(PeriodKind kind) { return kNames[static_cast<size_t>(kind)]; }

int32_t period_ordinal(PeriodKind kind, int32_t day) {
  switch (kind) {
    case PeriodKind::day: return day;
    case PeriodKind::week: return floor_div32(day + 3, 7);  // week 0 began on Monday 1969-12-29
    default: return floor_div32(month_ordinal(day), kMonthsPer[static_cast<size_t>(kind)]);
  }
}

int32_t period_first_day(PeriodKind kind, int32_t ordinal) {
  switch (kind) {
    case PeriodKind::day: return ordinal;
    case PeriodKind::week: return ordinal * 7 - 3;
    default: {
      const int32_t months = ordinal * kMonthsPer[static_cast<size_t>(kind)];
      return *day_number(months / 12, months % 12 + 1, 1);
    }
  }
}

std::string period_label(PeriodKind kind, int32_t ordinal) {
  const int32_t first = period_first_day(kind, ordinal);
  int64_t y, m, d;
  civil_from_days(first, y, m, d);
  char buf[32];
  switch (kind) {
    case PeriodKind::day: return format_iso_date(first);
    case PeriodKind::week: return format_iso_week(first);
    case PeriodKind::month: std::snprintf(buf, sizeof buf, "%04d-%02d", int(y), int(m)); break;
    case PeriodKind::quarter: std::snprintf(buf, sizeof buf, "%04d-Q%d", int(y), int((m - 1) / 3 + 1)); break;
    case PeriodKind::half_year: std::snprintf(buf, sizeof buf, "%04d-H%d", int(y), int((m - 1) / 6 + 1)); break;
    case PeriodKind::year: std::snprintf(buf, sizeof buf, "%04d", int(y)); break;
  }
  return buf;
}

PeriodTable::PeriodTable(PeriodKind kind, int32_t first_day, int32_t end_day)
    : kind_(kind), first_day_(first_day), end_day_(end_day) {
  if (end_day <= first_day) return;
  first_ordinal_ = period_ordinal(kind, first_day);
  of_day_.resize(static_cast<size_t>(end_day - first_day));
  int32_t ordinal = first_ordinal_, next = period_first_day(kind, ordinal + 1);
  first_days_.push_back(first_day);
  for (int32_t day = first_day; day < end_day; ++day) {
    if (day >= next) {
      ++ordinal;
      next = period_first_day(kind, ordinal + 1);
      first_days_.push_back(day);
    }
    of_day_[static_cast<size_t>(day - first_day)] = ordinal - first_ordinal_;
  }
}

}  // namespace crm::detail
