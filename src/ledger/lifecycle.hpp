// SPDX-License-Identifier: Apache-2.0
// The demand lifecycle as a state machine: which event may follow which.
#pragma once

#include <cstdint>

#include "crmpolicy/status.hpp"
#include "ledger/event.hpp"

namespace crm::detail {

enum class DemandState : uint8_t { open, in_progress, paused, resolved, closed, merged };

const char* demand_state_name(DemandState state);

// Moves `state` by `event`, or returns invalid_state saying why the event cannot happen now
// (e.g. feedback before resolved, resumed without paused, anything after closed but reopened).
Status advance_state(DemandState& state, const Event& event);

// Open: received and not (yet, or again) resolved, closed or merged.
inline bool is_open(DemandState s) { return s == DemandState::open || s == DemandState::in_progress || s == DemandState::paused; }

// Whether targets can still run (the demand is neither closed nor merged).
inline bool is_live(DemandState state) { return state != DemandState::closed && state != DemandState::merged; }

}  // namespace crm::detail
