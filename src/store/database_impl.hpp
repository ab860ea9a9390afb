// SPDX-License-Identifier: Apache-2.0
// The state behind crm::Database: one engine connection, its prepared statements, and the
// immutable policies it has loaded.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "calendar/base_calendars.hpp"
#include "core/secret_box.hpp"
#include "crmpolicy/database.hpp"
#include "store/engine.hpp"

namespace crm::detail {

// A query prepared once per handle and reset after each use.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  // False when `sql` does not prepare (the engine's error_message says why).
  bool prepare(Engine& engine, const char* sql, bool persistent = true) {
    query_ = engine.prepare(sql, persistent);
    return query_ != nullptr;
  }
  Query* get() const { return query_.get(); }

 private:
  std::unique_ptr<Query> query_;
};

// Resets and clears a query when the scope ends, whatever path leaves it.
class Use {
 public:
  explicit Use(const Statement& s) : query_(*s.get()) {}
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  ~Use() { query_.reset(); }
  Query& operator*() const { return query_; }
  Query* operator->() const { return &query_; }

 private:
  Query& query_;
};

// The keys a handle holds (store/keyring.hpp). The host's key is given when opening; the keys it
// seals live in the keyring table.
struct HeldKeys {
  std::optional<SecretKey> host;         // the host's key, when the handle was opened with it
  std::optional<SecretKey> audit;        // the audit chain's key, unsealed with the host's
  int64_t audit_keyed_from = 0;          // the chain position from which every entry is keyed
  std::vector<std::pair<int64_t, SecretKey>> data;  // personal-data keys by id; back() is current
  bool keyring = false;                  // without the host's key: the database has a keyring all the same
};

struct StoredPolicy {
  int64_t id = 0;
  Policy policy;
};

class DatabaseImpl {
 public:

  Status error(const std::string& what) const;
  Status exec(const char* sql, const std::string& what);
  // Waits for a commit Transaction::start_commit() started.
  Status finish_commit() { return engine_->finish_commit() ? Status() : error("committing"); }

  // A stored policy by row id (cached: stored versions never change), on the pinned data.
  Result<Policy> policy_by_id(int64_t id);
  // A policy document's calendars built on the database's pinned base data (store/calendar_data.cpp).
  Result<Policy> load_policy(std::string_view text) const;
  // The policy a demand names: by name and version; "" version = latest stored of that name;
  // "" name = the only policy name stored.
  Result<StoredPolicy> resolve_policy(const std::string& name, const std::string& version);

  // First, so that it is destroyed after the statements below.
  std::unique_ptr<Engine> engine_;
  int schema_version_ = 0;
  Statement find_policy_, insert_policy_, policy_by_id_, latest_policy_, policy_names_, policy_list_;
  Statement find_demand_, demand_by_seq_, demand_ledger_by_seq_, load_events_, stored_customer_spend_;
  Statement put_fact_, fact_build_, provisional_facts_;  // store/fact_rows.cpp
  // store/change_log.cpp
  Statement feed_served_until_, serve_feed_, delete_crossing_, delete_crossings_after_, change_page_, crossing_page_;
  Statement known_account_transitions_, forget_account_transitions_, account_feed_state_, set_account_feed_state_;
  Statement delete_open_targets_, insert_open_demand_, delete_open_demand_, similar_candidates_;
  // Which of kDemandProbe ids (?1 ... ?kDemandProbe) are recorded.
  static constexpr int kDemandProbe = 250;
  Statement recorded_ids_;
  // The ledger's rows are written in bulk: ids are checked and keys reserved first.
  std::unique_ptr<Appender> append_demand_, append_event_, append_open_demand_, append_open_target_, append_fact_;
  std::unique_ptr<Appender> append_crossing_, append_change_, append_account_transition_;
  // Facts and audit entries, appended in bulk as well (the customer-side batches).
  std::unique_ptr<Appender> append_activity_, append_audit_;
  Statement worklist_, worklist_page_, worklist_lead_, worklist_paused_, wakeup_, progress_open_, progress_closed_;
  // Written once per record or fact by the customer-side calls, often in batches of thousands.
  Statement insert_customer_, update_customer_, insert_prospect_event_, move_prospect_;
  Statement find_customer_, activity_by_ref_, last_activity_;
  Statement delete_lookups_, insert_lookup_;  // store/personal_data.cpp
  Statement last_calendar_data_, insert_calendar_data_, recent_demands_;
  std::string fact_scratch_;  // a fact row's blob, encoded
  std::string change_row_;  // store/change_log.cpp: the change log row being built
  int change_row_demands_ = 0;
  std::unordered_map<int64_t, Policy> policies_;
  std::shared_ptr<const BaseCalendar> pinned_cn_;  // the cn data the ledger computes with
  HeldKeys keys_;
  Statement audit_head_, set_audit_head_;  // store/audit_log.cpp
};

// Pins the base calendar data on open: the current data when none is pinned yet, newer current
// data applied to the ledger as of `now` (Database::update_calendar_data).
Status sync_calendar_data(DatabaseImpl& d, int64_t now);
// Reads the pinned data again (after a snapshot restore replaced it).
Status reload_pinned_calendar_data(DatabaseImpl& d);

// One transaction: ROLLBACK unless commit() succeeds.
class Transaction {
 public:
  explicit Transaction(DatabaseImpl& d) : d_(d) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) (void)d_.engine_->rollback();
  }
  // A write transaction takes the write lock now; a read one sees one consistent snapshot.
  Status begin(bool write = true) {
    open_ = d_.engine_->begin(write);
    return open_ ? Status() : d_.error("starting a transaction");
  }
  Status commit() {
    if (!d_.engine_->commit()) return d_.error("committing");
    open_ = false;
    return {};
  }
  // The commit goes on while the caller reads its next batch; DatabaseImpl::finish_commit() waits
  // for it (Engine::start_commit). The transaction is over either way.
  Status start_commit() {
    if (!d_.engine_->start_commit()) return d_.error("committing");
    open_ = false;
    return {};
  }

 private:
  DatabaseImpl& d_;
  bool open_ = false;
};

// Runs a one-off query (bound by `bind`) and hands each row to `row`.
template <class Bind, class Row>
Status each_row(DatabaseImpl& d, const char* sql, Bind&& bind, Row&& row) {
  Statement statement;
  if (!statement.prepare(*d.engine_, sql, false)) return d.error("preparing a query");
  Use use(statement);
  bind(*use);
  Step rc;
  while ((rc = use->step()) == Step::row) row(*use);
  return rc == Step::done ? Status() : d.error("reading the ledger");
}
template <class Row>
Status each_row(DatabaseImpl& d, const char* sql, Row&& row) {
  return each_row(d, sql, [](Query&) {}, std::forward<Row>(row));
}

// The facts of a table up to an instant: `select` ends in "WHERE at <= ?1"; only those whose
// `key` column is `only` when it is 0 or more; `tail` (an ORDER BY, or "") follows.
template <class Row>
Status each_fact_up_to(DatabaseImpl& d, const char* select, const char* key, int64_t at, int64_t only, const char* tail,
                       Row&& row) {
  const std::string sql = std::string(select) + (only >= 0 ? std::string(" AND ") + key + " = ?2" : "") + tail;
  return each_row(
      d, sql.c_str(),
      [&](Query& st) {
        st.bind_int(1, at);
        if (only >= 0) st.bind_int(2, only);
      },
      std::forward<Row>(row));
}

}  // namespace crm::detail
