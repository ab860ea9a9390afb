// SPDX-License-Identifier: Apache-2.0
#include "store/stored_customer.hpp"

#include "policy/customer_rules.hpp"

namespace crm::detail {

Result<std::optional<StoredCustomer>> find_stored_customer(DatabaseImpl& d, const CustomerRules& rules,
                                                           const std::string& id, int64_t at) {
  Use use(d.stored_customer_spend_);
  bind_text(*use, 1, id);
  sqlite3_bind_int64(*use, 2, at);
  const int rc = sqlite3_step(*use);
  if (rc == SQLITE_DONE) return std::optional<StoredCustomer>();
  if (rc != SQLITE_ROW) return d.error("reading customer \"" + id + "\" for classification");
  StoredCustomer s;
  s.spend_cents = sqlite3_column_int64(*use, 0);
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
}

std::optional<StoredCustomer> stored_customer_columns(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  StoredCustomer s;
  s.spend_cents = sqlite3_column_int64(stmt, column);
  if (sqlite3_column_type(stmt, column + 1) != SQLITE_NULL) {
    s.tier = text_column(stmt, column + 1);
    s.key = sqlite3_column_int(stmt, column + 2) != 0;
  }
  return s;
}

void bind_stored_customer(sqlite3_stmt* stmt, int index, const std::optional<StoredCustomer>& stored) {
  if (!stored) {
    for (int i = 0; i < 3; ++i) sqlite3_bind_null(stmt, index + i);
    return;
  }
  sqlite3_bind_int64(stmt, index, stored->spend_cents);
  if (stored->tier) {
    bind_text(stmt, index + 1, *stored->tier);
    sqlite3_bind_int(stmt, index + 2, stored->key ? 1 : 0);
  } else {
    sqlite3_bind_null(stmt, index + 1);
    sqlite3_bind_null(stmt, index + 2);
  }
}

}  // namespace crm::detail
