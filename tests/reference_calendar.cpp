// SPDX-License-Identifier: Apache-2.0
#include "reference_calendar.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <set>

#include "calendar/base_calendars.hpp"
#include "test_time.hpp"

namespace crm::test {

namespace {
const DaySpans kNone;
constexpr int64_t kEndDay = 84006;  // 2200-01-01

int64_t day_of_yyyymmdd(int32_t d) { return days_from_civil(d / 10000, d / 100 % 100, d % 100); }
}  // namespace

ReferenceCalendar::ReferenceCalendar(CalendarSpec spec) : spec_(std::move(spec)) {
  const std::string& z = spec_.time_zone;
  if (!z.empty() && (z[0] == '+' || z[0] == '-')) {
    // POSIX TZ counts west of Greenwich: "+08:00" is "<FIX>-08:00".
    tz_env_ = std::string("<FIX>") + (z[0] == '+' ? "-" : "+") + z.substr(1);
  } else {
    tz_env_ = ":" + z;
  }
}

void ReferenceCalendar::select_zone() const {
  const char* current = std::getenv("TZ");
  if (current && tz_env_ == current) return;
  setenv("TZ", tz_env_.c_str(), 1);
  tzset();
}

int32_t ReferenceCalendar::offset_at(int64_t t) const {
  select_zone();
  const time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  localtime_r(&tt, &tm);
  return static_cast<int32_t>(tm.tm_gmtoff);
}

int64_t ReferenceCalendar::local_day_of(int64_t t) const {
  select_zone();
  const time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  localtime_r(&tt, &tm);
  return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t ReferenceCalendar::to_utc(int64_t local) const {
  // Every offset in force within two days either side is a candidate; valid ones reproduce `local`.
  std::set<int32_t> offsets;
  for (int64_t probe = -48; probe <= 48; probe += 6) offsets.insert(offset_at(local + probe * 3600));
  std::optional<int64_t> first;
  for (int32_t o : offsets) {
    const int64_t u = local - o;
    if (offset_at(u) == o && (!first || u < *first)) first = u;
  }
  if (first) return *first;
  // In a gap: the answer is the transition, the first instant whose local time is past `local`.
  int64_t lo = local - *offsets.rbegin(), hi = local - *offsets.begin();  // local(lo) < local <= ...
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (mid + offset_at(mid) > local) hi = mid;
    else lo = mid;
  }
  return hi;
}

const DaySpans& ReferenceCalendar::local_spans(int64_t day) const {
  if (day < 0 || day >= kEndDay) return kNone;
  for (const auto& [d, spans] : spec_.workdays)
    if (day_of_yyyymmdd(d) == day) return spans;
  for (int32_t d : spec_.holidays)
    if (day_of_yyyymmdd(d) == day) return kNone;
  if (!spec_.base.empty()) {
    for (const auto& b : (*detail::find_base_calendar(spec_.base))->days)
      if (b.day == day) return b.working ? spec_.weekly_hours[0] : kNone;
  }
  const int64_t weekday = ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
  return spec_.weekly_hours[static_cast<size_t>(weekday)];
}

std::vector<std::pair<int64_t, int64_t>> ReferenceCalendar::utc_spans(int64_t day) const {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const TimeSpan& s : local_spans(day)) {
    const int64_t b = to_utc(day * 86400 + s.begin), e = to_utc(day * 86400 + s.end);
    if (e > b) out.emplace_back(b, e);
  }
  return out;
}

bool ReferenceCalendar::is_working_time(int64_t t) const {
  for (const auto& [b, e] : utc_spans(local_day_of(t)))
    if (b <= t && t < e) return true;
  return false;
}

std::optional<int64_t> ReferenceCalendar::next_working_instant(int64_t t) const {
  for (int64_t day = local_day_of(t); day < kEndDay; ++day)
    for (const auto& [b, e] : utc_spans(day))
      if (t < e) return std::max(b, t);
  return std::nullopt;
}

std::optional<int64_t> ReferenceCalendar::add_working_time(int64_t start, int64_t seconds) const {
  if (seconds == 0) return next_working_instant(start);
  for (int64_t day = local_day_of(start); day < kEndDay; ++day) {
    for (const auto& [b, e] : utc_spans(day)) {
      if (e <= start) continue;
      const int64_t from = std::max(b, start);
      if (seconds <= e - from) return from + seconds;
      seconds -= e - from;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> ReferenceCalendar::add_working_days(int64_t start, int32_t days) const {
  const int64_t first = local_day_of(start);
  if (days == 0) {
    const auto spans = utc_spans(first);
    if (!spans.empty() && start < spans.back().second) return spans.back().second;
    days = 1;
  }
  for (int64_t day = first + 1; day < kEndDay; ++day) {
    const auto spans = utc_spans(day);
    if (!spans.empty() && --days == 0) return spans.back().second;
  }
  return std::nullopt;
}

std::optional<int64_t> ReferenceCalendar::add_calendar_days(int64_t start, int32_t days) const {
  for (int64_t day = local_day_of(start) + days; day < kEndDay; ++day) {
    const auto spans = utc_spans(day);
    if (!spans.empty()) return spans.back().second;
  }
  return std::nullopt;
}

int64_t ReferenceCalendar::working_time_between(int64_t a, int64_t b) const {
  if (b < a) return -working_time_between(b, a);
  int64_t total = 0;
  for (int64_t day = local_day_of(a); day <= local_day_of(b); ++day)
    for (const auto& [s, e] : utc_spans(day)) total += std::max<int64_t>(0, std::min(e, b) - std::max(s, a));
  return total;
}

}  // namespace crm::test
