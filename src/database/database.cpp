// SPDX-License-Identifier: Apache-2.0
// crm::Database, the facade: each call delegates to the layer that owns it — the store (policies,
// the ledger, the work list, calendar data, imports, backups, snapshots), metrics (reports) and
// customers (customers and prospects). Nothing here but the delegation, and the one step that
// joins two layers: the change feed's customer side (customers) is brought in step after the store
// took a policy, calendar data or a snapshot that may move it, before the feed is read (in case a
// process stopped in between), and when a database is first opened after the upgrade that added it.
#include "crmpolicy/database.hpp"

#include "customers/account_feed.hpp"
#include "customers/customer_api.hpp"
#include "customers/ledger_access.hpp"
#include "metrics/report_api.hpp"
#include "store/store_api.hpp"

namespace crm {

Database::Database(std::unique_ptr<detail::DatabaseImpl> impl) : impl_(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::open(const std::string& path, const DatabaseOptions& options) {
  auto impl = detail::api::open(path, options);
  if (!impl.ok()) return std::move(impl).status();
  if (Status s = detail::api::take_account_feed_after_upgrade(**impl); !s.ok()) return s;
  return Database(std::move(*impl));
}

int Database::schema_version() const { return impl_->schema_version_; }

Result<std::string> Database::report(std::string_view query_json) { return detail::api::report(*impl_, query_json); }
Result<int64_t> Database::rebuild_report_facts() { return detail::api::rebuild_report_facts(*impl_); }
Result<std::string> Database::record_demand_as(std::string_view actor_json, std::string_view demand_json) {
  return detail::api::record_demand_as(*impl_, actor_json, demand_json);
}
Status Database::append_event_as(std::string_view actor_json, std::string_view demand_id, std::string_view event_json) {
  return detail::api::append_event_as(*impl_, actor_json, demand_id, event_json);
}
Result<std::string> Database::demand_as(std::string_view actor_json, std::string_view demand_id, int64_t at) {
  return detail::api::demand_as(*impl_, actor_json, demand_id, at);
}
Result<std::string> Database::worklist_as(std::string_view actor_json, std::string_view query_json) {
  return detail::api::worklist_as(*impl_, actor_json, query_json);
}
Result<std::string> Database::weekly_progress_as(std::string_view actor_json, std::string_view query_json) {
  return detail::api::weekly_progress_as(*impl_, actor_json, query_json);
}
Result<std::string> Database::report_as(std::string_view actor_json, std::string_view query_json) {
  return detail::api::report_as(*impl_, actor_json, query_json);
}
Result<std::string> Database::import_as(std::string_view actor_json, const std::string& path, std::string_view options_json,
                                        Status* failure) {
  return detail::api::import_as(*impl_, actor_json, path, options_json, failure);
}
Result<std::string> Database::import_records_as(std::string_view actor_json, const std::vector<DemandRecord>& demands,
                                                const std::vector<EventRecord>& events, std::string_view options_json,
                                                Status* failure) {
  return detail::api::import_records_as(*impl_, actor_json, demands, events, options_json, failure);
}
Status Database::put_customer(std::string_view actor_json, std::string_view customer_json) { return detail::api::put_customer(*impl_, actor_json, customer_json); }
Status Database::add_activity(std::string_view actor_json, std::string_view activity_json) { return detail::api::add_activity(*impl_, actor_json, activity_json); }
Status Database::put_prospect(std::string_view actor_json, std::string_view prospect_json) { return detail::api::put_prospect(*impl_, actor_json, prospect_json); }
Status Database::add_prospect_event(std::string_view actor_json, std::string_view event_json) { return detail::api::add_prospect_event(*impl_, actor_json, event_json); }
Result<std::string> Database::customer_query(std::string_view actor_json, std::string_view query_json) { return detail::api::customer_query(*impl_, actor_json, query_json); }
Result<std::string> Database::worklist(std::string_view query_json) { return detail::api::worklist(*impl_, query_json); }
Result<std::string> Database::changes(std::string_view query_json) {
  if (Status s = detail::api::bring_account_feed_in_step(*impl_); !s.ok()) return s;
  return detail::api::changes(*impl_, query_json);
}
Result<int64_t> Database::next_wakeup(int64_t now) { return detail::api::next_wakeup(*impl_, now); }
Result<std::string> Database::weekly_progress(std::string_view query_json) { return detail::api::weekly_progress(*impl_, query_json); }
Result<std::string> Database::update_calendar_data(int64_t at) {
  auto updated = detail::api::update_calendar_data(*impl_, at);
  if (!updated.ok()) return updated;
  if (Status s = detail::api::bring_account_feed_in_step(*impl_); !s.ok()) return s;
  return updated;
}
Result<std::string> Database::import(const std::string& path, std::string_view options_json, Status* failure) { return detail::api::import(*impl_, path, options_json, failure); }
Result<std::string> Database::import_records(const std::vector<DemandRecord>& demands, const std::vector<EventRecord>& events,
                                             std::string_view options_json, Status* failure) {
  return detail::api::import_records(*impl_, demands, events, options_json, failure);
}
Status Database::export_snapshot(const std::string& path, std::string_view options_json) {
  return detail::api::export_snapshot(*impl_, path, options_json);
}
Status Database::import_snapshot(const std::string& path, std::string_view options_json) {
  if (Status s = detail::api::import_snapshot(*impl_, path, options_json); !s.ok()) return s;
  return detail::api::bring_account_feed_in_step(*impl_);
}
Result<std::string> Database::record_demand(std::string_view demand_json) { return detail::api::record_demand(*impl_, demand_json); }
Status Database::append_event(std::string_view demand_id, std::string_view event_json) { return detail::api::append_event(*impl_, demand_id, event_json); }
Result<std::string> Database::demand(std::string_view demand_id, int64_t at) { return detail::api::demand(*impl_, demand_id, at); }
Status Database::backup(const std::string& path) { return detail::api::backup(*impl_, path); }
Result<std::string> Database::verify_audit(Status* failure) { return detail::api::verify_audit(*impl_, failure); }
Status Database::rotate_encryption_key(std::string_view new_key_hex) { return detail::api::rotate_encryption_key(*impl_, new_key_hex); }
Status Database::put_policy(std::string_view policy_json) {
  if (Status s = detail::api::put_policy(*impl_, policy_json); !s.ok()) return s;
  return detail::api::bring_account_feed_in_step(*impl_);
}
Result<Policy> Database::latest_policy(std::string_view name) { return detail::api::latest_policy(*impl_, name); }
Result<std::string> Database::policies() { return detail::api::policies(*impl_); }
Result<std::string> Database::policy_document(std::string_view name, std::string_view version) {
  return detail::api::policy_document(*impl_, name, version);
}
Result<Policy> Database::policy(std::string_view name, std::string_view version) const { return detail::api::policy(*impl_, name, version); }

}  // namespace crm
