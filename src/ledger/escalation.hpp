// SPDX-License-Identifier: Apache-2.0
// When a target's escalation steps fall (README "Escalation steps"), from its clock as replayed.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/replay.hpp"

namespace crm::detail {

struct EscalationInstant {
  uint32_t step = 0;  // index into the target's escalation
  int32_t round = 0;  // 0 the step itself, 1, 2, ... its repeats
  int64_t at = 0;
};

// The instants of the clock's steps, in time order (then step, then round): from its effective
// warn and due times, moved to working time unless a step says any_time. Only those before the
// target was met or ended happen; while the demand is paused (paused_since, else kNever), none
// at or after the pause began: resuming moves the due time, and the steps with it. A series stops
// at the end of the calendar's range (2199).
std::vector<EscalationInstant> escalation_instants(const TargetClock& clock, int64_t paused_since);

}  // namespace crm::detail
