// SPDX-License-Identifier: Apache-2.0
// The stored customer a recorded demand is classified with: when the demand names a customer the
// database holds, classification sees that customer's spend over the 365 days up to received_at,
// and the tier and key flag the policy gives it, instead of what the demand document says. The
// facts are pinned in the demand's row when it is recorded, so every later replay sees the same; so
// is the customer's account owner, whom a route may assign the demand to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database_impl.hpp"

namespace crm::detail {

struct CustomerRules;

struct StoredCustomer {
  int64_t spend_cents = 0;          // purchases in (received_at - 365 days, received_at]
  std::optional<std::string> tier;  // absent when the policy has no tiers
  bool key = false;
  std::string owner;                // the customer's account owner then ("" none)
};

// The stored customer `id` as of `at` under `rules`; nullopt when no such customer is stored.
Result<std::optional<StoredCustomer>> find_stored_customer(DatabaseImpl& d, const CustomerRules& rules,
                                                           const std::string& id, int64_t at);
// What classification sees: the stored customer's facts replace the document's.
void apply_stored_customer(const StoredCustomer& stored, Customer& customer);
// The pinned facts from four columns (spend, tier, key, owner) of a demand row starting at `column`.
std::optional<StoredCustomer> stored_customer_columns(Query& stmt, int column);
// Adds them (NULLs for none) as the next four values of a row.
void add_stored_customer(Appender& row, const std::optional<StoredCustomer>& stored);

}  // namespace crm::detail
