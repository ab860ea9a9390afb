// SPDX-License-Identifier: Apache-2.0
// What a report needs of one demand, taken from its replayed view: the current classification and
// assignment, state, resolution, first response, latest assessment, open spans, reopenings,
// feedback, and the targets that count. Taken at an instant after the demand's last event, they
// hold at every later instant but for the running targets' statuses, which follow from their due
// and warn times (target_status_at) — unless a clock is paused, when due times move with the
// instant. The store keeps them per demand, written with every change (store/fact_rows.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "ledger/replay.hpp"

namespace crm::detail {

// A target neither met nor ended: its status at an instant follows from its due and warn times.
constexpr uint8_t kRunningTarget = 255;

struct TargetFact {
  std::string name;
  int64_t due = 0, warn = 0;
  uint8_t status = kRunningTarget;  // TargetStatus once decided (met, met late, ended), else kRunningTarget
  bool provisional = false;         // the due time rests on provisional calendar days
};

inline TargetStatus target_status_at(const TargetFact& t, int64_t at) {
  if (t.status != kRunningTarget) return static_cast<TargetStatus>(t.status);
  return at >= t.due ? TargetStatus::breached : at >= t.warn ? TargetStatus::at_risk : TargetStatus::pending;
}

struct DemandFacts {
  std::string id, department, owner, urgency, category, nature, channel, customer_tier, customer, policy_version;
  int64_t received_at = 0;
  // The facts hold at this instant and every later one (the instant of the demand's last event);
  // kNever when they hold only at the instant they were taken (a paused clock).
  int64_t settled_at = 0;
  int64_t resolved_at = kNever;        // latest standing resolution
  int64_t first_response_at = kNever;  // first acknowledged, plan_sent or resolved event
  uint8_t state = 0;                   // DemandState
  uint8_t resolution = 0;              // 0: no resolution target, 1: met on time, 2: not met on time
  int8_t technical = -1, economic = -1, time = -1;  // latest assessment: -1 none, 0 no, 1 yes
  double value = -1;                   // latest assessed value 0-10; -1: none
  std::vector<TargetFact> targets;     // current incarnations, and those a reopen ended
  std::vector<std::pair<int64_t, int64_t>> open_spans;  // [from, to): not resolved, closed or merged; to = kNever while open
  std::vector<int64_t> reopened;       // reopened events
  std::vector<FeedbackScore> feedback;
};

// The instant of the demand's last event, or its receipt: from it on its facts hold.
int64_t last_instant(const Demand& demand, const std::vector<Event>& events);

// The facts of `demand` from its view replayed at `at` (events in ledger order, as replayed).
// Reuses `out`'s storage.
void take_demand_facts(const Demand& demand, const std::vector<Event>& events, const DemandView& view, int64_t at,
                       DemandFacts& out);

}  // namespace crm::detail
