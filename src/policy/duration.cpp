// SPDX-License-Identifier: Apache-2.0
// What a target's `within` means on a calendar.
#include <algorithm>

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "policy/policy_impl.hpp"

namespace crm::detail {

namespace {

// Opening of the first working day after t's local date.
Result<int64_t> next_working_day_opening(const Calendar& calendar, int64_t t) {
  const CalendarImpl& impl = CalendarAccess::impl(calendar);
  const int32_t tomorrow = impl.local_day(t) + 1;
  if (tomorrow >= kEndDay) return Status::out_of_range("no working day after " + std::to_string(t) + " before 2200");
  return calendar.next_working_instant(impl.local_to_utc(tomorrow, 0));
}

}  // namespace

Status compute_due(const Duration& d, const Calendar& calendar, int64_t received, int64_t& start, int64_t& due) {
  const CalendarImpl& impl = CalendarAccess::impl(calendar);
  if (received < impl.min_time || received > impl.max_time)
    return Status::out_of_range("received_at " + std::to_string(received) +
                                " is outside the calendar's supported range (1970-01-01 to 2199-12-31)");
  start = received;
  Result<int64_t> r = int64_t{0};
  switch (d.kind) {
    case Duration::Kind::clock:
      if (received + d.amount > impl.max_time) return Status::out_of_range("due time past 2199-12-31");
      due = received + d.amount;
      return {};
    case Duration::Kind::working_time: r = calendar.add_working_time(received, d.amount); break;
    case Duration::Kind::calendar_days: r = calendar.add_calendar_days(received, static_cast<int32_t>(d.amount)); break;
    case Duration::Kind::working_days: {
      if (d.cutoff >= 0) {
        // Received on a non-working day or at/after the cut-off: as if received on the next working day.
        const int32_t day = impl.local_day(received);
        const bool working_day = !impl.day(day).spans->empty();
        if (!working_day || received >= impl.local_to_utc(day, d.cutoff)) {
          auto opening = next_working_day_opening(calendar, received);
          if (!opening.ok()) return std::move(opening).status();
          start = *opening;
        }
      }
      r = calendar.add_working_days(start, static_cast<int32_t>(d.amount));
      break;
    }
    case Duration::Kind::next_working_day_at: {
      auto opening = next_working_day_opening(calendar, received);
      if (!opening.ok()) return std::move(opening).status();
      r = impl.local_to_utc(impl.local_day(*opening), d.at);
      break;
    }
  }
  if (!r.ok()) return std::move(r).status();
  due = *r;
  return {};
}

Status schedule_target(const Target& target, const Calendar& calendar, int64_t from, TargetResult& r) {
  if (Status s = compute_due(target.within, calendar, from, r.start, r.due_at); !s.ok())
    return Status(s.code(), "target \"" + target.name + "\": " + s.message());
  // Warn once the given share of the working time before the due time has passed: always a
  // working instant, never a midnight reminder.
  r.working_seconds = std::max<int64_t>(0, *calendar.working_time_between(r.start, r.due_at));
  if (r.working_seconds == 0) {
    r.warn_at = r.due_at;
  } else {
    const auto share = static_cast<int64_t>(static_cast<double>(r.working_seconds) * target.warn_at);
    auto warn = calendar.add_working_time(r.start, std::max<int64_t>(share, 1));
    r.warn_at = warn.ok() ? std::min(*warn, r.due_at) : r.due_at;
  }
  r.provisional = provisional_at(calendar, r.due_at);
  r.due_offset = calendar.utc_offset_at(r.due_at);
  r.warn_offset = calendar.utc_offset_at(r.warn_at);
  return {};
}

}  // namespace crm::detail
