// SPDX-License-Identifier: Apache-2.0
#include "ledger/escalation.hpp"

#include <algorithm>

#include "policy/policy_impl.hpp"

namespace crm::detail {

namespace {

// `d` after `from` on the calendar, in working time unless any_time; false past the calendar's range.
bool advance(const std::optional<Duration>& d, const Calendar& calendar, bool any_time, int64_t from, int64_t& out) {
  int64_t t = from;
  if (d) {
    int64_t start = 0;
    if (!compute_due(*d, calendar, from, start, t).ok()) return false;
  }
  if (!any_time) {
    auto working = calendar.next_working_instant(t);
    if (!working.ok()) return false;
    t = *working;
  }
  out = t;
  return true;
}

}  // namespace

std::vector<EscalationInstant> escalation_instants(const TargetClock& c, int64_t paused_since) {
  std::vector<EscalationInstant> out;
  const std::vector<EscalationStep>& steps = c.definition->escalation;
  const int64_t stop = std::min({c.met_at, c.ended_at, paused_since});
  for (size_t i = 0; i < steps.size(); ++i) {
    const EscalationStep& step = steps[i];
    int64_t t = 0;
    if (!advance(step.after, *c.calendar, step.any_time, step.on_due ? c.due : c.warn, t)) continue;
    for (int32_t round = 0; round <= step.repeat && t < stop; ++round) {
      out.push_back({static_cast<uint32_t>(i), round, t});
      if (round < step.repeat && !advance(step.every, *c.calendar, step.any_time, t, t)) break;
    }
  }
  std::sort(out.begin(), out.end(), [](const EscalationInstant& a, const EscalationInstant& b) {
    return a.at != b.at ? a.at < b.at : a.step != b.step ? a.step < b.step : a.round < b.round;
  });
  return out;
}

}  // namespace crm::detail
