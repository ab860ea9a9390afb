// SPDX-License-Identifier: Apache-2.0
// What a customer's records imply for the change feed (README "Change feed"): the instants its tier
// changes, its needs collection falls due and then overdue, and each churn rule starts to fire — as
// the customer queries would judge them at each instant. They are a function of the records alone,
// so the store can tell what a back-dated activity or a new policy moved by comparing two lists, as
// it does for a demand's targets (ledger/transitions.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "calendar/calendar_impl.hpp"
#include "ledger/transitions.hpp"
#include "policy/customer_rules.hpp"
#include "store/customer_scan.hpp"

namespace crm::detail {

struct CustomerHistory {
  int64_t since = INT64_MIN;              // the record's `since`; INT64_MIN: none
  std::vector<ActivityFact> activities;   // any order
};

// Sorted by key. Each transition's `target` says what changed: tier_changed the tier reached,
// collection_due "due" (from the warn day on) or "overdue", churn_warning the rule (quiet,
// purchase_interval, contract_end, low_satisfaction, falling_satisfaction; open_complaints is
// judged from the demand ledger and is not among them).
std::vector<Transition> customer_transitions(const CustomerRules& rules, const Calendar& calendar, CustomerHistory& history);

// A prospect's stale instants: `stale_after_working_days` after it was created or last followed up,
// while no follow-up came (README "Customers and prospects").
struct ProspectHistory {
  int64_t created_at = 0;
  std::vector<int64_t> follow_ups;  // any order
  int64_t closed_at = INT64_MAX;    // lost or converted: no longer followed up
};
std::vector<Transition> prospect_transitions(const CustomerRules& rules, const Calendar& calendar, ProspectHistory& history);

}  // namespace crm::detail
