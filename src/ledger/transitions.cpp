// SPDX-License-Identifier: Apache-2.0
#include "ledger/transitions.hpp"

#include <algorithm>
#include <iterator>

#include "ledger/escalation.hpp"

namespace crm::detail {

namespace {

constexpr const char* kNames[] = {"",           "recorded", "event",    "reclassified", "reopened", "merged",
                                  "at_risk",    "breached", "escalation", "met",        "met_late", "retracted",
                                  "tier_changed", "collection_due", "churn_warning", "prospect_stale"};

void add_clock(const TargetClock& c, int64_t paused_since, std::vector<Transition>& out) {
  const std::string& name = c.definition->name;
  const int64_t stop = std::min({c.met_at, c.ended_at, paused_since});
  if (c.warn < c.due && c.warn < stop) out.push_back({ChangeKind::at_risk, c.warn, name, c.policy_version});
  if (c.due < stop) out.push_back({ChangeKind::breached, c.due, name, c.policy_version});
  for (const EscalationInstant& e : escalation_instants(c, paused_since))
    out.push_back({ChangeKind::escalation, e.at, name, c.policy_version, e.step, e.round});
  if (c.met_at != kNever)
    out.push_back({c.met_at > c.due ? ChangeKind::met_late : ChangeKind::met, c.met_at, name, c.policy_version});
}

}  // namespace

const char* change_kind_name(ChangeKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < std::size(kNames) ? kNames[i] : "";
}

ChangeKind change_kind_of(EventType type) {
  switch (type) {
    case EventType::reclassified: return ChangeKind::reclassified;
    case EventType::reopened: return ChangeKind::reopened;
    case EventType::merged_into: return ChangeKind::merged;
    default: return ChangeKind::event;
  }
}

std::vector<Transition> transitions(const DemandView& view) {
  std::vector<Transition> out;
  for (const TargetClock& c : view.targets) add_clock(c, view.paused_since, out);
  for (const TargetClock& c : view.history) add_clock(c, kNever, out);  // ended: no pause can stop it further
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace crm::detail
