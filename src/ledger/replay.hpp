// SPDX-License-Identifier: Apache-2.0
// A demand's state and SLA targets at an instant, computed from its ledger (never stored).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "crmpolicy/policy.hpp"
#include "ledger/event.hpp"
#include "ledger/lifecycle.hpp"
#include "policy/policy_impl.hpp"

namespace crm::detail {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

enum class TargetStatus : uint8_t { pending, at_risk, met, met_late, breached, cancelled };
const char* target_status_name(TargetStatus status);

// One incarnation of a target: the original, or one started by a reclassification or reopen.
struct TargetClock {
  const Target* definition = nullptr;
  const Calendar* calendar = nullptr;
  std::string policy_version;
  int64_t window = 0;         // met_by events at or after this instant count
  int64_t start = 0;          // the clock starts
  int64_t nominal_due = 0;    // due and warn before paused time is added
  int64_t nominal_warn = 0;
  int64_t met_at = kNever;
  int64_t ended_at = kNever;  // replaced (reclassified, reopened) or stopped (closed, merged_into)
  EventType ended_by = EventType::note;
  bool earlier_round = false;  // a round of a recurring target that a later round followed

  // Filled by replay() for the evaluation instant:
  int64_t due = 0, warn = 0;  // effective: nominal + working (or clock) time spent paused
  TargetStatus status = TargetStatus::pending;
  int64_t remaining = 0;      // clock time left before due (working seconds on working clocks), >= 0
  int64_t overrun = 0;        // clock time past due, >= 0
  bool paused = false;

  bool working() const { return counts_working_time(definition->within); }
};

struct FeedbackScore {
  int64_t at;
  int satisfaction;
};

struct DemandView {
  explicit DemandView(Policy p) : policy(std::move(p)) {}

  DemandState state = DemandState::open;
  std::string owner, department, urgency, category, nature;  // current
  bool owner_routed = false, department_routed = false;       // set by the policy's routes or defaults
  Policy policy;                                              // current classification's policy
  std::vector<TargetClock> targets;  // current incarnations, in policy order
  std::vector<TargetClock> history;  // replaced incarnations, in the order they were replaced
  int64_t paused_since = kNever;
  int64_t resolved_at = kNever;      // latest resolution still standing
  int64_t closed_at = kNever;
  std::string merged_into;
  std::vector<FeedbackScore> feedback;
  std::vector<Policy> keep_alive;    // earlier policy versions the history's definitions point into
};

// Another stored version of the demand's policy (for reclassified events naming policy_version).
using PolicyVersionLookup = std::function<Result<Policy>(const std::string& version)>;

// The lifecycle state after the events (ledger order), or invalid_state naming the first event
// that cannot happen: cheaper than replay() when the targets are not needed.
Result<DemandState> lifecycle_state(const Demand& demand, const std::vector<Event>& events);

// Events must be in ledger order: by time, then by the order they were recorded. Only events at
// or before `at` apply. Fails with invalid_state when the events are not a possible lifecycle,
// naming the event by its position.
Result<DemandView> replay(const Policy& policy, const Demand& demand, const std::vector<Event>& events, int64_t at,
                          const PolicyVersionLookup& lookup);

// The demand as classified on receipt, before any event and unsettled: what replay() starts from.
// A writer that replays one demand several times classifies it once and replays from a copy.
Result<DemandView> receive(const Policy& policy, const Demand& demand);
// replay() starting from receive()'s view of the same policy and demand.
Result<DemandView> replay(DemandView received, const Demand& demand, const std::vector<Event>& events, int64_t at,
                          const PolicyVersionLookup& lookup);

}  // namespace crm::detail
