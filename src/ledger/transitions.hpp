// SPDX-License-Identifier: Apache-2.0
// What a demand's ledger implies for the change feed (README "Change feed"): the kinds of change,
// and the transitions of its targets (at risk, breached, escalation steps, met), each at the
// instant it happens. They are a function of the ledger alone, so the store can tell what a late
// event moved by comparing two lists.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "ledger/replay.hpp"

namespace crm::detail {

// Stored as numbers (store/change_log.cpp): never renumber.
enum class ChangeKind : uint8_t {
  recorded = 1,
  event = 2,         // an event without a kind of its own
  reclassified = 3,
  reopened = 4,
  merged = 5,
  at_risk = 6,       // time-driven: a target's warn time passed
  breached = 7,      // time-driven: its due time passed
  escalation = 8,    // time-driven: an escalation step fell due
  met = 9,
  met_late = 10,
  retracted = 11,    // a late event undid a change already in the feed
  // The customer side's (customers/account_transitions.hpp), each at the instant it happens: a
  // purchase recorded or leaving the 365-day window, needs collection falling due or overdue, a
  // churn rule starting to fire, a prospect going without follow-up too long.
  tier_changed = 12,
  collection_due = 13,
  churn_warning = 14,
  prospect_stale = 15,
};
const char* change_kind_name(ChangeKind kind);
// The kind an appended event of `type` is reported as.
ChangeKind change_kind_of(EventType type);
// at_risk, breached, escalation and the customer side's kinds happen at instants a ledger implies
// (kept as crossings until the feed passes them); the others when something is written. A
// customer-side change a write causes now (a purchase that lifts the tier) is a crossing at or
// before the feed's horizon, and so is logged by that write.
inline bool is_time_driven(ChangeKind kind) {
  return kind == ChangeKind::at_risk || kind == ChangeKind::breached || kind == ChangeKind::escalation ||
         kind >= ChangeKind::tier_changed;
}

struct Transition {
  ChangeKind kind = ChangeKind::at_risk;  // at_risk, breached, escalation, met or met_late
  int64_t at = 0;
  std::string target;
  std::string policy_version;  // of the target's clock (its escalation steps)
  uint32_t step = 0;           // escalation: the step's index and round
  int32_t round = 0;

  // Identity: a transition at another instant is another transition.
  auto key() const { return std::tie(target, kind, step, round, at); }
  bool operator<(const Transition& o) const { return key() < o.key(); }
  bool operator==(const Transition& o) const { return key() == o.key(); }
};

// Every transition of the view's targets (current and replaced incarnations), sorted by key: warn
// (when before due) and due instants and escalation steps before the clock was met, ended or
// paused, and the meeting itself. `view` is replayed at the ledger's last instant.
std::vector<Transition> transitions(const DemandView& view);

}  // namespace crm::detail
