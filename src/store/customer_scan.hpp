// SPDX-License-Identifier: Apache-2.0
// The customer-side tables read whole, for the customer layer's lists and judgements: customer
// rows, their activities in key order, and the complaints the ledger holds open — typed rows,
// no SQL above the store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/database_impl.hpp"

namespace crm::detail {

struct CustomerRow {
  int64_t seq = 0;
  std::string id, owner, department, company;
  std::optional<int64_t> since, potential;  // potential: cents
  std::string contact_name, contact_phone, contact_email;  // the first contact, unmasked
};

struct CustomerRowFilter {
  std::string id, owner, department;      // empty: any
  std::string lookup_field, lookup_hash;  // personal_lookup's (store/personal_data.hpp); empty: any
};

// Customers matching `filter` in recording order; `keep` (owner, department) is asked first, so
// rows out of the caller's scope are never copied.
Status scan_customer_rows(DatabaseImpl& d, const CustomerRowFilter& filter,
                          const std::function<bool(std::string_view owner, std::string_view department)>& keep,
                          const std::function<void(CustomerRow&&)>& row);

struct ActivityFact {
  int64_t customer_seq = 0;
  int32_t type = 0;  // 1 purchase, 2 interaction, 3 survey, 4 contract
  int64_t at = 0, amount_cents = 0, ends_at = 0;
  int32_t score = 0;
  bool needs_collected = false;
  int64_t n = 0;  // the customer's activity number: recording order
};

// Activities dated at or before `at`, in no particular order; only those of customer `only_seq`
// when it is 0 or more.
Status scan_activities(DatabaseImpl& d, int64_t at, int64_t only_seq, const std::function<void(const ActivityFact&)>& fact);

// Per customer id, the complaint demands open at `at`: received by then, and neither resolved,
// closed nor merged by then (or reopened after that).
Result<std::unordered_map<std::string, int32_t>> open_complaints(DatabaseImpl& d, int64_t at);

}  // namespace crm::detail
