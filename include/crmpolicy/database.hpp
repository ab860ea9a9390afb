// SPDX-License-Identifier: Apache-2.0
// crm::Database: the embedded SQLite store of policies and the demand ledger.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/export.h"
#include "crmpolicy/policy.hpp"
#include "crmpolicy/records.hpp"
#include "crmpolicy/status.hpp"

namespace crm {

namespace detail {
class DatabaseImpl;
}

struct CRM_CXX_API DatabaseOptions {
  bool synchronous_full = true;  // PRAGMA synchronous=FULL: a committed write survives power loss
  int busy_timeout_ms = 5000;    // how long to wait for another connection's lock
  // 64 hex digits: the host's key (README "Security"), never stored with the data. It seals the
  // database's keyring, whose audit key chains the audit log. "" opens without it.
  std::string encryption_key;

  // {"encryption_key": "<64 hex>", "synchronous": "full" | "normal", "busy_timeout_ms": 0..600000},
  // every member optional; anything else is invalid_argument naming the member.
  static Result<DatabaseOptions> from_json(std::string_view options_json);
};

// One handle is used by one thread at a time; several handles (threads or processes) may share a
// file, SQLite's locking keeps it consistent. Every write is one transaction.
class CRM_CXX_API Database {
 public:
  // Opens or creates the file (":memory:" for a private in-memory database), brings its schema up
  // to date, and refuses a schema newer than this library knows.
  static Result<Database> open(const std::string& path, const DatabaseOptions& options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  int schema_version() const;

  // Stores a policy version. A version once stored never changes: storing the same document again
  // is a no-op, a different document under a stored name and version is a conflict.
  Status put_policy(std::string_view policy_json);
  // A stored policy version; not_found when absent.
  Result<Policy> policy(std::string_view name, std::string_view version) const;
  // The latest stored version of a policy ("" name: the only policy stored); not_found when none.
  Result<Policy> latest_policy(std::string_view name);
  // Every stored policy version, in storage order: {"policies": [{"name", "version",
  // "calendar_data"}]} (calendar_data: the base-calendar data each calendar was built with).
  Result<std::string> policies();
  // The document of a stored policy version as it was stored ("" version: the latest; "" name:
  // the only policy stored); not_found when absent.
  Result<std::string> policy_document(std::string_view name, std::string_view version);

  // The ledger (README "Demand ledger"). JSON in, JSON out; every write is one transaction and a
  // failed call writes nothing.

  // Records a demand (Demand JSON plus "policy", "policy_version", "actor"), classified under the
  // named policy version (latest when omitted). Returns its view at received_at and the similar
  // open demands of the same customer. Recording the byte-identical demand again is a no-op
  // ("retry": true); another document under a recorded id is a conflict.
  Result<std::string> record_demand(std::string_view demand_json);
  // Appends an event (README "Event JSON"); invalid_state when the lifecycle forbids it.
  Status append_event(std::string_view demand_id, std::string_view event_json);
  // A demand with its events and targets as they stood at `at`.
  Result<std::string> demand(std::string_view demand_id, int64_t at);
  // Open targets at risk, breached or due before a time, ordered by due time (README "Work list").
  Result<std::string> worklist(std::string_view query_json);
  // The earliest warn or due instant after `now` over all running targets; not_found when none.
  Result<int64_t> next_wakeup(int64_t now);
  // What changed after a cursor, up to an instant, in pages a host resumes from (README "Change feed").
  Result<std::string> changes(std::string_view query_json);
  // A consistent copy of the whole live database file (every table), made with SQLite's online
  // backup API while other handles go on working; written beside `path` and renamed over it,
  // readable by its owner only. Open the copy with open() like any database.
  Status backup(const std::string& path);
  // Recomputes the audit log's chain (README "Security"): {"holds", "entries", "chained",
  // "unchained", "keyed", "head"} and, when it does not hold, "problem" (altered, inserted,
  // removed, removed_at_end), "seq" (the first entry concerned), "removed" and "message". With
  // `failure`: conflict when the chain does not hold, permission_denied when keyed entries need
  // the encryption_key this handle lacks (the answer is returned either way).
  Result<std::string> verify_audit(Status* failure = nullptr);
  // Reseals the keyring under a new host key (64 hex digits) and starts a new personal-data key,
  // in one transaction; the handle must have been opened with the current key. Other open handles
  // keep working; later opens need the new key.
  Status rotate_encryption_key(std::string_view new_key_hex);
  // Moves the ledger to newer base calendar data (a cn.txt with a later notice) as of `at`
  // (README "The built-in China calendar": updating it): a target decided by then keeps its
  // judgement, a running one follows the newer data and keeps its earlier plan in its history.
  // Opening a database does this as of the time of opening; this call names the instant. Returns
  // {"updated", "from", "to", "applied_at", "demands": [{"id", "targets": [{"name",
  // "due_before", "due_after"}]}]}, or {"updated": false, "version"} when the data is the
  // database's already; invalid_state when the file is older than the database's data.
  Result<std::string> update_calendar_data(int64_t at);
  // Per owner: open, at risk, breached, closed in the ISO week containing the instant.
  Result<std::string> weekly_progress(std::string_view query_json);
  // The figures the policy is judged by, per period and group, with the demand analysis and the
  // targets needing attention (README "Reports"); JSON, CSV or HTML as the query's "format" says.
  Result<std::string> report(std::string_view query_json);
  // Recomputes the report facts every write keeps from the ledger, in one transaction; returns the
  // number of demands (crm_db_rebuild_report_facts).
  Result<int64_t> rebuild_report_facts();

  // The ledger's calls above act as the system (the host's own machinery: every demand). The
  // same calls for an acting user (README "Security"): `actor_json` as for customers below; the
  // role needs demand.read (reads, the work list, the weekly check, reports) or demand.write
  // (recording, events, imports), and reaches the demands of its scope — own (the demand's
  // current owner is the user), department, all. A demand out of scope, or a query naming an
  // owner or department out of it, is permission_denied, audited, and writes nothing else; lists,
  // the weekly check and reports count only the demands in scope. An event's actor is the user.
  // Imports need scope all.
  Result<std::string> record_demand_as(std::string_view actor_json, std::string_view demand_json);
  Status append_event_as(std::string_view actor_json, std::string_view demand_id, std::string_view event_json);
  Result<std::string> demand_as(std::string_view actor_json, std::string_view demand_id, int64_t at);
  Result<std::string> worklist_as(std::string_view actor_json, std::string_view query_json);
  Result<std::string> weekly_progress_as(std::string_view actor_json, std::string_view query_json);
  Result<std::string> report_as(std::string_view actor_json, std::string_view query_json);
  Result<std::string> import_as(std::string_view actor_json, const std::string& ndjson_path, std::string_view options_json,
                                Status* failure = nullptr);
  Result<std::string> import_records_as(std::string_view actor_json, const std::vector<DemandRecord>& demands,
                                        const std::vector<EventRecord>& events, std::string_view options_json,
                                        Status* failure = nullptr);
  // Customers and prospects (README "Customers and prospects"). `actor_json` names who acts,
  // {"id", "role", "department"}, as the host application authenticated them; the latest stored
  // policy's /access decides what they may do. A denial is permission_denied, is itself audited
  // and writes nothing else. Every change is in the audit log with its before and after.

  // Creates or replaces customer records (one object or an array, all or nothing).
  Status put_customer(std::string_view actor_json, std::string_view customer_json);
  // Appends purchases, interactions, surveys or contracts (one object or an array).
  Status add_activity(std::string_view actor_json, std::string_view activity_json);
  // Creates or replaces prospect records (their stage changes only through events).
  Status put_prospect(std::string_view actor_json, std::string_view prospect_json);
  // Appends prospect events (one object or an array, in order): stage, follow_up, plan,
  // evaluation or convert (to a customer).
  Status add_prospect_event(std::string_view actor_json, std::string_view event_json);
  // Records, lists and figures as of an instant: customer, customers, tiers, collection_due,
  // churn, relationship, prospect, prospects, prospect_due, funnel, history (README).
  Result<std::string> customer_query(std::string_view actor_json, std::string_view query_json);

  // NDJSON of demands and events in batches (README "Import"). Returns the report JSON; when a
  // batch was rolled back the report says so and `failure` (if given) holds the line's status.
  Result<std::string> import(const std::string& ndjson_path, std::string_view options_json, Status* failure = nullptr);
  // The same for typed records, no JSON to write or read: each demand followed by its own events,
  // then `events` (for demands stored already, or any), in batches of options' batch_size records;
  // the report numbers records in that order (from 1) where import numbers lines.
  Result<std::string> import_records(const std::vector<DemandRecord>& demands, const std::vector<EventRecord>& events,
                                     std::string_view options_json, Status* failure = nullptr);
  // A portable archive of every table (README "Snapshots"); import refuses anything it cannot
  // verify or that conflicts with what is here, and writes nothing then.
  // `options_json`: {"passphrase": "..."} (at least 8 bytes) encrypts the whole archive (Argon2id,
  // XChaCha20-Poly1305); importing one needs the same passphrase (permission_denied otherwise).
  Status export_snapshot(const std::string& path, std::string_view options_json = "{}");
  Status import_snapshot(const std::string& path, std::string_view options_json = "{}");

 private:
  explicit Database(std::unique_ptr<detail::DatabaseImpl> impl);
  std::unique_ptr<detail::DatabaseImpl> impl_;
};

}  // namespace crm
