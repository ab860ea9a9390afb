// SPDX-License-Identifier: Apache-2.0
#include "store/stored_customer.hpp"

#include "policy/customer_rules.hpp"

namespace crm::detail {

Result<std::optional<StoredCustomer>> find_stored_customer(DatabaseImpl& d, const CustomerRules& rules,
                                                           const std::string& id, int64_t at) {
  Use use(d.stored_customer_spend_);
  use->bind_text(1, id);
  use->bind_int(2, at);
  const Step rc = use->step();
  if (rc == Step::done) return std::optional<StoredCustomer>();
  if (rc != Step::row) return d.error("reading customer \"" + id + "\" for classification");
  StoredCustomer s;
  s.spend_cents = use->int64(0);
  s.owner = use->string(1);
  if (!rules.tiers.empty()) {
    const Tier& tier = rules.tiers[tier_of(rules, s.spend_cents)];
    s.tier = tier.name;
    s.key = tier.key;
  }
  return std::optional<StoredCustomer>(std::move(s));
}

void apply_stored_customer(const StoredCustomer& stored, Customer& customer) {
  customer.annual_spend = static_cast<double>(stored.spend_cents) / 100.0;
  if (stored.tier) {
    customer.tier = *stored.tier;
    customer.key = stored.key;
  }
  if (!stored.owner.empty()) customer.owner = stored.owner;
}

std::optional<StoredCustomer> stored_customer_columns(Query& stmt, int column) {
  if (stmt.is_null(column)) return std::nullopt;
  StoredCustomer s;
  s.spend_cents = stmt.int64(column);
  if (!stmt.is_null(column + 1)) {
    s.tier = stmt.string(column + 1);
    s.key = stmt.int32(column + 2) != 0;
  }
  if (!stmt.is_null(column + 3)) s.owner = stmt.string(column + 3);
  return s;
}

void add_stored_customer(Appender& row, const std::optional<StoredCustomer>& stored) {
  if (!stored) {
    for (int i = 0; i < 4; ++i) row.add_null();
    return;
  }
  row.add_int(stored->spend_cents);
  if (stored->tier) {
    row.add_text(*stored->tier);
    row.add_int(stored->key ? 1 : 0);
  } else {
    row.add_null();
    row.add_null();
  }
  if (stored->owner.empty())
    row.add_null();
  else
    row.add_text(stored->owner);
}

}  // namespace crm::detail
