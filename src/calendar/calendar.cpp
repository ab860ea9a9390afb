// SPDX-License-Identifier: Apache-2.0
#include "crmpolicy/calendar.hpp"

#include <algorithm>
#include <set>

#include "calendar/base_calendars.hpp"
#include "calendar/calendar_impl.hpp"
#include "calendar/calendar_json.hpp"
#include "calendar/time_of_day.hpp"
#include "core/civil_date.hpp"

namespace crm {

namespace detail {

const char* day_kind_name(DayKind kind) {
  switch (kind) {
    case DayKind::working: return "working";
    case DayKind::weekly_off: return "weekly_off";
    case DayKind::base_holiday: return "holiday";
    case DayKind::base_workday: return "makeup_workday";
    case DayKind::own_holiday: return "company_holiday";
    case DayKind::own_workday: return "company_workday";
    case DayKind::out_of_range: return "out_of_range";
  }
  return "unknown";
}

namespace {
const DaySpans kNoWork;
}

CalendarImpl::CalendarImpl(CalendarSpec s, TimeZone zone, std::shared_ptr<const BaseCalendar> b)
    : spec(std::move(s)), tz(std::move(zone)), base(std::move(b)), specials_(build_specials()), table([&] {
        std::vector<SpecialDay> days;
        days.reserve(specials_.size());
        for (const Special& sp : specials_) days.emplace_back(sp.day, sp.spans);
        return DayTable(tz, spec.weekly_hours, days);
      }()) {
  size_t hint = 0;
  min_time = tz.to_utc(int64_t{kFirstDay} * kSecondsPerDay, hint);
  max_time = tz.to_utc(int64_t{kEndDay} * kSecondsPerDay, hint);
  if (base && !base->notices.empty()) base_version = base_data_version(*base);
  if (base) official_until = base->official_until;
}

// Precedence, lowest first: weekly pattern < base calendar < own holidays < own workdays.
std::vector<CalendarImpl::Special> CalendarImpl::build_specials() const {
  struct Ranked {
    Special special;
    int rank;
  };
  std::vector<Ranked> ranked;
  if (base) {
    ranked.reserve(base->days.size() + spec.holidays.size() + spec.workdays.size());
    for (const BaseDay& d : base->days)
      ranked.push_back({{d.day, d.working ? DayKind::base_workday : DayKind::base_holiday,
                         d.working ? &spec.weekly_hours[0] : &kNoWork, &d.name},
                        0});
  }
  for (int32_t d : spec.holidays)
    ranked.push_back({{*day_number_from_yyyymmdd(d), DayKind::own_holiday, &kNoWork, nullptr}, 1});
  for (const auto& [d, spans] : spec.workdays)
    ranked.push_back({{*day_number_from_yyyymmdd(d), DayKind::own_workday, &spans, nullptr}, 2});
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.special.day != b.special.day ? a.special.day < b.special.day : a.rank < b.rank;
  });
  std::vector<Special> out;
  out.reserve(ranked.size());
  for (size_t i = 0; i < ranked.size(); ++i)
    if (i + 1 == ranked.size() || ranked[i + 1].special.day != ranked[i].special.day)  // highest rank wins
      out.push_back(ranked[i].special);
  return out;
}

DayInfo CalendarImpl::day(int32_t d) const {
  if (d < kFirstDay || d >= kEndDay) return {DayKind::out_of_range, &kNoWork, nullptr};
  const auto it = std::lower_bound(specials_.begin(), specials_.end(), d,
                                   [](const Special& s, int32_t value) { return s.day < value; });
  if (it != specials_.end() && it->day == d) return {it->kind, it->spans, it->name};
  const DaySpans& weekly = spec.weekly_hours[static_cast<size_t>(weekday_of(d))];
  return {weekly.empty() ? DayKind::weekly_off : DayKind::working, &weekly, nullptr};
}

int64_t CalendarImpl::local_to_utc(int32_t d, int64_t seconds_after_midnight) const {
  size_t hint = 0;
  return tz.to_utc(int64_t{d} * kSecondsPerDay + seconds_after_midnight, hint);
}

int32_t CalendarImpl::local_day(int64_t t) const {
  return kFirstDay + static_cast<int32_t>(table.day_of(t));
}

}  // namespace detail

namespace {

using detail::format_iso_date;
using detail::kSecondsPerDay;

Status validate_spec(const CalendarSpec& spec) {
  static const char* kNames[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (size_t i = 0; i < 7; ++i) {
    Status s = detail::validate_day_spans(spec.weekly_hours[i]);
    if (!s.ok()) return Status::invalid_argument(std::string("weekly_hours[") + kNames[i] + "]: " + s.message());
  }
  const auto check_date = [](int32_t yyyymmdd, const char* field) -> Status {
    const auto day = detail::day_number_from_yyyymmdd(yyyymmdd);
    if (!day) return Status::invalid_argument(std::string(field) + ": " + std::to_string(yyyymmdd) + " is not a valid YYYYMMDD date");
    if (*day < detail::kFirstDay || *day >= detail::kEndDay)
      return Status::out_of_range(std::string(field) + ": " + std::to_string(yyyymmdd) + " is outside 1970-01-01..2199-12-31");
    return {};
  };
  std::set<int32_t> holidays;
  for (int32_t d : spec.holidays) {
    Status s = check_date(d, "holidays");
    if (!s.ok()) return s;
    if (!holidays.insert(d).second) return Status::invalid_argument("holidays: " + std::to_string(d) + " listed twice");
  }
  for (const auto& [d, spans] : spec.workdays) {
    Status s = check_date(d, "workdays");
    if (!s.ok()) return s;
    if (holidays.count(d))
      return Status::invalid_argument("workdays: " + std::to_string(d) + " is also listed in holidays");
    s = detail::validate_day_spans(spans);
    if (!s.ok()) return Status::invalid_argument("workdays[" + std::to_string(d) + "]: " + s.message());
  }
  if (!spec.base.empty() && spec.base != "cn")
    return Status::invalid_argument("base: unknown base calendar \"" + spec.base + "\" (the built-in one is \"cn\")");
  return {};
}

Status range_error(int64_t t, const char* what) {
  return Status::out_of_range(std::string(what) + " " + std::to_string(t) +
                              " is outside the calendar's supported range (local dates 1970-01-01 to 2199-12-31)");
}

}  // namespace

Calendar::Calendar(std::shared_ptr<const detail::CalendarImpl> impl) : impl_(std::move(impl)) {}

namespace detail {

Result<Calendar> build_calendar(const CalendarSpec& spec, std::shared_ptr<const BaseCalendar> base) {
  if (Status s = validate_spec(spec); !s.ok()) return s;
  auto tz = TimeZone::load(spec.time_zone);
  if (!tz.ok()) return std::move(tz).status();
  if (spec.base.empty()) base = nullptr;
  return CalendarAccess::make(std::make_shared<const CalendarImpl>(spec, std::move(*tz), std::move(base)));
}

}  // namespace detail

Result<Calendar> Calendar::build(const CalendarSpec& spec) {
  std::shared_ptr<const detail::BaseCalendar> base;
  if (!spec.base.empty()) {
    if (Status s = validate_spec(spec); !s.ok()) return s;
    auto found = detail::find_base_calendar(spec.base);
    if (!found.ok()) return std::move(found).status();
    base = std::move(*found);
  }
  return detail::build_calendar(spec, std::move(base));
}

Result<Calendar> Calendar::from_json(std::string_view json) {
  auto spec = detail::parse_calendar_json(json);
  if (!spec.ok()) return std::move(spec).status();
  return build(*spec);
}

const CalendarSpec& Calendar::spec() const noexcept { return impl_->spec; }
int32_t Calendar::utc_offset_at(int64_t t) const noexcept { return impl_->tz.offset_at(t); }
int64_t Calendar::min_time() const noexcept { return impl_->min_time; }
int64_t Calendar::max_time() const noexcept { return impl_->max_time; }

std::string Calendar::data_version() const {
  return impl_->base ? impl_->base_version + " (" + impl_->base->source + ")" : std::string();
}

Result<std::vector<CalendarDay>> Calendar::special_days(int32_t from_yyyymmdd, int32_t to_yyyymmdd) const {
  const auto from = detail::day_number_from_yyyymmdd(from_yyyymmdd), to = detail::day_number_from_yyyymmdd(to_yyyymmdd);
  if (!from || !to || *to < *from) return Status::invalid_argument("special_days: expected two YYYYMMDD dates, the first not after the second");
  if (*to - *from >= 1000) return Status::invalid_argument("special_days: at most 1,000 days at a time");
  std::vector<CalendarDay> out;
  for (int32_t d = std::max(*from, detail::kFirstDay); d <= std::min(*to, detail::kEndDay - 1); ++d) {
    const detail::DayInfo info = impl_->day(d);
    if (info.kind == detail::DayKind::working || info.kind == detail::DayKind::weekly_off) continue;
    int64_t y = 0, m = 0, day = 0;
    detail::civil_from_days(d, y, m, day);
    out.push_back({static_cast<int32_t>(y * 10000 + m * 100 + day), detail::day_kind_name(info.kind),
                   info.name ? *info.name : std::string(), impl_->provisional(d)});
  }
  return out;
}

int32_t Calendar::data_until() const noexcept {
  if (!impl_->base) return 0;
  int64_t y = 0, m = 0, d = 0;
  detail::civil_from_days(impl_->official_until, y, m, d);
  return static_cast<int32_t>(y * 10000 + m * 100 + d);
}

#define CRM_CHECK_RANGE(t, what) \
  if ((t) < impl_->min_time || (t) > impl_->max_time) return range_error((t), (what))

Result<bool> Calendar::is_working_time(int64_t t) const {
  CRM_CHECK_RANGE(t, "instant");
  return impl_->table.is_working_time(t);
}

Result<bool> Calendar::is_working_day(int32_t yyyymmdd) const {
  const auto day = detail::day_number_from_yyyymmdd(yyyymmdd);
  if (!day) return Status::invalid_argument("date " + std::to_string(yyyymmdd) + " is not a valid YYYYMMDD date");
  if (*day < detail::kFirstDay || *day >= detail::kEndDay)
    return Status::out_of_range("date " + std::to_string(yyyymmdd) + " is outside 1970-01-01..2199-12-31");
  return impl_->table.is_working_day(static_cast<size_t>(*day - detail::kFirstDay));
}

bool Calendar::try_add_working_time(int64_t start, int64_t seconds, int64_t& out) const noexcept {
  const auto& table = impl_->table;
  return seconds >= 0 && start >= impl_->min_time && start <= impl_->max_time && seconds <= table.total_work() &&
         table.add_work(start, seconds, out);
}

bool Calendar::try_add_working_days(int64_t start, int32_t days, int64_t& out) const noexcept {
  if (days < 0 || start < impl_->min_time || start > impl_->max_time) return false;
  const auto& table = impl_->table;
  const size_t d = table.day_of(start);
  const auto first = static_cast<size_t>(table.day(d).working_before);  // this day, when it is a working one
  const bool working = table.is_working_day(d);
  // Day 0 is the start's own day while it is still open; otherwise the count starts after it.
  if (days == 0 && working && start < table.close_of(first)) {
    out = table.close_of(first);
    return true;
  }
  const size_t target = first + (working ? 1 : 0) + static_cast<size_t>(days == 0 ? 1 : days) - 1;
  if (target >= table.working_day_count()) return false;
  out = table.close_of(target);
  return true;
}

Result<int64_t> Calendar::next_working_instant(int64_t t) const {
  int64_t out = 0;
  if (try_add_working_time(t, 0, out)) return out;
  CRM_CHECK_RANGE(t, "instant");
  return Status::out_of_range("no working time after " + std::to_string(t) + " before 2200-01-01");
}

Result<int64_t> Calendar::add_working_time(int64_t start, int64_t seconds) const {
  int64_t out = 0;
  if (try_add_working_time(start, seconds, out)) return out;
  if (seconds < 0)
    return Status::invalid_argument("seconds must be >= 0 (got " + std::to_string(seconds) + ")");
  if (seconds == 0) return next_working_instant(start);
  CRM_CHECK_RANGE(start, "start");
  return Status::out_of_range("adding " + std::to_string(seconds) + " working seconds to " + std::to_string(start) +
                              " goes past 2199-12-31");
}

Result<int64_t> Calendar::add_working_days(int64_t start, int32_t days) const {
  int64_t out = 0;
  if (try_add_working_days(start, days, out)) return out;
  if (days < 0) return Status::invalid_argument("days must be >= 0 (got " + std::to_string(days) + ")");
  CRM_CHECK_RANGE(start, "start");
  return Status::out_of_range("adding " + std::to_string(days) + " working days to " + std::to_string(start) +
                              " goes past 2199-12-31");
}

Result<int64_t> Calendar::add_calendar_days(int64_t start, int32_t days) const {
  if (days < 0) return Status::invalid_argument("days must be >= 0 (got " + std::to_string(days) + ")");
  CRM_CHECK_RANGE(start, "start");
  const auto& table = impl_->table;
  const int64_t d = static_cast<int64_t>(table.day_of(start)) + days;
  if (d >= static_cast<int64_t>(table.day_count()))
    return Status::out_of_range("adding " + std::to_string(days) + " days to " + std::to_string(start) +
                                " goes past 2199-12-31");
  // That day's close when it is a working day, else the next working day's.
  const auto target = static_cast<size_t>(table.day(static_cast<size_t>(d)).working_before);
  if (target >= table.working_day_count())
    return Status::out_of_range("no working day on or after " + format_iso_date(static_cast<int32_t>(d) + detail::kFirstDay));
  return table.close_of(target);
}

Result<int64_t> Calendar::working_time_between(int64_t a, int64_t b) const {
  CRM_CHECK_RANGE(a, "instant");
  CRM_CHECK_RANGE(b, "instant");
  const auto& table = impl_->table;
  return table.work_before(b) - table.work_before(a);
}

#undef CRM_CHECK_RANGE

}  // namespace crm
