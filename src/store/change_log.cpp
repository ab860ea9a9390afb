// SPDX-License-Identifier: Apache-2.0
#include "store/change_log.hpp"

#include <algorithm>
#include <iterator>

#include "store/varint_codec.hpp"

namespace crm::detail {

namespace {

// The changes blob: a format byte (1), then per demand its row key (a varint), id, owner and
// department (each a length and its bytes) and a count of changes; per change its kind (a byte),
// instant, target, step, round, policy row and event n (varints), event type and retracted kind
// (a byte each). Instants are zigzagged from 0. A row holds up to kDemandsPerRow demands: one row
// for a batch of them costs the import far less than a row each.
constexpr uint8_t kFormat = 1;
constexpr int kDemandsPerRow = 256;

void encode_subject(const FeedWrite& w, const std::vector<LoggedChange>& changes, std::string& row) {
  const bool first = row.empty();
  Encoder e(row, 0, true);
  if (first) e.u8(kFormat);
  e.varint(static_cast<uint64_t>(w.key));
  e.text(*w.id);
  e.text(*w.owner);
  e.text(*w.department);
  e.varint(changes.size());
  for (const LoggedChange& c : changes) {
    e.u8(static_cast<uint8_t>(c.kind));
    e.instant(c.at);
    e.text(c.target);
    e.varint(c.step);
    e.varint(static_cast<uint32_t>(c.round));
    e.varint(static_cast<uint64_t>(c.policy));
    e.varint(static_cast<uint32_t>(c.event));
    e.u8(static_cast<uint8_t>(c.type));
    e.u8(static_cast<uint8_t>(c.retracts));
  }
}

LoggedChange logged(const Transition& t, int64_t policy) {
  LoggedChange c;
  c.kind = t.kind;
  c.at = t.at;
  c.target = t.target;
  c.step = t.step;
  c.round = t.round;
  c.policy = policy;
  return c;
}

Status append_crossing(DatabaseImpl& d, int64_t key, const std::string& id, const std::string& owner,
                       const std::string& department, const Transition& t, int64_t policy) {
  Appender& row = *d.append_crossing_;
  row.add_int(t.at);
  row.add_int(key);
  row.add_text(t.target);
  row.add_int(static_cast<int>(t.kind));
  row.add_int(t.step);
  row.add_int(t.round);
  row.add_text(id);
  row.add_int(policy);
  row.add_text(owner);
  row.add_text(department);
  return row.end_row() ? Status() : d.error("scheduling a transition of \"" + id + "\"");
}

}  // namespace

const char* feed_subject_name(FeedSubject s) {
  return s == FeedSubject::demand ? "demand" : s == FeedSubject::customer ? "customer" : "prospect";
}

bool decode_changes(std::string_view blob, std::vector<LoggedSubject>& out) {
  out.clear();
  Decoder in(blob);
  if (in.u8() != kFormat) return false;
  while (!in.done()) {
    LoggedSubject& demand = out.emplace_back();
    demand.key = static_cast<int64_t>(in.varint());
    in.text(demand.id);
    in.text(demand.owner);
    in.text(demand.department);
    const size_t n = in.count(9);  // a change takes 9 bytes at least
    for (size_t i = 0; i < n; ++i) {
      LoggedChange c;
      c.kind = static_cast<ChangeKind>(in.u8());
      c.at = in.instant();
      in.text(c.target);
      c.step = static_cast<uint32_t>(in.varint());
      c.round = static_cast<int32_t>(in.varint());
      c.policy = static_cast<int64_t>(in.varint());
      c.event = static_cast<int32_t>(in.varint());
      c.type = static_cast<EventType>(in.u8());
      c.retracts = static_cast<ChangeKind>(in.u8());
      if (change_kind_name(c.kind)[0] == '\0' || static_cast<int>(c.type) >= kEventTypeCount) return false;
      demand.changes.push_back(std::move(c));
    }
    if (n == 0) return false;  // never written: a malformed row would loop here otherwise
  }
  return !out.empty();
}

Result<int64_t> feed_served_until(DatabaseImpl& d) {
  Use use(d.feed_served_until_);
  if (use->step() != Step::row) return d.error("reading how far the change feed was read");
  return use->int64(0);
}

Status put_crossings(DatabaseImpl& d, int64_t key, const std::string& id, const std::string& owner,
                     const std::string& department, const std::vector<Transition>& transitions, int64_t served_until,
                     const PolicyIdOf& policy_id) {
  for (const Transition& t : transitions) {
    if (!is_time_driven(t.kind) || t.at <= served_until) continue;
    auto policy = policy_id(t.policy_version);
    if (!policy.ok()) return std::move(policy).status();
    if (Status s = append_crossing(d, key, id, owner, department, t, *policy); !s.ok()) return s;
  }
  return {};
}

Status write_changes(DatabaseImpl& d, const FeedWrite& w, int64_t served_until, const PolicyIdOf& policy_id) {
  std::vector<LoggedChange> changes;
  if (w.recorded_at != kNever) {
    LoggedChange c;
    c.at = w.recorded_at;
    changes.push_back(std::move(c));
  }
  if (w.events) {
    for (const Event* e : *w.events) {
      LoggedChange c;
      c.kind = change_kind_of(e->type);
      c.at = e->at;
      c.event = e->n;
      c.type = e->type;
      changes.push_back(std::move(c));
    }
  }
  const std::vector<Transition>& before = *w.before;
  const std::vector<Transition>& after = *w.after;
  std::vector<Transition> removed, added;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(removed));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  // Those the feed may have told already are retracted; those it cannot have told yet just go.
  bool scheduled_before = false;  // crossings after served_until: rewritten below (owner and department may have moved)
  for (const Transition& t : before) scheduled_before |= is_time_driven(t.kind) && t.at > served_until;
  for (const Transition& t : removed) {
    if (is_time_driven(t.kind) && t.at > served_until) continue;
    auto policy = policy_id(t.policy_version);
    if (!policy.ok()) return std::move(policy).status();
    LoggedChange c = logged(t, *policy);
    c.retracts = t.kind;
    c.kind = ChangeKind::retracted;
    changes.push_back(std::move(c));
    if (!is_time_driven(t.kind)) continue;
    Use del(d.delete_crossing_);
    del->bind_int(1, w.key);
    del->bind_text(2, t.target);
    del->bind_int(3, static_cast<int>(t.kind));
    del->bind_int(4, t.step);
    del->bind_int(5, t.round);
    del->bind_int(6, t.at);
    if (del->step() != Step::done) return d.error("retracting a transition of \"" + *w.id + "\"");
  }
  std::stable_sort(added.begin(), added.end(), [](const Transition& a, const Transition& b) { return a.at < b.at; });
  for (const Transition& t : added) {
    if (is_time_driven(t.kind) && t.at > served_until) continue;  // scheduled below
    auto policy = policy_id(t.policy_version);
    if (!policy.ok()) return std::move(policy).status();
    changes.push_back(logged(t, *policy));
  }
  if (scheduled_before) {
    Use del(d.delete_crossings_after_);
    del->bind_int(1, w.key);
    del->bind_int(2, served_until);
    if (del->step() != Step::done) return d.error("rescheduling the transitions of \"" + *w.id + "\"");
  }
  if (Status s = put_crossings(d, w.key, *w.id, *w.owner, *w.department, after, served_until, policy_id); !s.ok())
    return s;
  if (changes.empty() || !w.log) return {};
  encode_subject(w, changes, d.change_row_);
  return ++d.change_row_demands_ == kDemandsPerRow ? end_changes(d) : Status();
}

Status clear_crossings_after(DatabaseImpl& d, FeedSubject demands_or_accounts, int64_t served_until) {
  Statement clear;
  const char* sql = demands_or_accounts == FeedSubject::demand ? "DELETE FROM demand_crossing WHERE at > ?1 AND demand > 0"
                                                               : "DELETE FROM demand_crossing WHERE at > ?1 AND demand < 0";
  if (!clear.prepare(*d.engine_, sql, false)) return d.error("preparing a query");
  Use use(clear);
  use->bind_int(1, served_until);
  return use->step() == Step::done ? Status() : d.error("clearing the change feed's crossings");
}

namespace {

Transition known_transition(Query& row, int first) {
  Transition t;
  t.target = row.string(first);
  t.kind = static_cast<ChangeKind>(row.int64(first + 1));
  t.at = row.int64(first + 2);
  return t;
}

}  // namespace

Result<std::vector<Transition>> known_account_transitions(DatabaseImpl& d, int64_t key) {
  std::vector<Transition> out;
  Use use(d.known_account_transitions_);
  use->bind_int(1, key);
  Step rc;
  while ((rc = use->step()) == Step::row) out.push_back(known_transition(*use, 0));
  if (rc != Step::done) return d.error("reading the change feed's customer transitions");
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::map<int64_t, std::vector<Transition>>> all_known_account_transitions(DatabaseImpl& d) {
  std::map<int64_t, std::vector<Transition>> out;
  Status s = each_row(d, "SELECT account, target, kind, at FROM account_transition",
                      [&](Query& row) { out[row.int64(0)].push_back(known_transition(row, 1)); });
  if (!s.ok()) return s;
  for (auto& [key, list] : out) std::sort(list.begin(), list.end());
  return out;
}

Status keep_account_transitions(DatabaseImpl& d, int64_t key, const std::vector<Transition>& transitions) {
  {
    Use forget(d.forget_account_transitions_);
    forget->bind_int(1, key);
    if (forget->step() != Step::done) return d.error("replacing the change feed's customer transitions");
  }
  Appender& row = *d.append_account_transition_;
  for (const Transition& t : transitions) {
    row.add_int(key);
    row.add_text(t.target);
    row.add_int(static_cast<int>(t.kind));
    row.add_int(t.at);
    if (!row.end_row()) return d.error("keeping the change feed's customer transitions");
  }
  return {};
}

Result<AccountFeedState> account_feed_state(DatabaseImpl& d) {
  Use use(d.account_feed_state_);
  if (use->step() != Step::row) return d.error("reading whether the customer feed is in step");
  return static_cast<AccountFeedState>(use->int64(0));
}

Status set_account_feed_state(DatabaseImpl& d, AccountFeedState state) {
  Use use(d.set_account_feed_state_);
  use->bind_int(1, static_cast<int>(state));
  return use->step() == Step::done ? Status() : d.error("keeping whether the customer feed is in step");
}

Status end_changes(DatabaseImpl& d) {
  if (d.change_row_.empty()) return {};
  Appender& row = *d.append_change_;
  row.add_blob(d.change_row_);
  const bool ok = row.end_row();
  d.change_row_.clear();
  d.change_row_demands_ = 0;
  return ok ? Status() : d.error("logging changes");
}

Status prepare_change_statements(DatabaseImpl& d) {
  const std::pair<Statement*, const char*> statements[] = {
      {&d.feed_served_until_, "SELECT served_until FROM feed"},
      {&d.serve_feed_, "UPDATE feed SET served_until = ?1 WHERE served_until < ?1"},
      {&d.delete_crossing_,
       "DELETE FROM demand_crossing WHERE demand = ?1 AND target = ?2 AND kind = ?3 AND step = ?4 AND round = ?5 AND at = ?6"},
      {&d.delete_crossings_after_, "DELETE FROM demand_crossing WHERE demand = ?1 AND at > ?2"},
      {&d.known_account_transitions_, "SELECT target, kind, at FROM account_transition WHERE account = ?1"},
      {&d.forget_account_transitions_, "DELETE FROM account_transition WHERE account = ?1"},
      {&d.account_feed_state_, "SELECT state FROM account_feed"},
      {&d.set_account_feed_state_, "UPDATE account_feed SET state = ?1"},
      {&d.change_page_, "SELECT seq, changes FROM demand_change WHERE seq >= ?1 ORDER BY seq LIMIT ?2"},
      // After the cursor (?1 at, ?2 demand, ?3 target, ?4 kind, ?5 step, ?6 round), up to ?7, in
      // the feed's order, at most ?8 rows.
      {&d.crossing_page_,
       "SELECT at, demand, target, kind, step, round, id, policy, owner, department FROM demand_crossing "
       "WHERE (at, demand, target, kind, step, round) > (?1, ?2, ?3, ?4, ?5, ?6) AND at <= ?7 "
       "ORDER BY at, demand, target, kind, step, round LIMIT ?8"},  // one range of the key on both engines
  };
  for (const auto& [statement, sql] : statements)
    if (!statement->prepare(*d.engine_, sql)) return d.error(std::string("preparing \"") + sql + "\"");
  if (!(d.append_crossing_ = d.engine_->appender(
            "demand_crossing", "at, demand, target, kind, step, round, id, policy, owner, department")))
    return d.error("preparing inserts into demand_crossing");
  if (!(d.append_change_ = d.engine_->appender("demand_change", "changes")))
    return d.error("preparing inserts into demand_change");
  if (!(d.append_account_transition_ = d.engine_->appender("account_transition", "account, target, kind, at")))
    return d.error("preparing inserts into account_transition");
  return {};
}

}  // namespace crm::detail
