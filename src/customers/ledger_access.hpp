// SPDX-License-Identifier: Apache-2.0
// The demand ledger under the acting user's role (README "Security"): the same calls as the
// store's and the report's, with demand.read or demand.write checked and the role's scope — own
// (the demand's current owner is the user), department, all — applied; a denial is CRM_EPERM,
// audited, and writes nothing else. The calls without an actor act as the system (the host's own
// machinery) and reach every demand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/database.hpp"
#include "store/database_impl.hpp"

namespace crm::detail::api {

Result<std::string> record_demand_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view demand_json);
Status append_event_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view demand_id, std::string_view event_json);
Result<std::string> demand_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view demand_id, int64_t at);
Result<std::string> worklist_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json);
Result<std::string> weekly_progress_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json);
Result<std::string> report_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json);
// Imports write demands for everyone: they need demand.write with scope all.
Result<std::string> import_as(DatabaseImpl& impl, std::string_view actor_json, const std::string& path, std::string_view options_json,
                              Status* failure);
Result<std::string> import_records_as(DatabaseImpl& impl, std::string_view actor_json, const std::vector<DemandRecord>& demands,
                                      const std::vector<EventRecord>& events, std::string_view options_json, Status* failure);

}  // namespace crm::detail::api
