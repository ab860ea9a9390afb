// SPDX-License-Identifier: Apache-2.0
#include "ledger/demand_facts.hpp"

#include <algorithm>

#include "calendar/calendar_impl.hpp"

namespace crm::detail {

namespace {

bool is_first_response(EventType t) {
  return t == EventType::acknowledged || t == EventType::plan_sent || t == EventType::resolved;
}

void add_target(const TargetClock& c, DemandFacts& out) {
  TargetFact& t = out.targets.emplace_back();
  t.name = c.definition->name;
  t.due = c.due;
  t.warn = c.warn;
  const bool running = c.met_at == kNever && c.ended_at == kNever;
  t.status = running ? kRunningTarget : static_cast<uint8_t>(c.status);
  t.provisional = provisional_at(*c.calendar, c.due);
}

}  // namespace

int64_t last_instant(const Demand& demand, const std::vector<Event>& events) {
  int64_t t = demand.received_at;
  for (const Event& e : events) t = std::max(t, e.at);
  return t;
}

void take_demand_facts(const Demand& demand, const std::vector<Event>& events, const DemandView& v, int64_t at,
                       DemandFacts& out) {
  out.id = demand.id;
  out.department = v.department;
  out.owner = v.owner;
  out.urgency = v.urgency;
  out.category = v.category;
  out.nature = v.nature;
  out.channel = demand.channel;
  out.customer_tier = demand.customer.tier;
  out.customer = demand.customer.id;
  out.policy_version = v.policy.version();
  out.received_at = demand.received_at;
  out.resolved_at = v.resolved_at;
  out.state = static_cast<uint8_t>(v.state);
  out.resolution = 0;
  for (const TargetClock& c : v.targets)
    if (c.definition->met_by == "resolved") out.resolution = c.status == TargetStatus::met ? 1 : 2;

  out.first_response_at = kNever;
  out.technical = out.economic = out.time = -1;
  out.value = -1;
  out.open_spans.clear();
  out.reopened.clear();
  int64_t last = demand.received_at;
  DemandState state = DemandState::open;
  int64_t open_since = demand.received_at;
  for (const Event& e : events) {
    if (e.at > at) break;
    last = std::max(last, e.at);
    if (out.first_response_at == kNever && is_first_response(e.type)) out.first_response_at = std::max(e.at, demand.received_at);
    if (e.type == EventType::assessed) {
      out.technical = e.technical, out.economic = e.economic, out.time = e.time;
      out.value = e.value < 0 ? -1 : e.value;
    }
    if (e.type == EventType::reopened) out.reopened.push_back(e.at);
    const bool was_open = is_open(state);
    // The replay has checked every step already: this cannot fail.
    (void)advance_state(state, e);
    if (was_open && !is_open(state)) out.open_spans.emplace_back(open_since, e.at);
    else if (!was_open && is_open(state)) open_since = e.at;
  }
  if (is_open(state)) out.open_spans.emplace_back(open_since, kNever);
  out.settled_at = v.paused_since != kNever ? kNever : last;

  out.targets.clear();
  for (const TargetClock& c : v.history)
    if (c.ended_by == EventType::reopened || c.earlier_round) add_target(c, out);
  for (const TargetClock& c : v.targets) add_target(c, out);
  out.feedback = v.feedback;
}

}  // namespace crm::detail
