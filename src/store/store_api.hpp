// SPDX-License-Identifier: Apache-2.0
// The store's operations behind crm::Database (src/database/database.cpp delegates to them):
// opening, policies, the ledger, the work list, calendar data, imports, backups and snapshots.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/database.hpp"
#include "store/database_impl.hpp"
#include "store/ledger_scope.hpp"
#include "store/snapshot.hpp"

namespace crm::detail::api {

// Opens the database behind a handle (README "Embedded storage").
Result<std::unique_ptr<DatabaseImpl>> open(const std::string& path, const DatabaseOptions& options);
// The ledger's calls take an optional scope (store/ledger_scope.hpp): nullptr reaches every demand.
Result<std::string> worklist(DatabaseImpl& impl, std::string_view query_json, const LedgerScope* scope = nullptr);
Result<int64_t> next_wakeup(DatabaseImpl& impl, int64_t now);
Result<std::string> changes(DatabaseImpl& impl, std::string_view query_json);
Result<std::string> weekly_progress(DatabaseImpl& impl, std::string_view query_json, const LedgerScope* scope = nullptr);
Result<std::string> update_calendar_data(DatabaseImpl& impl, int64_t at);
Result<std::string> import(DatabaseImpl& impl, const std::string& path, std::string_view options_json, Status* failure);
Result<std::string> import_records(DatabaseImpl& impl, const std::vector<DemandRecord>& demands,
                                   const std::vector<EventRecord>& events, std::string_view options_json, Status* failure);
Status export_snapshot(DatabaseImpl& impl, const std::string& path, std::string_view options_json);
Status import_snapshot(DatabaseImpl& impl, const std::string& path, std::string_view options_json);
// The restore behind import_snapshot, of an archive already read and checked; `source` names it
// in messages and in the restore's audit entry.
Status restore_snapshot(DatabaseImpl& impl, const Snapshot& snapshot, const std::string& source);
// With a scope, the demand as classified and routed must fall in it (else nothing is written).
Result<std::string> record_demand(DatabaseImpl& impl, std::string_view demand_json, const LedgerScope* scope = nullptr);
// With an actor id, the event's actor is that user's (an event naming another is refused).
Status append_event(DatabaseImpl& impl, std::string_view demand_id, std::string_view event_json, const LedgerScope* scope = nullptr,
                    const std::string* actor = nullptr);
Result<std::string> demand(DatabaseImpl& impl, std::string_view demand_id, int64_t at, const LedgerScope* scope = nullptr);
Status backup(DatabaseImpl& impl, const std::string& path);
Result<std::string> verify_audit(DatabaseImpl& impl, Status* failure);
Status rotate_encryption_key(DatabaseImpl& impl, std::string_view new_key_hex);
Result<int64_t> rebuild_report_facts(DatabaseImpl& impl);
Status put_policy(DatabaseImpl& impl, std::string_view policy_json);
Result<Policy> latest_policy(DatabaseImpl& impl, std::string_view name);
Result<Policy> policy(DatabaseImpl& impl, std::string_view name, std::string_view version);
Result<std::string> policies(DatabaseImpl& impl);
Result<std::string> policy_document(DatabaseImpl& impl, std::string_view name, std::string_view version);

}  // namespace crm::detail::api
