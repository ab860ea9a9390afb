// SPDX-License-Identifier: Apache-2.0
// The demo company's customers and prospects: base data, two years of purchases, visits and calls
// (with needs collection), surveys, contracts, and a year of prospects moving through the stages.
#pragma once

#include <cstdint>

#include <crmpolicy/database.hpp>

namespace crmctl {

struct DemoCustomers {
  size_t customers = 0, activities = 0, prospects = 0, prospect_events = 0;
};

// Records them through the API as `actor_json` (an admin). Customer ids match the demo ledger's
// (C-001 ... C-100); C-001 ... C-012 are its key accounts. Nothing is dated after `now`.
crm::Result<DemoCustomers> record_demo_customers(crm::Database& db, const crm::Policy& policy, int64_t now,
                                                 const char* actor_json, uint64_t seed = 2025);

}  // namespace crmctl
