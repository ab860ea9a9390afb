// SPDX-License-Identifier: Apache-2.0
// Reading demands from parsed JSON, for the policy API and the ledger.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/json_util.hpp"
#include "crmpolicy/policy.hpp"
#include "crmpolicy/records.hpp"

namespace crm::detail {

// Keys that may stand beside the demand fields.
struct DemandExtras {
  bool explain = false;        // policy evaluation: add the day-by-day trace
  std::string policy;          // ledger: the policy to classify under ("" = the only one stored)
  std::string policy_version;  // ledger: "" = the latest stored version of that policy
  std::string actor;           // ledger: who recorded it (the received event's actor)
};

// A typed record (crm::DemandRecord) as the ledger records it: its Demand JSON is written into
// `document` (what the ledger stores) and the fields are checked as read_demand_directly checks
// them; a record that check refuses is read from `document` by the DOM reader, whose answer (the
// error naming the field) is the one given. Text that is not UTF-8 is refused naming the field.
Result<Demand> demand_from_record(const DemandRecord& record, DemandExtras& extras, std::string& document);

// `stored`: a demand for the ledger (accepts policy, policy_version, actor), else one to evaluate
// (accepts explain).
Result<Demand> demand_from_json_value(const nlohmann::json& root, bool stored, DemandExtras& extras);

// A demand read straight from its text into the struct, without building a DOM: the demand (and
// its extras), or nothing when the text is anything but a well-formed demand within every limit.
// It never judges: demand_from_json_text then takes the DOM path, whose error is the one reported,
// so the two agree on every input (a property the fuzzer and a test check).
std::optional<Demand> read_demand_directly(std::string_view text, bool stored, DemandExtras& extras);

// demand_from_json_value of the parsed text, the direct way when it can; `what` names the text in
// a parse error ("demand JSON").
Result<Demand> demand_from_json_text(std::string_view text, bool stored, DemandExtras& extras, std::string_view what);

}  // namespace crm::detail
