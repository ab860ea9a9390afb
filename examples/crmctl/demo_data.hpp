// SPDX-License-Identifier: Apache-2.0
// A realistic, reproducible year of customer demands for a fictional company, as ledger NDJSON.
#pragma once

#include <cstdint>
#include <string>

#include <crmpolicy/policy.hpp>

namespace crmctl {

struct DemoYear {
  int64_t now = 0;  // the instant the generated ledger stops (nothing is dated after it)
  size_t demands = 0, events = 0;
};

// Writes demands and their events (received through `now`) for the year 2025 to `path`,
// timed on the policy's default calendar. The same seed gives the same file.
crm::Result<DemoYear> write_demo_year(const crm::Policy& policy, const std::string& path, uint64_t seed = 2025);

}  // namespace crmctl
