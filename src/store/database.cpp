// SPDX-License-Identifier: Apache-2.0
#include "store/store_api.hpp"
#include "crmpolicy/database.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "calendar/calendar_impl.hpp"
#include "core/json_writer.hpp"
#include "store/database_impl.hpp"
#include "store/change_log.hpp"
#include "store/audit_log.hpp"
#include "store/fact_rows.hpp"
#include "store/keyring.hpp"
#include "store/personal_data.hpp"
#include "store/schema.hpp"

namespace crm {

using detail::Query;
using detail::Step;

namespace detail {

Status DatabaseImpl::error(const std::string& what) const {
  return Status::io_error(what + ": " + engine_->error_message() +
                          (engine_->last_error() == EngineError::busy ? " (database is busy)" : ""));
}

Status DatabaseImpl::exec(const char* sql, const std::string& what) {
  if (!engine_->exec(sql)) return error(what);
  return {};
}

Result<Policy> DatabaseImpl::policy_by_id(int64_t id) {
  if (const auto it = policies_.find(id); it != policies_.end()) return it->second;
  Use use(policy_by_id_);
  use->bind_int(1, id);
  const Step rc = use->step();
  if (rc == Step::done) return Status::internal("policy row " + std::to_string(id) + " is missing");
  if (rc != Step::row) return error("reading a policy");
  auto policy = load_policy(use->string(0));
  if (!policy.ok()) return Status::internal("stored policy no longer loads: " + policy.status().message());
  policies_.emplace(id, *policy);
  return policy;
}

Result<StoredPolicy> DatabaseImpl::resolve_policy(const std::string& name_in, const std::string& version) {
  std::string name = name_in;
  if (name.empty()) {
    Use names(policy_names_);
    std::vector<std::string> found;
    Step rc;
    while ((rc = names->step()) == Step::row) found.push_back(names->string(0));
    if (rc != Step::done) return error("listing policies");
    if (found.empty()) return Status::not_found("/policy: no policy is stored yet; store one with put_policy first");
    if (found.size() > 1)
      return Status::invalid_argument("/policy: missing, and " + std::to_string(found.size()) +
                                      " policies are stored; name the one to classify under");
    name = found[0];
  }
  Use find(version.empty() ? latest_policy_ : find_policy_);
  find->bind_text(1, name);
  if (!version.empty()) find->bind_text(2, version);
  const Step rc = find->step();
  if (rc == Step::done)
    return Status::not_found(version.empty() ? "/policy: no policy \"" + name + "\" is stored"
                                             : "/policy_version: policy \"" + name + "\" has no stored version \"" + version + "\"");
  if (rc != Step::row) return error("looking up a policy");
  const int64_t id = find->int64(1);
  auto policy = policy_by_id(id);
  if (!policy.ok()) return std::move(policy).status();
  return StoredPolicy{id, std::move(*policy)};
}

}  // namespace detail

namespace {


Status migrate(detail::DatabaseImpl& d) {
  auto stored = d.engine_->schema_version();
  if (!stored.ok()) return std::move(stored).status();
  int version = *stored;
  const auto& steps = detail::migrations();
  if (version > static_cast<int>(steps.size()))
    return Status::invalid_state("the database has schema version " + std::to_string(version) +
                                 ", newer than this library knows (" + std::to_string(steps.size()) +
                                 "); upgrade crmpolicy to open it");
  for (; version < static_cast<int>(steps.size()); ++version) {
    // Each migration and its version bump commit together or not at all.
    if (!d.engine_->begin(true)) return d.error("starting a migration");
    Status s = d.exec(steps[static_cast<size_t>(version)], "applying a migration");
    if (s.ok() && !d.engine_->set_schema_version(version + 1)) s = d.error("recording the schema version");
    if (s.ok() && !d.engine_->commit()) s = d.error("committing a migration");
    if (!s.ok()) {
      (void)d.engine_->rollback();
      return s;
    }
  }
  d.schema_version_ = version;
  return {};
}

// The report facts after the migration that added them (or an interrupted build): built once,
// under the write lock, by whichever handle opens the database first.
Status build_fact_rows(detail::DatabaseImpl& d) {
  auto complete = detail::fact_rows_complete(d);
  if (!complete.ok()) return std::move(complete).status();
  if (*complete) return {};
  detail::Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;
  complete = detail::fact_rows_complete(d);  // again, under the lock
  if (!complete.ok()) return std::move(complete).status();
  if (!*complete) {
    auto built = detail::rebuild_fact_rows(d);
    if (!built.ok()) return std::move(built).status();
  }
  return tx.commit();
}

Status prepare_statements(detail::DatabaseImpl& d) {
  const std::pair<detail::Statement*, const char*> statements[] = {
      {&d.find_policy_, "SELECT document, id FROM policy WHERE name = ?1 AND version = ?2"},
      {&d.insert_policy_, "INSERT INTO policy (name, version, document, calendar_data) VALUES (?1, ?2, ?3, ?4)"},
      {&d.policy_by_id_, "SELECT document FROM policy WHERE id = ?1"},
      {&d.latest_policy_, "SELECT document, id FROM policy WHERE name = ?1 ORDER BY id DESC LIMIT 1"},
      {&d.policy_names_, "SELECT DISTINCT name FROM policy ORDER BY name"},
      {&d.policy_list_, "SELECT name, version, calendar_data FROM policy ORDER BY id"},
      {&d.find_demand_, "SELECT seq, policy, document, actor, customer_spend, customer_tier, customer_key, customer_owner FROM demand WHERE id = ?1"},
      // Purchases (type 1) in (at - 365 days, at]: the spend the policy's tiers are judged on.
      {&d.stored_customer_spend_,
       "SELECT coalesce((SELECT sum(a.amount) FROM activity a WHERE a.customer = c.seq AND a.type = 1 AND "
       "a.at > CAST(?2 AS BIGINT) - 31536000 AND a.at <= ?2), 0), c.owner FROM customer c WHERE c.id = ?1"},
      {&d.demand_by_seq_, "SELECT id FROM demand WHERE seq = ?1"},
      {&d.demand_ledger_by_seq_, "SELECT policy, document, customer_spend, customer_tier, customer_key, customer_owner FROM demand WHERE seq = ?1"},

      {&d.load_events_, "SELECT n, type, at, actor, payload, ref FROM event WHERE demand = ?1 ORDER BY n"},
      {&d.delete_open_targets_, "DELETE FROM open_target WHERE demand = ?1"},
      {&d.insert_open_demand_, "INSERT INTO open_demand (demand, customer, owner, grams) VALUES (?1, ?2, ?3, ?4) "
       "ON CONFLICT (demand) DO UPDATE SET customer = excluded.customer, owner = excluded.owner, grams = excluded.grams"},
      {&d.delete_open_demand_, "DELETE FROM open_demand WHERE demand = ?1"},
      {&d.similar_candidates_,
       // One probe of open_demand_customer per block of sequence numbers (schema.cpp, 13); CROSS
       // JOIN keeps SQLite's planner from scanning the index for a customer across blocks.
       "WITH RECURSIVE block (k, hi) AS (SELECT (SELECT min(demand) FROM open_demand) >> 16, "
       "(SELECT max(demand) FROM open_demand) >> 16 UNION ALL SELECT k + 1, hi FROM block WHERE k < hi) "
       "SELECT o.demand, d.id, o.grams FROM block CROSS JOIN open_demand o JOIN demand d ON d.seq = o.demand "
       "WHERE (o.demand >> 16) = block.k AND o.customer = ?1 AND o.demand <> ?2"},
      // Running targets at risk or breached at ?1 or due before ?2: since warn_at <= due_at, all
      // lie in one range of the warn_at index, up to ?6 = max(?1, ?2).
      {&d.worklist_,
       "SELECT id, target, policy, calendar, due_at, warn_at, owner, department, urgency FROM open_target "
       "WHERE warn_at <= ?6 AND (warn_at <= ?1 OR due_at < ?2) AND paused_since IS NULL "
       "AND (CAST(?3 AS TEXT) IS NULL OR owner = ?3) AND (CAST(?4 AS TEXT) IS NULL OR department = ?4) "
       "AND (CAST(?5 AS TEXT) IS NULL OR urgency = ?5)"},
      // One page of it, in its order, after the cursor (?6 due, ?7 demand id, ?8 target), up to ?9
      // (past which no target can be at risk or due early enough), at most ?10 rows.
      {&d.worklist_page_,
       "SELECT id, target, policy, calendar, due_at, warn_at, owner, department, urgency FROM open_target "
       "WHERE due_at >= ?6 AND due_at < ?9 "
       "AND (due_at > ?6 OR id COLLATE BINARY > ?7 OR (id = ?7 AND target COLLATE BINARY > ?8)) "
       "AND (warn_at <= ?1 OR due_at < ?2) AND paused_since IS NULL "
       "AND (CAST(?3 AS TEXT) IS NULL OR owner = ?3) AND (CAST(?4 AS TEXT) IS NULL OR department = ?4) "
       "AND (CAST(?5 AS TEXT) IS NULL OR urgency = ?5) "
       "ORDER BY due_at, id COLLATE BINARY, target COLLATE BINARY LIMIT ?10"},
      {&d.worklist_lead_, "SELECT due_at - warn_at FROM open_target ORDER BY due_at - warn_at DESC LIMIT 1"},
      {&d.worklist_paused_,
       "SELECT DISTINCT id FROM open_target WHERE paused_since IS NOT NULL "
       "AND (CAST(?1 AS TEXT) IS NULL OR owner = ?1) AND (CAST(?2 AS TEXT) IS NULL OR department = ?2) "
       "AND (CAST(?3 AS TEXT) IS NULL OR urgency = ?3)"},
      {&d.wakeup_,
       "SELECT min(x) FROM (SELECT min(warn_at) AS x FROM open_target WHERE warn_at > ?1 AND paused_since IS NULL "
       "UNION ALL SELECT min(due_at) FROM open_target WHERE due_at > ?1 AND paused_since IS NULL "
       "UNION ALL SELECT min(at) FROM demand_crossing WHERE at > ?1) AS w"},  // escalation steps too
      // Per owner: open demands, and those with a target at risk (none breached) or breached.
      // Paused clocks are frozen, so a paused demand counts as it stood when it paused.
      {&d.progress_open_,
       "SELECT o.owner, 1, coalesce(max(CASE WHEN t.warn_at <= coalesce(t.paused_since, ?1) AND t.warn_at <= ?1 THEN 1 ELSE 0 END), 0), "
       "coalesce(max(CASE WHEN t.due_at <= coalesce(t.paused_since, ?1) AND t.due_at <= ?1 THEN 1 ELSE 0 END), 0), "
       "o.demand, max(t.department) "
       "FROM open_demand o LEFT JOIN open_target t ON t.demand = o.demand GROUP BY o.demand, o.owner"},
      {&d.progress_closed_,
       "SELECT DISTINCT d.id FROM event e JOIN demand d ON d.seq = e.demand WHERE e.type = 9 AND e.at >= ?1 AND e.at < ?2"},
      {&d.find_customer_, "SELECT seq, owner, department, document FROM customer WHERE id = ?1"},
      {&d.delete_lookups_, "DELETE FROM personal_lookup WHERE record = ?1"},
      {&d.insert_lookup_, "INSERT INTO personal_lookup (field, hash, record) VALUES (?1, ?2, ?3)"},
      {&d.activity_by_ref_,
       "SELECT n, type, at, amount, score, ends_at, needs, kind, note, actor FROM activity WHERE customer = ?1 AND ref = ?2"},
      {&d.last_activity_, "SELECT coalesce(max(n), 0) FROM activity WHERE customer = ?1"},
      {&d.insert_customer_,
       "INSERT INTO customer (id, owner, department, company, since, contact_name, contact_phone, contact_email, document, "
       "potential, contact_sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"},
      {&d.update_customer_,
       "UPDATE customer SET owner = ?2, department = ?3, company = ?4, since = ?5, contact_name = ?6, contact_phone = ?7, "
       "contact_email = ?8, document = ?9, potential = ?10, contact_sealed = ?11 WHERE id = ?1"},
      {&d.insert_prospect_event_,
       "INSERT INTO prospect_event (prospect, n, type, at, stage, item, due_at, actor, details, quality) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
      {&d.move_prospect_, "UPDATE prospect SET stage = ?2, customer = nullif(?3, '') WHERE seq = ?1"},
      {&d.last_calendar_data_, "SELECT data FROM calendar_data WHERE base = 'cn' ORDER BY seq DESC LIMIT 1"},
      {&d.insert_calendar_data_, "INSERT INTO calendar_data (base, version, applied_at, data) VALUES (?1, ?2, ?3, ?4)"},
      {&d.audit_head_, "UPDATE audit_head SET entries = entries RETURNING entries, chain, seal"},
      {&d.set_audit_head_, "UPDATE audit_head SET entries = ?1, chain = ?2, seal = ?3"},
      {&d.recent_demands_, "SELECT id FROM demand WHERE received_at >= ?1 AND received_at <= ?2 ORDER BY seq"},
  };
  for (const auto& [statement, sql] : statements)
    if (!statement->prepare(*d.engine_, sql)) return d.error(std::string("preparing \"") + sql + "\"");
  std::string probe = "SELECT id FROM demand WHERE id IN (?1";
  for (int i = 2; i <= detail::DatabaseImpl::kDemandProbe; ++i) probe += ", ?" + std::to_string(i);
  // Not kept on a PostgreSQL server (persistent = false): planned at every call, with its ids. A
  // plan kept from an import's first calls, made while the table was empty, scans the whole table
  // (PostgreSQL's generic plan after five calls): 0.4 s a call at 100,000 demands.
  if (!d.recorded_ids_.prepare(*d.engine_, (probe + ")").c_str(), false))
    return d.error("preparing \"" + probe + ")\"");
  // Parents before children: buffered rows are sent in this order.
  const std::pair<std::unique_ptr<detail::Appender>*, std::pair<const char*, const char*>> appenders[] = {
      {&d.append_demand_,
       {"demand", "seq, id, policy, received_at, customer, channel, owner, department, urgency, category, nature, actor, "
                  "document, customer_spend, customer_tier, customer_key, customer_owner"}},
      {&d.append_event_, {"event", "demand, n, type, at, actor, payload, ref"}},
      {&d.append_open_demand_, {"open_demand", "demand, customer, owner, grams"}},
      {&d.append_open_target_,
       {"open_target", "demand, target, policy, calendar, due_at, warn_at, paused_since, owner, department, urgency, id"}},
      {&d.append_activity_, {"activity", "customer, n, type, at, amount, score, ends_at, needs, kind, note, actor, ref"}},
      {&d.append_audit_, {"audit", "recorded_at, actor, role, operation, kind, record, outcome, before, after, message, keyed, chain"}},
  };
  for (const auto& [appender, table] : appenders)
    if (!(*appender = d.engine_->appender(table.first, table.second)))
      return d.error(std::string("preparing inserts into ") + table.first);
  // After the demand appender: its rows go first.
  if (Status s = detail::prepare_fact_statements(d); !s.ok()) return s;
  return detail::prepare_change_statements(d);
}

}  // namespace

Result<std::unique_ptr<detail::DatabaseImpl>> detail::api::open(const std::string& path, const DatabaseOptions& options) {
  auto d = std::make_unique<detail::DatabaseImpl>();
  auto engine = detail::is_postgres_uri(path) ? detail::open_postgres_engine(path, options)
                                              : detail::open_sqlite_engine(path, options);
  if (!engine.ok()) return std::move(engine).status();
  d->engine_ = std::move(*engine);
  if (Status s = migrate(*d); !s.ok()) return s;
  if (Status s = prepare_statements(*d); !s.ok()) return s;
  std::optional<detail::SecretKey> host_key;
  if (!options.encryption_key.empty()) {
    auto key = detail::SecretKey::from_hex(options.encryption_key, "encryption_key");
    if (!key.ok()) return std::move(key).status();
    host_key = std::move(*key);
  }
  if (Status s = detail::open_keyring(*d, host_key, static_cast<int64_t>(std::time(nullptr))); !s.ok()) return s;
  if (Status s = detail::sync_calendar_data(*d, static_cast<int64_t>(std::time(nullptr))); !s.ok()) return s;
  if (Status s = build_fact_rows(*d); !s.ok()) return s;
  if (Status s = detail::build_personal_lookup(*d); !s.ok()) return s;
  return d;
}

Result<int64_t> detail::api::rebuild_report_facts(detail::DatabaseImpl& impl) {
  detail::Transaction tx(impl);
  if (Status s = tx.begin(); !s.ok()) return s;
  auto count = detail::rebuild_fact_rows(impl);
  if (!count.ok()) return std::move(count).status();
  if (Status s = tx.commit(); !s.ok()) return s;
  return count;
}

Status detail::api::backup(detail::DatabaseImpl& impl, const std::string& path) { return impl.engine_->backup_to(path); }

Result<std::string> detail::api::verify_audit(detail::DatabaseImpl& impl, Status* failure) {
  detail::Transaction tx(impl);
  if (Status s = tx.begin(false); !s.ok()) return s;
  auto v = detail::verify_audit(impl);
  if (!v.ok()) return std::move(v).status();
  std::string out;
  detail::JsonWriter w(out);
  w.begin_object().key("holds").boolean(v->problem.empty()).key("entries").value(v->entries);
  w.key("chained").value(v->entries - v->unchained).key("unchained").value(v->unchained).key("keyed").value(v->keyed);
  w.key("head").value(v->head);
  if (!v->problem.empty()) {
    w.key("problem").value(v->problem);
    if (v->seq) w.key("seq").value(v->seq);
    if (v->removed) w.key("removed").value(v->removed);
    w.key("message").value(v->message);
  }
  w.end_object();
  if (failure)
    *failure = v->problem.empty()           ? Status()
               : v->problem == "unverifiable" ? Status::permission_denied(v->message)
                                              : Status::conflict(v->message);
  return out;
}

Status detail::api::rotate_encryption_key(detail::DatabaseImpl& impl, std::string_view new_key_hex) {
  auto key = detail::SecretKey::from_hex(new_key_hex, "new encryption_key");
  if (!key.ok()) return std::move(key).status();
  return detail::rotate_host_key(impl, *key, static_cast<int64_t>(std::time(nullptr)));
}

Status detail::api::put_policy(detail::DatabaseImpl& impl, std::string_view policy_json) {
  auto policy = impl.load_policy(policy_json);
  if (!policy.ok()) return std::move(policy).status();

  {
    detail::Use find(impl.find_policy_);
    find->bind_text(1, policy->name());
    find->bind_text(2, policy->version());
    const Step rc = find->step();
    if (rc == Step::row) {
      if (find->string(0) == policy_json) return {};  // an idempotent retry
      return Status::conflict("policy \"" + policy->name() + "\" version \"" + policy->version() +
                              "\" is already stored with a different document; store the change as a new version");
    }
    if (rc != Step::done) return impl.error("looking up a policy");
  }

  std::string calendar_data;
  detail::JsonWriter w(calendar_data);
  w.begin_object();
  for (const std::string& name : policy->calendar_names())
    w.key(name).value(detail::CalendarAccess::impl(*policy->calendar(name)).base_version);
  w.end_object();

  detail::Transaction tx(impl);
  if (Status s = tx.begin(); !s.ok()) return s;
  {
    detail::Use insert(impl.insert_policy_);
    insert->bind_text(1, policy->name());
    insert->bind_text(2, policy->version());
    insert->bind_text(3, policy_json);
    insert->bind_text(4, calendar_data);
    if (insert->step() != Step::done) return impl.error("storing a policy");
  }
  // Customers are judged under the latest version: the change feed compares them again.
  if (Status s = detail::set_account_feed_state(impl, detail::AccountFeedState::stale); !s.ok()) return s;
  return tx.commit();
}

Result<Policy> detail::api::latest_policy(detail::DatabaseImpl& impl, std::string_view name) {
  auto stored = impl.resolve_policy(std::string(name), "");
  if (!stored.ok()) return std::move(stored).status();
  return stored->policy;
}

Result<std::string> detail::api::policies(detail::DatabaseImpl& impl) {
  std::string out;
  detail::JsonWriter w(out);
  w.begin_object().key("policies").begin_array();
  detail::Use list(impl.policy_list_);
  Step rc;
  while ((rc = list->step()) == Step::row)
    w.begin_object().key("name").value(list->string(0)).key("version").value(list->string(1)).key("calendar_data").raw(list->string(2)).end_object();
  if (rc != Step::done) return impl.error("listing policies");
  w.end_array().end_object();
  return out;
}

Result<std::string> detail::api::policy_document(detail::DatabaseImpl& impl, std::string_view name, std::string_view version) {
  auto stored = impl.resolve_policy(std::string(name), std::string(version));
  if (!stored.ok()) return std::move(stored).status();
  detail::Use find(impl.policy_by_id_);
  find->bind_int(1, stored->id);
  if (find->step() != Step::row) return impl.error("reading a policy");
  return find->string(0);
}

Result<Policy> detail::api::policy(detail::DatabaseImpl& impl, std::string_view name, std::string_view version) {
  detail::Use find(impl.find_policy_);
  find->bind_text(1, name);
  find->bind_text(2, version);
  const Step rc = find->step();
  if (rc == Step::done)
    return Status::not_found("no policy \"" + std::string(name) + "\" version \"" + std::string(version) + "\" is stored");
  if (rc != Step::row) return impl.error("reading a policy");
  auto policy = impl.load_policy(find->string(0));
  if (!policy.ok()) return Status::internal("stored policy no longer loads: " + policy.status().message());
  return policy;
}

}  // namespace crm
