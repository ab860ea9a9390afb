// SPDX-License-Identifier: Apache-2.0
// Judgements the customer rules make on one customer, shared by classification and the customer
// queries.
#include "policy/customer_rules.hpp"

#include "crmpolicy/policy.hpp"

namespace crm::detail {

size_t tier_of(const CustomerRules& rules, int64_t spend_cents) {
  for (size_t i = 0; i < rules.tiers.size(); ++i)
    if (spend_cents >= rules.tiers[i].min_annual_spend_cents) return i;
  return rules.tiers.size() - 1;
}

bool customer_is_key(const CustomerRules& rules, const Customer& customer) {
  if (customer.key) return *customer.key;
  for (const Tier& tier : rules.tiers)
    if (tier.name == customer.tier) return tier.key;
  return false;
}

}  // namespace crm::detail
