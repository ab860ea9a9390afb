// SPDX-License-Identifier: Apache-2.0
// The demand fields a policy can test and the values enumerated fields may take.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::detail {

enum class Field : uint8_t {
  id, received_at, channel, category, nature, urgency, title, text, department, owner,
  customer_id, customer_tier, customer_industry, customer_size, customer_annual_spend, label, customer_key, customer_owner,
};

enum class FieldType : uint8_t { text, enumerated, number };

struct FieldRef {
  Field field;
  std::string label;  // for Field::label: the label's name
};

// "customer.tier" -> FieldRef; "labels.escalation" -> label "escalation"; nullopt if unknown.
std::optional<FieldRef> parse_field(std::string_view path);
FieldType field_type(Field field);
// Allowed values of an enumerated field (empty for other fields).
const std::vector<std::string>& enum_values(Field field);
bool is_enum_value(Field field, std::string_view value);
// "a, b or c" for messages.
std::string enum_list(Field field);

// Ledger events a target can be met by.
const std::vector<std::string>& target_events();

}  // namespace crm::detail
