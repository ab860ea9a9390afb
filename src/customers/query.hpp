// SPDX-License-Identifier: Apache-2.0
// The query document of Database::customer_query (README "Customer queries").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crmpolicy/status.hpp"

namespace crm::detail {

struct CustomerQuery {
  std::string query;  // customer, customers, tiers, collection_due, churn, relationship, history, audit,
                      // prospect, prospects, prospect_due, funnel
  int64_t at = 0;     // default: now
  std::optional<int64_t> from, to;
  std::string id, kind, owner, department, tier, stage, period, by;
  std::string phone, email;  // customers: those with a contact of this phone or email (needs personal.read)
  bool all = false;   // collection_due: every customer, not only those due or overdue
};

Result<CustomerQuery> parse_customer_query(std::string_view json);

}  // namespace crm::detail
