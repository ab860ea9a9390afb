// SPDX-License-Identifier: Apache-2.0
// The customer and activity tables' rows, written and looked up one record at a time for the
// customer layer's writes and views (whole-table reads: store/customer_scan.hpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/customer_scan.hpp"

namespace crm::detail {

// A customer's stored record: what access checks and views need. Its document is the plaintext
// when the handle holds the key its personal data was sealed with, else with those fields masked
// (store/personal_data.hpp).
struct CustomerRecordRow {
  int64_t seq = 0;
  std::string owner, department;
  nlohmann::json document;
  bool masked = false;
};
Result<std::optional<CustomerRecordRow>> find_customer_record(DatabaseImpl& d, std::string_view id);

// Inserts (exists = false) or replaces, by id, the row of a validated customer document; `row`
// holds the columns lists read (its seq is ignored). Personal data is sealed when the handle holds
// a personal-data key.
Status write_customer_row(DatabaseImpl& d, const CustomerRow& row, const nlohmann::json& document, bool exists);

struct ActivityRow {
  int64_t customer_seq = 0;
  int64_t n = 0;  // 1, 2, ... per customer in recording order
  ActivityFact fact;
  std::string kind, note, actor, ref;
};

// The number the customer's next activity takes.
Result<int64_t> next_activity_number(DatabaseImpl& d, int64_t customer_seq);
// The customer's activity recorded under the sender's id `ref`, if any.
Result<std::optional<ActivityRow>> activity_by_ref(DatabaseImpl& d, int64_t customer_seq, std::string_view ref);
Status insert_activity(DatabaseImpl& d, const ActivityRow& row);
// One customer's activities dated at or before `at`, by date then recording order.
Status scan_customer_activities(DatabaseImpl& d, int64_t customer_seq, int64_t at,
                                const std::function<void(const ActivityRow&)>& row);
// Interactions, purchases and surveys (not contracts) dated in [from, to) and at or before `at`.
Status scan_activities_between(DatabaseImpl& d, int64_t from, int64_t to, int64_t at,
                               const std::function<void(const ActivityFact&)>& fact);

}  // namespace crm::detail
