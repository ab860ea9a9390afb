// SPDX-License-Identifier: Apache-2.0
#include "policy/fields.hpp"

#include <algorithm>

namespace crm::detail {

namespace {

const std::vector<std::string> kChannels = {"visit", "phone",     "email", "online",   "survey",
                                            "complaint", "staff", "trade_show", "referral", "other"};
const std::vector<std::string> kCategories = {"product", "service", "price", "other"};
const std::vector<std::string> kNatures = {"functional", "non_functional"};
const std::vector<std::string> kUrgencies = {"urgent", "important", "general"};
const std::vector<std::string> kSizes = {"large", "medium", "small"};
const std::vector<std::string> kBooleans = {"false", "true"};  // customer.key: JSON true / false
const std::vector<std::string> kNone;

struct Named {
  const char* path;
  Field field;
};
constexpr Named kFields[] = {
    {"id", Field::id},
    {"received_at", Field::received_at},
    {"channel", Field::channel},
    {"category", Field::category},
    {"nature", Field::nature},
    {"urgency", Field::urgency},
    {"title", Field::title},
    {"text", Field::text},
    {"department", Field::department},
    {"owner", Field::owner},
    {"customer.id", Field::customer_id},
    {"customer.tier", Field::customer_tier},
    {"customer.key", Field::customer_key},
    {"customer.owner", Field::customer_owner},
    {"customer.industry", Field::customer_industry},
    {"customer.size", Field::customer_size},
    {"customer.annual_spend", Field::customer_annual_spend},
};

}  // namespace

std::optional<FieldRef> parse_field(std::string_view path) {
  for (const Named& n : kFields)
    if (path == n.path) return FieldRef{n.field, {}};
  constexpr std::string_view kLabels = "labels.";
  if (path.size() > kLabels.size() && path.substr(0, kLabels.size()) == kLabels)
    return FieldRef{Field::label, std::string(path.substr(kLabels.size()))};
  return std::nullopt;
}

FieldType field_type(Field field) {
  switch (field) {
    case Field::received_at:
    case Field::customer_annual_spend: return FieldType::number;
    case Field::channel:
    case Field::category:
    case Field::nature:
    case Field::urgency:
    case Field::customer_size:
    case Field::customer_key: return FieldType::enumerated;
    default: return FieldType::text;
  }
}

const std::vector<std::string>& enum_values(Field field) {
  switch (field) {
    case Field::channel: return kChannels;
    case Field::category: return kCategories;
    case Field::nature: return kNatures;
    case Field::urgency: return kUrgencies;
    case Field::customer_size: return kSizes;
    case Field::customer_key: return kBooleans;
    default: return kNone;
  }
}

bool is_enum_value(Field field, std::string_view value) {
  const auto& values = enum_values(field);
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string enum_list(Field field) {
  const auto& values = enum_values(field);
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " or " : ", ";
    out += values[i];
  }
  return out;
}

const std::vector<std::string>& target_events() {
  static const std::vector<std::string> kEvents = {"acknowledged", "assessed", "plan_sent", "started",
                                                   "resolved",     "feedback", "closed",  "progress"};
  return kEvents;
}

}  // namespace crm::detail
