// SPDX-License-Identifier: Apache-2.0
// What each customer's activities say at an instant (spend, recency, surveys, contracts), read in
// one ordered scan, and the policy's judgements on it: tier, value, needs collection, churn.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "calendar/calendar_impl.hpp"
#include "customers/access_context.hpp"
#include "policy/customer_rules.hpp"

namespace crm::detail {

constexpr int64_t kNone = std::numeric_limits<int64_t>::min();
constexpr int64_t kYear = 365 * 86400;

struct CustomerState {
  int64_t seq = 0;
  std::string id, owner, department, company;
  std::string contact_name, contact_phone, contact_email;  // the first contact, unmasked
  int64_t since = kNone;
  int64_t potential = kNone;  // estimated potential annual spend, cents
  int64_t spend_12m = 0;  // cents over the 365 days up to the instant
  int32_t purchases_12m = 0;
  int32_t purchases = 0;  // all up to the instant
  int64_t first_activity = kNone, last_purchase = kNone, last_interaction = kNone, last_needs = kNone;
  int64_t usual_interval = 0;  // median seconds between purchases (three or more purchases), else 0
  int32_t latest_score = 0, previous_score = 0;
  int64_t latest_score_at = kNone, previous_score_at = kNone;
  int64_t contract_at = kNone, contract_end = kNone;  // the latest signed contract
  int64_t latest_score_n = 0, previous_score_n = 0, contract_n = 0;  // recording order, for ties in time
  int32_t open_complaints = 0;                        // complaint demands open now
};

struct CustomerFilter {
  std::string id, owner, department;  // empty: any
  std::string lookup_field, lookup_hash;  // a contact's phone or email (store/personal_data.hpp); empty: any
};

// Customers the actor can read (scope), with their state at `at`.
Result<std::vector<CustomerState>> load_customer_states(DatabaseImpl& d, const AccessContext& c, int64_t at,
                                                        const CustomerFilter& filter);

struct ValueScore {
  int recency = 1, frequency = 1, monetary = 1;
  double value = 20;  // 20 x the weighted mean of the three scores
};
ValueScore value_of(const ValueRules& rules, const CustomerState& s, int64_t at);

struct Collection {
  int64_t base = kNone;     // the last needs collection, else customer since, else first activity
  int32_t due_day = 0;      // local date the next collection is due (a working day)
  int64_t due_at = 0;       // the end of that day
  int64_t warn_at = 0;      // start of the day `warn_working_days` working days before it
  const char* status = "";  // overdue, due, ok
};
Collection collection_of(const CustomerRules& rules, const Tier& tier, const CalendarImpl& cal, const CustomerState& s, int64_t at);
// The same counted from `base` (kNone: nothing to count from, due today).
Collection collection_from(const CustomerRules& rules, const Tier& tier, const CalendarImpl& cal, int64_t base, int64_t at);

struct ChurnReason {
  const char* rule;
  std::string detail;
};
std::vector<ChurnReason> churn_reasons(const ChurnRules& rules, const CustomerState& s, int64_t at);

}  // namespace crm::detail
