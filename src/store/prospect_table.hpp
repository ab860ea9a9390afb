// SPDX-License-Identifier: Apache-2.0
// The prospect and prospect_event tables' rows, for the customer layer's prospect writes,
// views and lists: typed rows, no SQL above the store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/database_impl.hpp"

namespace crm::detail {

// A prospect's stored record with what the next event needs: its stage, and its latest event.
// Its document is opened like a customer's (store/customer_table.hpp); lists leave it null.
struct ProspectRecordRow {
  int64_t seq = 0, created_at = 0;
  int64_t last_at = 0, last_n = 0;  // the latest event's instant (else created_at) and number
  int32_t stage = 0;
  std::string department, first_contact, follow_up, project, customer;
  nlohmann::json document;
  bool masked = false;
};
Result<std::optional<ProspectRecordRow>> find_prospect_record(DatabaseImpl& d, std::string_view id);

// The columns of a validated prospect document.
struct ProspectRow {
  std::string id, company, department, first_contact, follow_up, project, industry, size, need, source;
  int64_t created_at = 0;
};
// Inserts (exists = false, at the first stage) or replaces, by id, a prospect's row and its
// document (personal data sealed when the handle holds a personal-data key).
Status write_prospect_row(DatabaseImpl& d, const ProspectRow& row, const nlohmann::json& document, bool exists);

struct ProspectEventRow {
  int64_t prospect_seq = 0, n = 0;
  int32_t type = 0;   // 1 stage, 2 follow_up, 3 plan, 4 evaluation, 5 convert
  int64_t at = 0;
  int32_t stage = 0;  // stage: the new stage; else the stage at the time
  std::string item;   // plan: the item; follow_up: the item it fulfils; else ''
  int64_t due_at = 0, quality = 0;
  std::string actor, details;  // details: the remaining fields as JSON
};
Status insert_prospect_event(DatabaseImpl& d, const ProspectEventRow& row);
// The prospect's stage, and the customer it was converted into ("" none).
Status move_prospect(DatabaseImpl& d, int64_t prospect_seq, int32_t stage, std::string_view customer);
// How many events of `type` the prospect has for plan item `item`.
Result<int64_t> prospect_events_for_item(DatabaseImpl& d, int64_t prospect_seq, int32_t type, std::string_view item);

struct ProspectListFilter {
  std::string id, follow_up, department;  // empty: any
};
// Prospects created by `at` matching `filter`, in recording order; `keep` sees the row first.
Status scan_prospect_rows(DatabaseImpl& d, int64_t at, const ProspectListFilter& filter,
                          const std::function<bool(const ProspectRecordRow&)>& keep,
                          const std::function<void(ProspectRow&&, const ProspectRecordRow&)>& row);
// Events dated at or before `at`, of every prospect or of `only_seq` (0 or more), in key order.
// (details is left empty: lists do not need it.)
Status scan_prospect_events(DatabaseImpl& d, int64_t at, int64_t only_seq, const std::function<void(const ProspectEventRow&)>& row);
// One prospect's events dated at or before `at`, with their details, in recording order.
Status scan_events_of_prospect(DatabaseImpl& d, std::string_view id, int64_t at, const std::function<void(const ProspectEventRow&)>& row);

}  // namespace crm::detail
