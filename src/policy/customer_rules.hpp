// SPDX-License-Identifier: Apache-2.0
// The customer-side rules of a policy: value tiers, needs collection, churn warnings, value
// scoring (/customers), prospect follow-up (/prospects) and relationship goals (/relationship).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "crmpolicy/status.hpp"

namespace crm {
struct Customer;
}

namespace crm::detail {

struct Duration;

// Money is held in cents so that sums are exact.
struct Tier {
  std::string name;
  int64_t min_annual_spend_cents = 0;  // over the 365 days up to the instant
  bool key = false;                    // a key customer
  int32_t collect_needs_every_months = 0;
};

// Each rule is off when its value is absent.
struct ChurnRules {
  std::optional<int32_t> quiet_days;           // no purchase and no interaction for this many days
  std::optional<double> interval_factor;       // no purchase for k times the customer's usual interval
  std::optional<int32_t> contract_end_days;    // the latest contract ends within this many days
  std::optional<double> satisfaction_below;    // the latest survey score is below this
  std::optional<double> satisfaction_drop;     // the latest score fell by at least this from the one before
  std::optional<int32_t> open_complaints;      // at least this many complaint demands open
};

// RFM: each of recency, frequency and monetary scores 1..5 by four ascending thresholds; the value
// is 20 x the weighted mean score (20..100).
struct ValueRules {
  // Recency scores 5 at or below [0] days since the last purchase, 4 at or below [1], ... 1 beyond
  // [3] or with none; frequency (purchases) and monetary (spend) score 2 from [0], ... 5 from [3].
  std::array<int32_t, 4> recency_days{};
  std::array<int32_t, 4> frequency{};
  std::array<int64_t, 4> monetary_cents{};
  double recency_weight = 0, frequency_weight = 0, monetary_weight = 0;
};

struct FollowUpRule {
  // Empty: any. Matched against the prospect's stage and classifications; first match wins.
  std::string stage, industry, size, need, source;
  int32_t every_working_days = 0;
};

struct RelationshipGoal {
  std::string metric;  // survey_satisfaction, survey_coverage, interaction_coverage, loyalty
  double min = 0;      // a share, 0..1
  std::string period;  // month, quarter, half_year, year
  int32_t count = 1;   // interaction_coverage: interactions each customer should have per period
  std::string description;
};

struct CustomerRules {
  bool has_customers = false;
  std::vector<Tier> tiers;  // descending thresholds; the last is 0
  int32_t collection_warn_working_days = 0;
  ChurnRules churn;
  ValueRules value;

  bool has_prospects = false;
  std::vector<FollowUpRule> follow_up;
  int32_t stale_after_working_days = 0;  // 0: no stale warning

  bool has_relationship = false;
  int32_t satisfied_at_least = 4;  // a survey score (1..5) counted as satisfied
  std::vector<RelationshipGoal> goals;
};

// Parses /customers, /prospects and /relationship of a policy root object (each optional).
Status parse_customer_rules(const nlohmann::json& root, CustomerRules& out);

// The tier a spend over the 365 days up to an instant reaches (tiers are highest first, the last
// starts at 0). Needs tiers (has_customers).
size_t tier_of(const CustomerRules& rules, int64_t spend_cents);
// The key flag classification sees: the customer's own, else that of the policy tier it names.
bool customer_is_key(const CustomerRules& rules, const Customer& customer);

}  // namespace crm::detail
