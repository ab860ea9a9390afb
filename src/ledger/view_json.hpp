// SPDX-License-Identifier: Apache-2.0
// A demand's ledger view as JSON (README "Demand view JSON"), keys in a fixed order.
#pragma once

#include <string_view>
#include <vector>

#include "core/json_writer.hpp"
#include "ledger/replay.hpp"

namespace crm::detail {

struct StoredDemandText {
  std::string_view policy_name;
  std::string_view received_by;  // the actor of the implicit received event
  std::string_view document;     // the demand JSON as recorded (valid JSON, embedded as is)
};

// Writes the members of the view object into an object the caller has opened.
void write_demand_view(JsonWriter& w, const DemandView& view, const Demand& demand, const StoredDemandText& stored,
                       const std::vector<Event>& events, int64_t at);

void write_event(JsonWriter& w, const Event& event);

// "recipients": whom the step tells, the owner and department named as given.
void write_recipients(JsonWriter& w, const EscalationStep& step, std::string_view owner, std::string_view department);

}  // namespace crm::detail
